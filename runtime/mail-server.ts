/**
 * The local mail server of `npm start`, so every mail the system sends can be read with no setup: Mailpit
 * (SMTP on 127.0.0.1:MAILPIT_SMTP_PORT, web UI on MAILPIT_UI_PORT, messages kept in DATA_DIR/mailpit.db),
 * or, without Go, an in-process sink writing .eml files to DATA_DIR/mail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startEmlSink } from './eml-sink';
import { ensureMailpit, type MailpitResolution } from './mailpit-toolchain';

export interface LocalMailServer {
  smtpUrl: string;
  /** Where to read the mail: the Mailpit web UI, or the .eml folder. */
  readAt: string;
  kind: 'mailpit' | 'eml-files';
  stop(): Promise<void>;
}

export interface LocalMailOptions {
  dataDir: string;
  smtpPort: number;
  uiPort: number;
  logger: Logger;
}

export async function startLocalMailServer(opts: LocalMailOptions): Promise<LocalMailServer> {
  const log = opts.logger.child({ component: 'mail' });
  const mailpit = await ensureMailpit((m) => log.info(m)).catch((err: Error): MailpitResolution => ({ path: null, reason: err.message }));
  if (mailpit.path) {
    try {
      return await startMailpit(mailpit.path, opts, log);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'Mailpit did not start; writing mail to .eml files instead');
    }
  } else {
    log.warn({ reason: mailpit.reason }, 'Mailpit unavailable; writing mail to .eml files instead');
  }
  const dir = join(opts.dataDir, 'mail');
  const sink = await startEmlSink({ dir, port: opts.smtpPort, logger: log });
  return { smtpUrl: `smtp://127.0.0.1:${opts.smtpPort}`, readAt: `${dir}/*.eml`, kind: 'eml-files', stop: sink.stop };
}

async function startMailpit(path: string, opts: LocalMailOptions, log: Logger): Promise<LocalMailServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const child = spawn(
    path,
    [
      '--smtp',
      `127.0.0.1:${opts.smtpPort}`,
      '--listen',
      `127.0.0.1:${opts.uiPort}`,
      '--database',
      join(opts.dataDir, 'mailpit.db'),
      '--smtp-auth-accept-any',
      '--smtp-auth-allow-insecure',
      '--max',
      '5000',
      '--quiet',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Never leave a server behind if this process dies without a clean shutdown.
  process.once('exit', () => child.kill('SIGKILL'));
  let output = '';
  const collect = (c: Buffer) => {
    output += c.toString();
    log.debug(c.toString().trim());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const ui = `http://localhost:${opts.uiPort}`;
  await waitUntilServing(child, `http://127.0.0.1:${opts.uiPort}/api/v1/info`, () => output);
  return { smtpUrl: `smtp://127.0.0.1:${opts.smtpPort}`, readAt: ui, kind: 'mailpit', stop: () => stopChild(child) };
}

async function waitUntilServing(child: ChildProcess, url: string, output: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mailpit exited with code ${child.exitCode}: ${output().trim().slice(-300)}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mailpit not serving ${url} after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      res();
    });
    child.kill('SIGTERM');
  });
}
