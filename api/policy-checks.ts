/** Policy checks the API makes before asking a workflow: support languages per region, levels a program offers. */
import { ENTITLEMENTS, levelLabel, REGION_LANGUAGES } from '../policy';
import type { EntitlementId, Level, MarketRegion } from '../policy/types';

export function languageProblem(region: string, language: string): string | null {
  const allowed: readonly string[] = REGION_LANGUAGES[region as MarketRegion] ?? [];
  return allowed.includes(language) ? null : `${region} support speaks ${allowed.join(', ')}`;
}

/** Severity 1 on Evaluation and Free/NFR is "NA" in the policy: such a case cannot be opened at that level. */
export function levelUnavailable(entitlement: EntitlementId, level: Level): string | null {
  const policy = ENTITLEMENTS[entitlement];
  return policy.targets[level].kind === 'not_available' ? `${levelLabel(entitlement, level)} is not available on ${policy.name}` : null;
}
