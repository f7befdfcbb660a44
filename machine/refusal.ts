/**
 * A command the case refuses: the only error a validator may throw on purpose. It carries a stable code
 * (contract/refusals.ts) beside the English sentence. The workflow turns it into a non-retryable
 * ApplicationFailure of the same name (its message the API's `detail`, its details the API's `code` and
 * `params`); the back-test counts it as a refused command. Any other error is a bug and fails loudly.
 */
import type { Refusal, RefusalCode, RefusalParams } from '../contract/refusals';

export class InvalidCaseTransition extends Error {
  override readonly name = 'InvalidCaseTransition';
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly params?: RefusalParams,
  ) {
    super(message);
  }
}

export function rejectUnless(condition: boolean, code: RefusalCode, message: string, params?: RefusalParams): asserts condition {
  if (!condition) throw new InvalidCaseTransition(code, message, params);
}

/** Throws the refusal a rule found (null: the rule allows the command). */
export function rejectIf(found: Refusal | null): void {
  if (found) throw new InvalidCaseTransition(found.code, found.message, found.params);
}

export const isRefusal = (err: unknown): err is InvalidCaseTransition => err instanceof InvalidCaseTransition;
