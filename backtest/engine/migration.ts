/**
 * A policy migration's preview, case by case: the case rebuilt from its trail up to the preview instant (the
 * back-test's replay under the recorded policy), then the very `migratePolicy` command the apply sends, run
 * through the case machine at that instant. What the machine records (every running clock's old and new due
 * instant and state, whether it breaches at once) is the preview's row, so preview and apply share one rule.
 */
import { coverageUnder, pinnedPolicy, type PolicyDocument } from '../../policy';
import type { CaseWorkflowInput, MigratePolicyInput } from '../../contract/case';
import { isRefusal } from '../../machine/refusal';
import type { MigratedClock, PreviewRow, PreviewTotals } from '../../contract/policy-runs';
import { commandCauses, commandsOf, retargetsBestEffort, tracksPages } from './commands';
import { timerSteps } from './exactness';
import { internInput } from './intern';
import { recordedFiring, replay } from './replay';
import type { RecordedCase, RoleOf } from './types';

export type { PreviewRow, PreviewTotals };

export interface TargetVersion {
  version: number;
  key: string;
  document: PolicyDocument;
}

/** What a case needs to follow `target`: its program's pinned policy and its coverage built from the version's windows. */
export function migrationArgs(
  input: Pick<CaseWorkflowInput, 'entitlement' | 'coverage'>,
  target: Pick<TargetVersion, 'key' | 'document'>,
): Pick<MigratePolicyInput, 'toVersion' | 'policy' | 'coverage'> {
  return {
    toVersion: target.key,
    policy: pinnedPolicy(target.document, input.entitlement),
    coverage: coverageUnder(target.document, input.entitlement, input.coverage),
  };
}

const ADMIN = { id: 'system:policy-migration', role: 'admin' as const };

/** The preview of one open case at `at`. */
export function previewCase(c: RecordedCase, stateVersion: number, target: TargetVersion, at: number, roleOf?: RoleOf): PreviewRow {
  const commands = commandsOf(c.events, roleOf);
  const fireAt = recordedFiring(timerSteps(c.events, commandCauses(commands)), at);
  const input = internInput(c.input);
  const r = replay(input, commands, at, {
    keepEvents: false,
    fireAt,
    pageEscalation: tracksPages(c.events),
    retargetBestEffort: retargetsBestEffort(c.events),
  });
  const m = r.machine;
  const base = {
    caseId: input.caseId,
    orgId: input.orgId,
    program: input.entitlement,
    level: m.s.level,
    openedAt: input.openedAt,
    stateVersion,
    fromVersion: m.s.migratedPolicy?.policyVersion ?? input.policyVersion,
    toVersion: target.key,
  };
  const command = {
    name: 'migratePolicy' as const,
    input: { requestId: `preview:${input.caseId}`, actor: ADMIN, ...migrationArgs(input, target) },
  };
  try {
    m.validate(command);
  } catch (err) {
    if (!isRefusal(err)) throw err;
    return { ...base, clocks: [], breachesAtOnce: false, earlier: false, refused: err.message };
  }
  m.drain();
  m.apply(command, at);
  const event = m.drain().events.find((e) => e.type === 'policy_migrated')!;
  const clocks = (event.data.clocks as MigratedClock[]) ?? [];
  return {
    ...base,
    clocks,
    breachesAtOnce: clocks.some((k) => k.breachesAtOnce),
    earlier: clocks.some((k) => k.breachesAtOnce || (k.oldDueAt !== null && k.newDueAt !== null && k.newDueAt < k.oldDueAt)),
    refused: null,
  };
}

// ---- the preview report ------------------------------------------------------------------------------

export interface PreviewAccumulator {
  kind: 'migration-preview';
  totals: PreviewTotals;
  rows: PreviewRow[];
}

export const emptyPreview = (): PreviewAccumulator => ({
  kind: 'migration-preview',
  totals: { cases: 0, clocks: 0, earlier: 0, later: 0, unchanged: 0, breachesAtOnce: 0, refused: 0 },
  rows: [],
});

export function addPreviewRow(acc: PreviewAccumulator, row: PreviewRow): void {
  const t = acc.totals;
  t.cases++;
  if (row.refused) t.refused++;
  for (const k of row.clocks) {
    t.clocks++;
    if (k.breachesAtOnce) t.breachesAtOnce++;
    else if (k.oldDueAt === k.newDueAt) t.unchanged++;
    else if (k.oldDueAt !== null && k.newDueAt !== null && k.newDueAt < k.oldDueAt) t.earlier++;
    else t.later++;
  }
  acc.rows.push(row);
}

export function mergePreviews(a: PreviewAccumulator, b: PreviewAccumulator): PreviewAccumulator {
  const totals = { ...a.totals };
  for (const k of Object.keys(totals) as (keyof PreviewTotals)[]) totals[k] += b.totals[k];
  return { kind: 'migration-preview', totals, rows: [...a.rows, ...b.rows] };
}

const CSV_COLUMNS = [
  'caseId',
  'orgId',
  'program',
  'level',
  'openedAt',
  'stateVersion',
  'fromVersion',
  'toVersion',
  'clock',
  'oldState',
  'newState',
  'oldDueAt',
  'newDueAt',
  'oldTarget',
  'newTarget',
  'elapsedMinutes',
  'breachesAtOnce',
  'refused',
] as const;

const cell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One line per running clock (a case without one, or refused, gets one line with the clock columns empty). */
export function previewCsv(rows: readonly PreviewRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const head = [r.caseId, r.orgId, r.program, r.level, r.openedAt, r.stateVersion, r.fromVersion, r.toVersion];
    if (r.clocks.length === 0) lines.push([...head, '', '', '', '', '', '', '', '', '', r.refused ?? ''].map(cell).join(','));
    for (const k of r.clocks)
      lines.push(
        [
          ...head,
          k.clock,
          k.oldState ?? '',
          k.state,
          k.oldDueAt,
          k.newDueAt,
          k.oldTarget,
          k.newTarget,
          Math.floor(k.elapsedMs / 60_000),
          k.breachesAtOnce,
          r.refused ?? '',
        ]
          .map(cell)
          .join(','),
      );
  }
  return lines.join('\r\n') + '\r\n';
}
