/**
 * The session cookie: HttpOnly, SameSite=Lax, Path=/, Secure with the `__Host-` prefix wherever the console
 * is not on the loopback over plain HTTP (PUBLIC_URL). The login-binding cookie ties a sign-in's callback to
 * the browser that started it (login CSRF), for ten minutes, on /auth only.
 */
import type { Request, Response } from 'express';
import { isLoopbackUrl } from '../oidc/client';

export interface CookieNames {
  session: string;
  login: string;
  secure: boolean;
}

export function cookieNames(publicUrl: string): CookieNames {
  const secure = new URL(publicUrl).protocol === 'https:' || !isLoopbackUrl(publicUrl);
  return secure
    ? { session: '__Host-caseflow_session', login: '__Secure-caseflow_login', secure }
    : { session: 'caseflow_session', login: 'caseflow_login', secure };
}

/** One cookie's value from the Cookie header (no parser dependency: names here are fixed tokens). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function setSessionCookie(res: Response, names: CookieNames, value: string, maxAgeMs: number): void {
  res.cookie(names.session, value, { httpOnly: true, secure: names.secure, sameSite: 'lax', path: '/', maxAge: maxAgeMs });
}

export function clearSessionCookie(res: Response, names: CookieNames): void {
  res.clearCookie(names.session, { httpOnly: true, secure: names.secure, sameSite: 'lax', path: '/' });
}

export function setLoginCookie(res: Response, names: CookieNames, value: string): void {
  res.cookie(names.login, value, { httpOnly: true, secure: names.secure, sameSite: 'lax', path: '/auth', maxAge: 10 * 60_000 });
}

export function clearLoginCookie(res: Response, names: CookieNames): void {
  res.clearCookie(names.login, { httpOnly: true, secure: names.secure, sameSite: 'lax', path: '/auth' });
}
