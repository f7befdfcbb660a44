/**
 * GET /v1/events over the real app, worker, Temporal dev server and database: a change reaches the stream
 * of who may see it and only them, and a reconnect with Last-Event-ID replays what was missed. (GET
 * /v1/queue with 10,000 open cases is tested with the browser suite, which inserts them once.)
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { caseEvents } from '../../db/schema';
import { GapTracker } from '../../api/live/gap-tracker';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/** Reads an SSE stream with fetch (as the console does) and collects its events. */
function openStream(url: string, token: string, lastEventId?: string) {
  const events: SseEvent[] = [];
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const done = (async () => {
    const res = await fetch(`${url}/v1/events`, { headers, signal: abort.signal });
    if (!res.ok || !res.body) throw new Error(`stream status ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}: `))
            ?.slice(name.length + 2) ?? '';
        if (block.startsWith(':')) continue;
        events.push({ id: field('id'), event: field('event'), data: field('data') });
      }
    }
  })().catch((err: unknown) => {
    if (!abort.signal.aborted) throw err;
  });
  return { events, close: () => abort.abort(), done };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('live case events', () => {
  let h: ApiHarness;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    h = await startApiHarness({ worker: true });
    server = await new Promise((resolve) => {
      const s = h.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await h?.close();
  });

  test('a case change reaches the streams of those who may see it, and only them, and resumes with Last-Event-ID', async () => {
    const anna = openStream(url, h.tokens['acme-premier-anna']);
    const nancy = openStream(url, h.tokens['northwind-production-nancy']);
    const engineer = openStream(url, h.tokens['eng-emea']);
    const ready = await until('ready', () => anna.events.find((e) => e.event === 'ready'));
    await until('others ready', () => nancy.events.find((e) => e.event === 'ready') && engineer.events.find((e) => e.event === 'ready'));

    const started = Date.now();
    const created = await h
      .http()
      .post('/v1/cases')
      .set(h.as('acme-premier-anna'))
      .send({ supportId: '01700001', type: 'licensing', severity: 3, title: 'Licence count', description: 'Shows 50, bought 80' });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    const seen = await until('anna sees the change', () =>
      anna.events.find((e) => e.event === 'case' && JSON.parse(e.data).caseId === caseId),
    );
    process.stdout.write(`the opening reached the stream ${Date.now() - started} ms after the request was sent\n`);
    expect(JSON.parse(seen.data)).toMatchObject({ caseId, orgId: 'acme-premier', type: 'opened', status: 'opened' });
    expect(JSON.parse(seen.data).id).toBeGreaterThan(Number(ready.id));
    await until('engineer sees it', () => engineer.events.find((e) => e.event === 'case' && JSON.parse(e.data).caseId === caseId));
    await new Promise((r) => setTimeout(r, 600));
    expect(nancy.events.filter((e) => e.event === 'case')).toEqual([]);

    // Disconnected since `ready`: a reconnect with that id replays the missed changes, oldest first.
    anna.close();
    const resumed = openStream(url, h.tokens['acme-premier-anna'], ready.id);
    const replayed = await until('replay', () =>
      resumed.events.find((e) => e.event === 'case' && JSON.parse(e.data).id === JSON.parse(seen.data).id),
    );
    expect(replayed.data).toBe(seen.data);
    resumed.close();
    nancy.close();
    engineer.close();

    const anonymous = await fetch(`${url}/v1/events`);
    expect(anonymous.status).toBe(401);

    // Integrators find it in the OpenAPI document, next to the queue.
    const openapi = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(JSON.stringify(openapi.paths['/v1/events'].get)).toContain('text/event-stream');
    expect(openapi.paths['/v1/queue'].get).toBeDefined();
  });

  test('a transaction that commits after a higher id was streamed still reaches the live stream, and a resume from before it replays it', async () => {
    const created = await h
      .http()
      .post('/v1/cases')
      .set(h.as('acme-premier-anna'))
      .send({ supportId: '01700001', type: 'licensing', severity: 4, title: 'Late commit', description: 'ids out of order' });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    const live = openStream(url, h.tokens['eng-emea']);
    await until('ready', () => live.events.find((e) => e.event === 'ready'));
    const changeOf = (s: { events: SseEvent[] }, key: string) =>
      s.events.filter((e) => e.event === 'case' && JSON.parse(e.data).caseId === caseId && JSON.parse(e.data).type === key);

    // Two writers: "late" takes the lower id, "early" the higher one and commits first; the stream sends "early".
    const writers = await outOfOrderWriters(h.database, caseId);
    await writers.commitEarly();
    const early = await until('early change', () => changeOf(live, 'early_commit')[0]);
    // The position a client that drops now would resume from must still be below the uncommitted lower id.
    expect(Number(early.id)).toBeLessThan(writers.lateId);
    const dropped = openStream(url, h.tokens['eng-emea'], early.id);
    await until('resumed early', () => changeOf(dropped, 'early_commit')[0]);
    dropped.close();
    // A stream opened now, "from now", gets the late change when it commits, and not the one before it connected.
    const fresh = openStream(url, h.tokens['eng-emea']);
    const freshReady = await until('fresh ready', () => fresh.events.find((e) => e.event === 'ready'));
    expect(Number(freshReady.id)).toBeLessThan(writers.lateId);

    await writers.commitLate();
    const late = await until('late change', () => changeOf(live, 'late_commit')[0]);
    await until('late on the fresh stream', () => changeOf(fresh, 'late_commit')[0]);
    expect(changeOf(fresh, 'early_commit')).toEqual([]);
    fresh.close();
    expect(JSON.parse(late.data).id).toBe(writers.lateId);
    expect(JSON.parse(late.data).id).toBeLessThan(JSON.parse(early.data).id);

    // A client that dropped at "early" reconnects with the SSE id it had: it gets "late" (and may get "early" again).
    const resumed = openStream(url, h.tokens['eng-emea'], early.id);
    await until('late replayed', () => changeOf(resumed, 'late_commit')[0]);
    resumed.close();
    await new Promise((r) => setTimeout(r, 600));
    live.close();
    expect(changeOf(live, 'late_commit')).toHaveLength(1);
    expect(changeOf(live, 'early_commit')).toHaveLength(1);
  });
});

/**
 * Two case_events writers whose ids and commits are in opposite orders. On PostgreSQL: two real transactions,
 * the first inserts (taking the lower id) and stays open while the second inserts and commits. PGlite has a
 * single session, so there the lower id is taken from the sequence first and its row inserted last, which is
 * what a reader sees of the same interleaving.
 */
async function outOfOrderWriters(database: Database, caseId: string) {
  const row = (type: string) => ({ caseId, eventKey: `${type}-${Date.now()}`, type, actorId: 'system', data: {}, occurredAt: new Date() });
  const nextId = async () => {
    const rows = await database.db.execute<{ id: string }>(sql`select nextval(pg_get_serial_sequence('case_events', 'id')) as id`);
    return Number((Array.isArray(rows) ? rows : (rows as { rows: { id: string }[] }).rows)[0].id);
  };
  if (database.kind === 'postgres') {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: (id: number) => void;
    const lateIdTaken = new Promise<number>((r) => (inserted = r));
    const late = database.db.transaction(async (tx) => {
      const [{ id }] = await tx.insert(caseEvents).values(row('late_commit')).returning({ id: caseEvents.id });
      inserted(id);
      await gate;
    });
    const lateId = await lateIdTaken;
    return {
      lateId,
      commitEarly: async () => void (await database.db.insert(caseEvents).values(row('early_commit'))),
      commitLate: async () => {
        release();
        await late;
      },
    };
  }
  const lateId = await nextId();
  return {
    lateId,
    commitEarly: async () => void (await database.db.insert(caseEvents).values(row('early_commit'))),
    commitLate: async () => void (await database.db.insert(caseEvents).values({ ...row('late_commit'), id: lateId })),
  };
}

describe('GapTracker (the ids the feed stepped over)', () => {
  test('keeps skipped ids open until they are read or their grace has passed, and bounds how many', () => {
    const gaps = new GapTracker(1000, 5);
    gaps.skipped(10, 13, 0);
    expect(gaps.pending(0)).toEqual([11, 12]);
    expect(gaps.lowest()).toBe(11);
    gaps.filled(11);
    expect(gaps.lowest()).toBe(12);
    expect(gaps.pending(999)).toEqual([12]);
    expect(gaps.pending(1000)).toEqual([]);
    expect(gaps.lowest()).toBeNull();
    gaps.skipped(20, 100, 0); // a burst of burnt ids: only the newest 5 stay open
    expect(gaps.pending(1)).toEqual([95, 96, 97, 98, 99]);
  });
});
