/** The case as the API shows it: the read-model row's fixed facts plus the workflow's view (live or stored). */
import { ENTITLEMENTS, EXPERIMENTAL_FEATURE_LIMITATIONS, levelLabel, outOfScopeReferral } from '../../policy';
import type { EntitlementId, Level } from '../../policy/types';
import type { cases } from '../../db/schema';
import { audienceOf, visibleTo } from '../../contract/audit-events';
import type { CaseView, Role } from '../../contract/case';
import { COMMAND_NAMES, mayRoleSend, type CommandName } from '../../contract/commands';
import type { CaseMigration } from './policy-migrations-of';

/**
 * What the caller may do with the case now: the commands its state accepts (the workflow's `acceptsNow`)
 * that the caller's role may send. A view recorded before `acceptsNow` existed offers what the role allows,
 * unless the case is closed. The console renders its action forms from this list.
 */
export function actionsFor(view: CaseView, role: Role): CommandName[] {
  const accepted = view.acceptsNow ?? (view.status === 'closed' ? [] : COMMAND_NAMES);
  const names = accepted.filter((n) => mayRoleSend(n, role));
  // A signal is never refused by the case; it is offered while the case is open.
  if (view.status !== 'closed' && mayRoleSend('customerAvailability', role)) names.push('customerAvailability');
  return [...new Set(names)];
}

export type CaseRow = typeof cases.$inferSelect;
export type ViewSource = 'workflow' | 'read_model';

export function levelFields(entitlement: string, level: number) {
  const ent = entitlement as EntitlementId;
  const scheme = ENTITLEMENTS[ent]?.scheme ?? 'severity';
  return {
    severity: level,
    priority: scheme === 'priority' ? (`P${level}` as 'P1' | 'P2' | 'P3' | 'P4') : null,
    levelLabel: levelLabel(ent, level as Level),
  };
}

export function caseResource(row: CaseRow, view: CaseView, source: ViewSource, role?: Role) {
  return {
    id: row.id,
    number: row.number,
    orgId: row.orgId,
    type: view.type,
    status: view.status,
    closeReason: view.closeReason,
    program: view.entitlement,
    ...levelFields(view.entitlement, view.level),
    title: row.title,
    description: row.description,
    language: row.language,
    product: row.productId ? { id: row.productId, version: row.productVersion, build: row.build } : null,
    relatedCaseId: row.relatedCaseId,
    experimentalFeature: view.experimentalFeature === true,
    supportLimitations: view.experimentalFeature ? EXPERIMENTAL_FEATURE_LIMITATIONS : null,
    ownerId: view.ownerId,
    ownerRegion: view.ownerRegion,
    aroundTheClock: view.aroundTheClock,
    customerAvailable: view.customerAvailable,
    openedAt: view.openedAt,
    firstResponseAt: view.firstResponseAt,
    resolvedAt: view.resolvedAt,
    closedAt: view.closedAt,
    slaState: view.slaState,
    nextDueAt: view.nextDueAt,
    sla: view.clocks,
    policyVersion: view.policyVersion ?? row.policyVersion,
    source,
    version: view.version,
    page: view.page ?? null,
    ...(role ? { actions: actionsFor(view, role) } : {}),
  };
}

export function caseDetail(row: CaseRow, view: CaseView, source: ViewSource, role: Role, policyMigrations: CaseMigration[]) {
  return {
    ...caseResource(row, view, source, role),
    resolution: view.resolution && {
      type: view.resolution.type,
      summary: view.resolution.summary,
      referral: view.resolution.outOfScope ? outOfScopeReferral(view.resolution.outOfScope) : null,
    },
    managerEscalation: view.managerEscalation,
    contactAttempts: view.contactAttempts,
    history: visibleTo(view.history, audienceOf(role)),
    policyMigrations,
  };
}

/** List rows come from the read model alone (no workflow round trip per row). */
export function caseSummary(row: CaseRow) {
  const { description: _omit, ...rest } = caseResource(row, row.snapshot as CaseView, 'read_model');
  return rest;
}
