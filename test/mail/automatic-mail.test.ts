/**
 * The pure parts of the inbound path, on the raw fixtures (test/fixtures/mail): RFC 3834 classification of
 * automatic mail, RFC 3464 delivery reports, BATV/SRS envelope senders, quote-only replies.
 */
import { classifyAutomaticMail } from '../../api/inbound-mail/automatic-mail';
import { parseDeliveryReport } from '../../api/inbound-mail/delivery-report';
import { decodeEnvelopeSender } from '../../api/inbound-mail/envelope-sender';
import { parseInboundMessage } from '../../api/inbound-mail/message';
import { isQuoteOnly } from '../../api/inbound-mail/reply-text';
import { fixturePlaceholders, mailFixture, mailFixtureNames } from '../helpers/mail-fixtures';

const VALUES: Record<string, string> = {
  TO: 'case+c-1.0123456789abcdef0123@reply.caseflow.test',
  REPLY_ADDRESS: 'case+c-1.0123456789abcdef0123@reply.caseflow.test',
  CUSTOMER: 'anna@acme.example',
  SUBJECT: 'Case #7: we need information from you',
  ORIGINAL_SUBJECT: 'Case #7: we need information from you',
  CASE_THREAD: 'case-c-1@caseflow.test',
  UNIQUE: 'u1',
  ORIGINAL_MESSAGE_ID: '0f1e2d3c4b5a69788796a5b4c3d2e1f0@caseflow.test',
  ORIGINAL_RECIPIENT: 'anna@acme.example',
  ORIGINAL_RECIPIENT_LOCAL: 'anna',
  MAIL_FROM_ADDRESS: 'support@caseflow.test',
};
const fixture = (name: string) => mailFixture(name, VALUES);

const EXPECTED: Record<string, string | null> = {
  'auto-reply-gmail': 'auto_reply',
  'auto-reply-exchange': 'auto_reply',
  'auto-reply-outlook-legacy': 'auto_reply',
  'auto-reply-apple': 'auto_reply',
  'auto-reply-autoresponder': 'auto_reply',
  'vacation-postfix': 'auto_reply',
  'list-mail': 'list',
  'bulk-newsletter': 'bulk',
  'null-sender': 'null_sender', // Return-Path: <> (the HTTP path's view of the envelope)
  'dsn-gmail': 'delivery_report',
  'dsn-exchange': 'delivery_report',
  'dsn-postfix': 'delivery_report',
  'dsn-postfix-delayed': 'delivery_report',
  'reply-batv': null,
  'reply-srs': null,
  'quote-only-gmail': null,
  'quote-only-outlook': null,
};

test('every fixture is classified as expected, and every fixture is covered', async () => {
  expect(mailFixtureNames()).toEqual(Object.keys(EXPECTED).sort());
  for (const name of mailFixtureNames()) {
    expect(fixturePlaceholders(name).every((p) => p in VALUES)).toBe(true);
    const m = await parseInboundMessage(fixture(name));
    expect([name, m.automatic?.kind ?? null]).toEqual([name, EXPECTED[name]]);
  }
});

test('classification by header, RFC 3834 and the de-facto responders', () => {
  const signals = (headers: Record<string, string>, nullSender = false) => ({
    header: (name: string) => (headers[name] === undefined ? [] : [headers[name]]),
    nullSender,
  });
  const kind = (headers: Record<string, string>, nullSender = false) => classifyAutomaticMail(signals(headers, nullSender))?.kind ?? null;
  expect(kind({})).toBeNull();
  expect(kind({ 'auto-submitted': 'no' })).toBeNull();
  expect(kind({ 'auto-submitted': 'auto-replied' })).toBe('auto_reply');
  expect(kind({ 'auto-submitted': 'auto-generated' })).toBe('auto_reply');
  expect(kind({ 'x-autoreply': 'yes' })).toBe('auto_reply');
  expect(kind({ 'x-autorespond': 'Re: x' })).toBe('auto_reply');
  expect(kind({ precedence: 'auto_reply' })).toBe('auto_reply');
  expect(kind({ 'x-auto-response-suppress': 'All' })).toBe('auto_reply');
  expect(kind({ 'x-auto-response-suppress': 'None' })).toBeNull();
  expect(kind({ precedence: 'bulk' })).toBe('bulk');
  expect(kind({ precedence: 'junk' })).toBe('bulk');
  expect(kind({ precedence: 'list' })).toBe('list');
  expect(kind({ 'list-id': '<x.lists.example>' })).toBe('list');
  expect(kind({ 'list-unsubscribe': '<mailto:u@x>' })).toBe('bulk');
  expect(kind({}, true)).toBe('null_sender');
  expect(kind({ 'content-type': 'multipart/report; report-type=delivery-status; boundary=x' })).toBe('delivery_report');
  expect(kind({ 'content-type': 'multipart/report; report-type="disposition-notification"' })).toBe('auto_reply');
  expect(classifyAutomaticMail(signals({ 'auto-submitted': 'auto-replied (vacation)' }))?.why).toBe(
    'Auto-Submitted: auto-replied (vacation)',
  );
});

test('delivery reports from Gmail, Exchange and Postfix name the reported message, recipient, status and diagnostic', () => {
  const id = `<${VALUES.ORIGINAL_MESSAGE_ID}>`;
  const gmail = parseDeliveryReport(fixture('dsn-gmail'))!;
  expect(gmail.messageIds[0]).toBe(id);
  expect(gmail.recipients).toEqual([
    {
      finalRecipient: 'anna@acme.example',
      originalRecipient: null,
      action: 'failed',
      status: '5.1.1',
      diagnostic: expect.stringMatching(/^smtp; 550-5\.1\.1 The email account that you tried to reach does not exist\..*gsmtp$/),
    },
  ]);
  const exchange = parseDeliveryReport(fixture('dsn-exchange'))!;
  expect(exchange.messageIds).toEqual([id, `<${VALUES.CASE_THREAD}>`]);
  expect(exchange.recipients).toEqual([
    {
      finalRecipient: 'anna@acme.example',
      originalRecipient: 'anna@acme.example',
      action: 'failed',
      status: '5.1.10',
      diagnostic: 'smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    },
  ]);
  const postfix = parseDeliveryReport(fixture('dsn-postfix'))!;
  expect(postfix.messageIds).toEqual([id]);
  expect(postfix.recipients[0]).toMatchObject({
    action: 'failed',
    status: '5.2.2',
    diagnostic: 'smtp; 552 5.2.2 <anna@acme.example>: Mailbox full',
  });
  const delayed = parseDeliveryReport(fixture('dsn-postfix-delayed'))!;
  expect(delayed.recipients[0]).toMatchObject({ action: 'delayed', status: '4.4.1' });
  expect(parseDeliveryReport(fixture('auto-reply-gmail'))).toBeNull();
});

test('BATV and SRS envelope senders decode to the address behind them; others stay as they are', () => {
  expect(decodeEnvelopeSender('prvs=1234abcd=anna@acme.example')).toEqual({ address: 'anna@acme.example', scheme: 'batv' });
  expect(decodeEnvelopeSender('msprvs1=19372Hs1Xq7=anna@acme.example').address).toBe('anna@acme.example');
  expect(decodeEnvelopeSender('btv1==0123abcdef==anna@acme.example').address).toBe('anna@acme.example');
  expect(decodeEnvelopeSender('SRS0=HHH=TT=acme.example=anna@forwarder.example')).toEqual({ address: 'anna@acme.example', scheme: 'srs' });
  expect(decodeEnvelopeSender('SRS0+Xk9Q=TT=acme.example=anna.schmidt@forwarder.example').address).toBe('anna.schmidt@acme.example');
  expect(decodeEnvelopeSender('SRS1=HHH=first.example==HHH=TT=acme.example=anna@second.example').address).toBe('anna@acme.example');
  expect(decodeEnvelopeSender('anna+prvs@acme.example')).toEqual({ address: 'anna+prvs@acme.example', scheme: null });
  expect(decodeEnvelopeSender('bulk@mailer.example').scheme).toBeNull();
});

test('a reply that is only the quote is empty; a reply above or below the quote is not', async () => {
  for (const name of ['quote-only-gmail', 'quote-only-outlook'])
    expect([name, (await parseInboundMessage(fixture(name))).quoteOnly]).toEqual([name, true]);
  for (const name of ['reply-batv', 'reply-srs'])
    expect([name, (await parseInboundMessage(fixture(name))).quoteOnly]).toEqual([name, false]);
  expect(isQuoteOnly('Here they are.\n\nOn Tue, 1 Dec 2026 at 10:00, Support <s@x> wrote:\n> Please upload')).toBe(false);
  expect(isQuoteOnly('> Please upload the logs\n\nHere they are, below the quote.')).toBe(false);
  expect(isQuoteOnly('On Tue, 1 Dec 2026 at 10:00, Support <s@x> wrote:\n> Please upload the logs\n')).toBe(true);
  expect(isQuoteOnly('-----Original Message-----\nFrom: Support\nSent: Tuesday\nSubject: x\n\nPlease upload the logs')).toBe(true);
  expect(isQuoteOnly('Danke\n\n-----Ursprüngliche Nachricht-----\nVon: Support\nGesendet: Dienstag\n\nBitte')).toBe(false);
  expect(isQuoteOnly('   \n\n')).toBe(true);
});
