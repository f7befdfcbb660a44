/**
 * Issue 19, parts A and D, over the real app and database: nobody is locked out by someone else's failed
 * authentications; open event streams are capped per principal (on every instance together); the published
 * document declares the headers the API sends, OnCallShift.fallback as nullable, and the stream's `ready` and
 * `case` events as two shapes.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import pino from 'pino';
import { createApp, type AppDeps } from '../../api/app';
import { OpenApiConformance } from '../helpers/openapi-conformance';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(() => h?.close());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
/** Another app on the harness's database (failure counts and stream leases are shared, as by every instance), behind a trusted proxy. */
const appWith = (opts: Partial<AppDeps>) =>
  createApp({ database: h.database, temporal: h.env.client, logger: pino({ level: 'silent' }), trustProxy: 1, ...opts });

async function issueToken(principalId: string): Promise<{ id: string; token: string }> {
  const res = await h.http().post(`/v1/principals/${principalId}/tokens`).set(h.as('demo-admin')).send({ label: 'access limits test' });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, token: res.body.token as string };
}

describe('failed authentications lock nobody else out', () => {
  test('a valid token from an address with many failed attempts of another token gets 200', async () => {
    const app = appWith({ authFailuresPerMinute: 3, authFailuresPerAddressPerMinute: 1000 });
    const from = () => h.request(app).get('/v1/products').set('X-Forwarded-For', '198.18.0.1');
    // A tab whose token was revoked, retrying: its own refusals turn into 429s after three...
    const revoked = await issueToken('acme-premier-anna');
    expect((await h.http().delete(`/v1/principals/acme-premier-anna/tokens/${revoked.id}`).set(h.as('demo-admin'))).status).toBe(204);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await from().set(bearer(revoked.token))).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    // ...while a colleague behind the same NAT is answered.
    const colleague = await from().set(h.as('eng-emea'));
    expect(colleague.status).toBe(200);
    // So is a third token that never failed (its own count is its own).
    expect((await from().set(bearer('cf_never_tried'))).status).toBe(401);
  });

  test('an address over its (higher) limit refuses invalid tokens only', async () => {
    const app = appWith({ authFailuresPerMinute: 30, authFailuresPerAddressPerMinute: 4 });
    const from = () => h.request(app).get('/v1/products').set('X-Forwarded-For', '198.18.0.2');
    for (let i = 0; i < 4; i++) expect((await from().set(bearer(`cf_guess_${i}`))).status).toBe(401);
    const blocked = await from().set(bearer('cf_guess_next'));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(blocked.body.detail).toMatch(/from this address.*valid tokens are not affected/);
    expect((await from()).status).toBe(429); // no token at all: counted per address
    for (const who of ['eng-emea', 'demo-admin', 'acme-premier-anna']) expect((await from().set(h.as(who))).status).toBe(200);
  });
});

/** Opens GET /v1/events on a listening app; resolves with the status once the headers are in. */
async function openStream(url: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(`${url}/v1/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  const body = res.ok ? undefined : ((await res.json()) as { type: string; detail: string });
  return { status: res.status, body, close: () => abort.abort() };
}

async function listen(app: Express): Promise<{ url: string; server: Server }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('open event streams are capped per principal, on all instances together, with a 429 naming the limit', async () => {
  const a = await listen(appWith({ eventStreamsPerPrincipal: 3 }));
  const b = await listen(appWith({ eventStreamsPerPrincipal: 3 }));
  const { token } = await issueToken('eng-americas');
  const second = await issueToken('eng-americas'); // the cap is per principal, not per token
  const streams: Array<Awaited<ReturnType<typeof openStream>>> = [];
  try {
    for (const [url, t] of [
      [a.url, token],
      [b.url, token],
      [a.url, second.token],
    ])
      streams.push(await openStream(url, t));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    for (const url of [a.url, b.url]) {
      const refused = await openStream(url, token);
      expect(refused.status).toBe(429);
      expect(refused.body?.type).toMatch(/rate-limited$/);
      expect(refused.body?.detail).toMatch(/at most 3 event streams .* per principal \(EVENT_STREAMS_PER_PRINCIPAL\)/);
    }
    // Another principal is not affected.
    const other = await openStream(a.url, h.tokens['eng-emea']);
    expect(other.status).toBe(200);
    other.close();
    // Closing one frees its slot (on any instance).
    streams.shift()!.close();
    const deadline = Date.now() + 5000;
    let reopened = await openStream(b.url, token);
    while (reopened.status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      reopened = await openStream(b.url, token);
    }
    expect(reopened.status).toBe(200);
    streams.push(reopened);
  } finally {
    for (const s of streams) s.close();
    a.server.closeAllConnections();
    b.server.closeAllConnections();
    await Promise.all([a, b].map(({ server }) => new Promise((r) => server.close(r))));
  }
});

describe('the published document', () => {
  let doc: {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }> }>
    >;
    components: { schemas: Record<string, Record<string, unknown>> };
  };
  beforeAll(async () => {
    doc = (await h.http().get('/openapi.json')).body;
  });

  test('declares the headers the API sends', () => {
    const headers = (path: string, method: string, status: number) => Object.keys(doc.paths[path][method].responses[status].headers ?? {});
    expect(headers('/v1/cases', 'post', 201)).toEqual(
      expect.arrayContaining(['Location', 'Idempotent-Replayed', 'RateLimit', 'RateLimit-Policy', 'X-Request-Id']),
    );
    expect(headers('/v1/policy/backtests', 'post', 202)).toContain('Location');
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const what = `${method} ${path}`;
        expect({ what, h: headers(path, method, 401) }).toEqual({ what, h: expect.arrayContaining(['WWW-Authenticate', 'X-Request-Id']) });
        expect({ what, h: headers(path, method, 429) }).toEqual({
          what,
          h: expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy', 'X-Request-Id']),
        });
        for (const status of Object.keys(op.responses))
          expect({ what, status, h: headers(path, method, Number(status)) }).toEqual({
            what,
            status,
            h: expect.arrayContaining(['X-Request-Id']),
          });
      }
    }
  });

  test('the conformance check fails a response whose headers are not declared, and passes the real ones', async () => {
    const conformance = new OpenApiConformance(doc as never);
    const created = { method: 'POST', url: '/v1/cases', status: 201, contentType: 'application/json', body: undefined };
    const stripped = JSON.parse(JSON.stringify(doc)) as typeof doc;
    stripped.paths['/v1/cases'].post.responses['201'].headers = {};
    stripped.paths['/v1/cases'].post.responses['201'].content = undefined;
    expect(
      new OpenApiConformance(stripped as never).check({ ...created, headers: { location: '/v1/cases/x', 'x-request-id': 'r' } }),
    ).toEqual([
      expect.stringContaining('header location is sent but not declared'),
      expect.stringContaining('header x-request-id is sent but not declared'),
    ]);
    // Real answers, headers and all (the harness checks every response this way).
    const refused = await h.http().get('/v1/products').set(bearer('cf_nobody'));
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    const ok = await h.http().get('/v1/products').set(h.as('eng-emea'));
    expect(ok.headers.ratelimit).toBeDefined();
    expect(
      conformance.check({
        method: 'GET',
        url: '/v1/products',
        status: 200,
        contentType: 'application/json',
        body: ok.body,
        headers: ok.headers,
      }),
    ).toEqual([]);
  });

  test('OnCallShift.fallback is nullable, as a shift without a fallback is sent', async () => {
    const fallback = doc.components.schemas.OnCallShift.properties as Record<string, unknown>;
    expect(fallback.fallback).toEqual({ anyOf: [{ $ref: '#/components/schemas/PersonRef' }, { type: 'null' }] });
    const shift = await h
      .http()
      .post('/v1/oncall/shifts')
      .set(h.as('demo-admin'))
      .send({ region: 'APAC', primaryId: 'eng-apac', validFrom: '2030-01-01T00:00:00Z' });
    // The harness validated this answer against the document: with the old schema, null failed it.
    expect([shift.status, shift.body.fallback]).toEqual([201, null]);
  });

  test("the stream's ready and case events are published as two shapes", () => {
    const { schemas } = doc.components;
    expect(doc.paths['/v1/events'].get.responses['200'].content).toEqual({
      'text/event-stream': { schema: { $ref: '#/components/schemas/StreamEvent' } },
    });
    expect(schemas.StreamEvent.oneOf).toEqual([
      { $ref: '#/components/schemas/StreamReadyEvent' },
      { $ref: '#/components/schemas/StreamCaseEvent' },
    ]);
    expect(schemas.StreamReadyEvent.properties).toMatchObject({
      event: { enum: ['ready'] },
      data: { $ref: '#/components/schemas/StreamReady' },
    });
    expect(schemas.StreamCaseEvent.properties).toMatchObject({
      event: { enum: ['case'] },
      data: { $ref: '#/components/schemas/CaseChange' },
    });
    expect(schemas.StreamReady).toMatchObject({ type: 'object', additionalProperties: false });
  });
});
