/**
 * The HTTP app as npm start serves it (console build, /auth, /v1) on a free loopback port, with people's
 * sign-in through the given providers, a fresh migrated database with the demo seed, and Chromium. No
 * Temporal: sign-in, sessions, CSRF, logout and the event stream need only the database.
 */
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import type { OidcProviderSettings } from '../../api/oidc/types';
import type { Database } from '../../db/client';
import { loadConfig } from '../../runtime/config';
import { buildConsole, consoleBuildIsStale } from '../../runtime/console-build';
import { seedDemo } from '../../runtime/demo-seed';
import { createHttpApp } from '../../runtime/http-server';
import { chromiumPath } from '../helpers/console-service';
import { createTestDatabase } from '../helpers/db';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface PeopleService {
  url: string;
  database: Database;
  browser: Browser;
  close(): Promise<void>;
}

/** `settings`: environment as npm start reads it (OIDC_STAFF_*, SESSION_*); PUBLIC_URL is set to the app's URL. */
export async function startPeopleService(opts: {
  port: number;
  settings?: Record<string, string>;
  localProvider?: OidcProviderSettings;
  database?: Database;
}): Promise<PeopleService> {
  if (consoleBuildIsStale()) buildConsole();
  const database = opts.database ?? (await createTestDatabase());
  if (!opts.database) await seedDemo(database.db);
  const url = `http://127.0.0.1:${opts.port}`;
  const config = loadConfig({ ...opts.settings, PUBLIC_URL: url, PORT: String(opts.port) });
  const temporal = { options: { namespace: 'default' } } as unknown as Client; // never asked by these suites
  const app = createHttpApp(config, {
    database,
    temporal,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    devPersonas: opts.localProvider
      ? [
          { principalId: 'eng-emea', name: 'Jonas (engineer, EMEA)', role: 'engineer', orgId: null, token: '' },
          { principalId: 'demo-admin', name: 'Ada Admin', role: 'admin', orgId: null, token: '' },
          { principalId: 'acme-premier-anna', name: 'Anna', role: 'case_admin', orgId: 'acme-premier', token: '' },
        ]
      : undefined,
    localProvider: opts.localProvider,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(opts.port, '127.0.0.1', () => resolve(s));
  });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  return {
    url,
    database,
    browser,
    close: async () => {
      await browser.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      (app.locals.endStreams as () => void)();
      if (!opts.database) await database.close();
    },
  };
}
