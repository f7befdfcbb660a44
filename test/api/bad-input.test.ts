/**
 * Nothing bad input can do produces a 5xx: random JSON (and near-valid bodies with one field replaced by
 * random JSON) against every writing endpoint, random query strings against the readers; then (issue 10,
 * defect 2) the classes of input that used to end in a 500, each with named examples that failed before
 * its fix and a property that throws many more of its kind at every endpoint that takes it.
 */
import fc from 'fast-check';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

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

// ---- issue 10, defect 2: classes that used to be 500s ------------------------------------------------

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Odd scalar query values: extremes of numbers, empty, whitespace, non-ASCII, lookalikes. */
const oddValue = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-0',
    '-1',
    '1e308',
    '1e309',
    '-1e309',
    'Infinity',
    'NaN',
    '0x10',
    '9007199254740993',
    '99999999999999999999999',
    '1.5',
    '٣',
    '１',
    '[]',
    '{}',
    'null',
    'true',
    '%00',
    '\u202e',
    '🦄',
  ),
  fc.string({ maxLength: 30 }),
  fc.integer().map(String),
  fc.double().map(String),
);

describe('forged or garbled list cursors', () => {
  const FORGED = [
    b64(['2026-01-01T00:00:00.000Z', '\u0000']),
    b64(['0000-01-01T00:00:00.000Z', 'x']),
    b64(['-000001-01-01T00:00:00.000Z', 'x']),
    b64(['+275760-09-13T00:00:00.000Z', 'x']),
    b64(['10000-01-01', 'x']),
    b64([0, 'x']),
    b64(['2026-01-01T00:00:00Z', 'x'.repeat(150)]),
    b64({ a: 1 }),
    b64('string'),
    b64(null),
    'not-base64!',
  ];
  test.each(FORGED)('GET /v1/cases?cursor=%s is a 400 naming cursor', async (cursor) => {
    const res = await h.http().get('/v1/cases').query({ cursor }).set(h.as('eng-emea'));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor', in: 'query' })]);
  });

  test('a cursor this API issued still pages', async () => {
    const first = await h.http().get('/v1/cases?limit=1').set(h.as('eng-emea'));
    expect(first.status).toBe(200);
    if (first.body.nextCursor) {
      const next = await h.http().get('/v1/cases').query({ limit: 1, cursor: first.body.nextCursor }).set(h.as('eng-emea'));
      expect(next.status).toBe(200);
    }
  });

  test('any cursor, after or before value is answered without a 5xx', async () => {
    const forged = fc.tuple(
      fc.oneof(
        fc.string(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.jsonValue(),
      ),
      fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue()),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(oddValue, forged.map(b64), fc.jsonValue().map(b64)),
        fc.constantFrom('/v1/cases?cursor=', `/v1/cases/{case}/events?after=`, '/v1/admin/quarantined-writes?before='),
        async (value, path) => {
          const url = path.replace('{case}', caseId) + encodeURIComponent(value);
          const res = await h.http().get(url).set(h.as('demo-admin'));
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('report ranges at the extremes of the date range', () => {
  const EXTREMES: Array<[string, string]> = [
    ['0000-01-01T00:00:00Z', '0000-01-02T00:00:00Z'],
    ['0001-01-01T00:00:00+14:00', '0001-01-02T00:00:00Z'],
    ['0001-01-01T00:00:00Z', '9999-12-31T00:00:00Z'],
    ['9999-12-30T00:00:00Z', '9999-12-31T23:59:59-14:00'],
    ['2026-02-30T00:00:00Z', '2026-03-01T00:00:00Z'],
  ];
  test.each(EXTREMES)('from=%s to=%s is a 400, not a 500', async (from, to) => {
    const res = await h.http().get('/v1/reports/sla').query({ from, to }).set(h.as('mgr-duty'));
    expect(res.status).toBe(400);
  });

  test('the first and last days of the range are a report', async () => {
    for (const [from, to] of [
      ['0001-01-01T00:00:00Z', '0001-01-02T00:00:00Z'],
      ['9999-12-30T00:00:00Z', '9999-12-31T23:59:59.999Z'],
    ]) {
      const res = await h.http().get('/v1/reports/sla').query({ from, to }).set(h.as('mgr-duty'));
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual([]);
    }
  });

  test('any pair of ISO instants is answered without a 5xx', async () => {
    const instant = fc
      .tuple(
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom('Z', '+14:00', '-14:00', '+23:59', '-23:59', '+00:00'),
      )
      .map(
        ([y, m, d, hh, off]) =>
          `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00${off}`,
      );
    await fc.assert(
      fc.asyncProperty(fc.oneof(instant, oddValue), fc.oneof(instant, oddValue), async (from, to) => {
        const res = await h.http().get('/v1/reports/sla').query({ from, to }).set(h.as('mgr-duty'));
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});

describe('PATCH without changes on administrative resources', () => {
  const RESOURCES = ['/v1/organisations/acme-premier', '/v1/principals/eng-apac', '/v1/products/backup-replication/versions/12.3'];
  test.each(RESOURCES)('PATCH %s with {} answers 200 with the unchanged resource', async (path) => {
    const read = async () => {
      const [, collection, id] = path.split('/').slice(1);
      const list = await h.http().get(`/v1/${collection}`).set(h.as('demo-admin'));
      return list.body.items.find((item: { id: string }) => item.id === id);
    };
    const before = await read();
    const res = await h.http().patch(path).set(h.as('demo-admin')).send({});
    expect(res.status).toBe(200);
    expect({ ...(await read()), updatedAt: 0 }).toEqual({ ...before, updatedAt: 0 });
  });

  test.each(RESOURCES)('PATCH %s with no body at all answers 200', async (path) => {
    const res = await h.http().patch(path).set(h.as('demo-admin'));
    expect(res.status).toBe(200);
  });

  test.each(RESOURCES)('PATCH %s of a resource that does not exist is a 404', async (path) => {
    const missing = path.replace(/acme-premier|eng-apac|backup-replication/, 'nobody-here');
    const res = await h.http().patch(missing).set(h.as('demo-admin')).send({});
    expect(res.status).toBe(404);
  });
});

describe('query strings of every shape', () => {
  const READERS = [
    '/v1/cases',
    `/v1/cases/{case}/events`,
    '/v1/reports/sla',
    '/v1/policy',
    '/v1/principals',
    '/v1/organisations',
    '/v1/products',
    '/v1/admin/quarantined-writes',
  ];
  const KEYS = [
    'status',
    'severity',
    'slaState',
    'type',
    'limit',
    'cursor',
    'after',
    'before',
    'orgId',
    'caseId',
    'from',
    'to',
    'program',
    'role',
  ];

  test('duplicate parameters (arrays where strings are expected) are a 400, not a 500', async () => {
    for (const path of READERS) {
      const res = await h
        .http()
        .get(`${path.replace('{case}', caseId)}?limit=1&limit=2`)
        .set(h.as('demo-admin'));
      expect(res.status).toBeLessThan(500);
    }
    const res = await h.http().get('/v1/cases?status=opened&status=closed').set(h.as('demo-admin'));
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'status', in: 'query' });
  });

  test('any raw query string is answered without a 5xx', async () => {
    const pair = fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), fc.oneof(oddValue, fc.constant(caseId)));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...READERS), fc.array(pair, { maxLength: 6 }), fc.boolean(), async (path, pairs, raw) => {
        const qs = pairs.map(([k, v]) => (raw ? `${k}=${v}` : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&');
        const res = await h
          .http()
          .get(`${path.replace('{case}', caseId)}?${qs}`)
          .set(h.as('demo-admin'));
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });

  test('any path segment is answered without a 5xx', async () => {
    const templates = [
      '/v1/cases/{x}',
      '/v1/cases/{x}/events',
      '/v1/organisations/{x}',
      '/v1/products/{x}/versions/{x}',
      '/v1/principals/{x}/tokens/{x}',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...templates),
        fc.oneof(oddValue, fc.string({ unit: 'grapheme', maxLength: 80 })),
        fc.boolean(),
        async (t, x, raw) => {
          const seg = raw ? x.replace(/[/?#\s]/g, '') || 'x' : encodeURIComponent(x);
          const method = t.includes('tokens') ? 'delete' : t.includes('versions') ? 'patch' : 'get';
          const res = await h
            .http()
            [method](t.replaceAll('{x}', seg))
            .set(h.as('demo-admin'))
            .send(method === 'patch' ? {} : undefined);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('bodies with extreme values', () => {
  test('numbers at the edges of JSON in every numeric field are answered without a 5xx', async () => {
    const extreme = fc.constantFrom(0, -0, -1, 1e308, -1e308, 2 ** 53 + 2, 1.5, 4.000000000000001, '1', '4', null, true, [], {});
    const writes: Array<[string, string, (v: unknown) => object]> = [
      [
        'northwind-production-nancy',
        '/v1/cases',
        (v) => ({ supportId: '01700002', type: 'licensing', severity: v, title: 't', description: 'd' }),
      ],
      ['northwind-production-nancy', `/v1/cases/{case}/severity`, (v) => ({ severity: v, reason: 'r' })],
      ['demo-admin', '/v1/principals', (v) => ({ name: 'm', email: 'm@x.example', role: 'manager', managerLevel: v })],
      ['demo-admin', '/v1/organisations/acme-premier', (v) => ({ businessHours: [{ day: v, open: '08:00', close: '17:00' }] })],
    ];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: writes.length - 1 }), extreme, async (i, v) => {
        const [who, path, body] = writes[i];
        const url = path.replace('{case}', caseId);
        const req = url.startsWith('/v1/organisations/') ? h.http().patch(url) : h.http().post(url);
        const res = await req.set(h.as(who)).send(body(v));
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 80 },
    );
  });
});
