/**
 * Who the customer is, for staff (issue 20 item 3): phone numbers on principals and notification contacts
 * (validated, stored, returned), the people of an organisation with the partners acting for it, and whether
 * the organisation's business hours and its program's coverage are open now (GET /v1/policy?orgId=).
 */
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const fields = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

test('staff read an organisation’s people and the partners acting for it, each with phone', async () => {
  const res = await h.http().get('/v1/organisations/northwind-production/people').set(h.as('eng-emea'));
  expect(res.status).toBe(200);
  expect(res.body.items).toEqual([
    {
      id: 'northwind-production-nancy',
      name: 'Nancy (northwind-production)',
      email: 'nancy@northwind-production.example',
      phone: '+1 415 555 0142',
      role: 'case_admin',
      partner: false,
    },
    {
      id: 'partner-bytesmith',
      name: 'Bytesmith Consulting (partner)',
      email: 'support@bytesmith.example',
      phone: '+1 206 555 0150',
      role: 'support_partner',
      partner: true,
    },
  ]);
  // Customers do not read other people's numbers here; an unknown organisation is 404.
  expect((await h.http().get('/v1/organisations/northwind-production/people').set(h.as('northwind-production-nancy'))).status).toBe(403);
  expect((await h.http().get('/v1/organisations/nowhere/people').set(h.as('eng-emea'))).status).toBe(404);
});

test('a phone on a notification contact and a principal is validated, stored and returned', async () => {
  const path = '/v1/organisations/acme-premier/notification-contacts';
  const bad = await h.http().post(path).set(h.as('demo-admin')).send({ name: 'No number', email: 'nn@acme.example', phone: '089 123' });
  expect(bad.status).toBe(400);
  expect(fields(bad)).toEqual(['phone']);
  const created = await h
    .http()
    .post(path)
    .set(h.as('acme-premier-anna'))
    .send({ name: 'Nachtschicht', email: 'nacht@acme.example', phone: '+49 89 555 0199' });
  expect(created.status).toBe(201);
  expect(created.body.phone).toBe('+49 89 555 0199');
  const cleared = await h.http().patch(`${path}/${created.body.id}`).set(h.as('demo-admin')).send({ phone: null });
  expect(cleared.body.phone).toBeNull();
  const seeded = (await h.http().get(path).set(h.as('eng-emea'))).body.items.find((c: { id: string }) => c.id === 'demo-contact-acme-it');
  expect(seeded.phone).toBe('+49 89 2190 5500');

  const principal = await h.http().patch('/v1/principals/acme-premier-lukas').set(h.as('demo-admin')).send({ phone: '+49 89 555 0100' });
  expect(principal.status).toBe(200);
  expect(principal.body.phone).toBe('+49 89 555 0100');
  const people = await h.http().get('/v1/organisations/acme-premier/people').set(h.as('eng-emea'));
  expect(people.body.items.find((p: { id: string }) => p.id === 'acme-premier-lukas').phone).toBe('+49 89 555 0100');
  const tooLong = await h
    .http()
    .patch('/v1/principals/acme-premier-lukas')
    .set(h.as('demo-admin'))
    .send({ phone: '+49 8912 3456 7890 1234' });
  expect(tooLong.status).toBe(400);
  expect(fields(tooLong)).toEqual(['phone']);
});

test('the policy answer says whether business hours and coverage are open now, and until when', async () => {
  const before = Date.now();
  const res = await h.http().get('/v1/policy?orgId=sakura-basic').set(h.as('eng-apac'));
  expect(res.status).toBe(200);
  const { now, businessCalendar, coverage } = res.body.organisation;
  expect(Date.parse(now.at)).toBeGreaterThanOrEqual(before - 1000);
  expect(businessCalendar.label).toBe('Mon-Fri 08:00-17:00');
  expect(coverage.label).toBe('Mon-Fri 08:00-20:00');
  for (const state of [now.businessHours, now.coverage]) {
    expect(typeof state.open).toBe('boolean');
    // The next change is later than now, at most a long weekend with holidays away, and on a full minute.
    const at = Date.parse(state.changesAt);
    expect(at).toBeGreaterThan(Date.parse(now.at));
    expect(at - Date.parse(now.at)).toBeLessThan(10 * 86_400_000);
    expect(at % 60_000).toBe(0);
    // Local wall time of the change is an opening or closing time of the calendar (Asia/Tokyo, no DST).
    const local = new Date(at + 9 * 3_600_000).toISOString().slice(11, 16);
    expect(state.open ? ['17:00', '20:00'] : ['08:00']).toContain(local);
  }
  // A 24/7 program is always open and never changes.
  const premier = await h.http().get('/v1/policy?orgId=acme-premier').set(h.as('eng-emea'));
  expect(premier.body.organisation.now.coverage).toEqual({ open: true, changesAt: null });
});
