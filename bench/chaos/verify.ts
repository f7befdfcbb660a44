/**
 * After the chaos: did every intended case survive exactly once (database row and workflow), is every audit
 * event there once, did every due breach and warning land once, was every notification queued once and
 * delivered, and how late were breaches and warnings against their due instants?
 */
import type { Client } from '@temporalio/client';
import type { Sql } from 'postgres';
import { caseWorkflowId, getCaseQuery, type CaseView } from '../../contract/case';
import { DIRECT_THRESHOLDS, type ApiCase, type DirectCase } from './load';
import { percentile } from './random';
import type { WebhookReceiver } from './webhook';

export interface KillRecord {
  target: 'api' | 'worker' | 'temporal' | 'postgres' | 'smtp';
  name: string;
  killedAt: number;
  upAt: number;
  /** The one long SMTP outage (not a kill-and-restart of the rotation). */
  outage?: boolean;
}

export interface VerifyInput {
  sql: Sql;
  client: Client;
  apiCases: ApiCase[];
  directCases: DirectCase[];
  receiver: WebhookReceiver;
  kills: KillRecord[];
}

export interface Verdict {
  lines: string[];
  failures: string[];
}

/** Audit events the delivery and inbound-mail paths write beside the workflow: not in its history by design. */
const OUTSIDE_WORKFLOW = new Set(['notice_unreachable', 'inbound_mail_refused']);

/** How long after a process is back its crash still shows (sticky queues time out, activities retry). */
const AFTERMATH_MS = 15_000;

export async function verify(v: VerifyInput): Promise<Verdict> {
  const lines: string[] = [];
  const failures: string[] = [];
  const fail = (what: string, n: number, sample: unknown[] = []) => {
    if (n > 0)
      failures.push(
        `${what}: ${n}${
          sample.length
            ? ` (e.g. ${sample
                .slice(0, 3)
                .map((s) => JSON.stringify(s))
                .join(', ')})`
            : ''
        }`,
      );
  };
  const { sql } = v;

  // ---- cases ------------------------------------------------------------------------------------
  const notCreated = v.apiCases.filter((c) => c.id === null);
  fail(
    'API cases never answered 201',
    notCreated.length,
    notCreated.map((c) => ({ key: c.key, fatal: c.fatal, statuses: c.statuses })),
  );
  const wrongId = v.apiCases.filter((c) => c.id !== null && c.id !== c.expectedId);
  fail(
    'API cases whose id is not the one derived from their Idempotency-Key',
    wrongId.length,
    wrongId.map((c) => c.key),
  );
  const notStarted = v.directCases.filter((c) => !c.done);
  fail(
    'direct cases never started',
    notStarted.length,
    notStarted.map((c) => c.caseId),
  );

  const intended = new Map<string, string>(); // id -> title
  for (const c of v.apiCases) intended.set(c.expectedId, c.title);
  for (const c of v.directCases) intended.set(c.caseId, c.title);

  const rows = await sql<
    { id: string; title: string; snapshot_version: number; first_response_due_at: Date | null; first_response_at: Date | null }[]
  >`
    select id, title, snapshot_version, first_response_due_at, first_response_at from cases`;
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const missingRows = [...intended.keys()].filter((id) => !rowById.has(id));
  const strayRows = rows.filter((r) => !intended.has(r.id));
  const titleCounts = countBy(rows.map((r) => r.title));
  const doubledTitles = [...titleCounts].filter(([, n]) => n > 1);
  fail('intended cases missing from the database', missingRows.length, missingRows);
  fail(
    'case rows nobody intended (duplicates under another id)',
    strayRows.length,
    strayRows.map((r) => r.title),
  );
  fail('case titles present more than once', doubledTitles.length, doubledTitles);

  const workflowIds = new Set<string>();
  for await (const wf of v.client.workflow.list({ query: `WorkflowType = 'caseWorkflow'` })) workflowIds.add(wf.workflowId);
  const missingWorkflows = [...intended.keys()].filter((id) => !workflowIds.has(caseWorkflowId(id)));
  const intendedWorkflowIds = new Set([...intended.keys()].map(caseWorkflowId));
  const strayWorkflows = [...workflowIds].filter((id) => !intendedWorkflowIds.has(id));
  fail('intended cases without a workflow', missingWorkflows.length, missingWorkflows);
  fail('case workflows nobody intended', strayWorkflows.length, strayWorkflows);
  lines.push(
    `cases: intended ${intended.size} (${v.apiCases.length} via API, ${v.directCases.length} direct); in database ${rows.length} ` +
      `(${intended.size - missingRows.length} intended, ${strayRows.length} stray); workflows ${workflowIds.size} ` +
      `(${intended.size - missingWorkflows.length} intended, ${strayWorkflows.length} stray)`,
  );

  // ---- audit events -----------------------------------------------------------------------------
  const eventCounts = await sql<{ case_id: string; total: number; opened: number; by_type: Record<string, number> }[]>`
    select case_id, sum(n)::int as total, coalesce(sum(n) filter (where type = 'opened'), 0)::int as opened, jsonb_object_agg(type, n) as by_type
    from (select case_id, type, count(*)::int as n from case_events group by case_id, type) t group by case_id`;
  const eventsOf = new Map(eventCounts.map((e) => [e.case_id, e]));
  const openedWrong = [...intended.keys()].filter((id) => eventsOf.get(id)?.opened !== 1);
  fail(
    "cases without exactly one 'opened' event",
    openedWrong.length,
    openedWrong.map((id) => ({ id, opened: eventsOf.get(id)?.opened ?? 0 })),
  );
  const breachDupes = await sql`
    select case_id, data->>'clock' as clock, data->>'dueAt' as due, count(*)::int as n
    from case_events where type = 'sla_breach' group by 1, 2, 3 having count(*) > 1`;
  fail('breaches recorded more than once (case, clock, due)', breachDupes.length, breachDupes);
  const warningDupes = await sql`
    select case_id, data->>'clock' as clock, data->>'threshold' as threshold, data->>'dueAt' as due, count(*)::int as n
    from case_events where type = 'sla_warning' group by 1, 2, 3, 4 having count(*) > 1`;
  fail('warnings recorded more than once (case, clock, threshold, due)', warningDupes.length, warningDupes);

  // The workflow's own history is the list of everything that happened: the audit trail must hold all of it.
  const historyGaps: unknown[] = [];
  const staleSnapshots: unknown[] = [];
  const unanswered: string[] = [];
  let totalEvents = 0;
  await inBatches(
    [...intended.keys()].filter((id) => workflowIds.has(caseWorkflowId(id))),
    8,
    async (id) => {
      let view: CaseView;
      try {
        view = await v.client.workflow.getHandle(caseWorkflowId(id)).query(getCaseQuery);
      } catch (err) {
        unanswered.push(`${id}: ${(err as Error).message}`);
        return;
      }
      const stored = eventsOf.get(id);
      totalEvents += stored?.total ?? 0;
      // Per event type, so a lost event and a doubled one on the same case do not cancel out.
      const history = new Map<string, number>();
      for (const h of view.history) history.set(h.type, (history.get(h.type) ?? 0) + 1);
      const types = new Set([...history.keys(), ...Object.keys(stored?.by_type ?? {})].filter((t) => !OUTSIDE_WORKFLOW.has(t)));
      const differing = [...types].filter((t) => (history.get(t) ?? 0) !== (stored?.by_type[t] ?? 0));
      // Very long cases keep only the newest history entries; then the totals are what can be compared.
      const omitted = view.historyOmitted ?? 0;
      const outside = [...OUTSIDE_WORKFLOW].reduce((n, t) => n + (stored?.by_type[t] ?? 0), 0);
      const gap = omitted > 0 ? view.history.length + omitted !== (stored?.total ?? 0) - outside : differing.length > 0;
      if (gap)
        historyGaps.push({ id, types: differing.map((t) => `${t}: workflow ${history.get(t) ?? 0}, audit ${stored?.by_type[t] ?? 0}`) });
      const row = rowById.get(id);
      if (row && row.snapshot_version !== view.version)
        staleSnapshots.push({ id, workflow: view.version, readModel: row.snapshot_version });
    },
  );
  fail('case workflows not answering a query', unanswered.length, unanswered);
  fail('cases whose audit events differ from the workflow history', historyGaps.length, historyGaps);
  fail('read-model snapshots behind their workflow', staleSnapshots.length, staleSnapshots);
  lines.push(
    `audit events: ${totalEvents} across ${intended.size} cases; missing vs workflow history on ${historyGaps.length} cases; ` +
      `duplicate breaches ${breachDupes.length}, duplicate warnings ${warningDupes.length}, 'opened' not exactly once on ${openedWrong.length}`,
  );

  // ---- due breaches and warnings ----------------------------------------------------------------
  const now = Date.now();
  const breaches = await sql<{ case_id: string; due: string; n: number }[]>`
    select case_id, data->>'dueAt' as due, count(*)::int as n from case_events
    where type = 'sla_breach' and data->>'clock' = 'firstResponse' group by 1, 2`;
  const breachOf = new Map(breaches.map((b) => [`${b.case_id}|${b.due}`, b.n]));
  let dueBreaches = 0;
  const breachWrong: unknown[] = [];
  for (const r of rows) {
    if (!intended.has(r.id) || !r.first_response_due_at || r.first_response_at || r.first_response_due_at.getTime() >= now - 1) continue;
    dueBreaches++;
    const n = breachOf.get(`${r.id}|${r.first_response_due_at.toISOString()}`) ?? 0;
    if (n !== 1) breachWrong.push({ id: r.id, due: r.first_response_due_at.toISOString(), recorded: n });
  }
  const dueMismatch = v.directCases.filter((c) => rowById.get(c.caseId)?.first_response_due_at?.getTime() !== c.dueAt);
  fail('due first-response breaches not recorded exactly once', breachWrong.length, breachWrong);
  fail(
    'direct cases whose first-response due time is not openedAt + 30 min',
    dueMismatch.length,
    dueMismatch.map((c) => c.caseId),
  );

  const warnings = await sql<{ case_id: string; threshold: string; n: number }[]>`
    select case_id, data->>'threshold' as threshold, count(*)::int as n from case_events
    where type = 'sla_warning' and data->>'clock' = 'firstResponse' group by 1, 2`;
  const warningOf = new Map(warnings.map((w) => [`${w.case_id}|${Number(w.threshold)}`, w.n]));
  let dueWarnings = 0;
  const warningWrong: unknown[] = [];
  for (const c of v.directCases) {
    for (const t of DIRECT_THRESHOLDS) {
      if (c.openedAt + t * (c.dueAt - c.openedAt) >= now - 1) continue;
      dueWarnings++;
      const n = warningOf.get(`${c.caseId}|${t}`) ?? 0;
      if (n !== 1) warningWrong.push({ id: c.caseId, threshold: t, recorded: n });
    }
  }
  fail('due warnings not recorded exactly once', warningWrong.length, warningWrong);
  const clockStates = await sql<{ case_id: string; state: string; breached_at: Date | null }[]>`
    select case_id, state, breached_at from sla_clocks where clock = 'firstResponse'`;
  const clockOf = new Map(clockStates.map((c) => [c.case_id, c]));
  const clockWrong = v.directCases.filter((c) => c.dueAt < now - 1 && clockOf.get(c.caseId)?.state !== 'breached');
  fail(
    "direct cases past due whose sla_clocks row is not 'breached'",
    clockWrong.length,
    clockWrong.map((c) => c.caseId),
  );
  lines.push(
    `due breaches: ${dueBreaches}, recorded exactly once: ${dueBreaches - breachWrong.length}; due warnings: ${dueWarnings}, ` +
      `recorded exactly once: ${dueWarnings - warningWrong.length}`,
  );

  // ---- notifications ----------------------------------------------------------------------------
  const outbox = await sql<
    { dedupe_key: string; case_id: string; kind: string; created_at: Date; delivered_at: Date | null; scheduled_for: string | null }[]
  >`
    select dedupe_key, case_id, kind, created_at, delivered_at, payload->>'scheduledFor' as scheduled_for from notifications`;
  const keyDupes = [...countBy(outbox.map((n) => n.dedupe_key))].filter(([, n]) => n > 1);
  fail('outbox rows sharing a dedupe key', keyDupes.length, keyDupes);
  // The same notification under two keys would reach a deduplicating receiver twice.
  const logicalDupes = await sql`
    select case_id, kind, recipient, count(*)::int as n from notifications group by case_id, kind, recipient, payload having count(*) > 1`;
  fail('logical notifications queued more than once (same case, kind, recipient, payload)', logicalDupes.length, logicalDupes);
  const directBreachNotes = await sql<{ case_id: string; kind: string; n: number }[]>`
    select case_id, kind, count(*)::int as n from notifications where kind in ('sla_breach', 'sla_warning') group by 1, 2`;
  const notesOf = new Map(directBreachNotes.map((n) => [`${n.case_id}|${n.kind}`, n.n]));
  const notesWrong = v.directCases
    .filter((c) => c.dueAt < now - 1)
    .filter((c) => notesOf.get(`${c.caseId}|sla_breach`) !== 2 || notesOf.get(`${c.caseId}|sla_warning`) !== DIRECT_THRESHOLDS.length)
    .map((c) => ({
      id: c.caseId,
      breach: notesOf.get(`${c.caseId}|sla_breach`) ?? 0,
      warning: notesOf.get(`${c.caseId}|sla_warning`) ?? 0,
    }));
  fail('breached direct cases without exactly 2 breach (owner, duty manager) and 2 warning notifications', notesWrong.length, notesWrong);

  const undelivered = outbox.filter((n) => !n.delivered_at);
  const neverReceived = outbox.filter((n) => !v.receiver.receipts.has(n.dedupe_key));
  const unknownReceipts = [...v.receiver.receipts.keys()].filter((k) => !outbox.some((n) => n.dedupe_key === k));
  let redeliveries = 0;
  for (const list of v.receiver.receipts.values()) redeliveries += list.length - 1;
  fail(
    'outbox rows never marked delivered',
    undelivered.length,
    undelivered.map((n) => n.dedupe_key),
  );
  fail(
    'outbox rows the receiver never got',
    neverReceived.length,
    neverReceived.map((n) => n.dedupe_key),
  );
  fail('receipts of notifications not in the outbox', unknownReceipts.length, unknownReceipts);
  fail('webhook calls with a bad signature', v.receiver.badSignatures);
  const kinds = [...countBy(outbox.map((n) => n.kind))].map(([k, n]) => `${k} ${n}`).join(', ');
  lines.push(
    `notifications: ${outbox.length} in the outbox (${kinds}); dedupe-key duplicates ${keyDupes.length}, logical duplicates ${logicalDupes.length}; ` +
      `undelivered ${undelivered.length}, never received ${neverReceived.length}; transport redeliveries (same dedupe key, ` +
      `receiver drops them) ${redeliveries}`,
  );

  // ---- lateness ---------------------------------------------------------------------------------
  const directIds = v.directCases.map((c) => c.caseId);
  const firstAttempt = new Map(v.directCases.map((c) => [c.caseId, c.firstAttemptAt]));
  const timed = await sql<{ case_id: string; type: string; scheduled_for: string; occurred_at: Date; recorded_at: Date }[]>`
    select case_id, type, data->>'scheduledFor' as scheduled_for, occurred_at, recorded_at from case_events
    where type in ('sla_breach', 'sla_warning') and case_id in ${sql(directIds)}`;
  // Only instants that fell due while the case existed: earlier ones fire at start by design.
  const inRun = timed.filter((t) => Date.parse(t.scheduled_for) >= firstAttempt.get(t.case_id)!);
  const recorded = inRun.map((t) => ({
    type: t.type,
    due: Date.parse(t.scheduled_for),
    late: t.recorded_at.getTime() - Date.parse(t.scheduled_for),
  }));
  const workflowTime = inRun.map((t) => t.occurred_at.getTime() - Date.parse(t.scheduled_for));
  const delivered = outbox
    .filter((n) => n.scheduled_for && (n.kind === 'sla_breach' || n.kind === 'sla_warning') && firstAttempt.has(n.case_id))
    .filter((n) => Date.parse(n.scheduled_for!) >= firstAttempt.get(n.case_id)! && v.receiver.receipts.has(n.dedupe_key))
    .map((n) => v.receiver.receipts.get(n.dedupe_key)![0]!.at - Date.parse(n.scheduled_for!));
  lines.push(
    `lateness vs due instant (${inRun.length} breaches + warnings due during the run, ${timed.length - inRun.length} due before their case started, left out):`,
  );
  lines.push(`  recorded in case_events (recorded_at):   ${stats(recorded.map((r) => r.late))}`);
  lines.push(`  workflow time of the step (occurred_at): ${stats(workflowTime)}`);
  lines.push(`  first webhook receipt (per recipient):   ${stats(delivered)}`);
  for (const type of ['sla_warning', 'sla_breach']) {
    lines.push(`  ${type.padEnd(11)} recorded:                ${stats(recorded.filter((r) => r.type === type).map((r) => r.late))}`);
  }
  // Which crash (if any) was in progress when each instant fell due.
  const byDisturbance = new Map<string, number[]>();
  for (const r of recorded) {
    // The latest kill before the due instant whose outage (or aftermath) covers it.
    const k = v.kills.filter((k) => r.due >= k.killedAt && r.due <= k.upAt + AFTERMATH_MS).at(-1);
    const label = k ? `${k.target} down or <${AFTERMATH_MS / 1000} s back` : 'no crash in progress';
    byDisturbance.set(label, [...(byDisturbance.get(label) ?? []), r.late]);
  }
  for (const [label, values] of [...byDisturbance].sort()) lines.push(`  due while ${label.padEnd(30)} ${stats(values)}`);

  return { lines, failures };
}

function stats(values: number[]): string {
  if (values.length === 0) return 'n 0';
  const s = [...values].sort((a, b) => a - b);
  return `n ${String(s.length).padStart(3)}  p50 ${fmt(percentile(s, 50))}  p99 ${fmt(percentile(s, 99))}  max ${fmt(s.at(-1)!)}`;
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(8);

function countBy(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

async function inBatches<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
