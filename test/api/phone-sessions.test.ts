/** Phone support: the eligibility table (program x case type) and routing (queue, language, previous engineer). */
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
});
afterAll(() => h?.close());

const ORGS = {
  premier: { who: 'acme-premier-anna', supportId: '01700001', level: { severity: 3 }, queue: 'EMEA-de' },
  production: { who: 'northwind-production-nancy', supportId: '01700002', level: { severity: 3 }, queue: 'US-en' },
  basic: { who: 'sakura-basic-haruto', supportId: '01700003', level: { severity: 3 }, queue: 'APAC-ja' },
  evaluation: { who: 'maple-evaluation-chloe', supportId: '01700004', level: { severity: 3 }, queue: 'CA-fr' },
  free: { who: 'pampas-free-mateo', supportId: '01700005', level: { severity: 3 }, queue: 'LATAM-es' },
  vcsp_production: { who: 'cloudnine-vcsp-oliver', supportId: '01700006', level: { severity: 3 }, queue: 'EMEA-en' },
  plan_premium: { who: 'koala-premium-charlotte', supportId: '01700007', level: { priority: 'P3' }, queue: 'APAC-en' },
  plan_basic: { who: 'ipe-plan-basic-joao', supportId: '01700008', level: { priority: 'P3' }, queue: 'LATAM-pt' },
  plan_evaluation: { who: 'fjord-plan-evaluation-ingrid', supportId: '01700009', level: { priority: 'P3' }, queue: 'EMEA-en' },
} as const;
type Program = keyof typeof ORGS;

async function openCase(program: Program, type: string) {
  const o = ORGS[program];
  const product = type === 'technical' ? { product: 'backup-replication', version: '12.3', build: '12.3.1.1139' } : {};
  const res = await h
    .http()
    .post('/v1/cases')
    .set(h.as(o.who))
    .send({ supportId: o.supportId, type, ...o.level, ...product, title: `${program} ${type}`, description: 'phone test' });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: number };
}

// Phone support: every program with phone support, for technical and licensing cases; never Free/NFR;
// never general inquiries.
const PHONE_PROGRAMS: Record<Program, boolean> = {
  premier: true,
  production: true,
  basic: true,
  evaluation: true,
  free: false,
  vcsp_production: true,
  plan_premium: true,
  plan_basic: true,
  plan_evaluation: true,
};
const TABLE = (Object.keys(ORGS) as Program[]).flatMap((program) =>
  (['technical', 'licensing', 'general_inquiry'] as const).map(
    (type) => [program, type, PHONE_PROGRAMS[program] && type !== 'general_inquiry'] as const,
  ),
);

test.each(TABLE)('%s, %s case: eligible %s', async (program, type, eligible) => {
  const opened = await openCase(program, type);
  const res = await h.http().post(`/v1/cases/${opened.id}/phone-sessions`).set(h.as(ORGS[program].who)).send({});
  if (eligible) {
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      caseId: opened.id,
      caseNumber: opened.number,
      eligible: true,
      queue: ORGS[program].queue,
      preferredEngineer: null,
    });
  } else {
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/phone-not-eligible/);
    expect(res.body.detail).toMatch(program === 'free' ? /no phone support/ : /General inquiries have no phone support/);
  }
});

test('a call needs an existing case number', async () => {
  const res = await h.http().post('/v1/cases/999999/phone-sessions').set(h.as('acme-premier-anna')).send({});
  expect(res.status).toBe(404);
});

test("routing reconnects the caller with the case's engineer, by case number, in the caller's language", async () => {
  const opened = await openCase('premier', 'technical');
  await h.http().post(`/v1/cases/${opened.id}/assignment`).set(h.as('eng-emea')).send({ ownerId: 'eng-emea' });
  const res = await h.http().post(`/v1/cases/${opened.number}/phone-sessions`).set(h.as('acme-premier-anna')).send({ language: 'en' });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ queue: 'EMEA-en', language: 'en', preferredEngineer: { id: 'eng-emea', homeRegion: 'EMEA' } });
});

test('without an owner, the last engineer who worked the case is preferred', async () => {
  const opened = await openCase('production', 'licensing');
  const responded = await h.http().post(`/v1/cases/${opened.id}/responses`).set(h.as('eng-americas')).send({ message: 'Hi' });
  expect(responded.status).toBe(200);
  const res = await h.http().post(`/v1/cases/${opened.id}/phone-sessions`).set(h.as('partner-bytesmith')).send({});
  expect(res.status).toBe(201);
  expect(res.body.preferredEngineer).toMatchObject({ id: 'eng-americas' });
});

test('a language the region does not support is a 422; closed cases take no calls', async () => {
  const opened = await openCase('basic', 'technical');
  const bad = await h.http().post(`/v1/cases/${opened.id}/phone-sessions`).set(h.as('sakura-basic-haruto')).send({ language: 'de' });
  expect(bad.status).toBe(422);
  expect(bad.body.errors[0].field).toBe('language');
  const unknown = await h
    .http()
    .post(`/v1/cases/${opened.id}/phone-sessions`)
    .set(h.as('sakura-basic-haruto'))
    .send({ language: 'de', when: 'now' });
  expect(unknown.status).toBe(400);
  await h.http().post(`/v1/cases/${opened.id}/close`).set(h.as('sakura-basic-haruto')).send({});
  const closed = await h.http().post(`/v1/cases/${opened.id}/phone-sessions`).set(h.as('sakura-basic-haruto')).send({});
  expect(closed.status).toBe(409);
});
