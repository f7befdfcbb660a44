/**
 * Temporal's answers as HTTP problems: a rejected update is the case saying "not in this state" (409) or
 * "not with this input" (422); a finished workflow takes no more actions; an unreachable cluster is a 503.
 */
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { Problem } from '../problem';

/** ApplicationFailure types the case workflow uses for input it cannot accept, as opposed to state conflicts. */
const INPUT_FAILURES = new Set(['InvalidInput', 'ValidationError', 'InvalidArgument', 'BadRequest']);

export function temporalProblem(err: unknown): Problem | null {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    const message = cause instanceof Error ? cause.message : err.message;
    if (cause instanceof ApplicationFailure && cause.type && INPUT_FAILURES.has(cause.type)) {
      return new Problem(422, 'case-rejected-input', message);
    }
    return new Problem(409, 'case-state-conflict', message);
  }
  if (err instanceof WorkflowNotFoundError)
    return new Problem(409, 'case-finished', 'the case workflow has finished and accepts no more actions');
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new Problem(503, 'temporal-timeout', 'the case did not answer in time; retry with the same Idempotency-Key');
  }
  if (err instanceof ServiceError) return new Problem(503, 'temporal-unavailable', 'the workflow service is unavailable; retry later');
  return null;
}

export async function asProblem<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw temporalProblem(err) ?? err;
  }
}
