// The console calls the same admin API curl does, with the signed-in key as `Authorization: Bearer`. The key stays
// in this tab's sessionStorage (gone when the tab closes; never in a cookie, never sent anywhere else).

const SESSION = 'engageflow.console.session';
let config = null;

/** {key, workspace, role, operator} of the signed-in key, or null. */
export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION) || 'null');
  } catch {
    return null;
  }
}

export function saveSession(s) {
  sessionStorage.setItem(SESSION, JSON.stringify(s));
}

export function signOut() {
  sessionStorage.removeItem(SESSION);
}

export function isAdmin() {
  const s = session();
  return !!s && s.role === 'admin';
}

/** An answer that is not 2xx: its status and the API's {error, message, details}. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }

  /** What to tell the user. */
  describe() {
    if (this.status === 401) {
      return `Not signed in (401): ${this.message}. Sign in again with a valid key.`;
    }
    if (this.status === 403) {
      return `Forbidden (403): ${this.message}`;
    }
    if (this.status === 0) {
      return this.message;
    }
    return `${this.body.error || 'error'} (${this.status}): ${this.message}`;
  }
}

/** The console's configuration from the orchestrator: {integrationUrl}. */
export async function consoleConfig() {
  if (!config) {
    const r = await fetch('config.json', {cache: 'no-store'});
    config = r.ok ? await r.json() : {integrationUrl: 'http://localhost:8084'};
  }
  return config;
}

/**
 * Calls the API: `path` below /api (`/workspaces/{ws}/…` or `/whoami`), on the orchestrator unless `base` says
 * another service. Resolves to the parsed JSON (null for 204); rejects with ApiError.
 */
export async function api(method, path, body, {base = '', key} = {}) {
  const s = session();
  const token = key || (s && s.key);
  const headers = {Accept: 'application/json'};
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`${base}/api${path}`, {method, headers, body: payload, cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, {error: 'unreachable', message: `${base || 'the orchestrator'} could not be reached (${e.message})`});
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = {message: text};
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, json);
  }
  return json;
}

/** The signed-in workspace's API path: ws('/workflows') → /workspaces/acme/workflows. */
export function ws(path) {
  return `/workspaces/${encodeURIComponent(session().workspace)}${path}`;
}
