/**
 * The authorization matrix: every role against every endpoint, on its own organisation's case and on
 * another's. Outcomes: allowed (anything but 401/403/404: the request reached the case, which may still
 * refuse it for its state), 403 (the role may never do this) or 404 (another organisation's case: nothing leaks).
 */
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
let caseId: string; // a northwind-production case

beforeAll(async () => {
  h = await startApiHarness({ worker: true });
  const res = await h.http().post('/v1/cases').set(h.as('northwind-production-nancy')).send({
    supportId: '01700002',
    type: 'technical',
    severity: 2,
    product: 'backup-replication',
    version: '12.3',
    build: '12.3.1.1139',
    title: 'Matrix',
    description: 'Matrix case',
  });
  expect(res.status).toBe(201);
  caseId = res.body.id;
});
afterAll(() => h?.close());

type Outcome = 'allowed' | 403 | 404;
const WHO = {
  ownCustomer: 'northwind-production-nancy',
  otherCustomer: 'acme-premier-anna',
  otherLicenseAdmin: 'acme-premier-lukas',
  linkedPartner: 'partner-bytesmith',
  engineer: 'eng-emea',
  manager: 'mgr-duty',
  admin: 'demo-admin',
} as const;
type Who = keyof typeof WHO;

const customerSide = (o: { staff?: Outcome; admin?: Outcome }): Record<Who, Outcome> => ({
  ownCustomer: 'allowed',
  otherCustomer: 404,
  otherLicenseAdmin: 404,
  linkedPartner: 'allowed',
  engineer: o.staff ?? 403,
  manager: o.staff ?? 403,
  admin: o.admin ?? 403,
});
const staffOnly = (o: { engineer?: Outcome; admin?: Outcome } = {}): Record<Who, Outcome> => ({
  ownCustomer: 403,
  otherCustomer: 403,
  otherLicenseAdmin: 403,
  linkedPartner: 403,
  engineer: o.engineer ?? 'allowed',
  manager: 'allowed',
  admin: o.admin ?? 403,
});
const readers: Record<Who, Outcome> = { ...customerSide({ staff: 'allowed', admin: 'allowed' }) };

interface Endpoint {
  name: string;
  method: 'get' | 'post';
  path: () => string;
  body?: object;
  expect: Record<Who, Outcome>;
}

const c = () => `/v1/cases/${caseId}`;
const ENDPOINTS: Endpoint[] = [
  { name: 'read case', method: 'get', path: c, expect: readers },
  { name: 'read SLA', method: 'get', path: () => `${c()}/sla`, expect: readers },
  { name: 'read audit trail', method: 'get', path: () => `${c()}/events`, expect: readers },
  {
    name: 'change severity',
    method: 'post',
    path: () => `${c()}/severity`,
    body: { severity: 3, reason: 'matrix' },
    expect: customerSide({ staff: 'allowed' }),
  },
  { name: 'engineer response', method: 'post', path: () => `${c()}/responses`, body: { message: 'm' }, expect: staffOnly() },
  { name: 'request information', method: 'post', path: () => `${c()}/information-requests`, body: { message: 'm' }, expect: staffOnly() },
  { name: 'customer reply', method: 'post', path: () => `${c()}/replies`, body: { message: 'm' }, expect: customerSide({}) },
  {
    name: 'availability',
    method: 'post',
    path: () => `${c()}/availability`,
    body: { available: true },
    expect: customerSide({ staff: 'allowed' }),
  },
  { name: 'talk to a manager', method: 'post', path: () => `${c()}/manager-requests`, body: { reason: 'r' }, expect: customerSide({}) },
  {
    name: 'manager acknowledgement',
    method: 'post',
    path: () => `${c()}/manager-acknowledgements`,
    body: {},
    expect: staffOnly({ engineer: 403 }),
  },
  { name: 'assign', method: 'post', path: () => `${c()}/assignment`, body: { ownerId: 'eng-emea' }, expect: staffOnly() },
  { name: 'RCA delivered', method: 'post', path: () => `${c()}/rca`, body: { summary: 's' }, expect: staffOnly() },
  { name: 'phone session', method: 'post', path: () => `${c()}/phone-sessions`, body: {}, expect: customerSide({ staff: 'allowed' }) },
  {
    name: 'resolve',
    method: 'post',
    path: () => `${c()}/resolution`,
    body: { resolutionType: 'workaround', summary: 's' },
    expect: staffOnly(),
  },
  { name: 'confirm resolution', method: 'post', path: () => `${c()}/confirmation`, body: { accepted: false }, expect: customerSide({}) },
  { name: 'close', method: 'post', path: () => `${c()}/close`, body: {}, expect: customerSide({ staff: 'allowed' }) },
  {
    name: 'open a case for northwind',
    method: 'post',
    path: () => '/v1/cases',
    body: { orgId: 'northwind-production', supportId: '01700002', type: 'licensing', severity: 4, title: 't', description: 'd' },
    expect: customerSide({}),
  },
  {
    name: 'list cases',
    method: 'get',
    path: () => '/v1/cases',
    expect: {
      ownCustomer: 'allowed',
      otherCustomer: 'allowed',
      otherLicenseAdmin: 'allowed',
      linkedPartner: 'allowed',
      engineer: 'allowed',
      manager: 'allowed',
      admin: 'allowed',
    },
  },
  {
    name: 'policy',
    method: 'get',
    path: () => '/v1/policy',
    expect: {
      ownCustomer: 'allowed',
      otherCustomer: 'allowed',
      otherLicenseAdmin: 'allowed',
      linkedPartner: 'allowed',
      engineer: 'allowed',
      manager: 'allowed',
      admin: 'allowed',
    },
  },
  {
    name: 'policy for northwind',
    method: 'get',
    path: () => '/v1/policy?orgId=northwind-production',
    expect: readers,
  },
  {
    name: 'SLA report',
    method: 'get',
    path: () => '/v1/reports/sla?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z',
    expect: staffOnly({ admin: 'allowed' }),
  },
];

const cases = ENDPOINTS.flatMap((e) => (Object.keys(WHO) as Who[]).map((who) => [e.name, who, e.expect[who], e] as const));

// Order matters only for state (resolve before confirm before close); every outcome is about access.
test.each(cases)('%s as %s: %s', async (_name, who, outcome, endpoint) => {
  const req = h.http()[endpoint.method](endpoint.path()).set(h.as(WHO[who]));
  const res = await (endpoint.body ? req.send(endpoint.body) : req);
  if (outcome === 'allowed') {
    expect([401, 403, 404]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  } else {
    expect(res.status).toBe(outcome);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  }
});

test("the list never shows another organisation's case", async () => {
  const res = await h.http().get('/v1/cases?limit=100').set(h.as('acme-premier-anna'));
  expect(res.body.items.map((x: { id: string }) => x.id)).not.toContain(caseId);
});
