/**
 * Issue 11, part 2: several API instances, one behaviour. Two Express apps (instances A and B) on one
 * database in this jest process. With DATABASE_URL each instance has its own connection pool to the same
 * PostgreSQL database, as two processes would: limits count in the shared rate_limits table and a change
 * reaches B through LISTEN/NOTIFY. On PGlite (one process by nature) both apps share the embedded database:
 * the same assertions hold through the in-process counters and PGlite's own LISTEN/NOTIFY, and the test
 * checks that the counters are in memory there.
 */
import { sql } from 'drizzle-orm';
import type { Express } from 'express';
import pino from 'pino';
import { createApp, type AppDeps } from '../../api/app';
import { referenceDataChanges } from '../../api/shared-state/reference-data';
import { openDatabase, type Database } from '../../db/client';
import { apiTokens, rateLimits } from '../../db/schema';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
/** B's own connection pool on PostgreSQL; on PGlite the one embedded database. */
let databaseB: Database;
const logger = pino({ level: 'silent' });
const measured: Record<string, number> = {};

beforeAll(async () => {
  h = await startApiHarness();
  databaseB = h.database.kind === 'postgres' ? await secondConnection(h.database) : h.database;
  await Promise.all([referenceDataChanges(h.database, logger).ready, referenceDataChanges(databaseB, logger).ready]);
});
afterAll(async () => {
  console.info(`instances: time until the other instance refused (ms): ${JSON.stringify(measured)}`);
  if (databaseB && databaseB !== h.database) await databaseB.close();
  await h?.close();
});

async function secondConnection(database: Database): Promise<Database> {
  const rows = await database.db.execute<{ name: string }>(sql`select current_database() as name`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${(rows as unknown as { name: string }[])[0].name}`;
  return openDatabase({ url: url.toString(), maxConnections: 5, migrate: false });
}

/** Instances A (on the harness's database) and B (on its own pool), configured alike. */
function twoInstances(opts: Partial<AppDeps> = {}): { a: Express; b: Express } {
  const deps = { temporal: h.env.client, logger, trustProxy: 1, ...opts };
  return { a: createApp({ ...deps, database: h.database }), b: createApp({ ...deps, database: databaseB }) };
}

const admin = () => h.as('demo-admin');
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function issueToken(app: Express, principalId: string): Promise<{ id: string; token: string }> {
  const res = await h.request(app).post(`/v1/principals/${principalId}/tokens`).set(admin()).send({ label: 'instances test' });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, token: res.body.token as string };
}

/** Polls `probe` (no sleeps beyond the poll step) until it holds; the milliseconds it took, or a failure after `limitMs` x 3. */
async function msUntil(probe: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = performance.now();
  while (!(await probe())) {
    if (performance.now() - started > limitMs * 3) throw new Error(`not within ${limitMs * 3} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
}

const productsStatus = async (app: Express, token: string) => (await h.request(app).get('/v1/products').set(bearer(token))).status;

describe('limits count across instances', () => {
  test("a token's request budget is spent on both instances together", async () => {
    const { a, b } = twoInstances({ rateLimitPerMinute: 4 });
    const { id, token } = await issueToken(a, 'eng-emea');
    const remaining: string[] = [];
    for (const app of [a, b, a, b]) {
      const res = await h.request(app).get('/v1/products').set(bearer(token));
      expect(res.status).toBe(200);
      remaining.push(/r=(\d+)/.exec(res.headers.ratelimit as string)![1]);
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    for (const app of [b, a]) {
      const limited = await h.request(app).get('/v1/products').set(bearer(token));
      expect(limited.status).toBe(429);
      expect(limited.body.type).toMatch(/rate-limited$/);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(limited.headers['ratelimit-policy']).toMatch(/q=4; w=60/);
    }
    // Where the count lives: the shared table on PostgreSQL, the process's memory on PGlite (one process).
    const rows = await h.database.db
      .select()
      .from(rateLimits)
      .where(sql`${rateLimits.key} = ${`token/60:${id}`}`);
    if (h.database.kind === 'postgres') expect(rows).toEqual([expect.objectContaining({ points: 6 })]);
    else expect(rows).toEqual([]);
  });

  test('failed authentications from one address are counted on both instances, and never block valid tokens', async () => {
    const { a, b } = twoInstances({ authFailuresPerAddressPerMinute: 3 });
    const from = (app: Express, address: string) => h.request(app).get('/v1/products').set('X-Forwarded-For', address);
    // Good requests from the address count nothing, however many and wherever they land.
    const good = await Promise.all([a, b, a, b, a, b, a, b].map((app) => from(app, '192.0.2.10').set(h.as('eng-emea'))));
    expect(good.map((r) => r.status)).toEqual(Array(8).fill(200));
    for (const [app, guess] of [
      [a, 'cf_guess_1'],
      [b, 'cf_guess_2'],
      [a, 'cf_guess_3'],
    ] as const)
      expect((await from(app, '192.0.2.10').set(bearer(guess))).status).toBe(401);
    for (const app of [b, a]) {
      const blocked = await from(app, '192.0.2.10').set(bearer('cf_guess_4'));
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(blocked.body.detail).toMatch(/from this address/);
      // The valid token beside it is answered on both instances.
      expect((await from(app, '192.0.2.10').set(h.as('eng-emea'))).status).toBe(200);
    }
    // Another address is not affected.
    expect((await from(b, '192.0.2.11').set(bearer('cf_guess_5'))).status).toBe(401);
    const rows = await h.database.db
      .select()
      .from(rateLimits)
      .where(sql`${rateLimits.key} = 'auth-failure/60:address:192.0.2.10'`);
    if (h.database.kind === 'postgres') expect(rows).toEqual([expect.objectContaining({ points: 5 })]);
    else expect(rows).toEqual([]);
  });
});

describe('a change made through one instance is refused by the other within a second', () => {
  // B caches for a minute: only the change notification, not the cache's safety TTL, can make B refuse in time.
  const cacheTtlMs = 60_000;

  test('a token revoked through A', async () => {
    const { a, b } = twoInstances({ cacheTtlMs });
    const { id, token } = await issueToken(a, 'eng-emea');
    expect(await productsStatus(b, token)).toBe(200); // cached on B
    expect((await h.request(a).delete(`/v1/principals/eng-emea/tokens/${id}`).set(admin())).status).toBe(204);
    expect(await productsStatus(a, token)).toBe(401);
    measured.revokedToken = await msUntil(async () => (await productsStatus(b, token)) === 401, 1000);
    expect(measured.revokedToken).toBeLessThanOrEqual(1000);
  });

  test('a principal disabled through A, with every token it holds', async () => {
    const { a, b } = twoInstances({ cacheTtlMs });
    const created = await h
      .request(a)
      .post('/v1/principals')
      .set(admin())
      .send({ id: 'instances-eng', name: 'Ines Stance', email: 'ines@vendor.test', role: 'engineer', homeRegion: 'EMEA' });
    expect(created.status).toBe(201);
    const [first, second] = [await issueToken(a, 'instances-eng'), await issueToken(a, 'instances-eng')];
    expect(await productsStatus(b, first.token)).toBe(200);
    expect(await productsStatus(b, second.token)).toBe(200);
    expect((await h.request(a).patch('/v1/principals/instances-eng').set(admin()).send({ disabled: true })).status).toBe(200);
    measured.disabledPrincipal = await msUntil(
      async () => (await productsStatus(b, first.token)) === 401 && (await productsStatus(b, second.token)) === 401,
      1000,
    );
    expect(measured.disabledPrincipal).toBeLessThanOrEqual(1000);
  });

  test('a revocation written to the database directly (an operator in psql) reaches both instances', async () => {
    const { a, b } = twoInstances({ cacheTtlMs });
    const { id, token } = await issueToken(a, 'eng-apac');
    expect(await productsStatus(a, token)).toBe(200);
    expect(await productsStatus(b, token)).toBe(200);
    await h.database.db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(sql`${apiTokens.id} = ${id}`);
    measured.revokedInDatabase = await msUntil(
      async () => (await productsStatus(a, token)) === 401 && (await productsStatus(b, token)) === 401,
      1000,
    );
    expect(measured.revokedInDatabase).toBeLessThanOrEqual(1000);
  });

  test("an organisation's time zone changed through A is what B answers", async () => {
    const { a, b } = twoInstances({ cacheTtlMs });
    const zoneOnB = async () =>
      (await h.request(b).get('/v1/policy?orgId=acme-premier').set(admin())).body.organisation.businessCalendar.zone as string;
    expect(await zoneOnB()).toBe('Europe/Berlin');
    expect((await h.request(a).patch('/v1/organisations/acme-premier').set(admin()).send({ timeZone: 'Europe/Vienna' })).status).toBe(200);
    measured.organisation = await msUntil(async () => (await zoneOnB()) === 'Europe/Vienna', 1000);
    expect(measured.organisation).toBeLessThanOrEqual(1000);
    await h.request(a).patch('/v1/organisations/acme-premier').set(admin()).send({ timeZone: 'Europe/Berlin' });
  });

  test('an event stream on B ends when its token is revoked through A', async () => {
    const { a, b } = twoInstances({ cacheTtlMs });
    const { id, token } = await issueToken(a, 'eng-emea');
    const server = b.listen(0);
    try {
      const { port } = server.address() as { port: number };
      const stream = await fetch(`http://127.0.0.1:${port}/v1/events`, { headers: bearer(token) });
      expect(stream.status).toBe(200);
      const reader = stream.body!.getReader();
      const ended = (async () => {
        while (!(await reader.read()).done);
        return performance.now();
      })();
      const giveUp = setTimeout(() => void reader.cancel(), 3000); // a stream that never ends fails below, not by timeout
      await new Promise((r) => setTimeout(r, 100));
      const revokedAt = performance.now();
      expect((await h.request(a).delete(`/v1/principals/eng-emea/tokens/${id}`).set(admin())).status).toBe(204);
      measured.eventStream = (await ended) - revokedAt;
      clearTimeout(giveUp);
      expect(measured.eventStream).toBeLessThanOrEqual(1000);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

test('a missed notification: the one-second cache TTL still refuses a revoked token', async () => {
  const { a, b } = twoInstances(); // the default TTL
  const { id, token } = await issueToken(a, 'eng-emea');
  expect(await productsStatus(b, token)).toBe(200);
  // Triggers off for this transaction (as a replica applies changes): no notification is sent.
  await h.database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(sql`${apiTokens.id} = ${id}`);
  });
  measured.missedNotification = await msUntil(async () => (await productsStatus(b, token)) === 401, 1000);
  // The entry B cached before the revocation expires at most 1 s later; the margin is the polling request.
  expect(measured.missedNotification).toBeLessThanOrEqual(1500);
});
