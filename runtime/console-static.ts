/**
 * The browser console: the production build in console/dist served as static files by the API process,
 * with index.html for every client-side route. In dev mode only (npm start with demo data), GET
 * /dev/personas hands the page the demo tokens for its persona picker; production never mounts it.
 * Dev-only routes answer only a loopback connection whose Host header names the loopback (localhost,
 * 127.0.0.1, [::1]): `npm start` listens on 0.0.0.0, and neither another machine nor a web page on a
 * DNS-rebound name may collect the demo tokens. Anything else is a 404, as if the route did not exist.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { notFound, sendProblem } from '../api/problem';

export const CONSOLE_DIST = resolve(__dirname, '..', 'console', 'dist');

export interface DevPersona {
  principalId: string;
  name: string;
  role: string;
  orgId: string | null;
  token: string;
  supportId?: string;
}

/** Paths the API owns; everything else under GET is the console's. */
const API_PATHS = /^\/(v1|auth|health|ready|openapi\.json|metrics)(\/|$)/;

/** The connection's own peer address (never X-Forwarded-For: a proxy in front would make every client "local"). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return v4 === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
}

const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?$/i;

/** Host names the loopback, so a page on a DNS-rebound name (evil.example -> 127.0.0.1) is refused. */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}

/** Lets a request through only from a loopback connection with a loopback Host; otherwise a 404. */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  if (isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHost(req.headers.host)) return next();
  sendProblem(res, notFound(`${req.method} ${req.path}`), req.originalUrl);
};

/**
 * `devSignInProvider`: the embedded OpenID provider runs (npm start), so each persona is offered as a sign-in
 * through it (`loginUrl`, the real Authorization Code flow with a login hint) and no token is handed out.
 */
export function consoleRouter(opts: { dist?: string; devPersonas?: DevPersona[]; devSignInProvider?: string } = {}): express.Router {
  const dist = opts.dist ?? CONSOLE_DIST;
  const router = express.Router();
  if (opts.devPersonas) {
    const provider = opts.devSignInProvider;
    const personas = provider
      ? opts.devPersonas.map(({ token: _token, ...p }) => ({
          ...p,
          loginUrl: `/auth/login?provider=${encodeURIComponent(provider)}&login_hint=${encodeURIComponent(p.principalId)}`,
        }))
      : opts.devPersonas;
    router.get('/dev/personas', loopbackOnly, (_req, res) => {
      res.set('Cache-Control', 'no-store').json({ personas });
    });
  }
  if (!existsSync(join(dist, 'index.html'))) return router;
  router.use((req, _res, next) => next(API_PATHS.test(req.path) ? 'router' : undefined));
  router.use(helmet({ contentSecurityPolicy: { directives: { 'connect-src': ["'self'"], 'img-src': ["'self'", 'data:'] } } }));
  router.use('/assets', express.static(join(dist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  router.use(express.static(dist, { index: false }));
  router.get(/.*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.set('Cache-Control', 'no-cache').sendFile(join(dist, 'index.html'));
  });
  return router;
}
