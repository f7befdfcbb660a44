/**
 * MAIL_CONCURRENCY: mails to one SMTP server go out side by side, at most the configured number at once,
 * also across two transports of the process that speak to the same server; the value is checked at start.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createMailTransport, mailConcurrencyFromEnv } from '../../activities/mail/transport';

let server: SMTPServer;
let port: number;
let inFlight = 0;
let most = 0;
let received = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      inFlight++;
      most = Math.max(most, inFlight);
      stream.resume();
      stream.on('end', () =>
        // Holds each message a moment, so mails in flight overlap if the limit lets them.
        setTimeout(() => {
          inFlight--;
          received++;
          cb();
        }, 50),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('a burst goes out side by side, never more than the concurrency at once, across transports to one server', async () => {
  const a = createMailTransport(`smtp://127.0.0.1:${port}`, 'Caseflow <support@caseflow.test>', { concurrency: 3 });
  const b = createMailTransport(`smtp://127.0.0.1:${port}`, 'Caseflow <support@caseflow.test>', { concurrency: 3 });
  try {
    const mail = (i: number) => ({ from: a.from, to: `p${i}@caseflow.test`, subject: `m${i}`, text: 'x' });
    await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).send(mail(i))));
    expect(received).toBe(24);
    expect(most).toBe(3);
    expect(a.concurrency).toBe(3);
  } finally {
    a.transporter.close();
    b.transporter.close();
  }
});

test('MAIL_CONCURRENCY: default 10, an integer 1-1000', () => {
  expect(mailConcurrencyFromEnv({})).toBe(10);
  expect(mailConcurrencyFromEnv({ MAIL_CONCURRENCY: '25' })).toBe(25);
  for (const bad of ['0', '-1', '2.5', 'ten', '1001'])
    expect(() => mailConcurrencyFromEnv({ MAIL_CONCURRENCY: bad })).toThrow(/MAIL_CONCURRENCY/);
});
