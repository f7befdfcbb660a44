/**
 * The real service for browser tests, in this process: a fresh migrated database with the demo seed, a
 * Temporal dev server, the case worker, and the HTTP app exactly as npm start serves it (console/dist,
 * dev-mode personas) on a free port. The console is built first when its build is missing or stale.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Database } from '../../db/client';
import { loadConfig } from '../../runtime/config';
import { buildConsole, consoleBuildIsStale } from '../../runtime/console-build';
import { seedDemo } from '../../runtime/demo-seed';
import { createHttpApp } from '../../runtime/http-server';
import { createCaseWorker } from '../../worker/create-worker';
import { createTestDatabase } from './db';
import { createDevServerEnv } from './temporal';

export interface ConsoleService {
  url: string;
  database: Database;
  env: TestWorkflowEnvironment;
  tokens: Record<string, string>;
  browser: Browser;
  /** A signed-in browser tab for a demo principal (its own context: own session storage). */
  signedIn: (principalId: string) => Promise<{ context: BrowserContext; page: Page }>;
  /** The API as that principal (to compare what the browser shows with what the API says). */
  call: (principalId: string, method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
  close: () => Promise<void>;
}

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(candidate)) return candidate;
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
}

/** `settings`: as npm start reads them from the environment (runtime/config.ts), e.g. RATE_LIMIT_PER_MINUTE. */
export async function startConsoleService(settings: Record<string, string> = {}): Promise<ConsoleService> {
  if (consoleBuildIsStale()) buildConsole();
  const database = await createTestDatabase();
  const seeded = await seedDemo(database.db);
  const tokens = Object.fromEntries(seeded.tokens.map((t) => [t.principalId, t.token]));
  const env = await createDevServerEnv();
  const worker: Worker = await createCaseWorker({ connection: env.nativeConnection, database, notifier: null });
  const running = worker.run();
  const app = createHttpApp(loadConfig(settings), {
    database,
    temporal: env.client,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    devPersonas: seeded.tokens,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });

  return {
    url,
    database,
    env,
    tokens,
    browser,
    signedIn: async (principalId) => {
      const token = tokens[principalId];
      if (!token) throw new Error(`no demo token for ${principalId}`);
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
      await context.addInitScript({ content: `sessionStorage.setItem('caseflow.token', ${JSON.stringify(token)});` });
      const page = await context.newPage();
      page.on('pageerror', (err) => process.stderr.write(`[${principalId}] page error: ${err.stack ?? err.message}\n`));
      return { context, page };
    },
    call: async (principalId, method, path, body) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[principalId]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    close: async () => {
      await browser.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      worker.shutdown();
      await running;
      await env.teardown();
      await database.close();
    },
  };
}
