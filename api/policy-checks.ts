/** Policy checks the API makes before asking a workflow: support languages per region, levels a program offers. */
import { ENTITLEMENTS, levelLabel, REGION_LANGUAGES, targetOf, type PinnedPolicy } from '../policy';
import { and, desc, eq } from 'drizzle-orm';
import type { CaseWorkflowInput } from '../contract/case';
import type { Db } from '../db/client';
import { caseEvents, caseInputs } from '../db/schema';
import type { EntitlementId, Level, MarketRegion } from '../policy/types';

export function languageProblem(region: string, language: string): string | null {
  const allowed: readonly string[] = REGION_LANGUAGES[region as MarketRegion] ?? [];
  return allowed.includes(language) ? null : `${region} support speaks ${allowed.join(', ')}`;
}

/**
 * Severity 1 on Evaluation and Free/NFR is "NA" in the policy: no case opens at or moves to such a level.
 * Judged under the policy the case is pinned to (or, for a new case, the version in force), through the same
 * accessor the case machine uses, so the API and the workflow always agree.
 */
export function levelUnavailable(entitlement: EntitlementId, level: Level, pinned: PinnedPolicy | undefined): string | null {
  return targetOf(entitlement, level, pinned).kind === 'not_available'
    ? `${levelLabel(entitlement, level)} is not available on ${ENTITLEMENTS[entitlement].name}`
    : null;
}

/**
 * The policy a recorded case follows now: the one its latest migration recorded, else the one pinned at opening
 * (undefined on cases opened before versions were data).
 */
export async function pinnedPolicyOf(db: Db, caseId: string): Promise<PinnedPolicy | undefined> {
  const [migrated] = await db
    .select({ data: caseEvents.data })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'policy_migrated')))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  const policy = (migrated?.data as { policy?: PinnedPolicy } | undefined)?.policy;
  if (policy) return policy;
  const [row] = await db.select({ input: caseInputs.input }).from(caseInputs).where(eq(caseInputs.caseId, caseId));
  return (row?.input as Partial<CaseWorkflowInput> | undefined)?.policy;
}
