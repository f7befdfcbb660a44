/**
 * A command the case refuses: the only error a validator may throw on purpose. The workflow turns it into
 * a non-retryable ApplicationFailure of the same name (whose message the API returns as the reason); the
 * back-test counts it as a refused command. Any other error is a bug and fails loudly.
 */
export class InvalidCaseTransition extends Error {
  override readonly name = 'InvalidCaseTransition';
}

export function rejectUnless(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InvalidCaseTransition(message);
}

export const isRefusal = (err: unknown): err is InvalidCaseTransition => err instanceof InvalidCaseTransition;
