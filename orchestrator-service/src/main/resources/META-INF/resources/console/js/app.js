// The admin console: hash routes over the admin API (api.js), diagrams (diagram.js), the definition editor with
// the validator's errors at their lines (jsonpos.js). Admin-only controls are not shown to a reader key.

import {api, ApiError, consoleConfig, isAdmin, saveSession, session, signOut, ws} from './api.js';
import {diffDefinitions, drawDiagram} from './diagram.js';
import {locate, positions} from './jsonpos.js';

const PROVIDERS = ['salesforce', 'mailchimp', 'braze', 'localcard', 'thuzi'];
const STATUSES = ['running', 'completed', 'failed', 'cancelled'];
const view = document.getElementById('view');
const message = document.getElementById('message');
let cleanup = () => {};

// ---- small DOM helpers (text is always set as text, never as HTML)

function h(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k === 'class') {
      e.className = v;
    } else if (k === 'text') {
      e.textContent = v;
    } else if (k.startsWith('on')) {
      e.addEventListener(k.slice(2), v);
    } else if (k === 'value') {
      e.value = v;
    } else {
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) {
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  return e;
}

function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', {class: 'field'}, h('label', {for: id, text: label}), control,
    hint ? h('small', {class: 'hint', text: hint}) : null);
}

function badge(status) {
  return h('span', {class: `badge status-${status}`, text: status});
}

function when(t) {
  return t ? new Date(t).toLocaleString() : '';
}

function duration(a, b) {
  if (!a) {
    return '';
  }
  const ms = (b ? new Date(b) : new Date()) - new Date(a);
  if (ms < 1000) {
    return `${ms} ms`;
  }
  return ms < 120000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60000)} min`;
}

function show(text, kind = 'error') {
  message.textContent = text;
  message.className = `message ${kind}`;
  message.hidden = !text;
}

function showError(e) {
  show(e instanceof ApiError ? e.describe() : String(e.message || e));
  if (e instanceof ApiError && e.status === 401) {
    signOut();
    renderHeader();
  }
}

function button(text, onclick, props = {}) {
  return h('button', {type: 'button', onclick, ...props}, text);
}

/** An admin-only control: shown to admin keys only (a reader sees the state, not the lever). */
function adminOnly(node) {
  return isAdmin() ? node : null;
}

/** Runs an admin action; a 403 (or any refusal) is shown, success re-renders. */
async function act(what, call, after) {
  try {
    await call();
    await after();
    show(`${what}: done`, 'ok');
  } catch (e) {
    showError(e);
  }
}

function query(hashQuery) {
  return Object.fromEntries(new URLSearchParams(hashQuery || ''));
}

function go(hash) {
  if (location.hash === hash) {
    route();
  } else {
    location.hash = hash;
  }
}

// ---- header, sign-in, routing

function renderHeader() {
  const s = session();
  const who = document.getElementById('who');
  const nav = document.getElementById('nav');
  who.replaceChildren();
  nav.hidden = !s;
  if (s) {
    who.append(h('span', {class: 'workspace', title: 'workspace'}, s.workspace), ' ',
      h('span', {class: `badge role-${s.role}`, id: 'role', text: s.operator ? 'operator' : s.role}), ' ',
      button('Sign out', () => {
        signOut();
        show('');
        renderHeader();
        go('#/signin');
      }, {id: 'signout'}));
  }
}

function renderSignIn() {
  const key = h('input', {type: 'password', id: 'apikey', autocomplete: 'off', required: true, spellcheck: 'false',
    placeholder: 'efk_…'});
  const workspace = h('input', {type: 'text', id: 'signin-workspace', autocomplete: 'off'});
  const wsField = field('Workspace (the operator key belongs to none)', workspace);
  wsField.hidden = true;
  const form = h('form', {class: 'card signin', 'aria-labelledby': 'signin-title'},
    h('h1', {id: 'signin-title', text: 'Sign in'}),
    h('p', {text: 'Paste an API key of your workspace: an admin key may change workflows and connected apps, a reader key sees them. '
        + 'The key stays in this tab only.'}),
    field('API key', key, 'Locally: deploy/local/.run/api-key (made by deploy/local/run.sh)'), wsField,
    h('button', {type: 'submit', id: 'signin'}, 'Sign in'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const me = await api('GET', '/whoami', undefined, {key: key.value.trim()});
      if (me.operator && !workspace.value.trim()) {
        wsField.hidden = false;
        workspace.focus();
        show('This is the operator key: name the workspace to look at.', 'info');
        return;
      }
      saveSession({key: key.value.trim(), workspace: me.operator ? workspace.value.trim() : me.workspace,
        role: me.role, operator: me.operator});
      show('');
      renderHeader();
      go('#/workflows');
    } catch (e) {
      show(e instanceof ApiError && e.status === 403
        ? `Forbidden (403): this key may not use the console (${e.message})` : (e.describe ? e.describe() : String(e)));
    }
  });
  view.replaceChildren(form);
  key.focus();
}

async function route() {
  cleanup();
  cleanup = () => {};
  show('');
  const [path, q] = (location.hash.slice(1) || '/workflows').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  renderHeader();
  if (!session()) {
    renderSignIn();
    return;
  }
  document.querySelectorAll('#nav a').forEach(a => a.toggleAttribute('aria-current',
    a.getAttribute('href').slice(2).split('/')[0] === (parts[0] || 'workflows').replace(/^(workflow|edit)$/, 'workflows').replace(/^run$/, 'runs')));
  view.replaceChildren(h('p', {class: 'loading', text: 'Loading…'}));
  try {
    switch (parts[0] || 'workflows') {
      case 'workflows': return await renderWorkflows();
      case 'workflow': return await renderWorkflow(parts[1], query(q));
      case 'edit': return await renderEditor(parts[1], query(q));
      case 'runs': return await renderRuns(query(q));
      case 'run': return await renderRun(parts[1]);
      case 'apps': return await renderApps();
      default: return await renderWorkflows();
    }
  } catch (e) {
    showError(e);
    view.replaceChildren(h('p', {class: 'empty', text: 'This page could not be shown.'}));
  }
}

// ---- 1. workflows

const STATUS_ACTIONS = {
  activate: s => s !== 'active' && s !== 'paused',
  deactivate: s => s === 'active' || s === 'paused',
  pause: s => s === 'active',
  resume: s => s === 'paused',
};

function statusButtons(wf, after) {
  if (!isAdmin()) {
    return [];
  }
  return Object.entries(STATUS_ACTIONS).filter(([, ok]) => ok(wf.status)).map(([verb]) =>
    button(verb[0].toUpperCase() + verb.slice(1), () => act(`${verb} ${wf.id}`,
      () => api('POST', ws(`/workflows/${encodeURIComponent(wf.id)}/${verb}`)), after),
    {'aria-label': `${verb} ${wf.name || wf.id}`, 'data-action': verb, class: 'small'}));
}

async function renderWorkflows() {
  const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  const [list, counts] = await Promise.all([api('GET', ws('/workflows')),
    api('GET', ws(`/instances/counts?from=${encodeURIComponent(since)}`)).catch(() => ({workflows: {}}))]);
  const rows = list.map(wf => {
    const byStatus = counts.workflows[wf.id] || {};
    const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
    return h('tr', {'data-workflow-id': wf.id},
      h('td', {}, h('a', {href: `#/workflow/${encodeURIComponent(wf.id)}`}, wf.name || wf.id),
        h('div', {class: 'muted mono', text: wf.id})),
      h('td', {class: 'mono', text: wf.triggerType}),
      h('td', {}, badge(wf.status)),
      h('td', {class: 'num', text: `v${wf.latestVersion}`}),
      h('td', {class: 'num runs24', title: STATUSES.map(s => `${s}: ${byStatus[s] || 0}`).join(', ')},
        h('a', {href: `#/runs?workflow=${encodeURIComponent(wf.id)}&from=${encodeURIComponent(since)}`}, String(total))),
      h('td', {class: 'actions'}, statusButtons(wf, route)));
  });
  view.replaceChildren(
    h('div', {class: 'page-head'}, h('h1', {text: 'Workflows'}),
      adminOnly(h('a', {class: 'button', href: '#/edit/new', id: 'new-workflow'}, 'New workflow'))),
    isAdmin() ? null : h('p', {class: 'info', id: 'read-only', text: 'Read-only: this is a reader key.'}),
    list.length === 0 ? h('p', {class: 'empty', text: 'No workflows yet.'}) :
      h('div', {class: 'table-wrap'}, h('table', {id: 'workflows'},
        h('caption', {class: 'sr-only', text: 'Workflows of the workspace'}),
        h('thead', {}, h('tr', {}, ['Name', 'Trigger', 'Status', 'Version', 'Runs (24 h)', ''].map(t =>
          h('th', {scope: 'col', text: t})))),
        h('tbody', {}, rows))));
}

// ---- 2. a workflow: diagram, versions, diff, statistics (6)

async function renderWorkflow(id, q) {
  const wfPath = `/workflows/${encodeURIComponent(id)}`;
  const latest = await api('GET', ws(wfPath));
  const v = Number(q.v || latest.latestVersion);
  const compare = q.compare ? Number(q.compare) : null;
  const showStats = q.stats !== 'off';
  const [version, other, stats] = await Promise.all([
    v === latest.version ? latest : api('GET', ws(`${wfPath}/versions/${v}`)),
    compare ? api('GET', ws(`${wfPath}/versions/${compare}`)) : null,
    showStats ? api('GET', ws(`${wfPath}/stats?version=${v}`)).catch(() => null) : null]);
  const nav = (changes) => {
    const next = {v, compare, stats: showStats ? null : 'off', ...changes};
    const p = new URLSearchParams(Object.entries(next).filter(([, x]) => x !== null && x !== undefined && x !== ''));
    go(`#/workflow/${encodeURIComponent(id)}?${p}`);
  };
  const versions = Array.from({length: latest.latestVersion}, (_, i) => latest.latestVersion - i);
  const versionSelect = h('select', {id: 'version', onchange: e => nav({v: e.target.value})},
    versions.map(n => h('option', {value: n, selected: n === v}, `v${n}${n === latest.latestVersion ? ' (latest)' : ''}`)));
  const compareSelect = h('select', {id: 'compare', onchange: e => nav({compare: e.target.value || null})},
    h('option', {value: ''}, 'nothing'),
    versions.filter(n => n !== v).map(n => h('option', {value: n, selected: n === compare}, `v${n}`)));
  const statsBox = h('input', {type: 'checkbox', id: 'show-stats', checked: showStats,
    onchange: e => nav({stats: e.target.checked ? null : 'off'})});
  let diffSection = null;
  let diffMap = new Map();
  if (other) {
    const d = diffDefinitions(other.definition, version.definition);
    diffMap = new Map(d.steps.filter(s => s.change !== 'removed').map(s => [s.stepId, s.change]));
    diffSection = h('section', {id: 'diff', 'aria-labelledby': 'diff-title'},
      h('h2', {id: 'diff-title', text: `Changes from v${compare} to v${v}`}),
      d.steps.length === 0 && !d.trigger && !d.name ? h('p', {class: 'empty', text: 'No step changed.'}) : null,
      d.name ? h('p', {text: `Name: “${other.definition.name}” → “${version.definition.name}”`}) : null,
      d.trigger ? h('p', {class: 'diff-trigger', text: `Trigger: ${JSON.stringify(other.definition.trigger)} → ${JSON.stringify(version.definition.trigger)}`}) : null,
      d.steps.length ? h('div', {class: 'table-wrap'}, h('table', {},
        h('thead', {}, h('tr', {}, ['Step', 'Change', 'Action', 'Where', 'What changed'].map(t => h('th', {scope: 'col', text: t})))),
        h('tbody', {}, d.steps.map(s => h('tr', {class: `diff-${s.change}`, 'data-step-id': s.stepId},
          h('td', {class: 'mono', text: s.stepId}), h('td', {}, h('span', {class: `badge diff-${s.change}`, text: s.change})),
          h('td', {text: s.action}), h('td', {class: 'mono', text: s.where}),
          h('td', {text: (s.fields || []).join(', ')})))))) : null);
  }
  const counts = stats ? stats.instances : null;
  view.replaceChildren(
    h('div', {class: 'page-head'},
      h('h1', {}, version.name || id, ' ', badge(latest.status)),
      h('div', {class: 'actions'}, statusButtons(latest, route),
        adminOnly(h('a', {class: 'button', href: `#/edit/${encodeURIComponent(id)}`, id: 'edit'}, 'Edit')),
        h('a', {class: 'button secondary', href: `#/runs?workflow=${encodeURIComponent(id)}`}, 'Runs'))),
    h('p', {class: 'muted'}, h('span', {class: 'mono', text: id}), ` · trigger ${latest.triggerType}`,
      version.definition.trigger && version.definition.trigger.condition ? ` if ${version.definition.trigger.condition}` : '',
      ` · showing v${v} of ${latest.latestVersion}`),
    h('div', {class: 'toolbar'}, field('Version', versionSelect), field('Compare with', compareSelect),
      h('div', {class: 'field check'}, statsBox, h('label', {for: 'show-stats', text: 'Counts per path (statistics)'}))),
    counts ? h('p', {class: 'stats-line', id: 'stats-line'}, `Runs of v${v}: `,
      STATUSES.map(s => h('span', {class: `stat status-${s}`}, `${s} ${counts[s] ?? 0}`))) : null,
    h('div', {class: 'diagram-wrap', id: 'diagram'},
      drawDiagram(version.definition, {stats: showStats ? stats : null, diff: diffMap})),
    diffSection,
    stats && stats.recentFailures && stats.recentFailures.length ? h('section', {},
      h('h2', {text: 'Recent failures'}), h('ul', {class: 'failures'}, stats.recentFailures.map(f =>
        h('li', {}, h('a', {href: `#/run/${encodeURIComponent(f.instanceId)}`}, when(f.at)), ` ${f.stepId}: ${f.code} ${f.message || ''}`)))) : null);
}

// ---- 3. the editor

async function renderEditor(id, q) {
  if (!isAdmin()) {
    show('Forbidden (403): editing definitions needs an admin key; this is a reader key.');
    view.replaceChildren(h('p', {class: 'empty', text: 'Read-only key: nothing to edit here.'}));
    return;
  }
  const creating = !id || id === 'new';
  const examples = await fetch('examples/index.json').then(r => r.json()).catch(() => []);
  let text = '';
  let latest = null;
  if (creating) {
    text = q.example ? await fetch(`examples/${encodeURIComponent(q.example)}`).then(r => r.text())
      : JSON.stringify({name: 'New workflow', trigger: {type: 'DataCaptured'},
        steps: [{id: 'first', action: 'ContactAddToList', config: {list: 'Everyone'}}]}, null, 2);
  } else {
    latest = await api('GET', ws(`/workflows/${encodeURIComponent(id)}`));
    text = JSON.stringify(latest.definition, null, 2);
  }
  const area = h('textarea', {id: 'definition', spellcheck: 'false', autocomplete: 'off', wrap: 'off',
    'aria-describedby': 'validation', rows: 28});
  area.value = text;
  const gutter = h('div', {class: 'gutter', 'aria-hidden': 'true'});
  const marks = h('div', {class: 'marks', 'aria-hidden': 'true'});
  const status = h('p', {id: 'validation', role: 'status', 'aria-live': 'polite', class: 'validation'});
  const errorList = h('ul', {id: 'errors', class: 'errors'});
  const preview = h('div', {class: 'diagram-wrap', id: 'preview'});
  const idInput = h('input', {type: 'text', id: 'workflow-id', pattern: '[A-Za-z0-9_-]{1,100}', autocomplete: 'off'});
  const exampleSelect = h('select', {id: 'example', onchange: e => go(`#/edit/new?example=${encodeURIComponent(e.target.value)}`)},
    h('option', {value: ''}, '—'), examples.map(x => h('option', {value: x.file, selected: x.file === q.example},
      `${x.name} (${x.trigger})`)));
  const lineHeight = 18;

  const drawGutter = (errorLines, stepLines) => {
    const lines = area.value.split('\n').length;
    gutter.replaceChildren(...Array.from({length: lines}, (_, i) => h('div', {
      class: errorLines.has(i + 1) ? 'err' : stepLines.has(i + 1) ? 'step-err' : '', 'data-line': i + 1}, String(i + 1))));
    marks.replaceChildren(...[...new Set([...errorLines, ...stepLines])].map(line => h('div', {
      class: errorLines.has(line) ? 'mark err' : 'mark step-err', 'data-line': line,
      style: `top:${(line - 1) * lineHeight + 6}px`})));
    syncScroll();
  };
  const syncScroll = () => {
    gutter.scrollTop = area.scrollTop;
    marks.style.transform = `translateY(${-area.scrollTop}px)`;
  };
  const goToLine = (line) => {
    const lines = area.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || '').length);
    area.scrollTop = Math.max(0, (line - 5) * lineHeight);
    syncScroll();
  };
  const showErrors = (errors) => {
    const current = area.value;
    const parsed = positions(current);
    const errorLines = new Set();
    const stepLines = new Set();
    errorList.replaceChildren(...errors.map(err => {
      const at = locate(current, parsed, err.path);
      errorLines.add(at.line);
      if (at.stepLine) {
        stepLines.add(at.stepLine);
      }
      return h('li', {class: 'error', 'data-path': err.path, 'data-line': at.line},
        button(`line ${at.line}`, () => goToLine(at.line), {class: 'link', 'aria-label': `Go to line ${at.line}`}),
        ' ', h('code', {class: 'path', text: err.path}), ' ', h('span', {text: err.message}),
        at.stepPath && at.stepLine !== at.line ? h('span', {class: 'muted', text: ` (step at line ${at.stepLine})`}) : null);
    }));
    drawGutter(errorLines, stepLines);
    status.textContent = errors.length ? `${errors.length} error${errors.length > 1 ? 's' : ''}` : 'Valid';
    status.className = `validation ${errors.length ? 'invalid' : 'valid'}`;
    if (parsed.ok) {
      try {
        preview.replaceChildren(drawDiagram(JSON.parse(current)));
      } catch {
        // a shape the diagram cannot draw yet: the errors say why
      }
    }
  };
  let sequence = 0;
  let timer = null;
  const validate = async () => {
    const mine = ++sequence;
    const current = area.value;
    const parsed = positions(current);
    if (!parsed.ok) {
      showErrors([{path: '$', message: `not JSON: ${parsed.error.message}`}]);
      return;
    }
    try {
      const answer = await api('POST', ws('/workflows/validate'), current);
      if (mine === sequence) {
        showErrors(answer.errors || []);
      }
    } catch (e) {
      showError(e);
    }
  };
  area.addEventListener('input', () => {
    clearTimeout(timer);
    status.textContent = 'Checking…';
    timer = setTimeout(validate, 400);
  });
  area.addEventListener('scroll', syncScroll);
  cleanup = () => clearTimeout(timer);
  const save = async () => {
    try {
      let saved;
      if (creating) {
        let body = area.value;
        if (idInput.value.trim()) {
          const parsed = JSON.parse(body);
          body = JSON.stringify({id: idInput.value.trim(), ...parsed});
        }
        saved = await api('POST', ws('/workflows'), body);
      } else {
        saved = await api('PUT', ws(`/workflows/${encodeURIComponent(id)}`), area.value);
      }
      go(`#/workflow/${encodeURIComponent(saved.id)}`);
      setTimeout(() => show(`Saved ${saved.id} v${saved.version}`, 'ok'), 0);
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.body.errors) {
        showErrors(e.body.errors);
        show('Not saved: the definition is not valid (see the errors below).');
      } else if (e instanceof SyntaxError) {
        show(`Not saved: ${e.message}`);
      } else {
        showError(e);
      }
    }
  };
  view.replaceChildren(
    h('div', {class: 'page-head'}, h('h1', {text: creating ? 'New workflow' : `Edit ${latest.name || id}`}),
      h('div', {class: 'actions'}, button(creating ? 'Create (draft)' : `Save as v${latest.latestVersion + 1}`, save, {id: 'save'}),
        creating ? null : h('a', {class: 'button secondary', href: `#/workflow/${encodeURIComponent(id)}`}, 'Cancel'))),
    creating ? h('div', {class: 'toolbar'}, field('Start from a reference example', exampleSelect),
      field('Workflow id (optional)', idInput, 'letters, digits, - and _; made up when empty')) : null,
    h('div', {class: 'editor-grid'},
      h('div', {},
        h('label', {for: 'definition', text: 'Definition (JSON)'}),
        h('div', {class: 'editor'}, gutter, h('div', {class: 'text'}, marks, area)),
        status, errorList),
      h('div', {}, h('h2', {text: 'Preview'}), preview)));
  validate();
}

// ---- 4. runs

async function renderRuns(q) {
  const workflows = await api('GET', ws('/workflows'));
  const localInput = iso => (iso ? new Date(new Date(iso).getTime() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16) : '');
  const status = h('select', {id: 'filter-status'}, h('option', {value: ''}, 'any'),
    STATUSES.map(s => h('option', {value: s, selected: q.status === s}, s)));
  const workflow = h('select', {id: 'filter-workflow'}, h('option', {value: ''}, 'any'),
    workflows.map(w => h('option', {value: w.id, selected: q.workflow === w.id}, w.name || w.id)));
  const contact = h('input', {type: 'text', id: 'filter-contact', value: q.contact || '', autocomplete: 'off'});
  const from = h('input', {type: 'datetime-local', id: 'filter-from', value: localInput(q.from)});
  const to = h('input', {type: 'datetime-local', id: 'filter-to', value: localInput(q.to)});
  const live = h('input', {type: 'checkbox', id: 'live', checked: q.live !== 'off'});
  const liveState = h('span', {class: 'muted', id: 'live-state', role: 'status'});
  const tbody = h('tbody', {});
  const form = h('form', {class: 'toolbar filters', 'aria-label': 'Filter runs'},
    field('Status', status), field('Workflow', workflow), field('Contact id', contact),
    field('Started from', from), field('Started before', to),
    h('button', {type: 'submit', id: 'apply'}, 'Apply'),
    h('div', {class: 'field check'}, live, h('label', {for: 'live', text: 'Live'})), liveState);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const p = new URLSearchParams();
    if (status.value) p.set('status', status.value);
    if (workflow.value) p.set('workflow', workflow.value);
    if (contact.value.trim()) p.set('contact', contact.value.trim());
    if (from.value) p.set('from', new Date(from.value).toISOString());
    if (to.value) p.set('to', new Date(to.value).toISOString());
    if (!live.checked) p.set('live', 'off');
    go(`#/runs?${p}`);
  });
  const names = new Map(workflows.map(w => [w.id, w.name || w.id]));
  let timer = null;
  let stopped = false;
  const load = async () => {
    const p = new URLSearchParams({limit: '100'});
    if (q.status) p.set('status', q.status);
    if (q.workflow) p.set('workflowId', q.workflow);
    if (q.contact) p.set('contactId', q.contact);
    if (q.from) p.set('from', q.from);
    if (q.to) p.set('to', q.to);
    try {
      const runs = await api('GET', ws(`/instances?${p}`));
      if (stopped) {
        return;
      }
      tbody.replaceChildren(...runs.map(r => h('tr', {'data-instance-id': r.id, 'data-status': r.status},
        h('td', {}, h('a', {href: `#/run/${encodeURIComponent(r.id)}`}, when(r.startedAt))),
        h('td', {}, names.get(r.workflowId) || r.workflowId, h('span', {class: 'muted', text: ` v${r.version}`})),
        h('td', {class: 'mono', text: r.contactId}),
        h('td', {}, badge(r.status)),
        h('td', {class: 'num', text: String(r.steps.length)}),
        h('td', {class: 'num', text: duration(r.startedAt, r.endedAt)}))));
      if (runs.length === 0) {
        tbody.replaceChildren(h('tr', {}, h('td', {colspan: 6, class: 'empty', text: 'No runs match.'})));
      }
      const running = runs.some(r => r.status === 'running');
      if (live.checked) {
        liveState.textContent = `updated ${new Date().toLocaleTimeString()}${running ? ' · refreshing every 3 s' : ' · every 10 s'}`;
        timer = setTimeout(load, running ? 3000 : 10000);
      } else {
        liveState.textContent = '';
      }
    } catch (e) {
      showError(e);
    }
  };
  live.addEventListener('change', () => {
    clearTimeout(timer);
    load();
  });
  cleanup = () => {
    stopped = true;
    clearTimeout(timer);
  };
  view.replaceChildren(h('div', {class: 'page-head'}, h('h1', {text: 'Runs'})), form,
    h('div', {class: 'table-wrap'}, h('table', {id: 'runs'},
      h('thead', {}, h('tr', {}, ['Started', 'Workflow', 'Contact', 'Status', 'Steps', 'Duration'].map(t =>
        h('th', {scope: 'col', text: t})))), tbody)));
  await load();
}

// ---- 5. a run

async function renderRun(id) {
  let timer = null;
  let stopped = false;
  cleanup = () => {
    stopped = true;
    clearTimeout(timer);
  };
  let definition = null;
  const draw = async () => {
    const run = await api('GET', ws(`/instances/${encodeURIComponent(id)}`));
    if (stopped) {
      return;
    }
    if (!definition) {
      definition = (await api('GET', ws(`/workflows/${encodeURIComponent(run.workflowId)}/versions/${run.version}`))).definition;
    }
    const reload = () => {
      clearTimeout(timer);
      draw().catch(showError);
    };
    const actions = isAdmin() ? [
      run.status === 'running' ? button('Cancel run', () => act('cancel', () => api('POST', ws(`/instances/${encodeURIComponent(id)}/cancel`)), reload), {id: 'cancel', class: 'danger'}) : null,
      run.status !== 'running' && !run.test ? button('Replay', async () => {
        try {
          const replay = await api('POST', ws(`/instances/${encodeURIComponent(id)}/replay`));
          go(`#/run/${encodeURIComponent(replay.id)}`);
          setTimeout(() => show(`Replayed as ${replay.id}: ${replay.note}`, 'ok'), 0);
        } catch (e) {
          showError(e);
        }
      }, {id: 'replay', title: 'A new run of the same trigger on the latest version: every step it reaches acts again'}) : null,
      run.status === 'failed' ? button('Retry failed step', () => act('retry step', () => api('POST', ws(`/instances/${encodeURIComponent(id)}/retry-step`)), reload), {id: 'retry-step'}) : null,
    ] : [];
    view.replaceChildren(
      h('div', {class: 'page-head'}, h('h1', {}, 'Run ', h('span', {class: 'mono', text: id}), ' ', badge(run.status)),
        h('div', {class: 'actions'}, actions)),
      h('p', {class: 'muted'}, 'Workflow ', h('a', {href: `#/workflow/${encodeURIComponent(run.workflowId)}?v=${run.version}`}, `${definition.name || run.workflowId} v${run.version}`),
        ` · contact ${run.contactId} · trigger ${run.triggerEventId} · started ${when(run.startedAt)}`,
        run.endedAt ? ` · ended ${when(run.endedAt)} (${duration(run.startedAt, run.endedAt)})` : '',
        run.replayOf ? h('span', {}, ' · replay of ', h('a', {href: `#/run/${encodeURIComponent(run.replayOf)}`}, run.replayOf)) : null,
        run.test ? ' · test run' : ''),
      h('div', {class: 'run-grid'},
        h('section', {'aria-labelledby': 'timeline-title'}, h('h2', {id: 'timeline-title', text: 'Timeline'}),
          h('ol', {class: 'timeline', id: 'timeline'}, run.steps.map(s => h('li', {class: `status-${s.status}`, 'data-step-id': s.stepId, 'data-path': s.path || ''},
            h('div', {class: 'step-head'}, h('strong', {class: 'mono', text: s.stepId}), ' ', h('span', {class: 'muted', text: s.action}), ' ', badge(s.status),
              s.path ? h('span', {class: 'path', text: `→ ${s.path}`}) : null),
            h('div', {class: 'muted'}, `${when(s.startedAt)} · ${duration(s.startedAt, s.endedAt)} · ${s.attempts} attempt${s.attempts === 1 ? '' : 's'}`),
            s.error ? h('div', {class: 'step-error', text: `${s.error.code}: ${s.error.message || ''}`}) : null,
            s.outputs && Object.keys(s.outputs).length ? h('details', {}, h('summary', {text: 'Outputs'}),
              h('pre', {text: JSON.stringify(s.outputs, null, 2)})) : null)))),
        h('section', {'aria-labelledby': 'run-diagram-title'}, h('h2', {id: 'run-diagram-title', text: 'Path taken'}),
          h('div', {class: 'diagram-wrap', id: 'diagram'}, drawDiagram(definition, {run})))));
    if (run.status === 'running') {
      timer = setTimeout(() => draw().catch(showError), 2000);
    }
  };
  await draw();
}

// ---- 7. connected apps

async function renderApps() {
  const {integrationUrl} = await consoleConfig();
  const base = integrationUrl;
  let apps = [];
  let refused = null;
  try {
    apps = await api('GET', ws('/connected-apps'), undefined, {base});
  } catch (e) {
    refused = e;
  }
  const byProvider = new Map(apps.map(a => [a.provider, a]));
  const provider = h('select', {id: 'app-provider'}, PROVIDERS.map(p => h('option', {value: p}, p)));
  const key = h('input', {type: 'password', id: 'app-key', autocomplete: 'new-password', required: true});
  const baseUrl = h('input', {type: 'url', id: 'app-base-url', autocomplete: 'off', placeholder: 'the provider\'s default'});
  const form = h('form', {class: 'card', 'aria-labelledby': 'app-form-title'},
    h('h2', {id: 'app-form-title', text: 'Connect an app or replace its key'}),
    field('Provider', provider), field('API key', key, 'Stored encrypted; never shown again'),
    field('Base URL (optional)', baseUrl), h('button', {type: 'submit', id: 'app-save'}, 'Save'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const body = {apiKey: key.value};
    if (baseUrl.value.trim()) {
      body.baseUrl = baseUrl.value.trim();
    }
    try {
      await api('PUT', ws(`/connected-apps/${provider.value}`), body, {base});
      key.value = '';
      const connected = provider.value;
      await route();
      show(`${connected} connected`, 'ok');
    } catch (e) {
      showError(e);
    }
  });
  view.replaceChildren(
    h('div', {class: 'page-head'}, h('h1', {text: 'Connected apps'})),
    refused ? h('p', {class: 'message error', id: 'apps-refused', role: 'alert',
      text: refused instanceof ApiError ? refused.describe() : String(refused)}) : null,
    refused ? null : h('div', {class: 'table-wrap'}, h('table', {id: 'apps'},
      h('thead', {}, h('tr', {}, ['Provider', 'Connected', 'Base URL', 'Secrets set', 'Updated', ''].map(t => h('th', {scope: 'col', text: t})))),
      h('tbody', {}, PROVIDERS.map(p => {
        const a = byProvider.get(p);
        return h('tr', {'data-provider': p, 'data-connected': a ? 'yes' : 'no'},
          h('td', {class: 'mono', text: p}),
          h('td', {}, a ? h('span', {class: 'badge status-active', text: 'connected'}) : h('span', {class: 'badge', text: 'not connected'})),
          h('td', {class: 'mono', text: a ? a.baseUrl || 'default' : ''}),
          h('td', {text: a && a.secretsSet ? a.secretsSet.join(', ') || 'apiKey' : ''}),
          h('td', {text: a ? when(a.updatedAt) : ''}),
          h('td', {}, a && isAdmin() ? button('Disconnect', () => act(`disconnect ${p}`,
            () => api('DELETE', ws(`/connected-apps/${p}`), undefined, {base}), route), {class: 'small danger', 'aria-label': `Disconnect ${p}`}) : null));
      })))),
    refused ? null : adminOnly(form));
}

window.addEventListener('hashchange', route);
route();
