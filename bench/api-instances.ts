/**
 * Two API instances on one database (issue 11, part 2): what the shared limit counters cost per request,
 * and how long a revoked token stays usable on the other instance. With DATABASE_URL each instance gets its
 * own connection pool to a fresh PostgreSQL database (as two processes would); without it both share PGlite.
 *
 *   npx tsx bench/api-instances.ts [requests=4000] [concurrency=16] [revocations=50]
 *
 * Prints authenticated requests per second alternating between the instances (each request reads the
 * failed-auth count and adds one to the token's count), latency percentiles, and revocation propagation
 * percentiles (revoke through A, poll B every 2 ms until it answers 401).
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { createApp } from '../api/app';
import { referenceDataChanges } from '../api/shared-state/reference-data';
import { openDatabase, type Database } from '../db/client';
import { seedDemo } from '../runtime/demo-seed';
import { createTestDatabase } from '../test/helpers/db';

const REQUESTS = Number(process.argv[2] ?? 4000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const REVOCATIONS = Number(process.argv[4] ?? 50);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (values: number[]) => {
  const s = [...values].sort((x, y) => x - y);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
};

async function secondPool(database: Database): Promise<Database> {
  if (database.kind === 'pglite') return database;
  const rows = (await database.db.execute(sql`select current_database() as name`)) as unknown as { name: string }[];
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${rows[0].name}`;
  return openDatabase({ url: url.toString(), migrate: false });
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const databaseB = await secondPool(database);
  const { tokens } = await seedDemo(database.db);
  const adminToken = tokens.find((t) => t.principalId === 'demo-admin')!.token;
  const logger = pino({ level: 'warn' });
  // GET /v1/products and the token routes never call Temporal: a lazy client that never connects suffices.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const listen = async (db: Database) => {
    // Every poll that finds a revoked token is a failed authentication: lift that limit, not the counting.
    const app = createApp({
      database: db,
      temporal,
      logger,
      rateLimitPerMinute: 1_000_000_000,
      authFailuresPerMinute: 1_000_000_000,
      cacheTtlMs: 60_000,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const [a, b] = [await listen(database), await listen(databaseB)];
  await Promise.all([referenceDataChanges(database, logger).ready, referenceDataChanges(databaseB, logger).ready]);
  const get = (base: string, token: string) => fetch(`${base}/v1/products`, { headers: { Authorization: `Bearer ${token}` } });
  const admin = (method: string, path: string, body?: object) =>
    fetch(`${a.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    });

  console.log(`database: ${database.kind}; ${REQUESTS} requests at concurrency ${CONCURRENCY}, alternating instances`);
  const engineer = tokens.find((t) => t.principalId === 'eng-emea')!.token;
  for (let i = 0; i < 200; i++) await (await get(i % 2 ? a.base : b.base, engineer)).arrayBuffer();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const t0 = performance.now();
        const res = await get(i % 2 ? a.base : b.base, engineer);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`request ${i}: ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`authenticated GET /v1/products: ${(REQUESTS / seconds).toFixed(0)} req/s; ${summary(latencies)}`);

  const propagation: number[] = [];
  for (let i = 0; i < REVOCATIONS; i++) {
    const issued = (await (await admin('POST', '/v1/principals/eng-emea/tokens', { label: `bench ${i}` })).json()) as {
      id: string;
      token: string;
    };
    const first = await get(b.base, issued.token);
    if (first.status !== 200) throw new Error(`fresh token refused: ${first.status} ${await first.text()} ${JSON.stringify(issued)}`);
    const t0 = performance.now();
    if ((await admin('DELETE', `/v1/principals/eng-emea/tokens/${issued.id}`)).status !== 204) throw new Error('revoke failed');
    while ((await get(b.base, issued.token)).status !== 401) await new Promise((r) => setTimeout(r, 2));
    propagation.push(performance.now() - t0);
  }
  console.log(`revoked through A -> refused by B (${REVOCATIONS} tokens, B caches for 60 s): ${summary(propagation)}`);

  await Promise.all([a, b].map(({ server }) => new Promise((r) => server.close(r))));
  await temporal.connection.close();
  if (databaseB !== database) await databaseB.close();
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
