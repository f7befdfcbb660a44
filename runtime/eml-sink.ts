/**
 * The fallback local mail server when Mailpit is not available (no Go): an in-process SMTP listener that
 * accepts every message and writes it as an .eml file (opens in any mail client), logging its path.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { SMTPServer } from 'smtp-server';

export interface EmlSink {
  dir: string;
  stop(): Promise<void>;
}

export async function startEmlSink(opts: { dir: string; port: number; logger: Logger }): Promise<EmlSink> {
  mkdirSync(opts.dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const file = join(opts.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++n}.eml`);
      const out = createWriteStream(file);
      stream.pipe(out);
      out.once('error', cb);
      out.once('finish', () => {
        opts.logger.info({ file, to: session.envelope.rcptTo.map((r) => r.address) }, `mail saved: ${file}`);
        cb();
      });
    },
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(opts.port, '127.0.0.1', () => res());
  });
  return { dir: opts.dir, stop: () => new Promise((res) => server.close(() => res())) };
}
