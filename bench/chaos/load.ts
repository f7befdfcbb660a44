/**
 * The load of a chaos run. Cases through the API, each retried with the same Idempotency-Key and body until
 * a 201 (a client that must not lose or double a case); and Premier cases started straight on Temporal with
 * openedAt ~29 minutes back, so their warnings and first-response breach fall due while processes die.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { caseIdForKey } from '../../api/cases/idempotency';
import type { organisations } from '../../db/schema';
import type { Level } from '../../policy/types';
import { CASE_WORKFLOW_TYPE, caseWorkflowId, openedUpdate, TASK_QUEUE } from '../../contract/case';
import { premierCaseInput } from '../../test/helpers/direct-case';
import { demoCaseBody, OPENERS } from '../demo-openers';
import { sleep, type Rng } from './random';

type OrgRow = typeof organisations.$inferSelect;

/** Warning thresholds of the direct cases: close to the breach, so they too fall inside the run. */
export const DIRECT_THRESHOLDS = [0.95, 0.98];
export const PREMIER_TARGET_MS = 30 * 60_000;

export interface ApiCase {
  key: string;
  principalId: string;
  title: string;
  expectedId: string;
  id: string | null;
  attempts: number;
  statuses: Record<string, number>;
  /** A 4xx that retrying cannot fix (a bug, not an outage). */
  fatal: string | null;
}

export interface DirectCase {
  caseId: string;
  title: string;
  openedAt: number;
  dueAt: number;
  firstAttemptAt: number;
  done: boolean;
  attempts: number;
  errors: Record<string, number>;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

export async function openThroughApi(opts: {
  base: string;
  tokens: Record<string, string>;
  c: ApiCase;
  index: number;
  giveUpAt: number;
}): Promise<void> {
  const { c } = opts;
  const o = OPENERS[opts.index % OPENERS.length]!;
  const body = demoCaseBody(o, c.title);
  let backoff = 250;
  while (Date.now() < opts.giveUpAt) {
    c.attempts++;
    let outcome: string;
    try {
      const res = await fetch(`${opts.base}/v1/cases`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${opts.tokens[c.principalId]}`, 'Content-Type': 'application/json', 'Idempotency-Key': c.key },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      outcome = String(res.status);
      if (res.status === 201) {
        c.id = (JSON.parse(text) as { id: string }).id;
        c.statuses[outcome] = (c.statuses[outcome] ?? 0) + 1;
        return;
      }
      if (!RETRYABLE.has(res.status)) {
        c.statuses[outcome] = (c.statuses[outcome] ?? 0) + 1;
        c.fatal = `${res.status} ${text.slice(0, 300)}`;
        return;
      }
    } catch (err) {
      outcome = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    }
    c.statuses[outcome] = (c.statuses[outcome] ?? 0) + 1;
    await sleep(backoff);
    backoff = Math.min(backoff * 2, 3000);
  }
}

export function directCase(runTag: string, i: number, now: number, breachInMs: number): DirectCase {
  const dueAt = Math.round(now + breachInMs);
  return {
    caseId: caseIdForKey('chaos-direct', `${runTag}-${i}`),
    title: `chaos ${runTag} direct #${i}`,
    openedAt: dueAt - PREMIER_TARGET_MS,
    dueAt,
    firstAttemptAt: now,
    done: false,
    attempts: 0,
    errors: {},
  };
}

/** Update-with-start exactly as the API does it, retried until Temporal answers. */
export async function startDirect(opts: { client: Client; org: OrgRow; c: DirectCase; rng: Rng; giveUpAt: number }): Promise<void> {
  const { c, org } = opts;
  const openedAt = new Date(c.openedAt);
  const input = premierCaseInput(org, c.caseId, openedAt, {
    title: c.title,
    description: 'Started directly on Temporal with openedAt in the past, so its clocks fall due during the chaos.',
    level: opts.rng.pick([2, 3, 4] as Level[]),
    settings: { warningThresholds: DIRECT_THRESHOLDS },
  });
  let backoff = 250;
  while (Date.now() < opts.giveUpAt) {
    c.attempts++;
    try {
      await opts.client.withDeadline(Date.now() + 20_000, () =>
        opts.client.workflow.executeUpdateWithStart(openedUpdate, {
          args: [{ requestId: c.caseId }],
          updateId: `opened-${c.caseId}`,
          startWorkflowOperation: new WithStartWorkflowOperation(CASE_WORKFLOW_TYPE, {
            workflowId: caseWorkflowId(c.caseId),
            taskQueue: TASK_QUEUE,
            args: [input],
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          }),
        }),
      );
      c.done = true;
      return;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        c.done = true;
        return;
      }
      const name = (err as Error).name || 'Error';
      c.errors[name] = (c.errors[name] ?? 0) + 1;
    }
    await sleep(backoff);
    backoff = Math.min(backoff * 2, 3000);
  }
}
