/**
 * Cases end to end through the real app, a Temporal dev server, the case worker and the database:
 * opening (per program, per role, Support ID, partners, idempotency), listing, reading, SLA clocks and the
 * case actions from opening to closing.
 */
import { eq } from 'drizzle-orm';
import { cases, idempotencyKeys } from '../../db/schema';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
});
afterAll(() => h?.close());

const ANNA = 'acme-premier-anna'; // case admin, Premier, Germany
const NANCY = 'northwind-production-nancy'; // case admin, Production, US
const PARTNER = 'partner-bytesmith'; // linked to northwind-production only

const technical = (supportId: string, extra: Record<string, unknown> = {}) => ({
  supportId,
  type: 'technical',
  severity: 2,
  product: 'backup-replication',
  version: '12.3',
  build: '12.3.1.1139',
  title: 'Backup job fails',
  description: 'The nightly job fails with error 0x80070005.',
  ...extra,
});

async function open(principal: string, body: object, key?: string) {
  const req = h.http().post('/v1/cases').set(h.as(principal));
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
}

describe('opening a case', () => {
  test('a case administrator opens a case: 201 with the SLA due time', async () => {
    const res = await open(ANNA, technical('01700001'));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/cases/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: 'opened',
      program: 'premier',
      severity: 2,
      levelLabel: 'Severity 2',
      orgId: 'acme-premier',
      language: 'de',
      source: 'workflow',
    });
    expect(typeof res.body.number).toBe('number');
    const { firstResponse } = res.body.sla;
    expect(firstResponse.state).toBe('running');
    // Premier: 30 minutes around the clock.
    expect(Date.parse(firstResponse.dueAt) - Date.parse(res.body.openedAt)).toBe(30 * 60_000);
  });

  test('a license administrator opens a licensing case without a product', async () => {
    const res = await open('acme-premier-lukas', {
      supportId: '01700001',
      type: 'licensing',
      severity: 3,
      title: 'License count',
      description: 'We need 20 more sockets.',
      language: 'en',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'licensing', product: null, language: 'en' });
  });

  test.each([
    ['sakura-basic-haruto', '01700003', { severity: 4 }, 'running', 'basic'],
    ['maple-evaluation-chloe', '01700004', { severity: 2 }, 'running', 'evaluation'],
    ['pampas-free-mateo', '01700005', { severity: 3 }, 'best_effort', 'free'],
    ['cloudnine-vcsp-oliver', '01700006', { severity: 1 }, 'running', 'vcsp_production'],
    ['koala-premium-charlotte', '01700007', { priority: 'P1' }, 'running', 'plan_premium'],
    ['ipe-plan-basic-joao', '01700008', { priority: 'P3' }, 'running', 'plan_basic'],
  ])('%s opens a case on its program', async (who, supportId, level, state, program) => {
    const res = await open(who, technical(supportId, { severity: undefined, ...level }));
    expect(res.status).toBe(201);
    expect(res.body.program).toBe(program);
    expect(res.body.sla.firstResponse.state).toBe(state);
    if (state === 'running') expect(Date.parse(res.body.sla.firstResponse.dueAt)).toBeGreaterThan(Date.parse(res.body.openedAt));
    else expect(res.body.sla.firstResponse.dueAt).toBeNull();
    if ('priority' in level) expect(res.body.priority).toBe(level.priority);
  });

  test('a general inquiry has no SLA target and defaults to the lowest level', async () => {
    const res = await open(NANCY, {
      supportId: '01700002',
      type: 'general_inquiry',
      title: 'Website feedback',
      description: 'The docs search is slow.',
    });
    expect(res.status).toBe(201);
    expect(res.body.severity).toBe(4);
    expect(res.body.sla.firstResponse.state).toBe('no_target');
  });

  test('Support ID mismatch is a 422 naming supportId, and opens nothing', async () => {
    const before = await h.database.db.$count(cases);
    const res = await open(ANNA, technical('01700002'));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'supportId', in: 'body', reason: expect.stringMatching(/Support ID/) }]);
    expect(await h.database.db.$count(cases)).toBe(before);
  });

  test('a support partner opens a case for a linked customer', async () => {
    const res = await open(PARTNER, technical('01700002', { orgId: 'northwind-production' }));
    expect(res.status).toBe(201);
    expect(res.body.orgId).toBe('northwind-production');
  });

  test('a support partner cannot open a case for an unlinked customer (404, nothing leaks)', async () => {
    const res = await open(PARTNER, technical('01700001', { orgId: 'acme-premier' }));
    expect(res.status).toBe(404);
  });

  test('a support partner must name the organisation', async () => {
    const res = await open(PARTNER, technical('01700002'));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('orgId');
  });

  test('a customer cannot open a case for another organisation', async () => {
    const res = await open(ANNA, technical('01700002', { orgId: 'northwind-production' }));
    expect(res.status).toBe(404);
  });

  test.each(['eng-emea', 'mgr-duty', 'demo-admin'])('%s (vendor staff) may not open cases: 403', async (who) => {
    const res = await open(who, technical('01700001', { orgId: 'acme-premier' }));
    expect(res.status).toBe(403);
  });

  test('severity 1 is not available on Evaluation: 422', async () => {
    const res = await open('maple-evaluation-chloe', technical('01700004', { severity: 1 }));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'severity', reason: expect.stringMatching(/not available/) });
  });

  test('plans take priorities, programs severities', async () => {
    const plan = await open('koala-premium-charlotte', technical('01700007', { severity: 1 }));
    expect(plan.status).toBe(422);
    expect(plan.body.errors[0].field).toBe('severity');
    const program = await open(ANNA, technical('01700001', { severity: undefined, priority: 'P1' }));
    expect(program.status).toBe(422);
    expect(program.body.errors[0].field).toBe('priority');
  });

  test('the language must be one the region supports', async () => {
    const res = await open(ANNA, technical('01700001', { language: 'ja' }));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'language', reason: expect.stringContaining('de') });
  });

  test('product version must exist', async () => {
    const res = await open(ANNA, technical('01700001', { version: '99' }));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('version');
  });

  test('a related case must be a closed case of the same organisation', async () => {
    const first = await open(ANNA, technical('01700001'));
    const notClosed = await open(ANNA, technical('01700001', { relatedCaseId: first.body.id }));
    expect(notClosed.status).toBe(422);
    expect(notClosed.body.errors[0].field).toBe('relatedCaseId');
    const closed = await h.http().post(`/v1/cases/${first.body.id}/close`).set(h.as(ANNA)).send({ reason: 'Fixed it ourselves' });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const followUp = await open(ANNA, technical('01700001', { relatedCaseId: first.body.id }));
    expect(followUp.status).toBe(201);
    expect(followUp.body.relatedCaseId).toBe(first.body.id);
    const otherOrg = await open(NANCY, technical('01700002', { relatedCaseId: first.body.id }));
    expect(otherOrg.status).toBe(422);
  });
});

describe('idempotent create', () => {
  test('concurrent retries with one Idempotency-Key converge on one case', async () => {
    const body = technical('01700002', { title: 'Concurrent retry' });
    const results = await Promise.all(Array.from({ length: 6 }, () => open(NANCY, body, 'retry-key-1')));
    for (const r of results) expect(r.status).toBe(201);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const rows = await h.database.db.select().from(cases).where(eq(cases.title, 'Concurrent retry'));
    expect(rows).toHaveLength(1);
    const [key] = await h.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'retry-key-1'));
    expect(key).toMatchObject({ completed: true, resourceId: rows[0].id });
  });

  test('a later retry replays the same answer; key order in the body does not matter', async () => {
    const body = technical('01700002', { title: 'Replay' });
    const first = await open(NANCY, body, 'retry-key-2');
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await open(NANCY, reordered, 'retry-key-2');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  test('the same key with another body is a 409', async () => {
    await open(NANCY, technical('01700002', { title: 'Original' }), 'retry-key-3');
    const res = await open(NANCY, technical('01700002', { title: 'Changed' }), 'retry-key-3');
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/idempotency-key-reused/);
  });

  test('keys are per principal', async () => {
    const a = await open(NANCY, technical('01700002', { title: 'Per principal' }), 'shared-key');
    const b = await open(PARTNER, technical('01700002', { title: 'Per principal', orgId: 'northwind-production' }), 'shared-key');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
  });

  test('an invalid Idempotency-Key is a 400 naming the header', async () => {
    const res = await open(NANCY, technical('01700002'), 'x'.repeat(300));
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'Idempotency-Key', in: 'header' });
  });
});

describe('invalid input never reaches the workflow', () => {
  const base = technical('01700001');
  test.each([
    ['orgId', 'not valid!'],
    ['supportId', ''],
    ['supportId', 17],
    ['type', 'complaint'],
    ['severity', 0],
    ['severity', 5],
    ['severity', 2.5],
    ['severity', '2'],
    ['priority', 'P5'],
    ['product', 'has space'],
    ['version', ''],
    ['build', 'a b'],
    ['title', ''],
    ['title', 'x'.repeat(201)],
    ['title', null],
    ['description', '   '],
    ['language', 'e'],
    ['relatedCaseId', 'not-a-uuid'],
    ['surprise', 'unknown fields are rejected'],
  ])('%s = %j is a 400 naming it', async (field, value) => {
    const res = await open(ANNA, { ...base, [field]: value });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  test.each(['supportId', 'type', 'title', 'description'])('missing %s is a 400 naming it', async (field) => {
    const { [field]: _drop, ...rest } = base as Record<string, unknown>;
    const res = await open(ANNA, rest);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  test.each(['product', 'version', 'build'])('a technical case without %s is a 400', async (field) => {
    const { [field]: _drop, ...rest } = base as Record<string, unknown>;
    const res = await open(ANNA, rest);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  test('a technical case without severity is a 400', async () => {
    const res = await open(ANNA, { ...base, severity: undefined });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('severity');
  });

  test.each([[[]], ['a string'], [42], [null]])('a body of %j is a 400', async (body) => {
    const res = await h.http().post('/v1/cases').set(h.as(ANNA)).set('Content-Type', 'application/json').send(JSON.stringify(body));
    expect(res.status).toBe(400);
  });
});

describe('listing and reading', () => {
  test('customers list only their organisation; filters and cursor pagination', async () => {
    for (let i = 0; i < 3; i++)
      expect((await open('sakura-basic-haruto', technical('01700003', { severity: 3, title: `Page ${i}` }))).status).toBe(201);
    const all = await h.http().get('/v1/cases?limit=100').set(h.as('sakura-basic-haruto'));
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThanOrEqual(4);
    expect(all.body.items.every((c: { orgId: string }) => c.orgId === 'sakura-basic')).toBe(true);
    expect(all.body.items[0].description).toBeUndefined();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await h.http().get(url).set(h.as('sakura-basic-haruto'));
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((c: { id: string }) => c.id));

    const sev3 = await h.http().get('/v1/cases?severity=3&status=opened&slaState=on_track&type=technical').set(h.as('sakura-basic-haruto'));
    expect(sev3.body.items.length).toBe(3);
    // Asking for another organisation's cases gives nothing.
    const other = await h.http().get('/v1/cases?orgId=acme-premier').set(h.as('sakura-basic-haruto'));
    expect(other.body.items).toEqual([]);
  });

  test('staff filter by organisation; partners see only linked organisations', async () => {
    const staff = await h.http().get('/v1/cases?orgId=acme-premier&limit=100').set(h.as('eng-emea'));
    expect(staff.body.items.length).toBeGreaterThan(0);
    expect(staff.body.items.every((c: { orgId: string }) => c.orgId === 'acme-premier')).toBe(true);
    const partner = await h.http().get('/v1/cases?limit=100').set(h.as(PARTNER));
    expect(partner.body.items.length).toBeGreaterThan(0);
    expect(partner.body.items.every((c: { orgId: string }) => c.orgId === 'northwind-production')).toBe(true);
  });

  test.each([
    ['status', 'sleeping'],
    ['severity', '9'],
    ['limit', '0'],
    ['limit', '1000'],
    ['cursor', 'garbage'],
    ['orgId', 'bad id!'],
    ['bogus', '1'],
  ])('list with %s=%s is a 400 naming it', async (field, value) => {
    const res = await h
      .http()
      .get(`/v1/cases?${field}=${encodeURIComponent(value)}`)
      .set(h.as('eng-emea'));
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field, in: 'query' });
  });

  test('read a case by id or number; other organisations get 404', async () => {
    const created = await open(NANCY, technical('01700002', { title: 'Readable' }));
    const byId = await h.http().get(`/v1/cases/${created.body.id}`).set(h.as(NANCY));
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: created.body.id, source: 'workflow', title: 'Readable' });
    expect(byId.body.history.length).toBeGreaterThan(0);
    const byNumber = await h.http().get(`/v1/cases/${created.body.number}`).set(h.as(PARTNER));
    expect(byNumber.body.id).toBe(created.body.id);
    expect((await h.http().get(`/v1/cases/${created.body.id}`).set(h.as(ANNA))).status).toBe(404);
    expect((await h.http().get(`/v1/cases/${created.body.id}`).set(h.as('mgr-duty'))).status).toBe(200);
    expect((await h.http().get('/v1/cases/00000000-0000-4000-8000-000000000000').set(h.as(NANCY))).status).toBe(404);
    expect((await h.http().get('/v1/cases/not-an-id').set(h.as(NANCY))).status).toBe(400);
  });

  test('GET /v1/cases/:id/sla explains each clock', async () => {
    const created = await open('sakura-basic-haruto', technical('01700003', { severity: 2 }));
    const res = await h.http().get(`/v1/cases/${created.body.id}/sla`).set(h.as('sakura-basic-haruto'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ caseId: created.body.id, program: 'basic', levelLabel: 'Severity 2', source: 'workflow' });
    const first = res.body.clocks.find((c: { name: string }) => c.name === 'firstResponse');
    expect(first).toMatchObject({ state: 'running', target: expect.stringMatching(/business/) });
    expect(first.explanation).toMatch(/Asia\/Tokyo|JST/);
    expect((await h.http().get(`/v1/cases/${created.body.id}/sla`).set(h.as(ANNA))).status).toBe(404);
  });
});

describe('a case from opening to closing', () => {
  test('assign, respond, request info, reply, escalate, acknowledge, change severity, resolve, confirm', async () => {
    const created = await open(NANCY, technical('01700002', { severity: 3, title: 'Lifecycle' }));
    const id = created.body.id;
    const post = (who: string, action: string, body: object, key?: string) => {
      const req = h.http().post(`/v1/cases/${id}/${action}`).set(h.as(who));
      return (key ? req.set('Idempotency-Key', key) : req).send(body);
    };

    const assigned = await post('eng-americas', 'assignment', { ownerId: 'eng-americas' });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ ownerId: 'eng-americas', ownerRegion: 'AMERICAS' });

    const responded = await post('eng-americas', 'responses', { message: 'Looking into it' }, 'resp-1');
    expect(responded.status).toBe(200);
    expect(responded.body.sla.firstResponse.state).toBe('met');
    expect(responded.body.firstResponseAt).not.toBeNull();
    // The same request id again has no second effect.
    const repeated = await post('eng-americas', 'responses', { message: 'Looking into it' }, 'resp-1');
    expect(repeated.body.version).toBe(responded.body.version);

    const asked = await post('eng-americas', 'information-requests', { message: 'Please send logs' });
    expect(asked.body.status).toBe('awaiting_customer');
    const replied = await post(PARTNER, 'replies', { message: 'Logs attached' });
    expect(replied.status).toBe(200);
    expect(replied.body.status).toBe('in_progress');

    const escalated = await post(NANCY, 'manager-requests', { reason: 'Too slow' });
    expect(escalated.status).toBe(200);
    const acked = await post('mgr-duty', 'manager-acknowledgements', { note: 'Calling the customer' });
    expect(acked.status).toBe(200);

    const severity = await post(NANCY, 'severity', { severity: 2, reason: 'Production backups now affected' });
    expect(severity.status).toBe(200);
    expect(severity.body.severity).toBe(2);

    const availability = await post(NANCY, 'availability', { available: false, note: 'Off until Monday' });
    expect(availability.status).toBe(202);

    const resolved = await post('eng-americas', 'resolution', { resolutionType: 'workaround', summary: 'Disable the proxy' });
    expect(resolved.body.status).toBe('resolved');
    const confirmed = await post(NANCY, 'confirmation', { accepted: true });
    expect(confirmed.body).toMatchObject({ status: 'closed', closeReason: 'confirmed' });

    const detail = await h.http().get(`/v1/cases/${id}`).set(h.as(NANCY));
    expect(detail.body.resolution).toEqual({ type: 'workaround', summary: 'Disable the proxy', referral: null });
    expect(detail.body.history.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['opened']));

    // The audit trail, oldest first, paged.
    const trail = await h.http().get(`/v1/cases/${id}/events?limit=100`).set(h.as(PARTNER));
    expect(trail.status).toBe(200);
    const types = trail.body.items.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('opened');
    expect(trail.body.items.map((e: { actorId: string }) => e.actorId)).toEqual(
      expect.arrayContaining([NANCY, 'eng-americas', 'mgr-duty', PARTNER]),
    );
    const first = await h.http().get(`/v1/cases/${id}/events?limit=2`).set(h.as(NANCY));
    const second = await h.http().get(`/v1/cases/${id}/events?limit=2&after=${first.body.nextCursor}`).set(h.as(NANCY));
    expect([...first.body.items, ...second.body.items].map((e: { id: number }) => e.id)).toEqual(
      trail.body.items.slice(0, 4).map((e: { id: number }) => e.id),
    );
    expect((await h.http().get(`/v1/cases/${id}/events`).set(h.as(ANNA))).status).toBe(404);

    // The read model follows the workflow.
    const [row] = await h.database.db.select().from(cases).where(eq(cases.id, id));
    expect(row.status).toBe('closed');
    const listed = await h.http().get('/v1/cases?status=closed&limit=100').set(h.as(NANCY));
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(id);

    // A closed case accepts no more actions.
    const late = await post('eng-americas', 'responses', { message: 'One more thing' });
    expect(late.status).toBe(409);
    expect(late.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  test('actions the case state does not allow are 409 with the reason', async () => {
    const created = await open(NANCY, technical('01700002'));
    const ack = await h.http().post(`/v1/cases/${created.body.id}/manager-acknowledgements`).set(h.as('mgr-duty')).send({});
    expect(ack.status).toBe(409);
    expect(ack.body.detail).toMatch(/no open manager escalation/);
    const confirm = await h.http().post(`/v1/cases/${created.body.id}/confirmation`).set(h.as(NANCY)).send({ accepted: true });
    expect(confirm.status).toBe(409);
    const rca = await h.http().post(`/v1/cases/${created.body.id}/rca`).set(h.as('eng-emea')).send({ summary: 'x' });
    expect(rca.status).toBe(409);
  });

  test('a hotfix needs the latest build', async () => {
    const created = await open(NANCY, technical('01700002', { version: '12.2', build: '12.2.0.100' }));
    const res = await h
      .http()
      .post(`/v1/cases/${created.body.id}/resolution`)
      .set(h.as('eng-emea'))
      .send({ resolutionType: 'hotfix', summary: 'Patch' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/most recent publicly available build/);
  });

  test('assignment needs an active engineer; severity on a plan takes a priority', async () => {
    const created = await open('koala-premium-charlotte', technical('01700007', { severity: undefined, priority: 'P2' }));
    const id = created.body.id;
    const bad = await h.http().post(`/v1/cases/${id}/assignment`).set(h.as('mgr-duty')).send({ ownerId: 'mgr-duty' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('ownerId');
    const wrongScheme = await h
      .http()
      .post(`/v1/cases/${id}/severity`)
      .set(h.as('koala-premium-charlotte'))
      .send({ severity: 1, reason: 'x' });
    expect(wrongScheme.status).toBe(422);
    const p1 = await h
      .http()
      .post(`/v1/cases/${id}/severity`)
      .set(h.as('koala-premium-charlotte'))
      .send({ priority: 'P1', reason: 'Cluster down' });
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ priority: 'P1', levelLabel: 'P1' });
  });

  test.each([
    ['severity', { severity: 7, reason: 'x' }],
    ['severity', { severity: 2 }],
    ['responses', { message: '' }],
    ['information-requests', {}],
    ['replies', { message: 5 }],
    ['availability', { available: 'yes' }],
    ['manager-requests', { reason: '' }],
    ['manager-acknowledgements', { note: 'x'.repeat(3000) }],
    ['resolution', { resolutionType: 'magic', summary: 'x' }],
    ['confirmation', {}],
    ['close', { reason: '', extra: 1 }],
    ['assignment', { ownerId: '' }],
    ['rca', {}],
  ])('invalid %s body %j is a 400', async (action, body) => {
    const created = await open(NANCY, technical('01700002', { title: `Invalid ${action}` }));
    const actor =
      action === 'manager-acknowledgements'
        ? 'mgr-duty'
        : ['replies', 'confirmation', 'manager-requests', 'severity', 'availability'].includes(action)
          ? NANCY
          : 'eng-emea';
    const res = await h.http().post(`/v1/cases/${created.body.id}/${action}`).set(h.as(actor)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });
});

// ---- Two policy rules (issue 10): a case about an experimental feature is supported with limitations (same
// targets, no hotfix, the customer is told); an out-of-scope request (design, training, installation or
// upgrade walkthroughs) is referred where the policy sends it, with the policy's explanation.

const SCOPED_TECHNICAL = {
  supportId: '01700002',
  type: 'technical',
  severity: 2,
  product: 'backup-replication',
  version: '12.3',
  build: '12.3.1.1139',
  title: 'Instant recovery to the cloud fails',
  description: 'The experimental cloud instant recovery stops at 40%',
};
const openScoped = (body: object) => h.http().post('/v1/cases').set(h.as(NANCY)).send(body);
const resolveScoped = (id: string, body: object) => h.http().post(`/v1/cases/${id}/resolution`).set(h.as('eng-americas')).send(body);
const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

describe('policy scope: experimental features', () => {
  test('the case says so, tells the customer the limitations and keeps the program target', async () => {
    const experimental = await openScoped({ ...SCOPED_TECHNICAL, experimentalFeature: true });
    expect(experimental.status).toBe(201);
    expect(experimental.body).toMatchObject({
      experimentalFeature: true,
      supportLimitations: expect.stringMatching(/no.*hotfix|never as a hotfix/i),
    });
    const ordinary = await openScoped(SCOPED_TECHNICAL);
    expect(ordinary.body).toMatchObject({ experimentalFeature: false, supportLimitations: null });
    const due = (c: { openedAt: string; sla: { firstResponse: { dueAt: string } } }) => hours(c.openedAt, c.sla.firstResponse.dueAt);
    expect(due(experimental.body)).toBe(3); // Production Severity 2: 3 h, as without the flag
    expect(due(ordinary.body)).toBe(3);
    const read = await h.http().get(`/v1/cases/${experimental.body.id}`).set(h.as(NANCY));
    expect(read.body.experimentalFeature).toBe(true);
  });

  test('no hotfix, even on the latest build; a workaround or a later release is fine', async () => {
    const created = await openScoped({ ...SCOPED_TECHNICAL, experimentalFeature: true });
    const hotfix = await resolveScoped(created.body.id, { resolutionType: 'hotfix', summary: 'Patch' });
    expect(hotfix.status).toBe(409);
    expect(hotfix.body.detail).toMatch(/Experimental features .* no hotfix/);
    const later = await resolveScoped(created.body.id, { resolutionType: 'defect_fixed_in_later_release', summary: 'Fixed in 12.4' });
    expect(later.status).toBe(200);
    // The same build without the flag may get a hotfix.
    const ordinary = await openScoped(SCOPED_TECHNICAL);
    expect((await resolveScoped(ordinary.body.id, { resolutionType: 'hotfix', summary: 'Patch' })).status).toBe(200);
  });

  test('only a technical case can be about an experimental feature', async () => {
    const res = await openScoped({
      supportId: '01700002',
      type: 'licensing',
      severity: 3,
      title: 't',
      description: 'd',
      experimentalFeature: true,
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'experimentalFeature' });
  });
});

describe('policy scope: out-of-scope requests', () => {
  test.each([
    ['product_training', 'sales_representative', /Sales Representative/],
    ['architecture_review', 'sales_representative', /Sales Representative/],
    ['upgrade_walkthrough', 'documentation', /walkthroughs of upgrades are not supported/],
  ])('%s is referred to %s with the policy explanation; no clock keeps running', async (category, referredTo, words) => {
    const created = await openScoped({ ...SCOPED_TECHNICAL, severity: 4, title: 'Please help', description: `A ${category} request` });
    const res = await resolveScoped(created.body.id, {
      resolutionType: 'out_of_scope_referral',
      outOfScope: category,
      summary: 'Not a support request',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('resolved');
    expect(res.body.nextDueAt).toBeNull();
    expect(res.body.sla.firstResponse.state).toBe('met');
    const detail = await h.http().get(`/v1/cases/${created.body.id}`).set(h.as(NANCY));
    expect(detail.body.resolution).toEqual({
      type: 'out_of_scope_referral',
      summary: 'Not a support request',
      referral: { category, referredTo, explanation: expect.stringMatching(words) },
    });
    const resolved = detail.body.history.find((e: { type: string }) => e.type === 'resolved');
    expect(resolved.data).toMatchObject({ outOfScope: category, referredTo });
  });

  test('the category is required with a referral and refused without one', async () => {
    const created = await openScoped(SCOPED_TECHNICAL);
    const missing = await resolveScoped(created.body.id, { resolutionType: 'out_of_scope_referral', summary: 's' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ field: 'outOfScope', in: 'body' });
    const stray = await resolveScoped(created.body.id, { resolutionType: 'workaround', outOfScope: 'product_training', summary: 's' });
    expect(stray.status).toBe(400);
  });
});
