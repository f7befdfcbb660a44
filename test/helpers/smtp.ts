/**
 * A real SMTP server in the test process (smtp-server), keeping every message it accepts, parsed by
 * mailparser. It can go down and come back on the same port (an outage), and refuse chosen mailboxes
 * with a permanent 550 (a bounce).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
  messageId: string;
  subject: string;
  text: string;
  header(name: string): string | undefined;
  receivedAt: number;
}

export interface TestSmtp {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Mailboxes answered with 550 (no such user). */
  reject: Set<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
  /** Resolves when at least `n` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
}

export async function startTestSmtp(port = 0): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const reject = new Set<string>();
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, cb) {
        if (reject.has(address.address.toLowerCase())) {
          const err = new Error('5.1.1 no such user') as Error & { responseCode: number };
          err.responseCode = 550;
          return cb(err);
        }
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          void simpleParser(raw).then((parsed) => {
            received.push({
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
              messageId: parsed.messageId ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              header: (name) => {
                const v = parsed.headers.get(name.toLowerCase());
                return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
              },
              receivedAt: Date.now(),
            });
            cb();
          }, cb);
        });
      },
    });
  let server = make();
  let boundPort = port;
  const listen = () =>
    new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(boundPort, '127.0.0.1', () => {
        boundPort = (server.server.address() as AddressInfo).port;
        res();
      });
    });
  await listen();
  let up = true;
  const stop = () =>
    new Promise<void>((res) => {
      if (!up) return res();
      up = false;
      server.close(() => res());
    });
  return {
    get port() {
      return boundPort;
    },
    get url() {
      return `smtp://127.0.0.1:${boundPort}`;
    },
    received,
    reject,
    stop,
    async start() {
      if (up) return;
      server = make();
      await listen();
      up = true;
    },
    close: stop,
    async waitFor(n, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline)
          throw new Error(`expected ${n} mails, got ${received.length}: ${received.map((m) => m.subject).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received;
    },
  };
}
