// Where each value of a JSON text starts, by the path the validator uses in its errors: `name`, `trigger.type`,
// `steps[1].config.offer`, `steps[0].paths.Success[0]`, `steps[2].branches[1][0]` (`$` is the whole text). The
// editor puts an error at the line of the deepest part of its path that the text has, and marks the line of the
// step the error is about.

/** Parses `text`; returns {ok, positions: Map path → offset, error: {message, offset}}. */
export function positions(text) {
  const map = new Map();
  let i = 0;
  const fail = (message) => {
    throw {message, offset: i};
  };
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) {
      i++;
    }
  };
  const str = () => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) {
      fail('unterminated string');
    }
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const join = (path, key) => (path === '$' ? key : `${path}.${key}`);
  const value = (path) => {
    ws();
    map.set(path, i);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') {
          fail('a key in double quotes expected');
        }
        const key = str();
        ws();
        if (text[i] !== ':') {
          fail('":" expected');
        }
        i++;
        value(join(path, key));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('"," or "}" expected');
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('"," or "]" expected');
      }
    } else if (c === '"') {
      str();
    } else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
      if (!m) {
        fail('a value expected');
      }
      i += m[0].length;
    }
  };
  try {
    value('$');
    ws();
    if (i < text.length) {
      fail('text after the end of the JSON');
    }
    return {ok: true, positions: map};
  } catch (e) {
    if (e && typeof e.offset === 'number') {
      return {ok: false, positions: map, error: e};
    }
    return {ok: false, positions: map, error: {message: String(e), offset: i}};
  }
}

/** The 1-based line of an offset. */
export function lineOf(text, offset) {
  let line = 1;
  for (let k = 0; k < Math.min(offset, text.length); k++) {
    if (text[k] === '\n') {
      line++;
    }
  }
  return line;
}

/** The prefixes of a path, longest first: `steps[1].config.offer`, `steps[1].config`, `steps[1]`, `steps`. */
export function prefixes(path) {
  const out = [];
  let p = path;
  while (p) {
    out.push(p);
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return out;
}

/** The path of the step an error path is about: its deepest prefix that is an element of a list of steps. */
export function stepPathOf(path) {
  return prefixes(path).find(p => /(^steps|\.steps|\.paths\.[^.[]+|\.branches\[\d+\])\[\d+\]$/.test(p)) || null;
}

/**
 * Where an error goes: {line, stepLine, stepPath} — the line of the deepest part of its path present in the text
 * (or of a parse error), and the line where its step starts.
 */
export function locate(text, parsed, path) {
  if (!parsed.ok && (path === '$' || !path)) {
    return {line: lineOf(text, parsed.error.offset), stepLine: null, stepPath: null};
  }
  const found = prefixes(path || '$').find(p => parsed.positions.has(p));
  const line = found ? lineOf(text, parsed.positions.get(found)) : 1;
  const stepPath = stepPathOf(path || '');
  const stepLine = stepPath && parsed.positions.has(stepPath) ? lineOf(text, parsed.positions.get(stepPath)) : null;
  return {line, stepLine, stepPath};
}
