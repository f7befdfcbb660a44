/**
 * Two rules of the support policy about what Support does not do, or does only in part (readings in
 * docs/policy.md, "Scope: out-of-scope requests and experimental features"):
 * - requests outside the scope of Support are referred where the policy sends them;
 * - features marked Experimental are supported with limitations (no hotfix; fixes come in a release).
 */

export const OUT_OF_SCOPE_CATEGORIES = [
  'solution_design',
  'architecture_review',
  'product_training',
  'installation_walkthrough',
  'upgrade_walkthrough',
] as const;
export type OutOfScopeCategory = (typeof OUT_OF_SCOPE_CATEGORIES)[number];

export interface OutOfScopeReferral {
  category: OutOfScopeCategory;
  /** Where the policy sends the customer. */
  referredTo: 'sales_representative' | 'documentation';
  /** What the customer is told, in the policy's words. */
  explanation: string;
}

const DESIGN =
  'Solution design and architecture review (environmental reviews, configuration design or assistance, and the ' +
  'planning, design and implementation of the backup infrastructure) are outside the scope of Support. Please ' +
  'contact your Sales Representative for assistance with such requests.';
const TRAINING =
  'Product training is outside the scope of Support. Please contact your Sales Representative for assistance; ' +
  'additional training resources are available at the vendor university.';
const WALKTHROUGH = (what: string) =>
  `Providing installation, configuration and upgrades of the products is beyond the scope of Support, and ` +
  `walkthroughs of ${what} are not supported. Please follow the product documentation; if a step fails with an ` +
  `error, open a technical case about that error.`;

const REFERRALS: Record<OutOfScopeCategory, Omit<OutOfScopeReferral, 'category'>> = {
  solution_design: { referredTo: 'sales_representative', explanation: DESIGN },
  architecture_review: { referredTo: 'sales_representative', explanation: DESIGN },
  product_training: { referredTo: 'sales_representative', explanation: TRAINING },
  installation_walkthrough: { referredTo: 'documentation', explanation: WALKTHROUGH('installations') },
  upgrade_walkthrough: { referredTo: 'documentation', explanation: WALKTHROUGH('upgrades') },
};

export function outOfScopeReferral(category: OutOfScopeCategory): OutOfScopeReferral {
  return { category, ...REFERRALS[category] };
}

export const isOutOfScopeCategory = (value: unknown): value is OutOfScopeCategory =>
  typeof value === 'string' && (OUT_OF_SCOPE_CATEGORIES as readonly string[]).includes(value);

/** What a customer is told about a case on an experimental feature, from the moment it opens. */
export const EXPERIMENTAL_FEATURE_LIMITATIONS =
  'This case is about a feature marked Experimental. Experimental features are supported with limitations: they ' +
  'have not been tested across all scenarios and platform versions, so a fix is delivered in a later release, ' +
  'never as a hotfix, and the answer may be a workaround. The response targets of your program apply as usual.';

/** The scope rules' refusal codes: part of contract/refusals.ts's list, declared here where the rules are. */
export const SCOPE_REFUSAL_CODES = [
  'out-of-scope-category-required',
  'out-of-scope-category-unexpected',
  'hotfix-experimental',
  'hotfix-not-eligible',
] as const;
export type ScopeRefusalCode = (typeof SCOPE_REFUSAL_CODES)[number];
export interface ScopeRefusal {
  code: ScopeRefusalCode;
  message: string;
}
const refusal = (code: ScopeRefusalCode, message: string): ScopeRefusal => ({ code, message });

/** Why a resolution is refused by the scope rules (its refusal code and sentence), or null when they allow it. */
export function resolutionScopeRefusal(
  resolutionType: string,
  outOfScope: unknown,
  facts: { experimentalFeature: boolean; hotfixEligible: boolean },
): ScopeRefusal | null {
  if (resolutionType === 'out_of_scope_referral' && !isOutOfScopeCategory(outOfScope)) {
    return refusal(
      'out-of-scope-category-required',
      `An out-of-scope referral names its category: one of ${OUT_OF_SCOPE_CATEGORIES.join(', ')}`,
    );
  }
  if (resolutionType !== 'out_of_scope_referral' && outOfScope !== undefined && outOfScope !== null) {
    return refusal('out-of-scope-category-unexpected', 'Only an out_of_scope_referral names an out-of-scope category');
  }
  if (resolutionType === 'hotfix' && facts.experimentalFeature) {
    return refusal(
      'hotfix-experimental',
      'Experimental features are supported with limitations and get no hotfix: the fix comes in a later release; offer a workaround',
    );
  }
  if (resolutionType === 'hotfix' && !facts.hotfixEligible) {
    return refusal(
      'hotfix-not-eligible',
      'A hotfix is only available to customers on the most recent publicly available build; offer an upgrade or a workaround',
    );
  }
  return null;
}

/** The scope rules' reason as a sentence, or null when they allow the resolution. */
export const resolutionScopeProblem = (...args: Parameters<typeof resolutionScopeRefusal>): string | null =>
  resolutionScopeRefusal(...args)?.message ?? null;
