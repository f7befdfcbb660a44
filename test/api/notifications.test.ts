/**
 * The notification endpoints through the real app: organisation contacts (admins, and case administrators
 * for their own organisation), the on-call rota and who is on call now, account managers, and a case's
 * notifications with their delivery state (staff see all, the customer side its own mail only).
 */
import { eq } from 'drizzle-orm';
import { createActivities } from '../../activities';
import type { CaseMailer } from '../../activities/mail/mailer';
import { cases } from '../../db/schema';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { caseView, testMailer } from '../mail/fixtures';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

const CASE = '6f1c2a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f';
let h: ApiHarness;
let smtp: TestSmtp;
let mailer: CaseMailer;
beforeAll(async () => {
  h = await startApiHarness();
  smtp = await startTestSmtp();
  mailer = testMailer(smtp.url);
});
afterAll(async () => {
  mailer?.transport.transporter.close();
  await smtp?.close();
  await h?.close();
});

const fields = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

describe('notification contacts', () => {
  const path = '/v1/organisations/acme-premier/notification-contacts';

  test('a case administrator manages their own organisation’s contacts', async () => {
    const created = await h
      .http()
      .post(path)
      .set(h.as('acme-premier-anna'))
      .send({
        name: 'Klaus Kontakt',
        email: 'Klaus@Acme.example',
        language: 'de',
        kinds: ['contact_attempt', 'closed_no_customer_response'],
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      orgId: 'acme-premier',
      email: 'klaus@acme.example',
      language: 'de',
      kinds: ['contact_attempt', 'closed_no_customer_response'],
    });

    const again = await h.http().post(path).set(h.as('demo-admin')).send({ name: 'Klaus again', email: 'klaus@acme.example' });
    expect(again.status).toBe(409);

    const patched = await h.http().patch(`${path}/${created.body.id}`).set(h.as('acme-premier-anna')).send({ kinds: null, language: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ kinds: null, language: null });

    const listed = await h.http().get(path).set(h.as('eng-emea'));
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { email: string }) => c.email)).toEqual(['it-leitstand@acme-premier.example', 'klaus@acme.example']);

    expect((await h.http().delete(`${path}/${created.body.id}`).set(h.as('acme-premier-anna'))).status).toBe(204);
    expect((await h.http().delete(`${path}/${created.body.id}`).set(h.as('acme-premier-anna'))).status).toBe(404);
  });

  test('another organisation’s contacts are invisible; license administrators do not manage contacts', async () => {
    const other = await h
      .http()
      .post('/v1/organisations/northwind-production/notification-contacts')
      .set(h.as('acme-premier-anna'))
      .send({ name: 'X', email: 'x@y.example' });
    expect(other.status).toBe(404);
    expect((await h.http().get('/v1/organisations/northwind-production/notification-contacts').set(h.as('acme-premier-anna'))).status).toBe(
      404,
    );
    expect((await h.http().post(path).set(h.as('acme-premier-lukas')).send({ name: 'X', email: 'x@y.example' })).status).toBe(403);
  });

  test.each([
    [{ name: 'X', email: 'not-an-address' }, 'email'],
    [{ name: 'X', email: 'x@y.example', language: 'nl' }, 'language'],
    [{ name: 'X', email: 'x@y.example', kinds: ['sla_breach'] }, 'kinds.0'],
    [{ name: '', email: 'x@y.example' }, 'name'],
    [{ name: 'X', email: 'x@y.example', phone: '1' }, 'phone'],
  ])('bad input %j is a 400 naming %s', async (body, field) => {
    const res = await h.http().post(path).set(h.as('demo-admin')).send(body);
    expect(res.status).toBe(400);
    expect(fields(res)).toContain(field);
  });
});

describe('on-call rota', () => {
  test('administrators add shifts; GET /oncall says who a page reaches now', async () => {
    const bad = await h
      .http()
      .post('/v1/oncall/shifts')
      .set(h.as('demo-admin'))
      .send({ region: 'EMEA', primaryId: 'mgr-duty', validFrom: '2026-01-01T00:00:00Z' });
    expect(bad.status).toBe(422);
    expect(fields(bad)).toEqual(['primaryId']);
    const backwards = await h
      .http()
      .post('/v1/oncall/shifts')
      .set(h.as('demo-admin'))
      .send({ region: 'EMEA', primaryId: 'eng-emea', validFrom: '2026-01-02T00:00:00Z', validTo: '2026-01-01T00:00:00Z' });
    expect(backwards.status).toBe(400);
    expect(fields(backwards)).toEqual(['validTo']);
    expect(
      (
        await h
          .http()
          .post('/v1/oncall/shifts')
          .set(h.as('demo-admin'))
          .send({ region: 'MARS', primaryId: 'eng-emea', validFrom: '2026-01-01T00:00:00Z' })
      ).status,
    ).toBe(400);
    expect(
      (
        await h
          .http()
          .post('/v1/oncall/shifts')
          .set(h.as('eng-emea'))
          .send({ region: 'EMEA', primaryId: 'eng-emea', validFrom: '2026-01-01T00:00:00Z' })
      ).status,
    ).toBe(403);

    const shift = await h
      .http()
      .post('/v1/oncall/shifts')
      .set(h.as('demo-admin'))
      .send({ region: 'EMEA', primaryId: 'eng-apac', fallbackId: 'eng-emea', validFrom: new Date(Date.now() - 60_000).toISOString() });
    expect(shift.status).toBe(201);
    expect(shift.body).toMatchObject({ region: 'EMEA', primary: { id: 'eng-apac' }, fallback: { id: 'eng-emea' }, validTo: null });

    const now = await h.http().get('/v1/oncall').set(h.as('mgr-duty'));
    expect(now.status).toBe(200);
    const byRegion = Object.fromEntries(now.body.items.map((i: { region: string }) => [i.region, i]));
    expect(byRegion.EMEA).toMatchObject({ source: 'rota_primary', shiftId: shift.body.id, reached: [{ id: 'eng-apac' }] });
    expect(byRegion.AMERICAS).toMatchObject({ source: 'rota_primary', shiftId: 'demo-oncall-americas', reached: [{ id: 'eng-americas' }] });
    expect((await h.http().get('/v1/oncall').set(h.as('acme-premier-anna'))).status).toBe(403);

    expect((await h.http().delete(`/v1/oncall/shifts/${shift.body.id}`).set(h.as('demo-admin'))).status).toBe(204);
    expect((await h.http().get('/v1/oncall/shifts?region=EMEA').set(h.as('eng-emea'))).body.items.map((i: { id: string }) => i.id)).toEqual(
      ['demo-oncall-emea'],
    );
  });
});

describe('account managers', () => {
  test('an administrator names a vendor person; the organisation sees who it is, others do not', async () => {
    const customer = await h
      .http()
      .put('/v1/organisations/acme-premier/account-manager')
      .set(h.as('demo-admin'))
      .send({ principalId: 'acme-premier-lukas' });
    expect(customer.status).toBe(422);
    expect(fields(customer)).toEqual(['principalId']);
    const set = await h
      .http()
      .put('/v1/organisations/acme-premier/account-manager')
      .set(h.as('demo-admin'))
      .send({ principalId: 'mgr-escalation' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ orgId: 'acme-premier', principal: { id: 'mgr-escalation', email: 'eli@caseflow.example' } });
    expect((await h.http().get('/v1/organisations/acme-premier/account-manager').set(h.as('acme-premier-anna'))).body.principal.id).toBe(
      'mgr-escalation',
    );
    expect((await h.http().get('/v1/organisations/acme-premier/account-manager').set(h.as('northwind-production-nancy'))).status).toBe(404);
    expect(
      (
        await h
          .http()
          .put('/v1/organisations/acme-premier/account-manager')
          .set(h.as('acme-premier-anna'))
          .send({ principalId: 'mgr-duty' })
      ).status,
    ).toBe(403);
  });
});

describe('case notifications', () => {
  test('staff see every delivery; the customer sees the mail that went to the customer side; other organisations see nothing', async () => {
    const acts = createActivities({ db: h.database, notifier: null, mailer });
    const view = caseView(CASE, 1);
    const { toDeliver } = await acts.recordCaseChange({
      record: {
        caseId: CASE,
        workflowId: `case-${CASE}`,
        orgId: 'acme-premier',
        openedBy: 'acme-premier-anna',
        type: 'technical',
        entitlement: 'premier',
        title: 'Replication stalls',
        description: '',
        language: 'de',
        relatedCaseId: null,
        policyVersion: 'test',
        productId: null,
        productVersion: null,
        build: null,
      },
      view,
      events: [],
      notifications: [
        {
          dedupeKey: `${CASE}:case_resolved`,
          kind: 'case_resolved',
          recipient: 'customer:acme-premier',
          channel: 'email',
          payload: { summary: 'Fixed', autoCloseAt: '2026-12-15T16:00:00.000Z' },
        },
        {
          dedupeKey: `${CASE}:sla_breach`,
          kind: 'sla_breach',
          recipient: 'manager:duty',
          channel: 'email',
          payload: { clock: 'firstResponse', dueAt: '2026-12-01T12:00:00.000Z', level: 2 },
        },
      ],
    });
    await acts.deliverNotifications(toDeliver);
    const [row] = await h.database.db.select({ number: cases.number }).from(cases).where(eq(cases.id, CASE));

    const staff = await h.http().get(`/v1/cases/${row!.number}/notifications`).set(h.as('eng-emea'));
    expect(staff.status).toBe(200);
    expect(staff.body.items.map((n: { kind: string }) => n.kind)).toEqual(['case_resolved', 'sla_breach']);
    const breach = staff.body.items[1];
    expect(breach.deliveries).toEqual([
      expect.objectContaining({
        address: 'dana@caseflow.example',
        audience: 'staff',
        status: 'sent',
        response: expect.stringMatching(/^250/),
      }),
    ]);

    const anna = await h.http().get(`/v1/cases/${CASE}/notifications`).set(h.as('acme-premier-anna'));
    expect(anna.status).toBe(200);
    expect(anna.body.items).toHaveLength(1);
    // The opener and the demo contact (German, wants every customer notice); the managers' mail is not shown.
    expect(anna.body.items[0].deliveries).toEqual([
      expect.objectContaining({
        address: 'anna@acme-premier.example',
        language: 'de',
        status: 'sent',
        messageId: expect.stringMatching(/^<[0-9a-f]{32}@caseflow\.test>$/),
      }),
      expect.objectContaining({ address: 'it-leitstand@acme-premier.example', language: 'de', status: 'sent' }),
    ]);
    expect((await h.http().get(`/v1/cases/${CASE}/notifications`).set(h.as('northwind-production-nancy'))).status).toBe(404);
    expect(smtp.received.map((m) => m.subject).sort()).toEqual(
      [
        `Fall #${row!.number} gelöst: Replication stalls`,
        `Fall #${row!.number} gelöst: Replication stalls`,
        `[Case #${row!.number}] SLA breached: first response`,
      ].sort(),
    );
  });

  test('the endpoints are in the OpenAPI document', async () => {
    const doc = (await h.http().get('/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/cases/{id}/notifications',
        '/v1/organisations/{id}/notification-contacts',
        '/v1/organisations/{id}/notification-contacts/{contactId}',
        '/v1/oncall',
        '/v1/oncall/shifts',
        '/v1/organisations/{id}/account-manager',
      ]),
    );
  });
});
