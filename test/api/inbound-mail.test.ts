/**
 * POST /v1/inbound-mail through the real app, a Temporal dev server, the case worker and the database: the
 * gateway role, the raw message/rfc822 body, refusals named in the problem, size and media type limits,
 * and the OpenAPI declaration.
 */
import { and, eq } from 'drizzle-orm';
import { replyAddress } from '../../activities/mail/reply-address';
import { notificationDeliveries, notifications } from '../../db/schema';
const DEMO_ADMIN_ID = 'demo-admin';
import { composeReply } from '../helpers/mail';
import { mailFixture } from '../helpers/mail-fixtures';
import { startApiHarness, TEST_REPLY, type ApiHarness } from '../helpers/api-harness';

let h: ApiHarness;
let gateway: { Authorization: string };
let caseId: string;

beforeAll(async () => {
  h = await startApiHarness({ worker: true, inboundMail: { reply: TEST_REPLY, transport: null, maxBytes: 64 * 1024 } });
  const admin = h.as(DEMO_ADMIN_ID);
  const created = await h
    .http()
    .post('/v1/principals')
    .set(admin)
    .send({ id: 'mail-relay', name: 'Inbound mail relay', email: 'relay@caseflow.example', role: 'mail_gateway' });
  expect(created.status).toBe(201);
  const token = await h.http().post('/v1/principals/mail-relay/tokens').set(admin).send({ label: 'inbound' });
  gateway = { Authorization: `Bearer ${token.body.token}` };
  const opened = await h.http().post('/v1/cases').set(h.as('acme-premier-anna')).send({
    supportId: '01700001',
    type: 'technical',
    severity: 3,
    product: 'backup-replication',
    version: '12.3',
    build: '12.3.1.1139',
    title: 'Backup job fails',
    description: 'Error 0x80070005',
  });
  expect(opened.status).toBe(201);
  caseId = opened.body.id;
});
afterAll(() => h?.close());

const post = (raw: Buffer | string, auth = gateway, type = 'message/rfc822') =>
  h.http().post('/v1/inbound-mail').set(auth).set('Content-Type', type).send(raw);

test('a reply by email becomes a customer reply, once per Message-ID', async () => {
  const raw = await composeReply({
    from: 'Anna <anna@acme-premier.example>',
    to: replyAddress(TEST_REPLY, caseId),
    text: 'Logs attached.\n\nOn Mon, 30 Nov 2026, Caseflow wrote:\n> Please send logs',
    messageId: '<api-1@acme-premier.example>',
    attachments: [{ filename: 'logs.zip', content: 'PK', contentType: 'application/zip' }],
  });
  const first = await post(raw);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({
    status: 'accepted',
    caseId,
    caseStatus: 'opened',
    requestId: expect.stringMatching(/^email:[0-9a-f]{32}$/),
  });
  const again = await post(raw);
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ status: 'duplicate', caseId, requestId: first.body.requestId });

  const view = await h.http().get(`/v1/cases/${caseId}`).set(h.as('acme-premier-anna'));
  const replies = view.body.history.filter((e: { type: string }) => e.type === 'customer_reply');
  expect(replies).toHaveLength(1);
  expect(replies[0].data).toMatchObject({
    message: 'Logs attached.',
    via: 'email',
    attachments: [{ name: 'logs.zip', contentType: 'application/zip', size: 2 }],
  });
});

test('text a database cannot store (NUL, a lone surrogate) is cleaned, not refused', async () => {
  const raw = await composeReply({
    from: 'anna@acme-premier.example',
    to: replyAddress(TEST_REPLY, caseId),
    subject: 'Re: logs \ud800',
    text: 'Second try\u0000 with logs',
    messageId: '<api-nul@acme-premier.example>',
  });
  const res = await post(raw);
  expect(res.status).toBe(200);
  const view = await h.http().get(`/v1/cases/${caseId}`).set(h.as('acme-premier-anna'));
  const replies = view.body.history.filter(
    (e: { type: string; data: { messageId: string } }) => e.data.messageId === 'api-nul@acme-premier.example',
  );
  expect(replies.map((e: { data: { message: string } }) => e.data.message)).toEqual(['Second try with logs']);
});

test('refusals are 4xx naming the reason; the refusal of a valid token is in the case events, a forged one on no case', async () => {
  const stranger = await post(
    await composeReply({
      from: 'nancy@northwind-production.example',
      to: replyAddress(TEST_REPLY, caseId),
      text: 'hi',
      messageId: '<api-2@x.example>',
    }),
  );
  expect(stranger.status).toBe(422);
  expect(stranger.body).toMatchObject({ type: 'https://caseflow.dev/problems/mail-refused', errors: [{ reason: 'unknown_sender' }] });
  // Named to the gateway, never mailed to the (possibly forged) sender.
  expect(stranger.body.detail).toBe('unknown_sender: the sender is not on the customer side of this case (answer to the sender: none)');

  const forged = await post(
    await composeReply({
      from: 'anna@acme-premier.example',
      to: `case+${caseId}.00000000000000000000@${TEST_REPLY.domain}`,
      text: 'x',
      messageId: '<api-3@x.example>',
    }),
  );
  expect(forged.status).toBe(422);
  expect(forged.body.errors[0].reason).toBe('bad_token');

  const nowhere = await post(
    await composeReply({ from: 'anna@acme-premier.example', to: 'someone@example.com', text: 'x', messageId: '<api-4@x.example>' }),
  );
  expect(nowhere.body.errors[0].reason).toBe('no_reply_address');

  const events = await h.http().get(`/v1/cases/${caseId}/events`).set(h.as('eng-emea'));
  const refused = events.body.items.filter((e: { type: string }) => e.type === 'inbound_mail_refused');
  expect(refused.map((e: { data: { reason: string } }) => e.data.reason).sort()).toEqual(['unknown_sender']);
});

test('only the gateway role (or an admin) may post mail; the body must be message/rfc822 and fit the limit', async () => {
  const raw = await composeReply({
    from: 'anna@acme-premier.example',
    to: replyAddress(TEST_REPLY, caseId),
    text: 'x',
    messageId: '<api-5@x.example>',
  });
  expect((await post(raw, h.as('acme-premier-anna'))).status).toBe(403);
  expect((await post(raw, h.as('eng-emea'))).status).toBe(403);
  expect((await post(raw, h.as(DEMO_ADMIN_ID))).status).toBe(200);
  const wrongType = await post('{"raw":"..."}', gateway, 'application/json');
  expect(wrongType.status).toBe(415);
  expect(wrongType.body.detail).toBe('send the body as message/rfc822');
  // The message itself sent as JSON (not JSON at all): still the documented 415, not a JSON parse error.
  // (a string: supertest would serialise a Buffer as JSON)
  const rawAsJson = await post(raw.toString('utf8'), gateway, 'application/json');
  expect(rawAsJson.status).toBe(415);
  expect(rawAsJson.body.detail).toBe('send the body as message/rfc822');
  expect((await post(raw, gateway, 'text/plain')).status).toBe(415);
  const big = await post(Buffer.concat([raw, Buffer.alloc(70 * 1024, 'a')]));
  expect(big.status).toBe(413);
  expect((await h.http().post('/v1/inbound-mail').set('Content-Type', 'message/rfc822').send(raw)).status).toBe(401);
});

test('the endpoint is declared in OpenAPI with its raw message body', async () => {
  const doc = await h.http().get('/openapi.json');
  const op = doc.body.paths['/v1/inbound-mail'].post;
  expect(Object.keys(op.requestBody.content)).toEqual(['message/rfc822']);
  expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '409', '413', '415', '422', '429', '503']);
});

test('automatic mail is 200 ignored; a delivery report marks the delivery bounced, staff see why; inbound mail is staff-only', async () => {
  const to = replyAddress(TEST_REPLY, caseId);
  const values = {
    TO: to,
    REPLY_ADDRESS: to,
    CUSTOMER: 'anna@acme-premier.example',
    SUBJECT: 'Case received',
    CASE_THREAD: `case-${caseId}@caseflow.test`,
    UNIQUE: 'api',
    MAIL_FROM_ADDRESS: 'support@caseflow.test',
  };
  const ooo = await post(mailFixture('auto-reply-exchange', values));
  expect(ooo.status).toBe(200);
  expect(ooo.body).toEqual({ status: 'ignored', classification: 'auto_reply', caseId, caseNumber: expect.any(Number) });

  // This harness sends no mail: the case-received notice's delivery to Anna is recorded as the mailer records a sent one.
  const db = h.database.db;
  const [notice] = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.caseId, caseId), eq(notifications.kind, 'case_received')));
  const messageId = '<6f1d0c2e9b8a7f6e5d4c3b2a19081726@caseflow.test>';
  await db
    .insert(notificationDeliveries)
    .values({
      notificationId: notice!.id,
      caseId,
      channel: 'email',
      address: 'anna@acme-premier.example',
      audience: 'customer',
      language: 'en',
      status: 'sent',
      messageId,
      response: '250 2.0.0 Ok: queued',
      sentAt: new Date(),
    })
    .onConflictDoUpdate({
      target: [notificationDeliveries.notificationId, notificationDeliveries.channel, notificationDeliveries.address],
      set: { status: 'sent', messageId },
    });
  const dsn = await post(
    mailFixture('dsn-gmail', {
      ...values,
      ORIGINAL_MESSAGE_ID: messageId.slice(1, -1),
      ORIGINAL_RECIPIENT: 'anna@acme-premier.example',
      ORIGINAL_SUBJECT: 'Case received',
    }),
  );
  expect(dsn.status).toBe(200);
  expect(dsn.body).toMatchObject({ status: 'ignored', classification: 'delivery_report', caseId });

  const find = (items: { kind: string; deliveries: { address: string; status: string }[] }[]) =>
    items.find((n) => n.kind === 'case_received')!.deliveries.find((d) => d.address === 'anna@acme-premier.example')!;
  const staffView = await h.http().get(`/v1/cases/${caseId}/notifications`).set(h.as('eng-emea'));
  expect(staffView.status).toBe(200);
  expect(find(staffView.body.items)).toMatchObject({
    status: 'bounced',
    messageId,
    bounce: { status: '5.1.1', diagnostic: expect.stringMatching(/^smtp; 550-5\.1\.1 The email account/), at: expect.any(String) },
  });
  const annaView = await h.http().get(`/v1/cases/${caseId}/notifications`).set(h.as('acme-premier-anna'));
  expect(find(annaView.body.items).status).toBe('bounced');
  expect(find(annaView.body.items)).not.toHaveProperty('bounce');

  const inbound = await h.http().get(`/v1/cases/${caseId}/inbound-messages`).set(h.as('eng-emea'));
  expect(inbound.status).toBe(200);
  const kinds = inbound.body.items.map((i: { status: string; classification: string | null }) => [i.status, i.classification]);
  expect(kinds).toEqual(
    expect.arrayContaining([
      ['accepted', null],
      ['ignored', 'auto_reply'],
      ['ignored', 'delivery_report'],
    ]),
  );
  expect(inbound.body.items.find((i: { classification: string }) => i.classification === 'auto_reply')).toMatchObject({
    sender: 'anna@acme-premier.example',
    subject: 'Automatic reply: Case received',
    detail: { why: 'Auto-Submitted: auto-generated' },
  });
  expect((await h.http().get(`/v1/cases/${caseId}/inbound-messages`).set(h.as('acme-premier-anna'))).status).toBe(403);
});
