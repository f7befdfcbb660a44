/**
 * Nothing bad input can do produces a 5xx: random JSON (and near-valid bodies with one field replaced by
 * random JSON) against every writing endpoint, random query strings against the readers.
 */
import fc from 'fast-check';
import { startApiHarness, type ApiHarness } from './harness';

let h: ApiHarness;
let caseId: string;
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
  const res = await h
    .http()
    .post('/v1/cases')
    .set(h.as('northwind-production-nancy'))
    .send({ supportId: '01700002', type: 'licensing', severity: 3, title: 'Fuzz', description: 'Fuzz target' });
  caseId = res.body.id;
});
afterAll(() => h?.close());

const VALID_CASE = {
  supportId: '01700002',
  type: 'technical',
  severity: 2,
  product: 'backup-replication',
  version: '12.3',
  build: '12.3.1.1139',
  title: 't',
  description: 'd',
};

const WRITES: [string, () => string, object][] = [
  ['northwind-production-nancy', () => '/v1/cases', VALID_CASE],
  ['northwind-production-nancy', () => `/v1/cases/${caseId}/severity`, { severity: 2, reason: 'r' }],
  ['eng-emea', () => `/v1/cases/${caseId}/assignment`, { ownerId: 'eng-emea' }],
  ['northwind-production-nancy', () => `/v1/cases/${caseId}/phone-sessions`, { language: 'en' }],
  [
    'demo-admin',
    () => '/v1/organisations',
    { name: 'n', supportId: '0000', entitlement: 'basic', marketRegion: 'US', country: 'US', timeZone: 'UTC', language: 'en' },
  ],
  ['demo-admin', () => '/v1/principals', { name: 'n', email: 'a@b.example', role: 'admin' }],
];

const json = fc.jsonValue({ maxDepth: 3 });

test('random JSON bodies never produce a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: WRITES.length - 1 }), json, async (i, body) => {
      const [who, path] = WRITES[i];
      const res = await h.http().post(path()).set(h.as(who)).set('Content-Type', 'application/json').send(JSON.stringify(body));
      expect(res.status).toBeLessThan(500);
      // Random JSON is rejected, except an empty object where every field is optional (a phone session
      // in the organisation's language).
      if (res.status < 400) expect([path(), body]).toEqual([`/v1/cases/${caseId}/phone-sessions`, {}]);
    }),
    { numRuns: 150 },
  );
});

test('a valid body with one field replaced by random JSON never produces a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: WRITES.length - 1 }), fc.nat(), json, async (i, k, value) => {
      const [who, path, valid] = WRITES[i];
      const keys = Object.keys(valid);
      const body = { ...valid, [keys[k % keys.length]]: value };
      const res = await h.http().post(path()).set(h.as(who)).send(body);
      expect(res.status).toBeLessThan(500);
    }),
    { numRuns: 150 },
  );
});

test('random query strings never produce a 5xx', async () => {
  const readers = ['/v1/cases', '/v1/reports/sla', '/v1/policy', '/v1/principals'];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...readers),
      fc.dictionary(
        fc.constantFrom('status', 'severity', 'limit', 'cursor', 'orgId', 'from', 'to', 'program', 'role', 'x'),
        fc.string({ maxLength: 40 }),
      ),
      async (path, params) => {
        const res = await h.http().get(path).query(params).set(h.as('demo-admin'));
        expect(res.status).toBeLessThan(500);
      },
    ),
    { numRuns: 150 },
  );
});

test('odd path parameters never produce a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ minLength: 1, maxLength: 80 }), async (raw) => {
      const id = encodeURIComponent(raw);
      for (const path of [`/v1/cases/${id}`, `/v1/cases/${id}/sla`, `/v1/organisations/${id}`]) {
        const res = await h.http().get(path).set(h.as('eng-emea'));
        expect(res.status).toBeLessThan(500);
      }
    }),
    { numRuns: 100 },
  );
});
