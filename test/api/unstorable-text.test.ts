/**
 * Text no database can store (NUL, an unpaired surrogate) is refused at the door with a 400 naming the
 * field, on every endpoint and in the query; before this, such a message wedged its case for good.
 */
import { sql } from 'drizzle-orm';
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
    .send({ supportId: '01700002', type: 'licensing', severity: 3, title: 'Text guard', description: 'target' });
  expect(res.status).toBe(201);
  caseId = res.body.id;
});
afterAll(() => h?.close());

const BAD: Array<[string, string]> = [
  ['NUL', 'before\u0000after'],
  ['a lone high surrogate', 'before\ud800after'],
  ['a lone low surrogate', '\udc00'],
];

describe.each(BAD)('%s', (_what, text) => {
  test('in a new case title: 400 naming title, and no case is opened', async () => {
    const before = await h.http().get('/v1/cases?limit=100').set(h.as(CUSTOMER));
    const res = await h
      .http()
      .post('/v1/cases')
      .set(h.as(CUSTOMER))
      .send({ supportId: '01700002', type: 'licensing', severity: 3, title: text, description: 'd' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'title', in: 'body' })]);
    const after = await h.http().get('/v1/cases?limit=100').set(h.as(CUSTOMER));
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  test('in a reply message: 400 naming message; the case still answers the next reply', async () => {
    const bad = await h.http().post(`/v1/cases/${caseId}/replies`).set(h.as(CUSTOMER)).send({ message: text });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'message', in: 'body' });
    const good = await h.http().post(`/v1/cases/${caseId}/replies`).set(h.as(CUSTOMER)).send({ message: 'plain text' });
    expect(good.status).toBe(200);
  });

  test('in an administrative text field and in a nested array item', async () => {
    const res = await h
      .http()
      .post('/v1/organisations')
      .set(h.as('demo-admin'))
      .send({
        name: text,
        supportId: '0000',
        entitlement: 'basic',
        marketRegion: 'US',
        country: 'US',
        timeZone: 'UTC',
        language: 'en',
        closedDates: ['2026-12-24', text],
      });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['name', 'closedDates[1]']);
  });
});

test('NUL in the query string is a 400 naming the parameter; undecodable bytes are not a 5xx', async () => {
  const nul = await h.http().get('/v1/cases?q=a%00b').set(h.as(CUSTOMER));
  expect(nul.status).toBe(400);
  expect(nul.body.errors[0]).toMatchObject({ field: 'q', in: 'query' });
  // A surrogate cannot be percent-encoded in UTF-8; its CESU-8 bytes decode to replacement characters.
  const cesu = await h.http().get('/v1/cases?q=%ED%A0%80').set(h.as(CUSTOMER));
  expect(cesu.status).toBeLessThan(500);
});

test('paired surrogates (emoji) and other control characters are ordinary text', async () => {
  const message = 'Backups fail 😞\ttab\r\nnew line \u0007 bell';
  const res = await h.http().post(`/v1/cases/${caseId}/replies`).set(h.as(CUSTOMER)).send({ message });
  expect(res.status).toBe(200);
  const read = await h.http().get(`/v1/cases/${caseId}`).set(h.as(CUSTOMER));
  expect(read.body.history.some((e: { data: { message?: string } }) => e.data.message === message)).toBe(true);
});

test('a write the database refuses for good is answered, quarantined and listed for admins only', async () => {
  const db = h.database.db;
  await db.execute(sql`alter table case_events add constraint test_no_replies check (type <> 'customer_reply') not valid`);
  try {
    const res = await h.http().post(`/v1/cases/${caseId}/replies`).set(h.as(CUSTOMER)).send({ message: 'refused by a constraint' });
    expect(res.status).toBe(200);
  } finally {
    await db.execute(sql`alter table case_events drop constraint test_no_replies`);
  }
  const list = await h.http().get(`/v1/admin/quarantined-writes?caseId=${caseId}`).set(h.as('demo-admin'));
  expect(list.status).toBe(200);
  expect(list.body.items[0]).toMatchObject({ caseId, action: 'skipped', sqlState: '23514' });
  expect(list.body.items[0].batch.events.map((e: { type: string }) => e.type)).toContain('customer_reply');
  expect((await h.http().get('/v1/admin/quarantined-writes').set(h.as('eng-emea'))).status).toBe(403);
  expect((await h.http().get('/v1/admin/quarantined-writes?before=abc').set(h.as('demo-admin'))).status).toBe(400);
});
