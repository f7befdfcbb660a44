/**
 * Issue 10, defect 3 and item 4: the published document matches the responses (WeeklyWindow.day, the
 * conformance check itself), and the HTTP details real clients trip over: the Bearer scheme in any case,
 * 405 with Allow, 413 documented, Retry-After on a failed-authentication block (which spares valid tokens), Idempotency-Key on actions.
 */
import pino from 'pino';
import { createApp } from '../../api/app';
import { OpenApiConformance } from '../helpers/openapi-conformance';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
let caseId: string;
const CUSTOMER = 'northwind-production-nancy';
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
  const res = await h
    .http()
    .post('/v1/cases')
    .set(h.as(CUSTOMER))
    .send({ supportId: '01700002', type: 'licensing', severity: 3, title: 'Protocol', description: 'target' });
  expect(res.status).toBe(201);
  caseId = res.body.id;
});
afterAll(() => h?.close());

describe('the published document', () => {
  test('WeeklyWindow.day is published as the integers 1-7, and every day round-trips', async () => {
    const doc = (await h.http().get('/openapi.json')).body;
    expect(doc.components.schemas.WeeklyWindow.properties.day).toMatchObject({ type: 'integer', enum: [1, 2, 3, 4, 5, 6, 7] });
    const businessHours = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '08:00', close: '17:00' }));
    // The harness validates this response against the document: with `enum: [1]` it failed.
    const res = await h.http().patch('/v1/organisations/fjord-plan-evaluation').set(h.as('demo-admin')).send({ businessHours });
    expect(res.status).toBe(200);
    expect(res.body.businessHours).toEqual(businessHours);
  });

  test('the conformance check rejects an undocumented status, a wrong media type and a body off its schema', async () => {
    const doc = (await h.http().get('/openapi.json')).body;
    const conformance = new OpenApiConformance(doc);
    const base = { method: 'GET', url: '/v1/organisations/x', contentType: 'application/json' };
    const org = (await h.http().get('/v1/organisations/acme-premier').set(h.as('demo-admin'))).body;
    expect(conformance.check({ ...base, status: 200, body: org })).toEqual([]);
    expect(
      conformance.check({ ...base, status: 200, body: { ...org, businessHours: [{ day: 8, open: '08:00', close: '09:00' }] } }),
    ).not.toEqual([]);
    expect(conformance.check({ ...base, status: 200, body: { ...org, entitlement: 'platinum' } })).not.toEqual([]);
    expect(conformance.check({ ...base, status: 418, body: {} })).toEqual([expect.stringContaining('not documented')]);
    expect(conformance.check({ ...base, status: 200, contentType: 'text/html', body: '' })).toEqual([
      expect.stringContaining('media type'),
    ]);
    expect(conformance.check({ ...base, status: 500, contentType: 'application/problem+json', body: { status: 500 } })).not.toEqual([]);
  });

  test('429 documents Retry-After', async () => {
    const doc = (await h.http().get('/openapi.json')).body;
    expect(doc.paths['/v1/cases'].get.responses['429'].headers['Retry-After'].schema).toEqual({ type: 'integer', minimum: 1 });
  });

  test('413 is documented on every operation that takes a body, 503 on every operation', async () => {
    const doc = (await h.http().get('/openapi.json')).body;
    for (const [path, item] of Object.entries<Record<string, { requestBody?: unknown; responses: object }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (op.requestBody)
          expect([method, path, Object.keys(op.responses)]).toEqual([method, path, expect.arrayContaining(['413', '415'])]);
        expect([method, path, Object.keys(op.responses)]).toEqual([method, path, expect.arrayContaining(['503'])]);
      }
    }
  });

  test('a body over the limit is a documented 413 problem', async () => {
    const res = await h
      .http()
      .post(`/v1/cases/${caseId}/replies`)
      .set(h.as(CUSTOMER))
      .send({ message: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(res.body.type).toMatch(/body-too-large$/);
  });
});

describe('the Bearer scheme is case-insensitive', () => {
  test.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])('%s <token> authenticates', async (scheme) => {
    const token = h.tokens['eng-emea'];
    const res = await h.http().get('/v1/products').set('Authorization', `${scheme} ${token}`);
    expect(res.status).toBe(200);
  });

  test.each(['Basic abc', 'Bearer', 'Bearertoken', 'Token abc'])('%j is a 401', async (header) => {
    const res = await h.http().get('/v1/products').set('Authorization', header);
    expect(res.status).toBe(401);
  });
});

describe('an undeclared method on a known path', () => {
  test.each([
    ['post', '/v1/policy', 'GET, HEAD, OPTIONS'],
    ['delete', '/v1/cases/{case}', 'GET, HEAD, OPTIONS'],
    ['put', '/v1/cases', 'POST, GET, HEAD, OPTIONS'],
    ['get', '/v1/principals/eng-apac', 'PATCH, OPTIONS'],
    ['put', '/v1/organisations/acme-premier', 'GET, HEAD, PATCH, OPTIONS'],
    ['get', '/v1/cases/{case}/replies', 'POST, OPTIONS'],
  ] as const)('%s %s is a 405 with Allow: %s', async (method, path, allow) => {
    const res = await h.http()[method](path.replace('{case}', caseId)).set(h.as('demo-admin'));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toContain(allow);
  });

  test('OPTIONS answers 204 with Allow; an unknown path is still a 404', async () => {
    const options = await h.http().options('/v1/cases').set(h.as('demo-admin'));
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('POST, GET, HEAD, OPTIONS');
    expect((await h.http().delete('/v1/nothing-here').set(h.as('demo-admin'))).status).toBe(404);
  });
});

test('a failed-authentication block says for how long, in Retry-After and in its detail', async () => {
  // Its own client address (behind a proxy the app trusts): failure counts are shared by every app on the database.
  const app = createApp({
    database: h.database,
    temporal: h.env.client,
    logger: pino({ level: 'silent' }),
    authFailuresPerAddressPerMinute: 2,
    trustProxy: 1,
  });
  const from = () => h.request(app).get('/v1/products').set('X-Forwarded-For', '203.0.113.7');
  for (let i = 0; i < 2; i++) expect((await from().set('Authorization', `Bearer cf_guess${i}`)).status).toBe(401);
  const blocked = await from().set('Authorization', 'Bearer cf_guess2');
  expect(blocked.status).toBe(429);
  const seconds = Number(blocked.headers['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
  expect(blocked.body.detail).toMatch(
    new RegExp(`from this address.* (${seconds}|${seconds - 1}) more seconds?.*valid tokens are not affected`),
  );
  // A valid token from the blocked address is not refused.
  expect((await from().set(h.as('eng-emea'))).status).toBe(200);
});

describe('Idempotency-Key on case actions', () => {
  test('a retry with the same body has one effect; another body or another action with the key is a 409', async () => {
    const key = `sev-${Date.now()}`;
    const send = (path: string, body: object) =>
      h.http().post(`/v1/cases/${caseId}/${path}`).set(h.as(CUSTOMER)).set('Idempotency-Key', key).send(body);
    const first = await send('severity', { severity: 2, reason: 'backups failing' });
    expect(first.status).toBe(200);
    const retry = await send('severity', { reason: 'backups failing', severity: 2 });
    expect(retry.status).toBe(200);
    expect(retry.body.version).toBe(first.body.version);
    expect(retry.body.severity).toBe(2);
    const other = await send('severity', { severity: 1, reason: 'backups failing' });
    expect(other.status).toBe(409);
    expect(other.body.type).toMatch(/idempotency-key-reused$/);
    const elsewhere = await send('replies', { message: 'hello' });
    expect(elsewhere.status).toBe(409);
    const detail = await h.http().get(`/v1/cases/${caseId}`).set(h.as(CUSTOMER));
    expect(detail.body.severity).toBe(2);
    expect(detail.body.history.filter((e: { type: string }) => /severity/i.test(e.type))).toHaveLength(1);
  });

  test('the same key on another case is another request', async () => {
    const other = await h
      .http()
      .post('/v1/cases')
      .set(h.as(CUSTOMER))
      .send({ supportId: '01700002', type: 'licensing', severity: 3, title: 'Second', description: 'd' });
    const key = `shared-${Date.now()}`;
    for (const id of [caseId, other.body.id]) {
      const res = await h.http().post(`/v1/cases/${id}/replies`).set(h.as(CUSTOMER)).set('Idempotency-Key', key).send({ message: 'same' });
      expect(res.status).toBe(200);
    }
  });
});
