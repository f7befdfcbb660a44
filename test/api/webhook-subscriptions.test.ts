/**
 * Webhook subscriptions (issue 23): managed through the real API, delivered through the outbox's delivery
 * rows by deliverNotifications, received by HTTP servers in this test that verify every signature with the
 * Standard Webhooks library itself. Tenant isolation, rotation, a bad receiver next to a good one, disable
 * after a run of failures with the owner's mail, the delivery log and a manual redeliver.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { createApp } from '../../api/app';
import type { Database } from '../../db/client';
import { cases, notificationDeliveries, notifications, webhookSubscriptions } from '../../db/schema';
import { deliverNotifications } from '../../activities/deliver-notifications';
import type { CaseMailer } from '../../activities/mail/mailer';
import { DEFAULT_WEBHOOK_SETTINGS, subscriptionChannel, type WebhookSettings } from '../../activities/webhooks/subscriptions';
import { seedDemo } from '../../runtime/demo-seed';
import { createTestDatabase } from '../helpers/db';

jest.setTimeout(60_000);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function receiver(answer: (req: Received) => { status: number; headers?: Record<string, string> } | 'hang') {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      if (req.method === 'POST') got.push(r); // not the creation's HEAD (redirect check)
      const a = answer(r);
      if (a === 'hang') return; // never answers
      res.writeHead(a.status, a.headers).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    got,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const verify = (secret: string, r: Received) =>
  new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  }) as { type: string; data: { caseId: string; kind: string } };

let database: Database;
let tokens: Record<string, string>;
const as = (id: string) => ({ Authorization: `Bearer ${tokens[id]}` });
const appFor = (allowPrivateNetworks: boolean) =>
  createApp({
    database,
    temporal: { options: { namespace: 'default' } } as unknown as Client, // these routes never talk to Temporal
    logger: pino({ level: 'silent' }),
    rateLimitPerMinute: 100_000,
    authFailuresPerMinute: 1000,
    authFailuresPerAddressPerMinute: 1000,
    inboundMail: { reply: { secret: 'x', domain: 'reply.test' }, transport: null, maxBytes: 1024 },
    webhooks: { allowPrivateNetworks },
  });

let caseNo = 0;
async function caseOf(orgId: string, entitlement: string, level: number): Promise<string> {
  const id = `00000000-0000-4000-8000-${String(++caseNo).padStart(12, '0')}`;
  await database.db.insert(cases).values({
    id,
    orgId,
    openedBy: 'test',
    type: 'technical',
    entitlement,
    level,
    title: `case ${caseNo}`,
    description: 'd',
    language: 'en',
    status: 'opened',
    slaState: 'on_track',
    openedAt: new Date(),
    policyVersion: 'v1',
    workflowId: `case-${id}`,
    snapshot: { entitlement, level },
    snapshotVersion: 1,
  });
  return id;
}

let noticeNo = 0;
async function notice(caseId: string, kind: string): Promise<string> {
  const dedupeKey = `${caseId}:${kind}:${++noticeNo}`;
  await database.db
    .insert(notifications)
    .values({ dedupeKey, caseId, kind, recipient: 'customer:x', channel: 'email', payload: { n: noticeNo } });
  return dedupeKey;
}

const settings = (over: Partial<WebhookSettings> = {}): WebhookSettings => ({
  ...DEFAULT_WEBHOOK_SETTINGS,
  allowPrivateNetworks: true,
  ...over,
});

beforeAll(async () => {
  database = await createTestDatabase();
  const seeded = await seedDemo(database.db);
  tokens = Object.fromEntries(seeded.tokens.map((t) => [t.principalId, t.token]));
});
afterAll(async () => {
  await database.close();
});

test('bad URLs and out-of-scope filters are refused with a 422 naming the field', async () => {
  const app = appFor(false);
  const post = (who: string, body: object) => request(app).post('/v1/webhook-subscriptions').set(as(who)).send(body);
  for (const [url, why] of [
    ['ftp://example.com/hook', /http or https/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://[fe80::1]/hook', /link-local/],
    ['http://10.1.2.3/hook', /private/],
    ['http://127.0.0.1:9/hook', /private/],
    ['http://localhost:9/hook', /resolves to .*(loopback|private)/],
    ['http://user:pw@example.com/', /credentials/],
    ['not a url', /absolute/],
  ] as const) {
    const res = await post('demo-admin', { url });
    expect(res.status).toBe(422);
    const body = res.body as { errors: { field: string; reason: string }[] };
    expect(body.errors[0]!.field).toBe('url');
    expect(body.errors[0]!.reason).toMatch(why);
  }
  // A case admin's subscription: customer notices of its own organisation only.
  const staff = await post('acme-premier-anna', { url: 'https://example.com/hook', kinds: ['sla_breach'] });
  expect(staff.status).toBe(422);
  expect((staff.body as { errors: { field: string }[] }).errors[0]!.field).toBe('kinds');
  const orgs = await post('acme-premier-anna', { url: 'https://example.com/hook', orgIds: ['northwind-production'] });
  expect(orgs.status).toBe(422);
  // A URL that redirects (towards the metadata address, or anywhere: redirects are never followed) is refused.
  const redirecting = await receiver(() => ({ status: 301, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }));
  try {
    const res = await request(appFor(true)).post('/v1/webhook-subscriptions').set(as('demo-admin')).send({ url: redirecting.url });
    expect(res.status).toBe(422);
    const e = (res.body as { errors: { field: string; reason: string }[] }).errors[0]!;
    expect(e.field).toBe('url');
    expect(e.reason).toMatch(/redirects \(301\) to http:\/\/169\.254\.169\.254\/latest\/meta-data\/, which .*link-local/);
  } finally {
    await redirecting.close();
  }
  // Engineers manage none.
  expect((await post('eng-emea', { url: 'https://example.com/hook' })).status).toBe(403);
});

test('signed deliveries, tenant isolation, rotation with two valid secrets, the delivery log and a redeliver', async () => {
  const app = appFor(true);
  const admin = await receiver(() => ({ status: 204 }));
  const acme = await receiver(() => ({ status: 200 }));
  try {
    const a = await request(app)
      .post('/v1/webhook-subscriptions')
      .set(as('demo-admin'))
      .send({ url: admin.url, programs: ['premier', 'production'] });
    expect(a.status).toBe(201);
    const b = await request(app)
      .post('/v1/webhook-subscriptions')
      .set(as('acme-premier-anna'))
      .send({ url: acme.url, kinds: ['case_received', 'engineer_response'] });
    expect(b.status).toBe(201);
    const adminSub = a.body as { id: string; secret: string };
    const acmeSub = b.body as { id: string; secret: string; orgId: string };
    expect(acmeSub.orgId).toBe('acme-premier');
    expect(adminSub.secret).toMatch(/^whsec_/);

    const channel = subscriptionChannel(settings(), null);
    const acmeCase = await caseOf('acme-premier', 'premier', 2);
    const northCase = await caseOf('northwind-production', 'production', 3);
    const basicCase = await caseOf('sakura-basic', 'basic', 3);
    const keys = [
      await notice(acmeCase, 'case_received'),
      await notice(northCase, 'case_received'),
      await notice(acmeCase, 'sla_breach'),
      await notice(basicCase, 'case_received'),
    ];
    await deliverNotifications(database.db, { webhook: null, mail: null, subscriptions: channel }, keys);

    // The admin's subscription: premier and production cases, every kind; never the basic case (filter).
    const adminGot = admin.got.map((r) => verify(adminSub.secret, r));
    expect(adminGot.map((p) => `${p.data.caseId}:${p.data.kind}`).sort()).toEqual(
      [`${acmeCase}:case_received`, `${acmeCase}:sla_breach`, `${northCase}:case_received`].sort(),
    );
    expect(adminGot[0]!.type).toMatch(/^notice\./);
    // Acme's own: only Acme's case, only customer notices; never Northwind's, never a staff notice.
    const acmeGot = acme.got.map((r) => verify(acmeSub.secret, r));
    expect(acmeGot.map((p) => `${p.data.caseId}:${p.data.kind}`)).toEqual([`${acmeCase}:case_received`]);
    // Another secret does not verify.
    expect(() => verify(adminSub.secret, acme.got[0]!)).toThrow();

    // A retry of the same notices sends nothing again.
    await deliverNotifications(database.db, { webhook: null, mail: null, subscriptions: channel }, keys);
    expect(acme.got).toHaveLength(1);

    // Rotation: during the overlap a delivery verifies with the new and with the previous secret.
    const rotated = await request(app)
      .post(`/v1/webhook-subscriptions/${acmeSub.id}/secret`)
      .set(as('acme-premier-anna'))
      .send({ overlapHours: 2 });
    expect(rotated.status).toBe(200);
    const newSecret = (rotated.body as { secret: string }).secret;
    expect(newSecret).not.toBe(acmeSub.secret);
    await deliverNotifications(database.db, { webhook: null, mail: null, subscriptions: channel }, [
      await notice(acmeCase, 'engineer_response'),
    ]);
    const last = acme.got.at(-1)!;
    expect(verify(newSecret, last).data.kind).toBe('engineer_response');
    expect(verify(acmeSub.secret, last).data.kind).toBe('engineer_response');
    expect(String(last.headers['webhook-signature']).split(' ')).toHaveLength(2);

    // Tenant isolation on the API too: another organisation's admin sees no such subscription.
    expect(
      (await request(app).get(`/v1/webhook-subscriptions/${acmeSub.id}`).set(as('northwind-production-nancy'))).status,
    ).toBeGreaterThanOrEqual(403);
    const list = await request(app).get('/v1/webhook-subscriptions').set(as('acme-premier-anna'));
    expect((list.body as { items: { id: string }[] }).items.map((s) => s.id)).toEqual([acmeSub.id]);

    // The delivery log, and a redeliver with the same webhook-id.
    const log = await request(app).get(`/v1/webhook-subscriptions/${acmeSub.id}/deliveries`).set(as('acme-premier-anna'));
    expect(log.status).toBe(200);
    const items = (log.body as { items: { id: number; status: string; responseCode: number; latencyMs: number; webhookId: string }[] })
      .items;
    expect(items).toHaveLength(2);
    expect(items.every((d) => d.status === 'sent' && d.responseCode === 200 && d.latencyMs >= 0)).toBe(true);
    const again = await request(app)
      .post(`/v1/webhook-subscriptions/${acmeSub.id}/deliveries/${items[1]!.id}/redeliver`)
      .set(as('acme-premier-anna'));
    expect(again.status).toBe(202);
    const first = acme.got[0]!;
    await deliverNotifications(database.db, { webhook: null, mail: null, subscriptions: channel }, [keys[0]!]);
    expect(acme.got.at(-1)!.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(acme.got.at(-1)!.headers['webhook-id']).toBe(items[1]!.webhookId);
  } finally {
    await admin.close();
    await acme.close();
  }
});

test('a hanging, a failing and a redirecting receiver never hold up a good one; a run of failures disables and mails the owner', async () => {
  const app = appFor(true);
  const good = await receiver(() => ({ status: 200 }));
  const hang = await receiver(() => 'hang');
  const fail = await receiver(() => ({ status: 500 }));
  // Redirects once in service (the creation's HEAD saw a 200), towards the metadata address.
  const loop = await receiver((r) =>
    r.body ? { status: 302, headers: { location: `http://169.254.169.254/${r.body.length}` } } : { status: 200 },
  );
  const sent: { to: unknown; subject: unknown }[] = [];
  const mailer = {
    transport: {
      from: 'caseflow@caseflow.test',
      send: (m: { to: unknown; subject: unknown }) => (sent.push(m), Promise.resolve({ response: '250' })),
    },
    reply: { secret: 'x', domain: 'reply.test' },
    consoleUrl: 'http://localhost:3000',
  } as unknown as CaseMailer;
  try {
    await database.db.update(webhookSubscriptions).set({ disabledAt: new Date() }); // earlier tests' subscriptions
    const ids: Record<string, string> = {};
    for (const [name, r] of Object.entries({ good, hang, fail, loop })) {
      const res = await request(app).post('/v1/webhook-subscriptions').set(as('demo-admin')).send({ url: r.url });
      ids[name] = (res.body as { id: string }).id;
    }
    const channel = subscriptionChannel(settings({ timeoutMs: 800, disableAfterFailures: 3 }), mailer);
    const acmeCase = await caseOf('acme-premier', 'premier', 1);
    for (let round = 0; round < 3; round++) {
      const key = await notice(acmeCase, 'sla_breach');
      const started = Date.now();
      await expect(deliverNotifications(database.db, { webhook: null, mail: null, subscriptions: channel }, [key])).rejects.toThrow(
        /answered 500|not followed|no answer/,
      );
      expect(Date.now() - started).toBeLessThan(5000); // bounded by the timeout, not by the hanging receiver
      expect(good.got).toHaveLength(round + 1);
    }
    const [failing] = await database.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, ids.fail!));
    expect(failing!.disabledAt).not.toBeNull();
    expect(failing!.disabledReason).toMatch(/3 failed deliveries in a row; last: answered 500/);
    const [looping] = await database.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, ids.loop!));
    expect(looping!.disabledReason).toMatch(/redirect to http:\/\/169\.254\.169\.254\/\d+ not followed/);
    const [hanging] = await database.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, ids.hang!));
    expect(hanging!.disabledReason).toMatch(/no answer within 800 ms/);
    const [goodRow] = await database.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, ids.good!));
    expect(goodRow!.disabledAt).toBeNull();
    // The owner (admin) was told, once per disabled subscription.
    expect(sent).toHaveLength(3);
    expect(String(sent[0]!.subject)).toMatch(/Webhook subscription disabled/);
    // The log says what happened: the 500s with their status code and latency.
    const log = await request(app).get(`/v1/webhook-subscriptions/${ids.fail!}/deliveries`).set(as('demo-admin'));
    const items = (log.body as { items: { status: string; responseCode: number | null; lastError: string }[] }).items;
    expect(items.every((d) => d.responseCode === 500)).toBe(true);
    // A disabled subscription gets nothing new, and the next notice completes without it.
    const key = await notice(acmeCase, 'sla_breach');
    await deliverNotifications(database.db, { webhook: null, mail: null, subscriptions: channel }, [key]);
    const [row] = await database.db.select().from(notifications).where(eq(notifications.dedupeKey, key));
    expect(row!.deliveredAt).not.toBeNull();
    const rows = await database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.notificationId, row!.id));
    expect(rows.map((d) => d.subscriptionId)).toEqual([ids.good]);
    // Re-enabled, it counts from zero again; a redeliver on a disabled one is a 409.
    expect((await request(app).post(`/v1/webhook-subscriptions/${ids.hang!}/deliveries/1/redeliver`).set(as('demo-admin'))).status).toBe(
      409,
    );
    const re = await request(app).patch(`/v1/webhook-subscriptions/${ids.fail!}`).set(as('demo-admin')).send({ enabled: true });
    expect((re.body as { enabled: boolean; consecutiveFailures: number }).consecutiveFailures).toBe(0);
  } finally {
    await Promise.all([good.close(), hang.close(), fail.close(), loop.close()]);
  }
});

test('the environment webhook is one subscription, with its old headers beside the standard ones', async () => {
  await database.db.update(webhookSubscriptions).set({ disabledAt: new Date() });
  const legacy = await receiver(() => ({ status: 200 }));
  try {
    const channel = subscriptionChannel(settings({ env: { url: legacy.url, secret: 'an-old-style-secret-of-enough-length' } }), null);
    const acmeCase = await caseOf('acme-premier', 'premier', 2);
    await deliverNotifications(database.db, { webhook: null, mail: null, subscriptions: channel }, [await notice(acmeCase, 'page')]);
    expect(legacy.got).toHaveLength(1);
    const r = legacy.got[0]!;
    const body = JSON.parse(r.body) as { kind: string; caseId: string };
    expect(body).toMatchObject({ kind: 'page', caseId: acmeCase }); // the body as before
    expect(r.headers['x-caseflow-signature']).toMatch(/^sha256=/);
    new Webhook('an-old-style-secret-of-enough-length', { format: 'raw' }).verify(r.body, r.headers as Record<string, string>);
    const [env] = await database.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.source, 'env'));
    expect(env).toMatchObject({ id: 'env', url: legacy.url, secret: 'env:NOTIFY_WEBHOOK_SECRET' });
  } finally {
    await legacy.close();
  }
});
