/**
 * Temporal's answers as HTTP problems: a rejected update is the case saying "not in this state" (409) or
 * "not with this input" (422); a finished workflow takes no more actions; an unreachable cluster is a 503.
 */
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { isRefusalCode, type RefusalCode, type RefusalParams } from '../../contract/refusals';
import { Problem } from '../problem';

/** ApplicationFailure types the case workflow uses for input it cannot accept, as opposed to state conflicts. */
const INPUT_FAILURES = new Set(['InvalidInput', 'ValidationError', 'InvalidArgument', 'BadRequest']);

/** The machine's refusal code and values from the failure's details (workflows/case-workflow.ts puts them there). */
function refusalOf(cause: unknown): { code: RefusalCode; params?: RefusalParams } | undefined {
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const found = (cause.details?.[0] ?? null) as { code?: unknown; params?: RefusalParams } | null;
  if (!found || !isRefusalCode(found.code)) return undefined;
  return found.params ? { code: found.code, params: found.params } : { code: found.code };
}

export function temporalProblem(err: unknown): Problem | null {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    const message = cause instanceof Error ? cause.message : err.message;
    if (cause instanceof ApplicationFailure && cause.type && INPUT_FAILURES.has(cause.type)) {
      return new Problem(422, 'case-rejected-input', message, undefined, refusalOf(cause));
    }
    return new Problem(409, 'case-state-conflict', message, undefined, refusalOf(cause));
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
