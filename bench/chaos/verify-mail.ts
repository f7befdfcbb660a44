/**
 * After the chaos, the mail channel: is every (notice, recipient, email) delivery row `sent`, is its mail in
 * the SMTP server's mailbox, and is it there once?
 *
 * Telling a real redelivery from a duplicate: the row's `response` is the server's answer to the copy whose
 * acknowledgement the worker recorded, and Mailpit names that copy in it ("250 2.0.0 Ok: queued as <id>").
 * Any other copy with the same Message-ID is one whose 250 never got recorded. It is a *real redelivery*
 * when it arrived before the recorded copy and a worker, PostgreSQL or the SMTP server was SIGKILLed around
 * its arrival (the ack lost in the crash: a worker dead between the 250 and its row update, the update
 * failing with the database, the server storing the message and dying before answering). Any other extra
 * copy (after the recorded one, or with no crash to explain it) is a duplicate, and a failure.
 */
import type { Sql } from 'postgres';
import type { MailboxMessage } from './mailpit';
import { percentile } from './random';
import type { KillRecord } from './verify';

/** How far from a copy's arrival a crash may be and still explain a lost acknowledgement. */
const ACK_LOST_WINDOW = { beforeMs: 2_000, afterMs: 10_000 } as const;
/** Crashes that can lose an acknowledgement (a Temporal crash cannot: the row update does not go through it). */
const ACK_LOSERS = new Set<KillRecord['target']>(['worker', 'postgres', 'smtp']);

export interface MailVerdict {
  lines: string[];
  failures: string[];
}

export async function verifyMail(v: {
  sql: Sql;
  mailbox: MailboxMessage[];
  kills: KillRecord[];
  directCases: { caseId: string; firstAttemptAt: number }[];
}): Promise<MailVerdict> {
  const lines: string[] = [];
  const failures: string[] = [];
  const fail = (what: string, sample: unknown[]) => {
    if (sample.length > 0)
      failures.push(
        `${what}: ${sample.length} (e.g. ${sample
          .slice(0, 3)
          .map((s) => JSON.stringify(s))
          .join(', ')})`,
      );
  };
  const rows = await v.sql<
    {
      id: number;
      case_id: string;
      kind: string;
      dedupe_key: string;
      address: string;
      status: string;
      message_id: string | null;
      response: string | null;
      attempts: number;
      scheduled_for: string | null;
    }[]
  >`
    select d.id, d.case_id, n.kind, n.dedupe_key, d.address, d.status, d.message_id, d.response, d.attempts,
      n.payload->>'scheduledFor' as scheduled_for
    from notification_deliveries d join notifications n on n.id = d.notification_id where d.channel = 'email'`;

  const copies = new Map<string, MailboxMessage[]>();
  for (const m of v.mailbox) copies.set(m.messageId, [...(copies.get(m.messageId) ?? []), m]);
  for (const list of copies.values()) list.sort((a, b) => a.arrivedAt - b.arrivedAt);

  const notSent = rows.filter((r) => r.status !== 'sent');
  fail(
    "email deliveries not 'sent'",
    notSent.map((r) => ({ key: r.dedupe_key, to: r.address, status: r.status })),
  );
  const lost: unknown[] = [];
  const mismatched: unknown[] = [];
  const duplicates: unknown[] = [];
  const redeliveredBy = new Map<string, number>();
  const known = new Set<string>();
  for (const r of rows) {
    if (r.status !== 'sent') continue;
    const id = (r.message_id ?? '').replace(/^<|>$/g, '');
    known.add(id);
    const found = copies.get(id) ?? [];
    if (found.length === 0) {
      lost.push({ key: r.dedupe_key, to: r.address, messageId: id });
      continue;
    }
    // The recorded answer names the copy it acknowledged; that copy must be this mail to this person.
    const queuedAs = /queued as (\S+)/.exec(r.response ?? '')?.[1];
    const acked = found.find((m) => m.id === queuedAs);
    if (!acked || !acked.to.includes(r.address.toLowerCase())) {
      mismatched.push({ key: r.dedupe_key, to: r.address, response: r.response, copies: found.map((m) => ({ id: m.id, to: m.to })) });
      continue;
    }
    for (const extra of found.filter((m) => m !== acked)) {
      const crash =
        extra.arrivedAt <= acked.arrivedAt
          ? v.kills.find(
              (k) =>
                ACK_LOSERS.has(k.target) &&
                k.killedAt >= extra.arrivedAt - ACK_LOST_WINDOW.beforeMs &&
                k.killedAt <= extra.arrivedAt + ACK_LOST_WINDOW.afterMs,
            )
          : undefined;
      if (crash) redeliveredBy.set(crash.target, (redeliveredBy.get(crash.target) ?? 0) + 1);
      else
        duplicates.push({
          key: r.dedupe_key,
          to: r.address,
          copy: new Date(extra.arrivedAt).toISOString(),
          recorded: new Date(acked.arrivedAt).toISOString(),
        });
    }
  }
  const stray = v.mailbox.filter((m) => !known.has(m.messageId));
  fail('sent deliveries whose mail is not in the mailbox (lost)', lost);
  fail('sent deliveries whose recorded server answer does not name a copy of their mail to their address', mismatched);
  fail('mails in the mailbox twice without a crash losing the first acknowledgement (duplicates)', duplicates);
  fail(
    'mails in the mailbox that no delivery row sent',
    stray.map((m) => ({ messageId: m.messageId, to: m.to, subject: m.subject })),
  );

  const redeliveries = [...redeliveredBy.values()].reduce((a, b) => a + b, 0);
  const retried = rows.filter((r) => r.attempts > 1).length;
  const kinds = [...countBy(rows.map((r) => r.kind))].map(([k, n]) => `${k} ${n}`).join(', ');
  lines.push(
    `mail: ${rows.length} email deliveries (${kinds}); sent ${rows.length - notSent.length}; mailbox ${v.mailbox.length} messages, ` +
      `${copies.size} distinct Message-IDs; lost ${lost.length}, answer not matching the mailbox ${mismatched.length}, ` +
      `duplicates ${duplicates.length}, stray ${stray.length}`,
  );
  lines.push(
    `  real redeliveries (a copy whose 250 was lost in a crash, same Message-ID): ${redeliveries}` +
      (redeliveries ? ` (${[...redeliveredBy].map(([t, n]) => `${t} ${n}`).join(', ')})` : '') +
      `; deliveries that needed more than one attempt: ${retried}`,
  );

  // Lateness of breach and warning mails of the direct cases: due instant -> first copy in the mailbox.
  // Only instants that fell due while the case existed: earlier ones fire at its start by design.
  const startedAt = new Map(v.directCases.map((c) => [c.caseId, c.firstAttemptAt]));
  const late = rows
    .filter((r) => r.scheduled_for && (r.kind === 'sla_breach' || r.kind === 'sla_warning'))
    .filter((r) => Date.parse(r.scheduled_for!) >= (startedAt.get(r.case_id) ?? Infinity))
    .map((r) => ({ r, first: copies.get((r.message_id ?? '').replace(/^<|>$/g, ''))?.[0] }))
    .filter((x) => x.first)
    .map((x) => x.first!.arrivedAt - Date.parse(x.r.scheduled_for!))
    .sort((a, b) => a - b);
  if (late.length > 0)
    lines.push(
      `  breach and warning mails, due instant -> mailbox: n ${late.length}  p50 ${fmt(percentile(late, 50))}  ` +
        `p99 ${fmt(percentile(late, 99))}  max ${fmt(late.at(-1)!)} (includes the SMTP outages)`,
    );
  return { lines, failures };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function countBy(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}
