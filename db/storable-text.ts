/**
 * What PostgreSQL text and jsonb cannot store: U+0000, and (in jsonb) a lone UTF-16 surrogate. One definition
 * for the API's door (api/text-guard.ts), inbound mail, and the quarantine of refused writes.
 */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const REPLACEMENT = '\uFFFD';

/** Why a string cannot be stored, or null when it can. */
export function unstorableText(value: string): string | null {
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored';
  LONE_SURROGATES.lastIndex = 0;
  if (LONE_SURROGATES.test(value)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode text)';
  return null;
}

/** The string with each lone surrogate replaced by U+FFFD and each NUL by `nul` (default U+FFFD). */
export function storableText(value: string, nul: string = REPLACEMENT): string {
  return value.replaceAll('\u0000', nul).replace(LONE_SURROGATES, REPLACEMENT);
}
