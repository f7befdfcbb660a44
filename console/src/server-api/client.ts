/** The console's only way to the server: fetch with the bearer token; problem+json answers become ApiError. */

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The stable reason to translate (a case refusal's code, else the type's slug); `detail` is English. */
  code?: string;
  /** Values the refusal names, for its translation. */
  params?: Record<string, string | number>;
  errors?: { field: string; in: string; reason: string }[];
  /** The Retry-After header of a 429 (seconds), when the server sent one. */
  retryAfter?: string | null;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
}

let token: string | null = sessionStorage.getItem('caseflow.token');

export const getToken = (): string | null => token;

export function setToken(value: string | null): void {
  token = value;
  if (value) sessionStorage.setItem('caseflow.token', value);
  else sessionStorage.removeItem('caseflow.token');
}

/** People signed in through OpenID Connect hold an HttpOnly session cookie; state changes send its CSRF token. */
let csrfToken: string | null = null;

export const hasCookieSession = (): boolean => csrfToken !== null;

export function setCookieSession(csrf: string | null): void {
  csrfToken = csrf;
}

/**
 * Who hears that the server refused the token (401: revoked, expired, principal disabled): the session drops
 * it and shows the sign-in page. Every caller (queries, actions, the live stream) reports here.
 */
const unauthorizedListeners = new Set<(problem: Problem) => void>();

export function onUnauthorized(listener: (problem: Problem) => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function reportUnauthorized(problem: Problem): void {
  for (const listener of unauthorizedListeners) listener(problem);
}

/** The credential headers api() sends, for requests another client makes (the tus uploader). */
export function authHeaders(): Record<string, string> {
  if (token) return { Authorization: `Bearer ${token}` };
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  const sent = token;
  if (sent) headers.Authorization = `Bearer ${sent}`;
  const sentCsrf = sent ? null : csrfToken;
  if (sentCsrf) headers['X-CSRF-Token'] = sentCsrf;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as Partial<Problem>;
    const problem: Problem = {
      type: p.type ?? 'about:blank',
      title: p.title ?? res.statusText,
      status: res.status,
      detail: p.detail ?? res.statusText,
      ...(typeof p.code === 'string' ? { code: p.code } : {}),
      ...(p.params && typeof p.params === 'object' ? { params: p.params } : {}),
      errors: p.errors,
      retryAfter: res.headers.get('retry-after'),
    };
    // Only when a token was sent and is still the current one: a late answer to an old token ends nothing.
    if (res.status === 401 && ((sent !== null && sent === token) || (sentCsrf !== null && sentCsrf === csrfToken)))
      reportUnauthorized(problem);
    throw new ApiError(problem);
  }
  return data as T;
}

/** A query string from the defined, non-empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}
