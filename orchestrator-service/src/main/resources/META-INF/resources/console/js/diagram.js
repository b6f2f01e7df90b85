// A workflow definition drawn as a tree, as the reference draws its examples: the trigger on top, the steps in
// order, each output path a labelled branch (Split branches side by side, Decision cases, Delays), joined again
// before the next step. Optionally a run (the path it took highlighted), statistics (counts on the branches) and a
// diff (steps added or changed since another version).
//
// The SVG is the console's contract with its browser test: a step is <g class="node" data-step-id="…">, an output
// path is <g class="branch" data-step-id="…" data-path="…"> holding its line and its label, and a run marks what it
// took with the class "taken" (nodes: "ran" and "status-<status>").

const SVG = 'http://www.w3.org/2000/svg';
const NODE_W = 210;
const NODE_H = 66;
const GAP_Y = 30;
const LABEL_H = 26;
const GAP_X = 22;
const EMPTY_W = 120;
const MARGIN = 16;

/** The branches a step leads to: [{label, path, steps, when}] (path: the output path name, or the Split branch). */
export function branchesOf(step) {
  const config = step.config || {};
  const paths = step.paths || {};
  if (step.action === 'Split') {
    return (step.branches || []).map((b, i) => {
      const conditional = b && !Array.isArray(b);
      return {label: `branch ${i + 1}`, path: `branch-${i + 1}`, index: i,
        when: conditional ? b.when : null, steps: (conditional ? b.steps : b) || []};
    });
  }
  if (step.action === 'Decision') {
    const out = [];
    const seen = new Set();
    if (Array.isArray(config.split)) {
      for (const share of config.split) {
        seen.add(share.path);
        out.push({label: share.path, path: share.path, note: `${share.percent} %`, steps: paths[share.path] || []});
      }
    } else {
      for (const c of config.cases || []) {
        if (seen.has(c.path)) {
          continue;
        }
        seen.add(c.path);
        out.push({label: c.path, path: c.path, when: c.when, steps: paths[c.path] || []});
      }
      if (config.default && !seen.has(config.default)) {
        seen.add(config.default);
        out.push({label: config.default, path: config.default, note: 'otherwise', steps: paths[config.default] || []});
      }
    }
    for (const [name, steps] of Object.entries(paths)) {
      if (!seen.has(name)) {
        out.push({label: name, path: name, steps: steps || []});
      }
    }
    return out;
  }
  return Object.entries(paths).map(([name, steps]) => ({label: name, path: name, steps: steps || []}));
}

/** Every step of a definition, depth first, with where it sits: [{step, where}]. */
export function allSteps(definition) {
  const out = [];
  const walk = (steps, where) => (steps || []).forEach((s, i) => {
    if (!s || typeof s !== 'object') {
      return;
    }
    out.push({step: s, where: `${where}[${i}]`});
    branchesOf(s).forEach(b => walk(b.steps, `${where}[${i}] → ${b.label}`));
  });
  walk(definition && definition.steps, 'steps');
  return out;
}

function measureSeq(steps) {
  const items = (steps || []).filter(s => s && typeof s === 'object').map(measureStep);
  const w = Math.max(EMPTY_W, ...items.map(i => i.w));
  const h = items.reduce((sum, i) => sum + i.h, 0) + GAP_Y * Math.max(0, items.length - 1);
  return {items, w, h};
}

function measureStep(step) {
  const branches = branchesOf(step).map(b => ({...b, seq: measureSeq(b.steps)}));
  if (branches.length === 0) {
    return {step, branches, w: NODE_W, h: NODE_H};
  }
  const row = branches.reduce((sum, b) => sum + b.seq.w, 0) + GAP_X * (branches.length - 1);
  const tallest = Math.max(...branches.map(b => (b.seq.items.length ? b.seq.h : 0)));
  return {step, branches, w: Math.max(NODE_W, row), h: NODE_H + GAP_Y + LABEL_H + tallest + GAP_Y / 2};
}

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) {
      e.setAttribute(k, String(v));
    }
  }
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

function cut(text, max) {
  const s = String(text ?? '');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function stepSummary(step) {
  const c = step.config || {};
  if (step.action === 'Delay') {
    return c.duration ? `wait ${c.duration}` : `until ${c.until ?? '?'}`;
  }
  return step.name || '';
}

/**
 * Draws the definition. options: {run: instance view, stats: statistics answer, diff: Map stepId → change}.
 * Returns the <svg> element.
 */
export function drawDiagram(definition, options = {}) {
  const runSteps = new Map(((options.run && options.run.steps) || []).map(s => [s.stepId, s]));
  const stats = (options.stats && options.stats.steps) || {};
  const diff = options.diff || new Map();
  const seq = measureSeq(definition.steps);
  const width = Math.max(seq.w, NODE_W) + 2 * MARGIN;
  const root = el('g');
  const cx = width / 2;
  let y = MARGIN;

  // the trigger
  const trigger = definition.trigger || {};
  const t = el('g', {class: 'node trigger', 'data-step-id': '$trigger', tabindex: 0, role: 'img',
    'aria-label': `Trigger ${trigger.type || ''}`});
  t.append(el('rect', {x: cx - NODE_W / 2, y, width: NODE_W, height: 48, rx: 24}));
  t.append(el('text', {x: cx, y: y + 20, class: 'title', 'text-anchor': 'middle'}, cut(`When ${trigger.type || '?'}`, 30)));
  t.append(el('text', {x: cx, y: y + 37, class: 'sub', 'text-anchor': 'middle'},
    cut(trigger.condition ? `if ${trigger.condition}` : 'any trigger of this type', 34)));
  t.append(el('title', {}, `Trigger: ${trigger.type || ''}${trigger.condition ? `\nCondition: ${trigger.condition}` : ''}`));
  if (options.run) {
    t.classList.add('ran');
  }
  root.append(t);
  const firstId = seq.items.length ? seq.items[0].step.id : null;
  const startTaken = options.run && firstId && runSteps.has(firstId);
  y += 48;
  root.append(el('path', {d: `M${cx},${y} V${y + GAP_Y}`, class: `edge seq${startTaken ? ' taken' : ''}`,
    'data-from': '$trigger', 'data-to': firstId ?? '$end'}));
  y += GAP_Y;
  const bottom = placeSeq(root, seq, cx, y, {runSteps, stats, diff, run: options.run});
  // the end
  const lastId = seq.items.length ? seq.items[seq.items.length - 1].step.id : '$trigger';
  const ended = options.run && options.run.status !== 'running';
  root.append(el('path', {d: `M${cx},${bottom} V${bottom + GAP_Y}`,
    class: `edge seq${ended && runSteps.has(lastId) ? ' taken' : ''}`, 'data-from': lastId, 'data-to': '$end'}));
  const end = el('g', {class: `node end${ended ? ' ran' : ''}`, 'data-step-id': '$end'});
  end.append(el('circle', {cx, cy: bottom + GAP_Y + 14, r: 14}));
  end.append(el('text', {x: cx, y: bottom + GAP_Y + 18, 'text-anchor': 'middle', class: 'sub'}, 'End'));
  root.append(end);
  const height = bottom + GAP_Y + 28 + MARGIN;
  const svg = el('svg', {class: 'diagram', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-label': `Diagram of ${definition.name || 'the workflow'}`});
  svg.append(root);
  return svg;
}

function placeSeq(root, seq, cx, y, ctx) {
  seq.items.forEach((item, i) => {
    if (i > 0) {
      const prev = seq.items[i - 1].step.id;
      const taken = ctx.run && ctx.runSteps.has(prev) && ctx.runSteps.has(item.step.id);
      root.append(el('path', {d: `M${cx},${y - GAP_Y} V${y}`, class: `edge seq${taken ? ' taken' : ''}`,
        'data-from': prev, 'data-to': item.step.id}));
    }
    y = placeStep(root, item, cx, y, ctx) + (i < seq.items.length - 1 ? GAP_Y : 0);
  });
  return y;
}

function placeStep(root, item, cx, y, ctx) {
  const step = item.step;
  const ran = ctx.runSteps.get(step.id);
  const kind = ['Split', 'Decision', 'Delay'].includes(step.action) ? step.action.toLowerCase() : 'action';
  const classes = ['node', `kind-${kind}`];
  if (ran) {
    classes.push('ran', `status-${ran.status}`);
  }
  const change = ctx.diff.get(step.id);
  if (change) {
    classes.push(`diff-${change}`);
  }
  const g = el('g', {class: classes.join(' '), 'data-step-id': step.id, tabindex: 0, role: 'img',
    'aria-label': `Step ${step.id}, ${step.action}${ran ? `, ${ran.status}${ran.path ? `, path ${ran.path}` : ''}` : ''}`});
  const x = cx - NODE_W / 2;
  g.append(el('rect', {x, y, width: NODE_W, height: NODE_H, rx: kind === 'action' ? 6 : 16}));
  g.append(el('text', {x: x + 10, y: y + 18, class: 'title'}, cut(step.id, 28)));
  g.append(el('text', {x: x + 10, y: y + 34, class: 'action'}, cut(step.action, 30)));
  g.append(el('text', {x: x + 10, y: y + 49, class: 'sub'}, cut(stepSummary(step), 32)));
  const counts = ctx.stats[step.id];
  const countLine = counts ? Object.entries(counts.paths || {}).map(([p, n]) => `${p} ${n}`).join(' · ') : '';
  if (ran) {
    g.append(el('text', {x: x + 10, y: y + 62, class: 'runinfo'},
      cut(`${ran.status}${ran.path ? ` → ${ran.path}` : ''}${ran.attempts > 1 ? ` (${ran.attempts} attempts)` : ''}`, 32)));
  } else if (countLine) {
    g.append(el('text', {x: x + 10, y: y + 62, class: 'counts', 'data-counts': step.id}, cut(countLine, 34)));
  }
  g.append(el('title', {}, [`${step.id} (${step.action})`, step.name, JSON.stringify(step.config || {}),
    countLine && `runs by path: ${countLine}`, counts && counts.p50Ms != null && `p50 ${counts.p50Ms} ms, p95 ${counts.p95Ms} ms`,
    ran && `this run: ${ran.status}${ran.path ? `, path ${ran.path}` : ''}`].filter(Boolean).join('\n')));
  root.append(g);
  if (item.branches.length === 0) {
    return y + NODE_H;
  }
  const top = y + NODE_H;
  const split = top + GAP_Y / 2;
  const rowTop = top + GAP_Y + LABEL_H;
  const tallest = Math.max(...item.branches.map(b => (b.seq.items.length ? b.seq.h : 0)));
  const join = rowTop + tallest + GAP_Y / 2;
  const row = item.branches.reduce((sum, b) => sum + b.seq.w, 0) + GAP_X * (item.branches.length - 1);
  let bx = cx - row / 2;
  for (const b of item.branches) {
    const bcx = bx + b.seq.w / 2;
    const taken = branchTaken(step, b, ran, ctx);
    const bg = el('g', {class: `branch${taken ? ' taken' : ''}${ran && !taken ? ' not-taken' : ''}`,
      'data-step-id': step.id, 'data-path': b.path});
    const seqBottom = b.seq.items.length ? rowTop + b.seq.h : rowTop;
    bg.append(el('path', {class: 'edge', d: `M${cx},${top} V${split} H${bcx} V${rowTop}`}));
    bg.append(el('path', {class: 'edge', d: `M${bcx},${seqBottom} V${join} H${cx}`}));
    const n = stepStatsCount(ctx, step, b);
    const label = [b.label, b.note, n != null ? `· ${n}` : null].filter(Boolean).join(' ');
    bg.append(el('text', {x: bcx, y: rowTop - 8, class: 'branch-label', 'text-anchor': 'middle'}, cut(label, 26)));
    if (b.when) {
      bg.append(el('title', {}, `${b.label}: when ${b.when}`));
    }
    if (n != null) {
      bg.setAttribute('data-count', String(n));
    }
    root.append(bg);
    if (b.seq.items.length) {
      placeSeq(root, b.seq, bcx, rowTop, ctx);
    }
    bx += b.seq.w + GAP_X;
  }
  return join;
}

/** Did the run take this branch: the step's path is its name (a Split: the branch ran or is recorded taken). */
function branchTaken(step, branch, ran, ctx) {
  if (!ran) {
    return false;
  }
  if (step.action === 'Split') {
    const recorded = ran.outputs && Array.isArray(ran.outputs.branches) ? ran.outputs.branches[branch.index] : null;
    return recorded === 'taken' || branch.steps.some(s => s && ctx.runSteps.has(s.id));
  }
  return ran.path === branch.path;
}

function stepStatsCount(ctx, step, branch) {
  const counts = ctx.stats[step.id];
  if (!counts || step.action === 'Split') {
    return null;
  }
  return (counts.paths || {})[branch.path] ?? 0;
}

function own(step) {
  // what a step itself says, without the steps it leads to (their changes are theirs)
  const paths = Object.keys(step.paths || {}).sort();
  const branches = step.action === 'Split' ? (step.branches || []).map(b => (b && !Array.isArray(b) ? b.when : null)) : undefined;
  return stable({name: step.name, action: step.action, config: step.config || {}, timeout: step.timeout, paths, branches});
}

function stable(value) {
  if (Array.isArray(value)) {
    return `[${value.map(stable).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}:${stable(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Per step id: added (only in `to`), removed (only in `from`), changed (its own settings differ); rest unchanged. */
export function diffDefinitions(from, to) {
  const a = new Map(allSteps(from).map(e => [e.step.id, e]));
  const b = new Map(allSteps(to).map(e => [e.step.id, e]));
  const out = [];
  for (const [id, e] of b) {
    if (!a.has(id)) {
      out.push({stepId: id, change: 'added', where: e.where, action: e.step.action});
    } else if (own(a.get(id).step) !== own(e.step) || a.get(id).where !== e.where) {
      out.push({stepId: id, change: 'changed', where: e.where, action: e.step.action,
        fields: changedFields(a.get(id).step, e.step, a.get(id).where !== e.where)});
    }
  }
  for (const [id, e] of a) {
    if (!b.has(id)) {
      out.push({stepId: id, change: 'removed', where: e.where, action: e.step.action});
    }
  }
  const trig = stable(from.trigger || {}) !== stable(to.trigger || {});
  return {steps: out, trigger: trig, name: from.name !== to.name};
}

function changedFields(x, y, moved) {
  const fields = [];
  for (const f of ['name', 'action', 'timeout']) {
    if (stable(x[f]) !== stable(y[f])) {
      fields.push(f);
    }
  }
  const cx = x.config || {};
  const cy = y.config || {};
  for (const k of new Set([...Object.keys(cx), ...Object.keys(cy)])) {
    if (stable(cx[k]) !== stable(cy[k])) {
      fields.push(`config.${k}`);
    }
  }
  if (stable(Object.keys(x.paths || {}).sort()) !== stable(Object.keys(y.paths || {}).sort())) {
    fields.push('paths');
  }
  if (moved) {
    fields.push('position');
  }
  return fields;
}
