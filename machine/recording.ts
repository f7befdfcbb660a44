/**
 * How a step leaves its trace: the case history (carried in the state, capped), the audit events and the
 * notification queue the workflow writes in one transaction after the step, and the state version the read
 * model compares. Keys are deterministic, so a replayed or retried step never writes anything twice. Which
 * notice goes to whom is decided in notices.ts; this module only queues it.
 */
import type { CaseEventRecord, NotificationChannel, NotificationRequest } from '../activities/types';
import type { CaseState } from './state';
import { formatRecipient, type NoticeKind, type NoticePayloads, type Recipient } from '../contract/notices';
import { iso, type Machine, type Outbox } from './context';

const HISTORY_LIMIT = 500;

/** Every change the read model must see bumps the version. */
export function touch(m: Machine): void {
  m.s.version++;
}

/** Appends to history and queues the audit event; the key is deterministic, so retries never duplicate. */
export function record(m: Machine, type: string, actorId: string, at: number, cause: string, data: Record<string, unknown>): void {
  let key = `${type}:${cause}`;
  for (let n = 2; m.outbox.keys.has(key); n++) key = `${type}:${cause}#${n}`;
  m.outbox.keys.add(key);
  const entry = { at: iso(at)!, type, actorId, data };
  m.s.history.push(entry);
  if (m.s.history.length > HISTORY_LIMIT) {
    const drop = m.s.history.length - HISTORY_LIMIT;
    m.s.history.splice(0, drop);
    m.s.historyTrimmed += drop;
  }
  m.outbox.events.push({ key, type, actorId, at: entry.at, data });
  touch(m);
}

/** Queues one notification; the dedupe key names the case, the kind, the recipient and the cause. */
export function notify<K extends NoticeKind>(
  m: Machine,
  kind: K,
  to: Recipient | string,
  channel: NotificationChannel,
  cause: string,
  payload: NoticePayloads[K],
): void {
  const recipient = typeof to === 'string' ? to : formatRecipient(to);
  m.outbox.notifications.push({
    dedupeKey: `${m.input.caseId}:${kind}:${recipient}:${cause}`,
    kind,
    recipient,
    channel,
    payload: { caseId: m.input.caseId, ...payload },
  });
}

/** Moves the case to `status`, recording the change (nothing when it already is there). */
export function setStatus(m: Machine, status: CaseState['status'], now: number, actorId: string, cause: string): void {
  if (m.s.status === status) return;
  const from = m.s.status;
  m.s.status = status;
  record(m, 'status_changed', actorId, now, cause, { from, to: status });
}

export function emptyOutbox(): Outbox {
  return { events: [], notifications: [], keys: new Set<string>() };
}

/** Takes the queued events and notifications for one database write and starts a new batch. */
export function drainOutbox(outbox: Outbox): { events: CaseEventRecord[]; notifications: NotificationRequest[] } {
  const out = { events: outbox.events, notifications: outbox.notifications };
  outbox.events = [];
  outbox.notifications = [];
  outbox.keys.clear();
  return out;
}
