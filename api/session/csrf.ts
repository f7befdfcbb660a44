/**
 * CSRF protection for cookie-authenticated state changes: the synchronizer-token pattern (OWASP CSRF
 * Prevention Cheat Sheet) with the token kept server-side in the session row and sent back by the console in
 * the X-CSRF-Token header, compared in constant time; plus the Origin / Sec-Fetch-Site check as defence in
 * depth. A custom header cannot be sent cross-site without a CORS preflight this API never grants, and the
 * token itself is only readable by the console's own origin (GET /auth/session). No library: the deprecated
 * csurf is the only Express one, and both checks are a few lines. Bearer requests need neither (a browser
 * never attaches a bearer token by itself); safe methods (GET, HEAD, OPTIONS) change nothing.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export const CSRF_HEADER = 'x-csrf-token';

/** Why this cookie-authenticated request may not change anything (null: it may). */
export function csrfRefusal(req: Request, expected: string, publicOrigin: string): string | null {
  if (SAFE.has(req.method)) return null;
  const site = req.get('sec-fetch-site');
  if (site === 'cross-site') return 'a cross-site request may not change anything with this session';
  const origin = req.get('origin');
  if (origin !== undefined && origin !== publicOrigin)
    return `requests from ${origin} may not change anything with this session (only ${publicOrigin})`;
  const sent = req.get(CSRF_HEADER);
  if (!sent) return 'a request signed in by the session cookie must send X-CSRF-Token (GET /auth/session gives it)';
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'X-CSRF-Token does not match this session';
  return null;
}
