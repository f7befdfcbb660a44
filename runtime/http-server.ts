/**
 * Runs the API on the configured port: request metrics around the Express app, /metrics for Prometheus,
 * and a graceful close (in-flight requests finish).
 */
import type { Server } from 'node:http';
import { inboundMailOptions } from './mail';
import type { Client } from '@temporalio/client';
import express from 'express';
import type { Logger } from 'pino';
import { createApp, type InboundMailOptions } from '../api/app';
import type { OidcProviderSettings, PeopleSignIn } from '../api/oidc/types';
import type { Database } from '../db/client';
import type { Config } from './config';
import { consoleRouter, type DevPersona } from './console-static';
import { AttachmentService } from '../api/attachments/attachments';
import { createApiMetrics, registerAttachmentStorageMetric } from './metrics';
import { registerSlaNoticeMetrics } from './sla-metrics';

export interface HttpDeps {
  database: Database;
  temporal: Client;
  logger: Logger;
  /** Dev mode only (npm start with demo data, not NODE_ENV=production): tokens the console's persona picker offers. */
  devPersonas?: DevPersona[];
  /** Default: built from the configuration (runtime/mail.ts). */
  inboundMail?: InboundMailOptions;
  /** npm start's embedded OpenID provider (dev only): added to the configured providers, its personas offered. */
  localProvider?: OidcProviderSettings;
}

export function createHttpApp(config: Config, deps: HttpDeps): express.Express {
  const metrics = createApiMetrics();
  // Attachments: storage used per organisation on /metrics, and the hourly sweep of abandoned uploads.
  const attachments = new AttachmentService(deps.database.db, config.attachments, deps.logger);
  registerAttachmentStorageMetric(metrics.registry, () => attachments.usageByOrg());
  // Breach and warning lateness and breaches by program and level, for the support lead (issue 23).
  registerSlaNoticeMetrics(metrics.registry, deps.database.db);
  const sweep = () =>
    attachments.sweep().then(
      (r) => r.removed + r.relinked > 0 && deps.logger.info(r, 'attachment sweep'),
      (err: unknown) => deps.logger.warn({ err }, 'attachment sweep failed'),
    );
  setInterval(() => void sweep(), 3600_000).unref();
  setTimeout(() => void sweep(), 60_000).unref();
  const outer = express();
  outer.disable('x-powered-by');
  outer.use(metrics.middleware);
  outer.get('/metrics', metrics.handler);
  // Event streams never finish by themselves: remember them so a shutdown can end them.
  const streams = new Set<express.Response>();
  outer.use('/v1/events', (_req, res, next) => {
    streams.add(res);
    res.on('close', () => streams.delete(res));
    next();
  });
  outer.locals.endStreams = () => {
    for (const res of streams) res.end(() => res.socket?.destroy());
  };
  // Dev-only routes never exist in production, whatever the caller passes.
  const localProvider = config.production ? undefined : deps.localProvider;
  const peopleSignIn: PeopleSignIn = {
    ...config.peopleSignIn,
    providers: [...config.peopleSignIn.providers, ...(localProvider ? [localProvider] : [])],
  };
  outer.use(
    consoleRouter({
      devPersonas: config.production ? undefined : deps.devPersonas,
      devSignInProvider: localProvider?.id,
    }),
  );
  outer.use(
    createApp({
      database: deps.database,
      temporal: deps.temporal,
      logger: deps.logger,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      rateLimitPerMinute: config.rateLimitPerMinute,
      authFailuresPerMinute: config.authFailuresPerMinute,
      authFailuresPerAddressPerMinute: config.authFailuresPerAddressPerMinute,
      eventStreamsPerPrincipal: config.eventStreamsPerPrincipal,
      trustProxy: config.trustProxy,
      webhooks: config.webhooks,
      inboundMail: deps.inboundMail ?? inboundMailOptions(config.mail),
      attachmentService: attachments,
      peopleSignIn,
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
        (app.locals.endStreams as () => void)();
        server.closeIdleConnections();
      }),
  };
}
