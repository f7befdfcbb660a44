/**
 * The chaos run's SMTP server: Mailpit (the binary `npm start` uses, from .tools/), its messages in a SQLite
 * file of the run folder so a SIGKILLed server restarts on the same mailbox, and a reader of that mailbox
 * through Mailpit's REST API.
 */
import { join } from 'node:path';
import { ensureMailpit } from '../../runtime/mailpit-toolchain';
import { GroupProcess } from './processes';

/** One message as the mailbox holds it: Mailpit's own id, the Message-ID header, when it arrived. */
export interface MailboxMessage {
  id: string;
  messageId: string;
  to: string[];
  subject: string;
  arrivedAt: number;
}

export interface MailpitServer {
  process: GroupProcess;
  smtpUrl: string;
  apiBase: string;
}

export async function mailpitServer(opts: { runDir: string; smtpPort: number; uiPort: number }): Promise<MailpitServer> {
  const binary = await ensureMailpit((m) => console.log(m));
  if (!binary.path)
    throw new Error(`Mailpit is needed for the mail part of the run: ${binary.reason} (npx tsx scripts/mailpit-toolchain.ts)`);
  const apiBase = `http://127.0.0.1:${opts.uiPort}`;
  const process = new GroupProcess({
    name: 'smtp',
    command: binary.path,
    args: [
      '--smtp',
      `127.0.0.1:${opts.smtpPort}`,
      '--listen',
      `127.0.0.1:${opts.uiPort}`,
      '--database',
      join(opts.runDir, 'mailpit.db'),
      // Keep every message (the default keeps 500) and every copy: duplicates are what the run looks for.
      '--max',
      '0',
      '--smtp-disable-rdns',
      '--disable-version-check',
      '--quiet',
    ],
    logFile: join(opts.runDir, 'logs', 'smtp.log'),
    readyCheck: async () => (await fetch(`${apiBase}/api/v1/info`, { signal: AbortSignal.timeout(2000) })).ok,
  });
  return { process, smtpUrl: `smtp://127.0.0.1:${opts.smtpPort}`, apiBase };
}

/** Every message in the mailbox, every copy of a redelivered one included. */
export async function readMailbox(apiBase: string): Promise<MailboxMessage[]> {
  const out: MailboxMessage[] = [];
  const limit = 1000;
  for (let start = 0; ; start += limit) {
    const res = await fetch(`${apiBase}/api/v1/messages?start=${start}&limit=${limit}`, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`Mailpit messages: ${res.status}`);
    const page = (await res.json()) as {
      total: number;
      messages: { ID: string; MessageID: string; To: { Address: string }[] | null; Subject: string; Created: string }[];
    };
    for (const m of page.messages) {
      out.push({
        id: m.ID,
        messageId: m.MessageID,
        to: (m.To ?? []).map((t) => t.Address.toLowerCase()),
        subject: m.Subject,
        arrivedAt: Date.parse(m.Created),
      });
    }
    if (page.messages.length < limit || start + limit >= page.total) return out;
  }
}
