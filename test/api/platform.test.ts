/** Health, readiness, the OpenAPI document, security headers, problem+json for transport-level errors, rate limit. */
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../api/app';
import { openDatabase } from '../../db/client';
import { createTestDatabase } from '../helpers/db';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(() => h?.close());

const PROBLEM = /^application\/problem\+json/;

describe('health and readiness', () => {
  test('GET /health is 200 without a token', async () => {
    const res = await h.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('GET /ready is 200 when Temporal and the database answer', async () => {
    const res = await h.http().get('/ready');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks.temporal.ok).toBe(true);
    expect(res.body.checks.database.ok).toBe(true);
  });

  test('GET /ready is 503 naming Temporal when it does not answer', async () => {
    // No retry interceptor: its backoff timers would outlive the connection this test closes.
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500, interceptors: [] });
    const app = createApp({ database: h.database, temporal: new Client({ connection }), logger: pino({ level: 'silent' }) });
    const res = await h.request(app).get('/ready');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('unavailable');
    expect(res.body.checks.temporal.ok).toBe(false);
    expect(typeof res.body.checks.temporal.error).toBe('string');
    expect(res.body.checks.database.ok).toBe(true);
    await connection.close();
  });

  test('GET /ready is 503 naming the database when it does not answer', async () => {
    const database = await createTestDatabase();
    await database.close();
    const app = createApp({ database, temporal: h.env.client, logger: pino({ level: 'silent' }) });
    const res = await h.request(app).get('/ready');
    expect(res.status).toBe(503);
    expect(res.body.checks.database.ok).toBe(false);
    expect(res.body.checks.temporal.ok).toBe(true);
  });
});

describe('database not answering', () => {
  test('a request that needs the database is a 503 problem, not a 500', async () => {
    // A real postgres.js client pointed at a port where nothing listens: every query is refused.
    const database = await openDatabase({ url: 'postgres://caseflow@127.0.0.1:1/caseflow', migrate: false, maxConnections: 1 });
    const app = createApp({ database, temporal: h.env.client, logger: pino({ level: 'silent' }) });
    const res = await h.request(app).get('/v1/cases').set(h.as('acme-premier-anna'));
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toMatch(/database-unavailable$/);
    await database.close();
  });
});

describe('Temporal not answering', () => {
  test('opening a case with no worker polling is a 503 after the deadline, not a hung request', async () => {
    const app = createApp({ database: h.database, temporal: h.env.client, logger: pino({ level: 'silent' }), workflowTimeoutMs: 1500 });
    const started = Date.now();
    const res = await h
      .request(app)
      .post('/v1/cases')
      .set(h.as('acme-premier-anna'))
      .set('Idempotency-Key', 'no-worker-1')
      .send({ supportId: '01700001', type: 'licensing', severity: 3, title: 'No worker', description: 'Nobody polls the task queue' });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.detail).toMatch(/retry with the same Idempotency-Key/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('OpenAPI document', () => {
  test('is OpenAPI 3.1 and describes every route with its schemas', async () => {
    const res = await h.http().get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/v1/cases',
      '/v1/cases/{id}',
      '/v1/cases/{id}/sla',
      '/v1/cases/{id}/severity',
      '/v1/cases/{id}/phone-sessions',
      '/v1/policy',
      '/v1/reports/sla',
      '/v1/organisations',
      '/v1/principals/{id}/tokens',
      '/v1/products/{id}/versions',
    ]) {
      expect(paths).toContain(p);
    }
    const create = doc.paths['/v1/cases'].post;
    expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateCase' });
    expect(doc.components.schemas.CreateCase.additionalProperties).toBe(false);
    expect(doc.components.schemas.CreateCase.required).toEqual(expect.arrayContaining(['supportId', 'type', 'title', 'description']));
    expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Case' });
    expect(create.responses['422'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(create.parameters.map((p: { name: string }) => p.name)).toContain('idempotency-key');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  test('every $ref resolves and every operation documents its errors as problems', async () => {
    const doc = (await h.http().get('/openapi.json')).body;
    const refs = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node))
          if (k === '$ref' && typeof v === 'string') refs.add(v);
          else walk(v);
      }
    };
    walk(doc);
    for (const ref of refs) expect(doc.components.schemas[ref.replace('#/components/schemas/', '')]).toBeDefined();
    for (const [path, item] of Object.entries(
      doc.paths as Record<string, Record<string, { responses: Record<string, unknown>; summary: string }>>,
    )) {
      for (const op of Object.values(item)) {
        expect(op.summary).toBeTruthy();
        expect(op.responses['401']).toBeDefined();
        expect(Object.keys(op.responses).some((s) => s.startsWith('2'))).toBe(true);
        if (path.includes('{id}')) expect(op.responses['404'] ?? op.responses['400']).toBeDefined();
      }
    }
  });
});

describe('transport', () => {
  test('security headers are set', async () => {
    const res = await h.http().get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeDefined();
  });

  test('missing, malformed and unknown tokens are 401 problems', async () => {
    for (const auth of [undefined, 'Basic abc', 'Bearer ', 'Bearer cf_unknown']) {
      const req = h.http().get('/v1/policy');
      const res = await (auth === undefined ? req : req.set('Authorization', auth));
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body).toMatchObject({ status: 401, title: 'Authentication required', instance: '/v1/policy' });
    }
  });

  test('unknown routes are 404 problems', async () => {
    const res = await h.http().get('/v1/nothing-here').set(h.as('demo-admin'));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  test('malformed JSON is a 400 naming the body', async () => {
    const res = await h.http().post('/v1/products').set(h.as('demo-admin')).set('Content-Type', 'application/json').send('{"id": ');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: '(body)', in: 'body', reason: 'malformed JSON' }]);
  });

  test('a body over the limit is a 413', async () => {
    const res = await h
      .http()
      .post('/v1/products')
      .set(h.as('demo-admin'))
      .send({ id: 'big', name: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  test('a non-JSON body is a 415', async () => {
    const res = await h.http().post('/v1/products').set(h.as('demo-admin')).set('Content-Type', 'text/plain').send('id=x');
    expect(res.status).toBe(415);
  });

  // Failed-authentication counts are shared by every app on the database (they would be by every API instance):
  // each test speaks from its own client address, behind a proxy the app trusts.
  const behindProxy = (limits: { authFailuresPerAddressPerMinute?: number; rateLimitPerMinute?: number }) =>
    createApp({ database: h.database, temporal: h.env.client, logger: pino({ level: 'silent' }), trustProxy: 1, ...limits });

  test('failed authentications are limited per client address', async () => {
    const app = behindProxy({ authFailuresPerAddressPerMinute: 3 });
    const from = (address: string) => h.request(app).get('/v1/products').set('X-Forwarded-For', address);
    for (let i = 0; i < 3; i++) expect((await from('198.51.100.1').set('Authorization', `Bearer cf_guess${i}`)).status).toBe(401);
    const blocked = await from('198.51.100.1').set('Authorization', 'Bearer cf_guess4');
    expect(blocked.status).toBe(429);
    expect(blocked.body.detail).toMatch(/failed authentications/);
    // Another address is not blocked, and its successful requests never count.
    for (let i = 0; i < 5; i++) expect((await from('198.51.100.2').set(h.as('eng-emea'))).status).toBe(200);
  });

  test('many concurrent good requests from one address are not mistaken for token guessing', async () => {
    const app = behindProxy({ authFailuresPerAddressPerMinute: 3 });
    const from = () => h.request(app).get('/v1/products').set('X-Forwarded-For', '198.51.100.3');
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () =>
        from()
          .set(h.as('eng-emea'))
          .then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(12).fill(200));
    // Failures still count once answered, and block only invalid tokens.
    for (let i = 0; i < 3; i++) expect((await from().set('Authorization', `Bearer cf_guess${i}`)).status).toBe(401);
    expect((await from().set('Authorization', 'Bearer cf_guess3')).status).toBe(429);
    expect((await from().set(h.as('eng-emea'))).status).toBe(200);
  });

  test('the rate limit is per token and answers 429 problems', async () => {
    const app = behindProxy({ rateLimitPerMinute: 3 });
    // Counts are shared by every app on the database: fresh tokens start at zero.
    const issue = async () => {
      const res = await h.http().post('/v1/principals/demo-admin/tokens').set(h.as('demo-admin')).send({ label: 'rate limit test' });
      return { Authorization: `Bearer ${res.body.token as string}` };
    };
    const [first, second] = [await issue(), await issue()];
    for (let i = 0; i < 3; i++) expect((await h.request(app).get('/v1/products').set(first)).status).toBe(200);
    const limited = await h.request(app).get('/v1/products').set(first);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(PROBLEM);
    expect(limited.headers.ratelimit).toBeDefined();
    // Another token has its own budget.
    expect((await h.request(app).get('/v1/products').set(second)).status).toBe(200);
  });
});
