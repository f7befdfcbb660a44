/**
 * The real API over real components: a fresh migrated database (PGlite, or PostgreSQL with DATABASE_URL)
 * with the demo seed, a Temporal dev server and, when a test opens cases, the case worker.
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import pino from 'pino';
import request, { type Response } from 'supertest';
import { createApp, type InboundMailOptions } from '../../api/app';
import type { AttachmentOptions } from '../../api/attachments/options';
import type { Database } from '../../db/client';
import { seedDemo } from '../../runtime/demo-seed';
import { temporalClientInterceptors, type Tracing } from '../../runtime/tracing';
import type { CaseMailer } from '../../activities/mail/mailer';
import { createCaseWorker } from '../../worker/create-worker';
import { createTestDatabase } from './db';
import { OpenApiConformance } from './openapi-conformance';
import { createDevServerEnv } from './temporal';

export interface ApiHarness {
  app: Express;
  database: Database;
  env: TestWorkflowEnvironment;
  /** Demo token per principal id. */
  tokens: Record<string, string>;
  /** supertest against the app; every response is checked against the published OpenAPI document. */
  http: () => ReturnType<typeof request>;
  /** The same, against another app built in a test (its document is the same). */
  request: (app: Express) => ReturnType<typeof request>;
  /** Authorization header of a demo principal. */
  as: (principalId: string) => { Authorization: string };
  close: () => Promise<void>;
}

export interface HarnessOptions {
  worker?: boolean;
  rateLimitPerMinute?: number;
  /** Inbound mail settings (default: a test reply key and domain, no SMTP for answers). */
  inboundMail?: InboundMailOptions;
  /** The worker's mail channel (default: none, so cases mail nobody). */
  mailer?: CaseMailer;
  /** Attachment storage and limits (default: files in a temporary folder, default limits). */
  attachments?: AttachmentOptions;
  /** The process's traces (runtime/tracing.ts, started by the test): a traced Temporal client and worker. */
  tracing?: Tracing;
}

export const TEST_REPLY = { secret: 'api-test-reply-secret', domain: 'reply.caseflow.test' };

export async function startApiHarness(opts: HarnessOptions = {}): Promise<ApiHarness> {
  const database = await createTestDatabase();
  const seeded = await seedDemo(database.db);
  const tokens = Object.fromEntries(seeded.tokens.map((t) => [t.principalId, t.token]));
  const env = await createDevServerEnv();
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  if (opts.worker) {
    worker = await createCaseWorker({
      connection: env.nativeConnection,
      database,
      notifier: null,
      mailer: opts.mailer ?? null,
      tracing: opts.tracing,
    });
    running = worker.run();
  }
  const app = createApp({
    database,
    temporal: opts.tracing ? new Client({ connection: env.connection, interceptors: temporalClientInterceptors() }) : env.client,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 100_000,
    authFailuresPerMinute: 1000,
    authFailuresPerAddressPerMinute: 1000,
    inboundMail: opts.inboundMail ?? { reply: TEST_REPLY, transport: null, maxBytes: 1024 * 1024 },
    attachments: opts.attachments,
  });
  const conformance = new OpenApiConformance((await request(app).get('/openapi.json')).body);
  const checked = (target: Express) => conformantAgent(request(target), conformance);
  return {
    app,
    database,
    env,
    tokens,
    http: () => checked(app),
    request: checked,
    as: (principalId) => {
      const token = tokens[principalId];
      if (!token) throw new Error(`no demo token for ${principalId}`);
      return { Authorization: `Bearer ${token}` };
    },
    close: async () => {
      if (worker) {
        worker.shutdown();
        await running;
      }
      await env.teardown();
      await database.close();
    },
  };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options'] as const;
type Agent = ReturnType<typeof request>;

/** supertest whose every request asserts, after the test's own expectations, that the response conforms. */
function conformantAgent(agent: Agent, conformance: OpenApiConformance): Agent {
  const checked: Record<string, unknown> = { ...agent };
  for (const method of METHODS) {
    const make = (agent[method] as (url: string) => request.Test).bind(agent);
    checked[method] = (url: string) =>
      make(url).expect((res: Response) => {
        const req = (res as unknown as { request: { method: string; url: string } }).request;
        const violations = conformance.check({
          method: req.method,
          url: req.url,
          status: res.status,
          contentType: res.headers['content-type'] as string | undefined,
          body: res.body as unknown,
          headers: res.headers as Record<string, unknown>,
        });
        if (violations.length > 0) throw new Error(`response violates /openapi.json:\n${violations.join('\n')}`);
      });
  }
  return checked as unknown as Agent;
}
