/**
 * The Express app: request log -> security headers -> health/ready/openapi (public) -> /v1: bearer auth
 * (a refused one counted by the failed-authentication limit) -> per-token rate limit -> JSON body (size-limited) -> routes; every error leaves as
 * problem+json. Several apps (API instances) on one database behave as one: limits count in a shared store
 * and reference-data changes empty every instance's caches (api/shared-state/).
 */
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Database } from '../db/client';
import { replyConfigFromEnv } from '../activities/mail/reply-config';
import type { ReplyAddressConfig } from '../activities/mail/reply-address';
import { mailTransportFromEnv, type MailTransport } from '../activities/mail/transport';
import { TASK_QUEUE } from '../contract/case';
import { AttachmentService } from './attachments/attachments';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentOptions } from './attachments/options';
import { authenticate } from './auth';
import { DEFAULT_AUTH_FAILURE_LIMITS, limitFailedAuthentications } from './auth-failure-limit';
import { createCaches } from './caches';
import { createCaseFeed } from './live/case-feed';
import { createPeopleAuth } from './oidc/people';
import type { PeopleSignIn } from './oidc/types';
import { nudgeFeedAfterWrites } from './live/nudge';
import { buildOpenApiDocument } from './openapi';
import { notFound, Problem, problemHandler, sendProblem } from './problem';
import { livenessHandler, readinessHandler } from './readiness';
import { requestLog } from './request-log';
import { limitCounter } from './shared-state/limit-counters';
import { SharedCounterStore } from './shared-state/rate-limit-store';
import { referenceDataChanges } from './shared-state/reference-data';
import { streamSlots } from './shared-state/stream-slots';
import { rejectUnstorableText } from './text-guard';
import { answerUndeclaredMethods, type Api } from './route';
import { registerAccountManagerRoutes } from './routes/account-managers';
import { DOWNLOAD_PATH, registerAttachmentRoutes, signedDownloadHandler } from './routes/attachments';
import { registerAdminRoutes } from './routes/admin';
import { registerCaseActionRoutes } from './routes/case-actions';
import { registerCaseNotificationRoutes } from './routes/case-notifications';
import { registerCaseRoutes } from './routes/cases';
import { registerNotificationContactRoutes } from './routes/notification-contacts';
import { registerOrganisationPeopleRoutes } from './routes/organisation-people';
import { registerOnCallRoutes } from './routes/oncall';
import { DEFAULT_EVENT_STREAMS_PER_PRINCIPAL, registerEventRoutes } from './routes/events';
import { registerMeRoutes } from './routes/me';
import { registerInboundMailRoutes } from './routes/inbound-mail';
import { registerPhoneRoutes } from './routes/phone-sessions';
import { registerPolicyRoutes } from './routes/policy';
import { registerQueueRoutes } from './routes/queue';
import { registerReportSeriesRoutes } from './routes/report-series';
import { registerReportRoutes } from './routes/reports';
import { registerWebhookSubscriptionRoutes } from './routes/webhook-subscriptions';
import { calendarFeedHandler, FEED_PATH, registerCalendarRoutes } from './routes/calendars';
import { webhookSettingsFromEnv } from '../activities/webhooks/subscriptions';
import type { Services } from './services';

export interface AppDeps {
  database: Database;
  temporal: Client;
  logger: Logger;
  namespace?: string;
  taskQueue?: string;
  /** Requests per token per minute (default 600). */
  rateLimitPerMinute?: number;
  /**
   * Failed authentications (401) per presented token per minute before that token's refusals become 429s
   * (default 30). Valid tokens are never refused for failures (api/auth-failure-limit.ts).
   */
  authFailuresPerMinute?: number;
  /** Failed authentications per client address per minute before its refusals become 429s (default 300). */
  authFailuresPerAddressPerMinute?: number;
  /** Largest accepted JSON body (default 64 KiB). */
  bodyLimit?: string;
  /**
   * How long tokens, organisations and product versions may stay cached when a change notification is missed
   * (default 1 s; 0 disables caching). A notification normally empties the caches of every instance at once.
   */
  cacheTtlMs?: number;
  /** How long a request waits for a case workflow to answer before a 503 (default 20 s). */
  workflowTimeoutMs?: number;
  /** Inbound mail: reply-address key and domain, the transport for answers, the largest message (bytes). */
  inboundMail?: InboundMailOptions;
  /** Express 'trust proxy' (behind a load balancer: its hop count or subnet), so client addresses are real. */
  trustProxy?: boolean | number | string;
  /** Open event streams (GET /v1/events) per principal, across every instance on the database (default 10). */
  eventStreamsPerPrincipal?: number;
  /** How often the live event stream polls the read model for case changes (default 250 ms). */
  liveIntervalMs?: number;
  /** People's sign-in through OpenID Connect and server-side sessions (/auth/*); unset: bearer tokens only. */
  peopleSignIn?: PeopleSignIn;
  /** Attachments: blob store and limits (runtime/config.ts); default: files in a temporary folder, default limits. */
  attachments?: AttachmentOptions;
  /** Or the attachment service itself (the runtime shares it with the metrics and the sweep). */
  attachmentService?: AttachmentService;
  /** Webhook subscriptions: whether loopback and private receivers are allowed (default: WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  webhooks?: { allowPrivateNetworks: boolean };
}

export interface InboundMailOptions {
  reply: ReplyAddressConfig;
  transport: MailTransport | null;
  maxBytes: number;
}

export const API_PREFIX = '/v1';
/** Both limits count per minute. */
const LIMIT_WINDOW_SECONDS = 60;
export const DEFAULT_INBOUND_MAIL_MAX_BYTES = 10 * 1024 * 1024;

/** MAIL_REPLY_SECRET / MAIL_REPLY_DOMAIN, SMTP_URL / MAIL_FROM and MAIL_INBOUND_MAX_BYTES. */
export function inboundMailOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): InboundMailOptions {
  const maxBytes = env.MAIL_INBOUND_MAX_BYTES ? Number(env.MAIL_INBOUND_MAX_BYTES) : DEFAULT_INBOUND_MAIL_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes <= 0)
    throw new Error(`MAIL_INBOUND_MAX_BYTES must be a positive integer, got '${env.MAIL_INBOUND_MAX_BYTES}'`);
  return { reply: replyConfigFromEnv(env), transport: mailTransportFromEnv(env), maxBytes };
}

/** Attachments when the caller names none (tests, tools): files under the system's temporary folder. */
export function defaultAttachmentOptions(): AttachmentOptions {
  return {
    storage: { backend: 'fs', dir: join(tmpdir(), 'caseflow-attachments') },
    limits: DEFAULT_ATTACHMENT_LIMITS,
    urlSecret: randomBytes(32).toString('hex'),
    urlTtlMs: 5 * 60_000,
  };
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);
  app.use(requestLog(deps.logger));
  app.use(helmet());

  const api: Api = { router: express.Router(), registry: new OpenAPIRegistry(), prefix: API_PREFIX };
  const caches = createCaches(deps.database.db, deps.cacheTtlMs ?? 1000);
  referenceDataChanges(deps.database, deps.logger).subscribe(caches.clear);
  const inbound = deps.inboundMail ?? inboundMailOptionsFromEnv();
  const withDeadline: Services['withDeadline'] = (fn) => deps.temporal.withDeadline(Date.now() + (deps.workflowTimeoutMs ?? 20_000), fn);
  const attachments =
    deps.attachmentService ?? new AttachmentService(deps.database.db, deps.attachments ?? defaultAttachmentOptions(), deps.logger);
  const services: Services = {
    api,
    db: deps.database.db,
    temporal: deps.temporal,
    taskQueue: deps.taskQueue ?? TASK_QUEUE,
    caches,
    attachments,
    withDeadline,
    inboundMail: {
      db: deps.database.db,
      temporal: deps.temporal,
      reply: inbound.reply,
      transport: inbound.transport,
      logger: deps.logger,
      withDeadline,
      attachments,
    },
  };
  const feed = createCaseFeed(deps.database.db, { intervalMs: deps.liveIntervalMs });
  nudgeFeedAfterWrites(api.router, feed);
  registerPolicyRoutes(services);
  registerCaseRoutes(services);
  registerCaseActionRoutes(services);
  registerPhoneRoutes(services);
  registerReportRoutes(services);
  registerAdminRoutes(services);
  registerNotificationContactRoutes(services);
  registerOrganisationPeopleRoutes(services);
  registerOnCallRoutes(services);
  registerAccountManagerRoutes(services);
  registerCaseNotificationRoutes(services);
  registerMeRoutes(services);
  registerQueueRoutes(services);
  registerReportSeriesRoutes(services);
  registerEventRoutes(services, feed, {
    slots: streamSlots(deps.database.db),
    perPrincipal: deps.eventStreamsPerPrincipal ?? DEFAULT_EVENT_STREAMS_PER_PRINCIPAL,
  });
  registerInboundMailRoutes(services);
  registerAttachmentRoutes(services);
  const webhookNetworks = deps.webhooks ?? webhookSettingsFromEnv();
  registerWebhookSubscriptionRoutes(services, webhookNetworks);
  registerCalendarRoutes(services, webhookNetworks);
  answerUndeclaredMethods(api);

  const people = deps.peopleSignIn ? createPeopleAuth(deps.database.db, caches, deps.peopleSignIn, deps.logger) : undefined;
  if (people) app.use('/auth', people.router);

  app.get('/health', livenessHandler);
  app.get('/ready', readinessHandler(deps.database, deps.temporal, deps.namespace ?? deps.temporal.options.namespace));
  const openapi = buildOpenApiDocument(api.registry);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  // Signed download links carry their own authorization (a browser navigation sends no bearer token).
  app.get(`${API_PREFIX}${DOWNLOAD_PATH}/:token`, signedDownloadHandler(services));
  // The on-call rota's iCalendar feeds: the secret URL is the credential (calendar clients send no bearer token).
  app.get(`${API_PREFIX}${FEED_PATH}/:token`, calendarFeedHandler(services));
  app.locals.attachments = services.attachments;

  const tooMany = (detail: string) => (req: express.Request, res: express.Response) =>
    sendProblem(res, new Problem(429, 'rate-limited', detail), req.originalUrl);
  const recordRefusal = limitFailedAuthentications(
    limitCounter(deps.database, 'auth-failure', LIMIT_WINDOW_SECONDS),
    {
      perCredential: deps.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURE_LIMITS.perCredential,
      perAddress: deps.authFailuresPerAddressPerMinute ?? DEFAULT_AUTH_FAILURE_LIMITS.perAddress,
    },
    deps.logger,
  );
  app.use(
    API_PREFIX,
    authenticate(deps.database.db, caches, recordRefusal, people),
    rateLimit({
      windowMs: LIMIT_WINDOW_SECONDS * 1000,
      limit: deps.rateLimitPerMinute ?? 600,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new SharedCounterStore(limitCounter(deps.database, 'token', LIMIT_WINDOW_SECONDS)),
      keyGenerator: (req) => req.principal!.tokenId,
      handler: tooMany('too many requests for this token; retry after the RateLimit reset'),
    }),
    // POST /v1/inbound-mail takes a raw message only: sent as JSON, its route answers 415, not the parser 400.
    skipFor('/inbound-mail', express.json({ limit: deps.bodyLimit ?? '64kb', type: ['application/json', 'application/*+json'] })),
    rejectUnstorableText,
    // After the text guard: a raw message is bytes, and the inbound path makes its text storable itself.
    express.raw({ limit: inbound.maxBytes, type: 'message/rfc822' }),
    api.router,
  );
  app.use((req, _res, next) => next(notFound(`${req.method} ${req.path}`)));
  app.use(problemHandler(deps.logger));
  return app;
}

/** `handler`, except for requests to `path` (below the /v1 prefix), which pass on untouched. */
function skipFor(path: string, handler: express.RequestHandler): express.RequestHandler {
  return (req, res, next) => (req.path === path ? next() : handler(req, res, next));
}
