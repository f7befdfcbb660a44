/** Administration: organisations, principals, tokens, partner links, products; who may do it; invalid input. */
import type { Test as SupertestTest } from 'supertest';
import { eq } from 'drizzle-orm';
import { apiTokens } from '../../db/schema';
import { seedDemo } from '../../runtime/demo-seed';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(() => h?.close());

const admin = () => h.as('demo-admin');

const ORG = {
  id: 'tulip-basic',
  name: 'Tulip Farms BV',
  supportId: '02800001',
  entitlement: 'basic',
  marketRegion: 'EMEA',
  country: 'NL',
  timeZone: 'Europe/Amsterdam',
  language: 'en',
  businessHours: [{ day: 1, open: '09:00', close: '18:00' }],
  closedDates: ['2026-12-24'],
};

describe('demo seed', () => {
  test('a second run changes nothing and issues no tokens', async () => {
    const before = await h.database.db.$count(apiTokens);
    const again = await seedDemo(h.database.db);
    expect(again).toEqual({ created: false, tokens: [] });
    expect(await h.database.db.$count(apiTokens)).toBe(before);
    expect(Object.keys(h.tokens)).toEqual(
      expect.arrayContaining(['demo-admin', 'eng-apac', 'mgr-duty', 'mgr-escalation', 'partner-bytesmith']),
    );
  });
});

describe('organisations', () => {
  test('an admin registers, reads, updates and lists organisations', async () => {
    const created = await h.http().post('/v1/organisations').set(admin()).send(ORG);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...ORG, subdivision: null });
    const read = await h.http().get('/v1/organisations/tulip-basic').set(admin());
    expect(read.status).toBe(200);
    const updated = await h.http().patch('/v1/organisations/tulip-basic').set(admin()).send({ language: 'de', businessHours: null });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ language: 'de', businessHours: null, name: ORG.name });
    const list = await h.http().get('/v1/organisations').set(h.as('eng-apac'));
    expect(list.body.items.map((o: { id: string }) => o.id)).toContain('tulip-basic');
  });

  test('duplicate id or Support ID is a 409', async () => {
    const dup = await h
      .http()
      .post('/v1/organisations')
      .set(admin())
      .send({ ...ORG, id: 'tulip-2' });
    expect(dup.status).toBe(409);
    const clash = await h.http().patch('/v1/organisations/acme-premier').set(admin()).send({ supportId: '01700002' });
    expect(clash.status).toBe(409);
  });

  test('customers see only their organisation, partners only linked ones', async () => {
    const mine = await h.http().get('/v1/organisations').set(h.as('acme-premier-anna'));
    expect(mine.body.items.map((o: { id: string }) => o.id)).toEqual(['acme-premier']);
    const other = await h.http().get('/v1/organisations/northwind-production').set(h.as('acme-premier-anna'));
    expect(other.status).toBe(404);
    const partner = await h.http().get('/v1/organisations').set(h.as('partner-bytesmith'));
    expect(partner.body.items.map((o: { id: string }) => o.id)).toEqual(['northwind-production']);
  });

  test.each([
    ['id', 'has space'],
    ['name', ''],
    ['supportId', 'x'],
    ['entitlement', 'platinum'],
    ['marketRegion', 'MARS'],
    ['country', 'XX'],
    ['country', 'de'],
    ['subdivision', 'bavaria'],
    ['timeZone', 'Mars/Olympus'],
    ['language', 1],
    ['businessHours', [{ day: 8, open: '08:00', close: '17:00' }]],
    ['businessHours', [{ day: 1, open: '17:00', close: '08:00' }]],
    ['businessHours', [{ day: 1, open: '8am', close: '17:00' }]],
    ['closedDates', ['2026-13-01']],
    ['unexpected', true],
  ])('invalid %s (%j) is a 400 naming the field', async (field, value) => {
    const res = await h
      .http()
      .post('/v1/organisations')
      .set(admin())
      .send({ ...ORG, id: 'bad-org', supportId: '09999999', [field]: value });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field.split('.')[0])).toContain(field);
  });

  test.each([
    [{ language: 'ja' }, 'language'],
    [{ subdivision: 'ZZ' }, 'subdivision'],
  ])('%j is a 422 (cross-field rule)', async (patch, field) => {
    const res = await h
      .http()
      .post('/v1/organisations')
      .set(admin())
      .send({ ...ORG, id: 'bad-org', supportId: '09999999', ...patch });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe(field);
  });

  test('a missing required field is named', async () => {
    const { timeZone: _drop, ...rest } = ORG;
    const res = await h
      .http()
      .post('/v1/organisations')
      .set(admin())
      .send({ ...rest, id: 'bad-org', supportId: '09999999' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'timeZone', in: 'body' })]);
  });
});

describe('principals and tokens', () => {
  test('issue a token, use it, revoke it', async () => {
    const created = await h
      .http()
      .post('/v1/principals')
      .set(admin())
      .send({ id: 'tulip-tess', name: 'Tess', email: 'Tess@Tulip.example', role: 'case_admin', orgId: 'acme-premier' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'tess@tulip.example', disabled: false });
    const issued = await h.http().post('/v1/principals/tulip-tess/tokens').set(admin()).send({ label: 'laptop' });
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^cf_/);
    const bearer = { Authorization: `Bearer ${issued.body.token}` };
    expect((await h.http().get('/v1/organisations').set(bearer)).status).toBe(200);
    const revoked = await h.http().delete(`/v1/principals/tulip-tess/tokens/${issued.body.id}`).set(admin());
    expect(revoked.status).toBe(204);
    expect((await h.http().get('/v1/organisations').set(bearer)).status).toBe(401);
  });

  test('a token records when it was last used', async () => {
    const issued = await h.http().post('/v1/principals/eng-emea/tokens').set(admin()).send({ label: 'usage' });
    const token = async () => (await h.database.db.select().from(apiTokens).where(eq(apiTokens.id, issued.body.id)))[0];
    const unused = await token();
    expect(unused.lastUsedAt).toBeNull();
    await h
      .http()
      .get('/v1/products')
      .set({ Authorization: `Bearer ${issued.body.token}` });
    const used = await token();
    expect(used.lastUsedAt).toBeInstanceOf(Date);
  });

  test('tokens are stored hashed', async () => {
    const issued = await h.http().post('/v1/principals/eng-apac/tokens').set(admin()).send({});
    const rows = await h.database.db.query.apiTokens.findMany();
    expect(rows.some((r) => r.tokenHash.includes(issued.body.token))).toBe(false);
    expect(rows.find((r) => r.id === issued.body.id)?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('disabling a principal disables its tokens', async () => {
    expect((await h.http().get('/v1/policy').set(h.as('fjord-plan-evaluation-ingrid'))).status).toBe(200);
    const res = await h.http().patch('/v1/principals/fjord-plan-evaluation-ingrid').set(admin()).send({ disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expect((await h.http().get('/v1/policy').set(h.as('fjord-plan-evaluation-ingrid'))).status).toBe(401);
    await h.http().patch('/v1/principals/fjord-plan-evaluation-ingrid').set(admin()).send({ disabled: false });
    expect((await h.http().get('/v1/policy').set(h.as('fjord-plan-evaluation-ingrid'))).status).toBe(200);
  });

  test('partner links decide which organisations a partner sees', async () => {
    const linked = await h.http().post('/v1/principals/partner-bytesmith/links').set(admin()).send({ orgId: 'sakura-basic' });
    expect(linked.status).toBe(201);
    expect(linked.body.linkedOrgIds).toEqual(['northwind-production', 'sakura-basic']);
    const seen = await h.http().get('/v1/organisations/sakura-basic').set(h.as('partner-bytesmith'));
    expect(seen.status).toBe(200);
    expect((await h.http().delete('/v1/principals/partner-bytesmith/links/sakura-basic').set(admin())).status).toBe(204);
    expect((await h.http().get('/v1/organisations/sakura-basic').set(h.as('partner-bytesmith'))).status).toBe(404);
    expect((await h.http().delete('/v1/principals/partner-bytesmith/links/sakura-basic').set(admin())).status).toBe(404);
  });

  test('lists principals with filters', async () => {
    const res = await h.http().get('/v1/principals?role=engineer').set(admin());
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { id: string }) => p.id).sort()).toEqual(
      expect.arrayContaining(['eng-apac', 'eng-emea', 'eng-americas']),
    );
    expect(res.body.items.every((p: { role: string }) => p.role === 'engineer')).toBe(true);
  });

  test.each([
    [{ role: 'case_admin' }, 'orgId'],
    [{ role: 'engineer', orgId: 'acme-premier' }, 'orgId'],
    [{ role: 'engineer' }, 'homeRegion'],
    [{ role: 'manager' }, 'managerLevel'],
    [{ role: 'case_admin', orgId: 'acme-premier', homeRegion: 'EMEA' }, 'homeRegion'],
    [{ role: 'case_admin', orgId: 'no-such-org' }, 'orgId'],
  ])('role rules: %j is a 422 on %s', async (fields, field) => {
    const res = await h
      .http()
      .post('/v1/principals')
      .set(admin())
      .send({ name: 'X', email: 'x@example.com', ...fields });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe(field);
  });

  test.each([
    ['name', ''],
    ['email', 'not-an-email'],
    ['role', 'system'],
    ['homeRegion', 'MOON'],
    ['managerLevel', 0],
    ['extra', 1],
  ])('invalid principal %s (%j) is a 400', async (field, value) => {
    const res = await h
      .http()
      .post('/v1/principals')
      .set(admin())
      .send({ name: 'X', email: 'x@example.com', role: 'admin', [field]: value });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe('products', () => {
  test('register a product and versions, update the latest build', async () => {
    expect((await h.http().post('/v1/products').set(admin()).send({ id: 'one', name: 'ONE' })).status).toBe(201);
    expect((await h.http().post('/v1/products').set(admin()).send({ id: 'one', name: 'ONE' })).status).toBe(409);
    const v = await h
      .http()
      .post('/v1/products/one/versions')
      .set(admin())
      .send({ version: '12', lifecycle: 'current', latestBuild: '12.0.0.1' });
    expect(v.status).toBe(201);
    const patched = await h.http().patch('/v1/products/one/versions/12').set(admin()).send({ latestBuild: '12.0.1.5' });
    expect(patched.body).toEqual({ version: '12', lifecycle: 'current', latestBuild: '12.0.1.5' });
    const list = await h.http().get('/v1/products').set(h.as('sakura-basic-haruto'));
    expect(list.body.items.find((p: { id: string }) => p.id === 'one').versions).toHaveLength(1);
    expect(
      (await h.http().post('/v1/products/none/versions').set(admin()).send({ version: '1', lifecycle: 'current', latestBuild: '1' }))
        .status,
    ).toBe(404);
  });

  test.each([
    ['version', ''],
    ['lifecycle', 'eternal'],
    ['latestBuild', 'has space'],
  ])('invalid version %s is a 400', async (field, value) => {
    const res = await h
      .http()
      .post('/v1/products/backup-replication/versions')
      .set(admin())
      .send({ version: '13', lifecycle: 'current', latestBuild: '13.0', [field]: value });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe(field);
  });
});

describe('only admins administer', () => {
  const writes: [string, string, object][] = [
    ['post', '/v1/organisations', ORG],
    ['patch', '/v1/organisations/acme-premier', { name: 'x' }],
    ['post', '/v1/principals', { name: 'x', email: 'x@example.com', role: 'admin' }],
    ['get', '/v1/principals', {}],
    ['patch', '/v1/principals/eng-apac', { name: 'x' }],
    ['post', '/v1/principals/eng-apac/tokens', {}],
    ['delete', '/v1/principals/eng-apac/tokens/demo-eng-apac', {}],
    ['post', '/v1/principals/partner-bytesmith/links', { orgId: 'acme-premier' }],
    ['delete', '/v1/principals/partner-bytesmith/links/northwind-production', {}],
    ['post', '/v1/products', { id: 'p', name: 'p' }],
    ['post', '/v1/products/kasten/versions', { version: '8', lifecycle: 'current', latestBuild: '8' }],
    ['patch', '/v1/products/kasten/versions/7.5', { latestBuild: '7.5.3' }],
  ];
  const others = ['acme-premier-anna', 'acme-premier-lukas', 'partner-bytesmith', 'eng-emea', 'mgr-duty'];
  test.each(writes.flatMap(([m, p, b]) => others.map((who) => [m, p, who, b] as const)))(
    '%s %s as %s is 403',
    async (method, path, who, body) => {
      const res = await (h.http() as unknown as Record<string, (p: string) => SupertestTest>)[method](path).set(h.as(who)).send(body);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    },
  );
});
