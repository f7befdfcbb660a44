/**
 * Delivers outbox rows, at least once, per (notice, channel, address). On a row's first attempt its
 * recipients are resolved (rota, contacts, managers as they are now) and written as delivery rows; every
 * attempt then sends the rows not yet sent and records each outcome. A retried activity skips what was
 * sent, so a retry never mails anyone twice; a delivery in flight when a worker died is resent with the
 * same Message-ID (recognisably the same mail). A notice that reaches nobody is recorded on the case.
 * Any failure is rethrown after the batch, so the workflow's retry policy brings the backoff.
 */
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { caseEvents, notificationDeliveries, notifications, principals } from '../db/schema';
import { loadCaseFacts, loadInfoRequest, type CaseFacts, type InfoRequestFacts } from './mail/case-facts';
import { composeCustomerMail } from './mail/customer-mail';
import { sendCaseMail, type CaseMailer } from './mail/mailer';
import { resolveRecipients } from './mail/recipients';
import { composeStaffMail } from './mail/staff-mail';
import type { Notifier } from './notifier';
import type { DeliveryResult } from './types';
import { RecordedDeliveryFailure, type SubscriptionChannel } from './webhooks/subscriptions';

export interface DeliveryChannels {
  /** Every outbox row also goes to the webhook, as before there was mail. */
  webhook: Notifier | null;
  /** Mail to the people a row resolves to. */
  mail: CaseMailer | null;
  /** Webhook subscriptions (Standard Webhooks), the environment's webhook among them; absent = none. */
  subscriptions?: SubscriptionChannel | null;
}

type OutboxRow = typeof notifications.$inferSelect;
type DeliveryRow = typeof notificationDeliveries.$inferSelect;

/** A delivery claimed this long ago by an attempt that never finished (a dead worker) may be claimed again. */
const IN_FLIGHT_LEASE_MS = 2 * 60_000;

export async function deliverNotifications(
  db: Db,
  channels: DeliveryChannels | Notifier,
  dedupeKeys: string[],
  now: () => Date = () => new Date(),
): Promise<DeliveryResult> {
  const { webhook, mail, subscriptions = null } = 'deliver' in channels ? { webhook: channels, mail: null, subscriptions: null } : channels;
  if (dedupeKeys.length === 0) return { delivered: 0 };
  const pending = await db
    .select()
    .from(notifications)
    .where(and(inArray(notifications.dedupeKey, dedupeKeys), isNull(notifications.deliveredAt)))
    .orderBy(asc(notifications.id));
  const facts = new Map<string, Promise<CaseFacts | null>>();
  const caseFacts = (caseId: string) => {
    if (!facts.has(caseId)) facts.set(caseId, loadCaseFacts(db, caseId));
    return facts.get(caseId)!;
  };
  const infos = new Map<string, Promise<InfoRequestFacts | null>>();
  const infoRequest = (caseId: string, round: number) => {
    const key = `${caseId}\u0000${round}`;
    if (!infos.has(key)) infos.set(key, loadInfoRequest(db, caseId, round));
    return infos.get(key)!;
  };
  // Staff read times in their own zone (principals.time_zone), once per person per batch.
  const zones = new Map<string, Promise<string | null>>();
  const staffZone = (principalId: string | null) => {
    if (!principalId) return Promise.resolve(null);
    if (!zones.has(principalId))
      zones.set(
        principalId,
        db
          .select({ zone: principals.timeZone })
          .from(principals)
          .where(eq(principals.id, principalId))
          .then((r) => r[0]?.zone ?? null),
      );
    return zones.get(principalId)!;
  };
  let delivered = 0;
  const failures: string[] = [];
  // The rows of one batch, and the recipients of one row, are independent: sent side by side, so a notice
  // to several people (and a batch of notices) takes about one SMTP round trip, not one per mail.
  await allSettled(
    pending.map(async (row) => {
      const { deliveries, fresh } = await planDeliveries(db, row, webhook, mail, subscriptions, caseFacts, now());
      const errors: string[] = [];
      await allSettled(
        deliveries.map(async (d) => {
          // cancelled: a webhook delivery of a subscription since disabled or deleted.
          if (d.status === 'sent' || d.status === 'bounced' || d.status === 'cancelled') return;
          // Rows this attempt just created are its own; older ones are claimed, in case another attempt holds them.
          if (!fresh.has(d.id) && !(await claim(db, d))) {
            errors.push(`${d.address}: in flight in another attempt`);
            return;
          }
          try {
            if (d.subscriptionId) {
              if (!subscriptions) throw new Error('webhook subscriptions are not delivered by this worker');
              await subscriptions.deliver(db, row, d, row.caseId ? await caseFacts(row.caseId) : null);
            } else if (d.channel === 'webhook') {
              await webhook!.deliver({
                dedupeKey: row.dedupeKey,
                caseId: row.caseId,
                kind: row.kind,
                recipient: row.recipient,
                channel: row.channel,
                payload: row.payload,
                createdAt: row.createdAt.toISOString(),
              });
              await finish(db, d, { status: 'sent', messageId: null, response: 'accepted' });
            } else {
              const outcome = await sendMail(mail!, row, d, await caseFacts(row.caseId!), infoRequest, staffZone);
              await finish(db, d, outcome);
            }
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            errors.push(d.channel === 'webhook' ? message : `${d.address}: ${message}`);
            if (err instanceof RecordedDeliveryFailure) return; // its row already says what happened
            await db
              .update(notificationDeliveries)
              .set({ status: 'failed', attempts: sql`${notificationDeliveries.attempts} + 1`, lastError: message, updatedAt: sql`now()` })
              .where(eq(notificationDeliveries.id, d.id));
          }
        }),
      );
      if (errors.length === 0) {
        await db
          .update(notifications)
          .set({ deliveredAt: sql`now()`, attempts: sql`${notifications.attempts} + 1`, lastError: null })
          .where(eq(notifications.id, row.id));
        delivered++;
      } else {
        failures.push(`${row.dedupeKey}: ${errors.join('; ')}`);
        await db
          .update(notifications)
          .set({ attempts: sql`${notifications.attempts} + 1`, lastError: errors.join('; ') })
          .where(eq(notifications.id, row.id));
      }
    }),
  );
  if (failures.length > 0) throw new Error(`delivery failed for ${failures.length} notification(s): ${failures.join(' | ')}`);
  return { delivered };
}

/** Waits for every one (none is left running behind a failure), then rethrows the first failure. */
async function allSettled(work: Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The row's deliveries: resolved and written on the first attempt, read back on every later one. */
async function planDeliveries(
  db: Db,
  row: OutboxRow,
  webhook: Notifier | null,
  mail: CaseMailer | null,
  subscriptions: SubscriptionChannel | null,
  caseFacts: (caseId: string) => Promise<CaseFacts | null>,
  now: Date,
): Promise<{ deliveries: DeliveryRow[]; fresh: Set<number> }> {
  const existing = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.notificationId, row.id));
  if (existing.length > 0) return { deliveries: existing.sort((a, b) => a.id - b.id), fresh: new Set() };
  const planned: (typeof notificationDeliveries.$inferInsert)[] = [];
  const base = { notificationId: row.id, caseId: row.caseId };
  if (webhook) planned.push({ ...base, channel: 'webhook', address: webhook.address ?? 'webhook', audience: 'staff', language: 'en' });
  if (subscriptions) planned.push(...(await subscriptions.plan(db, row, row.caseId ? await caseFacts(row.caseId) : null)));
  if (mail) {
    const facts = row.caseId ? await caseFacts(row.caseId) : null;
    const people = facts
      ? await resolveRecipients(
          db,
          { kind: row.kind, recipient: row.recipient, payload: row.payload as Record<string, unknown> },
          facts,
          now,
        )
      : [];
    for (const p of people) {
      planned.push({
        ...base,
        channel: 'email',
        address: p.address,
        name: p.name,
        principalId: p.principalId,
        audience: p.audience,
        language: p.language,
      });
    }
    if (people.length === 0 && row.caseId) await recordUnreachable(db, row, webhook !== null || planned.length > 0, now);
  }
  // Created claimed ('sending', under the lease): another attempt (a retry, the outbox relay's sweep on
  // another worker) cannot take a delivery this one is about to send.
  const inserted =
    planned.length > 0
      ? await db
          .insert(notificationDeliveries)
          .values(planned.map((p) => ({ ...p, status: 'sending' })))
          .onConflictDoNothing()
          .returning()
      : [];
  const fresh = new Set(inserted.map((d) => d.id));
  // A concurrent attempt planned some of them first: read back the whole set.
  const written =
    inserted.length === planned.length
      ? inserted
      : await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.notificationId, row.id));
  return { deliveries: written.sort((a, b) => a.id - b.id), fresh };
}

/** Nobody to mail: the case's audit trail says so (once per notice), instead of the notice vanishing. */
async function recordUnreachable(db: Db, row: OutboxRow, webhooked: boolean, now: Date): Promise<void> {
  await db
    .insert(caseEvents)
    .values({
      caseId: row.caseId!,
      eventKey: `notice_unreachable:${row.dedupeKey}`,
      type: 'notice_unreachable',
      actorId: 'system',
      data: {
        kind: row.kind,
        recipient: row.recipient,
        dedupeKey: row.dedupeKey,
        webhook: webhooked,
        reason: `nobody to mail for ${row.recipient}`,
      },
      occurredAt: now,
    })
    .onConflictDoNothing({ target: [caseEvents.caseId, caseEvents.eventKey] });
}

/** Marks a delivery in flight, unless another live attempt holds it (its lease has not run out). */
async function claim(db: Db, d: DeliveryRow): Promise<boolean> {
  const stale = new Date(Date.now() - IN_FLIGHT_LEASE_MS);
  const claimed = await db
    .update(notificationDeliveries)
    .set({ status: 'sending', updatedAt: sql`now()` })
    .where(
      and(
        eq(notificationDeliveries.id, d.id),
        or(
          inArray(notificationDeliveries.status, ['pending', 'failed']),
          and(eq(notificationDeliveries.status, 'sending'), lt(notificationDeliveries.updatedAt, stale)),
        ),
      ),
    )
    .returning({ id: notificationDeliveries.id });
  return claimed.length > 0;
}

async function finish(
  db: Db,
  d: DeliveryRow,
  outcome: { status: 'sent' | 'bounced'; messageId: string | null; response: string },
): Promise<void> {
  await db
    .update(notificationDeliveries)
    .set({
      status: outcome.status,
      messageId: outcome.messageId,
      response: outcome.response,
      attempts: sql`${notificationDeliveries.attempts} + 1`,
      lastError: outcome.status === 'bounced' ? outcome.response : null,
      sentAt: outcome.status === 'sent' ? sql`now()` : null,
      updatedAt: sql`now()`,
    })
    .where(eq(notificationDeliveries.id, d.id));
}

async function sendMail(
  mailer: CaseMailer,
  row: OutboxRow,
  d: DeliveryRow,
  facts: CaseFacts | null,
  infoRequest: (caseId: string, round: number) => Promise<InfoRequestFacts | null>,
  staffZone: (principalId: string | null) => Promise<string | null>,
) {
  if (!facts) throw new Error(`case ${row.caseId} is not in the read model`);
  const payload = row.payload as Record<string, unknown>;
  const customerFacing = d.audience === 'customer';
  const round = typeof payload.round === 'number' ? payload.round : null;
  const info = customerFacing && round !== null ? await infoRequest(facts.caseId, round) : null;
  const zone = customerFacing ? null : await staffZone(d.principalId);
  const staffMail = () => composeStaffMail(row.kind, payload, facts, { name: d.name ?? d.address, zone }, mailer.consoleUrl);
  const text = customerFacing
    ? // Every customer kind has its text (a compile-time table); a staff kind never reaches the customer side.
      (composeCustomerMail({
        kind: row.kind,
        payload,
        facts,
        reader: { name: d.name ?? d.address, language: d.language },
        info,
        consoleUrl: mailer.consoleUrl,
      }) ?? refuseCustomerStaffText(row.kind))
    : staffMail();
  return sendCaseMail(mailer, {
    dedupeKey: row.dedupeKey,
    caseId: facts.caseId,
    to: { name: d.name ?? '', address: d.address },
    customerFacing,
    ...text,
  });
}

/** A staff notice planned for a customer address would leak staff text: refuse it loudly instead. */
function refuseCustomerStaffText(kind: string): never {
  throw new Error(`notice kind '${kind}' has no customer text and is not sent to the customer side`);
}
