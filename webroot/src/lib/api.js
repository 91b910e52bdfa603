/**
 * REST calls with the session cookies the server set (HttpOnly: page scripts never see a token).
 * Writes echo the CSRF value of the role they act as; failures arrive as problem+json.
 */
const csrf = { facilitator: null, attendee: null };
/**
 * A call left unanswered this long fails as a lost network does: where packets vanish without a reset, a browser
 * waits minutes before it gives up on its own.
 */
export const TIMEOUT_MS = 30000;

export class ApiError extends Error {
  /** retryAfter: the seconds a 429 or 503 asks to wait, or null. */
  constructor(status, problem, retryAfter = null) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

export function rememberCsrf(role, value) {
  csrf[role] = value ?? null;
}

export async function api(method, path, body, { as = 'facilitator' } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf[as]) headers['X-CSRF-Token'] = csrf[as];
  const url = as === 'attendee' ? withParam(path, 'as', 'attendee') : path;
  const abandon = new AbortController();
  const timer = setTimeout(() => abandon.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: abandon.signal
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
      throw new ApiError(response.status, json, Number.isNaN(retryAfter) ? null : retryAfter);
    }
    return json;
  } finally {
    clearTimeout(timer);
  }
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body ?? {}, options);
export const put = (path, body, options) => api('PUT', path, body, options);
export const patch = (path, body, options) => api('PATCH', path, body, options);
export const del = (path, options) => api('DELETE', path, undefined, options);

/**
 * A multipart upload (the browser sets the multipart Content-Type itself). XMLHttpRequest rather
 * than fetch, because only it reports upload progress: onProgress(fraction) as bytes leave.
 */
export function upload(path, formData, { as = 'facilitator', onProgress } = {}) {
  const url = as === 'attendee' ? withParam(path, 'as', 'attendee') : path;
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.withCredentials = true;
    request.setRequestHeader('Accept', 'application/json, application/problem+json');
    if (csrf[as]) request.setRequestHeader('X-CSRF-Token', csrf[as]);
    if (onProgress) {
      request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    }
    request.onload = () => {
      let json = null;
      try {
        json = request.responseText ? JSON.parse(request.responseText) : null;
      } catch {
        // A proxy's HTML error page: the status alone tells what happened.
      }
      if (request.status >= 200 && request.status < 300) resolve(json);
      else reject(new ApiError(request.status, json));
    };
    request.onerror = () => reject(new TypeError('network'));
    request.send(formData);
  });
}

/** Who this browser is signed in as; remembers the CSRF values for later writes. */
export async function whoAmI() {
  const me = await get('/api/auth/me');
  rememberCsrf('facilitator', me.facilitator?.csrfToken);
  rememberCsrf('attendee', me.attendee?.csrfToken);
  return me;
}

/** A fresh idempotency key: a retried write with the same key is applied once. */
export function eventId(prefix) {
  return `${prefix}-${crypto.randomUUID()}`;
}

function withParam(path, name, value) {
  return path + (path.includes('?') ? '&' : '?') + `${name}=${encodeURIComponent(value)}`;
}
