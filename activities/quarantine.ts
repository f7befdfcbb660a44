/**
 * When a read-model write fails for a reason no retry can fix, the case must not stall behind it (the
 * workflow would retry the write forever and answer nobody). The step is kept whole in
 * `quarantined_writes` with its reason and, where the reason is unstorable text, written again with that
 * text replaced; otherwise it is skipped. Either way the case goes on and operators see it: a row, an
 * error log line naming the case, and the `caseflow_quarantined_writes` counter of the worker's metrics.
 */
import { createHash } from 'node:crypto';
import { log, metricMeter } from '@temporalio/activity';
import type { Db } from '../db/client';
import { sqlState } from '../db/errors';
import { storableText } from '../db/storable-text';
import { quarantinedWrites } from '../db/schema';
import type { CaseChangeBatch } from './types';

/** A copy of the value with NUL and unpaired surrogates replaced by U+FFFD; `changed` says whether any were. */
export function replaceUnstorableText<T>(value: T): { value: T; changed: boolean } {
  let changed = false;
  const fix = (s: string): string => {
    const fixed = storableText(s);
    if (fixed !== s) changed = true;
    return fixed;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fix(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [fix(k), walk(item)]));
    return v;
  };
  return { value: walk(value) as T, changed };
}

export type QuarantineAction = 'sanitized' | 'skipped';

export async function recordQuarantine(db: Db, batch: CaseChangeBatch, action: QuarantineAction, err: unknown): Promise<void> {
  // JSON.stringify escapes NUL and lone surrogates, so the kept text is always storable.
  const text = JSON.stringify(batch);
  const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  const state = sqlState(err) ?? null;
  await db
    .insert(quarantinedWrites)
    .values({
      caseId: batch.record.caseId,
      batchHash: createHash('sha256').update(text).digest('hex'),
      snapshotVersion: batch.view.version,
      action,
      sqlState: state,
      reason,
      batch: text,
    })
    .onConflictDoNothing({ target: [quarantinedWrites.caseId, quarantinedWrites.batchHash] });
  log.error('read-model write quarantined', { caseId: batch.record.caseId, action, sqlState: state, reason, version: batch.view.version });
  metricMeter
    .createCounter('caseflow_quarantined_writes', 'writes', 'Read-model writes refused by the database for a permanent reason')
    .add(1, { action });
}
