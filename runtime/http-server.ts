/**
 * Runs the API on the configured port: request metrics around the Express app, /metrics for Prometheus,
 * and a graceful close (in-flight requests finish).
 */
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import express from 'express';
import type { Logger } from 'pino';
import { createApp, type InboundMailOptions } from '../api/app';
import type { Database } from '../db/client';
import type { Config } from './config';
import { createApiMetrics } from './metrics';

export interface HttpDeps {
  database: Database;
  temporal: Client;
  logger: Logger;
  /** Default: from the environment (api/app.ts inboundMailOptionsFromEnv). */
  inboundMail?: InboundMailOptions;
}

export function createHttpApp(config: Config, deps: HttpDeps): express.Express {
  const metrics = createApiMetrics();
  const outer = express();
  outer.disable('x-powered-by');
  outer.use(metrics.middleware);
  outer.get('/metrics', metrics.handler);
  outer.use(
    createApp({
      ...deps,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      rateLimitPerMinute: config.rateLimitPerMinute,
      authFailuresPerMinute: config.authFailuresPerMinute,
    }),
  );
  return outer;
}

export async function startHttpServer(config: Config, deps: HttpDeps): Promise<{ server: Server; close: () => Promise<void> }> {
  const app = createHttpApp(config, deps);
  const server = await new Promise<Server>((resolveListen, reject) => {
    const s = app.listen(config.port, config.host, () => resolveListen(s));
    s.once('error', reject);
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeIdleConnections();
      }),
  };
}
