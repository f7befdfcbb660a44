/**
 * Delivers the outbox without a workflow task of its own. The read-model write (recordCaseChange, a local
 * activity) commits a step's outbox rows and hands their keys here; they go out at once, in this process.
 * A sweep picks up whatever that left undelivered (the worker died after the commit, an SMTP server was
 * down, a webhook refused): rows older than a grace period, retried with backoff (5 s doubling, at most
 * 30 min between attempts, 60 attempts: about a day, as the delivery activity used to). Several workers
 * sweep the same table safely: deliverNotifications claims each delivery with a lease, so a mail is never
 * sent by two attempts at once, and a delivery already sent is never sent again.
 */
import { and, asc, isNull, lt, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { notifications } from '../db/schema';
import { deliverNotifications, type DeliveryChannels } from './deliver-notifications';
import { inSpan } from './trace-span';

export interface OutboxRelay {
  /** Delivers these rows now (not awaited: the step's write does not wait for SMTP). */
  kick(keys: string[]): void;
  /** Starts the sweep; `stop` ends it and waits for deliveries under way. */
  start(): void;
  stop(): Promise<void>;
}

export interface OutboxRelayOptions {
  /** How often the sweep looks for rows left undelivered. */
  sweepMs?: number;
  /** A row younger than this is its kick's to deliver. */
  graceMs?: number;
  maxAttempts?: number;
  batch?: number;
  onError?: (err: unknown) => void;
}

export function createOutboxRelay(db: Db, channels: DeliveryChannels, opts: OutboxRelayOptions = {}): OutboxRelay {
  const { sweepMs = 1000, graceMs = 5000, maxAttempts = 60, batch = 100, onError = () => undefined } = opts;
  const inFlight = new Set<string>();
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;
  let stopped = true;

  const deliver = (keys: string[], trigger: 'kick' | 'sweep') => {
    const mine = keys.filter((k) => !inFlight.has(k));
    if (mine.length === 0) return;
    for (const k of mine) inFlight.add(k);
    // A failure stays on the row (attempts, last_error) for the sweep to retry.
    const attributes = { 'caseflow.outbox.rows': mine.length, 'caseflow.outbox.trigger': trigger };
    const work = inSpan('outbox.deliver', { attributes }, () => deliverNotifications(db, channels, mine))
      .then(() => undefined, onError)
      .finally(() => {
        for (const k of mine) inFlight.delete(k);
        running.delete(work);
      });
    running.add(work);
  };

  async function sweep(): Promise<void> {
    if (sweeping || stopped) return;
    sweeping = true;
    try {
      // Attempt n waits 5 s * (2^n - 1) after the row was written, but never more than 30 min per attempt.
      const due = sql`${notifications.createdAt} + make_interval(secs => least(5 * (power(2, ${notifications.attempts}) - 1), 1800 * ${notifications.attempts}) + ${graceMs / 1000}) <= now()`;
      const rows = await db
        .select({ key: notifications.dedupeKey })
        .from(notifications)
        .where(
          and(
            isNull(notifications.deliveredAt),
            lt(notifications.attempts, maxAttempts),
            due,
            inFlight.size > 0 ? notInArray(notifications.dedupeKey, [...inFlight]) : undefined,
          ),
        )
        .orderBy(asc(notifications.id))
        .limit(batch);
      if (rows.length > 0)
        deliver(
          rows.map((r) => r.key),
          'sweep',
        );
    } catch (err) {
      onError(err); // the database is away: the next sweep tries again
    } finally {
      sweeping = false;
    }
  }

  return {
    kick(keys) {
      if (keys.length > 0) deliver(keys, 'kick');
    },
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(() => void sweep(), sweepMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}
