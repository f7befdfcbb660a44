/**
 * Why a case refuses a command, as stable codes: the machine refuses with one (machine/refusal.ts), the
 * workflow carries it in the update failure's details, the API answers it as the problem's `code` (with the
 * English sentence as `detail`), and the console translates the code, never the sentence. A code is an API
 * contract: add new ones, never rename one. The scope rules' codes are declared with the rules (policy/scope.ts).
 */
import { SCOPE_REFUSAL_CODES } from '../policy/scope';

export const REFUSAL_CODES = [
  // Any command
  'request-invalid',
  'role-not-allowed',
  'case-closed',
  // Severity / priority changes
  'case-resolved',
  'level-invalid',
  'level-unchanged',
  'level-not-available',
  'reason-required',
  'agreement-required',
  // Conversation and assignment
  'note-required',
  'owner-required',
  'info-request-not-open',
  // Manager escalation
  'manager-escalation-open',
  'no-manager-escalation',
  // Resolution
  'resolve-not-open',
  'summary-required',
  ...SCOPE_REFUSAL_CODES,
  'not-resolved',
  'rca-not-tracked',
  'rca-already-delivered',
  // Severity 1 pages
  'page-not-tracked',
  'no-page',
  'page-already-acknowledged',
  'page-withdrawn',
  // Policy migration
  'migration-closed',
  'migration-input-invalid',
  'policy-version-unchanged',
  'changed-since-preview',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** Values a refusal's sentence names (a status, a level, a version), for translations to name them too. */
export type RefusalParams = Record<string, string | number>;

/** A refusal: its code, the English sentence (logs, curl users, the back-test) and the values it names. */
export interface Refusal {
  code: RefusalCode;
  message: string;
  params?: RefusalParams;
}

export const refusal = (code: RefusalCode, message: string, params?: RefusalParams): Refusal =>
  params ? { code, message, params } : { code, message };

const KNOWN: ReadonlySet<string> = new Set(REFUSAL_CODES);
export const isRefusalCode = (value: unknown): value is RefusalCode => typeof value === 'string' && KNOWN.has(value);
