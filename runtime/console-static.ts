/**
 * The browser console: the production build in console/dist served as static files by the API process,
 * with index.html for every client-side route. In dev mode only (npm start with demo data), GET
 * /dev/personas hands the page the demo tokens for its persona picker; production never mounts it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express from 'express';
import helmet from 'helmet';

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
const API_PATHS = /^\/(v1|health|ready|openapi\.json|metrics)(\/|$)/;

export function consoleRouter(opts: { dist?: string; devPersonas?: DevPersona[] } = {}): express.Router {
  const dist = opts.dist ?? CONSOLE_DIST;
  const router = express.Router();
  if (opts.devPersonas) {
    const personas = opts.devPersonas;
    router.get('/dev/personas', (_req, res) => {
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
