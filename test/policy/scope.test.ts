/** policy/scope.ts: which resolutions the scope rules refuse, and the referral each out-of-scope request gets. */
import { OUT_OF_SCOPE_CATEGORIES, outOfScopeReferral, resolutionScopeProblem } from '../../policy';

const ELIGIBLE = { experimentalFeature: false, hotfixEligible: true };

test.each([
  ['hotfix', undefined, ELIGIBLE, null],
  ['hotfix', undefined, { ...ELIGIBLE, hotfixEligible: false }, /most recent publicly available build/],
  ['hotfix', undefined, { ...ELIGIBLE, experimentalFeature: true }, /Experimental/],
  ['workaround', undefined, { ...ELIGIBLE, experimentalFeature: true }, null],
  ['out_of_scope_referral', 'product_training', ELIGIBLE, null],
  ['out_of_scope_referral', undefined, ELIGIBLE, /names its category/],
  ['out_of_scope_referral', 'consulting', ELIGIBLE, /names its category/],
  ['workaround', 'product_training', ELIGIBLE, /Only an out_of_scope_referral/],
] as const)('%s with %s and %o: %s', (type, category, facts, expected) => {
  const problem = resolutionScopeProblem(type, category, facts);
  if (expected === null) expect(problem).toBeNull();
  else expect(problem).toMatch(expected);
});

test('design and training go to the Sales Representative, walkthroughs to the documentation', () => {
  const where = Object.fromEntries(OUT_OF_SCOPE_CATEGORIES.map((c) => [c, outOfScopeReferral(c).referredTo]));
  expect(where).toEqual({
    solution_design: 'sales_representative',
    architecture_review: 'sales_representative',
    product_training: 'sales_representative',
    installation_walkthrough: 'documentation',
    upgrade_walkthrough: 'documentation',
  });
  for (const c of OUT_OF_SCOPE_CATEGORIES)
    expect(outOfScopeReferral(c).explanation).toMatch(/outside the scope of Support|beyond the scope of Support/);
});
