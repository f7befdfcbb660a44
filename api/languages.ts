/** Support languages come from the market region (policy): anything else is a 422 naming the allowed ones. */
import { REGION_LANGUAGES } from '../policy';
import type { MarketRegion } from '../policy/types';

export function languageProblem(region: string, language: string): string | null {
  const allowed: readonly string[] = REGION_LANGUAGES[region as MarketRegion] ?? [];
  return allowed.includes(language) ? null : `${region} support speaks ${allowed.join(', ')}`;
}
