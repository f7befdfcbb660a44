/**
 * GET /v1/queue, urgency first, through the real app, a Temporal dev server and the case worker: a breached,
 * unanswered Severity 1 sorts above an on-track Severity 2 due sooner than the Severity 1's next update; and an
 * around-the-clock case paged to another follow-the-sun region than its customer's is in that region's queue
 * and pages list, and in the queue of whoever the rota says is paged.
 */
import { eq, inArray } from 'drizzle-orm';
import { cases } from '../../db/schema';
import { nextSunHandoff, sunRegionAt } from '../../policy';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
});
afterAll(() => h?.close());

const ANNA = 'acme-premier-anna'; // Premier, EMEA market
const MIN = 60_000;

interface QueueItem {
  id: string;
  severity: number;
  slaState: string;
  nextDueAt: string | null;
  nextDueClock: string | null;
  overdueSince: string | null;
  sla: Record<string, { state: string; dueAt: string | null; breachedAt: string | null }>;
  customer: { marketRegion: string };
  page: { region: string; recipient: string } | null;
}

const queue = async (principal: string, query: string) => {
  const res = await h.http().get(`/v1/queue?${query}`).set(h.as(principal));
  expect(res.status).toBe(200);
  return res.body.items as QueueItem[];
};

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const technical = {
  type: 'technical',
  product: 'backup-replication',
  version: '12.3',
  build: '12.3.1.1139',
  description: 'queue test',
};

test('a breached, unanswered Severity 1 sorts above an on-track Severity 2 due sooner', async () => {
  // Premier Severity 1 answers in 3 seconds and Severity 2 in 14 minutes under this version.
  const effectiveAt = Date.now() + 1500;
  const published = await h
    .http()
    .post('/v1/policy/versions')
    .set(h.as('demo-admin'))
    .send({
      effectiveAt: new Date(effectiveAt).toISOString(),
      note: 'queue test',
      patch: { programs: { premier: { targets: { '1': { kind: 'wall', ms: 3000 }, '2': { kind: 'wall', ms: 14 * MIN } } } } },
    });
  expect(published.status).toBe(201);
  await new Promise((r) => setTimeout(r, Math.max(0, effectiveAt - Date.now() + 50)));

  const open = (severity: number, title: string) =>
    h
      .http()
      .post('/v1/cases')
      .set(h.as(ANNA))
      .send({ supportId: '01700001', severity, title, ...technical });
  const sev1 = await open(1, 'Everything is down');
  expect(sev1.status).toBe(201);
  const sev2 = await open(2, 'One job fails');
  expect(sev2.status).toBe(201);
  const ids = [sev1.body.id as string, sev2.body.id as string];

  await until(
    'the Severity 1 breach in the read model',
    () => h.database.db.select({ overdueSince: cases.overdueSince }).from(cases).where(eq(cases.id, ids[0]!)),
    ([row]) => (row?.overdueSince ?? null) !== null,
  );
  const items = (await queue('mgr-duty', 'scope=all')).filter((i) => ids.includes(i.id));
  expect(items.map((i) => i.id)).toEqual(ids);
  const [s1, s2] = items as [QueueItem, QueueItem];
  // The Severity 1: its first response is overdue since its due instant; its next due instant is the next
  // customer update, later than the Severity 2's first response (the old order put the Severity 2 first).
  expect(s1).toMatchObject({ severity: 1, slaState: 'breached', nextDueClock: 'sev1Update' });
  expect(s1.sla.firstResponse).toMatchObject({ state: 'breached' });
  expect(s1.overdueSince).toBe(s1.sla.firstResponse!.breachedAt);
  expect(Date.parse(s1.overdueSince!) - Date.parse(sev1.body.openedAt)).toBe(3000);
  expect(s1.nextDueAt).toBe(s1.sla.sev1Update!.dueAt);
  expect(s2).toMatchObject({ severity: 2, slaState: 'on_track', overdueSince: null, nextDueClock: 'firstResponse' });
  expect(s2.nextDueAt).toBe(s2.sla.firstResponse!.dueAt);
  expect(Date.parse(s2.nextDueAt!)).toBeLessThan(Date.parse(s1.nextDueAt!));
  // The same order in the engineer's default queue (their region and theirs), and the read model says why.
  const emea = (await queue('eng-emea', 'scope=region')).filter((i) => ids.includes(i.id));
  expect(emea.map((i) => i.id)).toEqual(ids);
  const rows = await h.database.db
    .select({ id: cases.id, nextDueClock: cases.nextDueClock, overdueSince: cases.overdueSince })
    .from(cases)
    .where(inArray(cases.id, ids));
  expect(rows.find((r) => r.id === ids[1])).toMatchObject({ nextDueClock: 'firstResponse', overdueSince: null });

  // Answered: no longer overdue, back among the others by its next due instant.
  const answered = await h.http().post(`/v1/cases/${ids[0]}/responses`).set(h.as('eng-emea')).send({ message: 'On it' });
  expect(answered.status).toBe(200);
  const after = await until(
    'the answer in the queue',
    async () => (await queue('mgr-duty', 'scope=all')).filter((i) => ids.includes(i.id)),
    (list) => list.find((i) => i.id === ids[0])?.overdueSince === null,
  );
  // Now only due instants decide: the Severity 2's first response (14 min) before the Severity 1's next update.
  expect(after.map((i) => i.id)).toEqual([ids[1], ids[0]]);
  expect(Date.parse(after[0]!.nextDueAt!)).toBeLessThan(Date.parse(after[1]!.nextDueAt!));
}, 90_000);

test('a case paged to another region is in that region’s queue and pages list, and in the paged engineer’s', async () => {
  // Not across a follow-the-sun hand-off: the page must stay where it went while the test looks.
  const handoff = nextSunHandoff(Date.now());
  if (handoff.at - Date.now() < 60_000) await new Promise((r) => setTimeout(r, handoff.at - Date.now() + 2000));
  const region = sunRegionAt(Date.now());
  const engineer = { APAC: 'eng-apac', EMEA: 'eng-emea', AMERICAS: 'eng-americas' }[region];
  // A customer of another market: an APAC Premium P1 when EMEA works the sun, else a Premier (EMEA) Severity 1.
  const opened =
    region === 'EMEA'
      ? await h.http().post('/v1/cases').set(h.as('koala-premium-charlotte')).send({
          supportId: '01700007',
          priority: 'P1',
          title: 'Cluster restore fails',
          type: 'technical',
          product: 'kasten',
          version: '7.5',
          build: '7.5.2',
          description: 'queue test',
        })
      : await h
          .http()
          .post('/v1/cases')
          .set(h.as(ANNA))
          .send({ supportId: '01700001', severity: 1, title: 'All down', ...technical });
  expect(opened.status).toBe(201);
  const id = opened.body.id as string;
  expect(opened.body.page).toMatchObject({ region, recipient: `oncall:${region}` });

  const mine = await queue(engineer, 'scope=region');
  const item = mine.find((i) => i.id === id);
  expect(item).toBeDefined();
  expect(item!.customer.marketRegion).not.toBe(region === 'AMERICAS' ? 'US' : region);
  expect((await queue(engineer, 'scope=region&awaiting=page')).map((i) => i.id)).toContain(id);
  // An engineer of a third region sees it neither in their region's queue nor as theirs...
  const other = (['eng-apac', 'eng-emea', 'eng-americas'] as const).find(
    (e) => e !== engineer && !(item!.customer.marketRegion === 'EMEA' ? e === 'eng-emea' : e === 'eng-apac'),
  )!;
  expect((await queue(other, 'scope=region')).map((i) => i.id)).not.toContain(id);
  expect((await queue(other, 'scope=mine')).map((i) => i.id)).not.toContain(id);
  // ...until the rota makes them the region's on-call engineer: the page is addressed to them now.
  const shift = await h
    .http()
    .post('/v1/oncall/shifts')
    .set(h.as('demo-admin'))
    .send({ region, primaryId: other, fallbackId: null, validFrom: new Date(Date.now() - 1000).toISOString() });
  expect(shift.status).toBe(201);
  expect((await queue(other, 'scope=mine')).map((i) => i.id)).toContain(id);
  expect((await queue(other, 'scope=region&awaiting=page')).map((i) => i.id)).toContain(id);

  // Acknowledged, the page stays with the region (its case is still worked around the clock there).
  expect((await h.http().post(`/v1/cases/${id}/page-acknowledgement`).set(h.as(other)).send({})).status).toBe(200);
  await until(
    'the acknowledgement in the read model',
    () => queue(engineer, 'scope=region'),
    (list) => list.some((i) => i.id === id && ((i.page as { acknowledgedAt?: string | null } | null)?.acknowledgedAt ?? null) !== null),
  );
  expect((await queue(engineer, 'scope=region&awaiting=page')).map((i) => i.id)).not.toContain(id);
}, 180_000);
