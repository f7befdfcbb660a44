/**
 * One support case, one durable workflow: from opening to closing. The rules live in CaseMachine
 * (machine/case-machine.ts and its concern modules); this file supplies Temporal: handlers, one timer for the
 * earliest due instant, ordered read-model writes, search attributes, continue-as-new and a clean finish.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
  log,
  patched,
} from '@temporalio/workflow';
import { ApplicationFailure, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { CaseActivities } from '../activities';
import type { CaseRecord } from '../activities/types';
import { CaseMachine } from '../machine/case-machine';
import { isRefusal } from '../machine/refusal';
import { getCaseQuery, openedUpdate, type CaseView, type CaseWorkflowInput } from '../contract/case';
import { CASE_COMMANDS, COMMAND_NAMES, type AnyCommand, type CommandInputs, type CommandName } from '../contract/commands';
import { caseSearchAttributes, NextDueAt, searchAttributesKey } from './search-attributes';
import { resolveSettings } from '../policy/settings';
import { workflowNow } from './workflow-time';
import type { CaseState } from '../machine/state';

// The read-model write is a short, idempotent database transaction on every step: as a local activity it
// runs inside the workflow task (no extra round trips through the server), which keeps an update's answer
// and a breach notification within milliseconds of the step. It retries without limit: the read model must
// catch up whatever happens (a longer outage turns into durable timers between attempts). The backoff
// stays short so a database restart is caught up within seconds (measured by bench/chaos-kill.ts).
const { recordCaseChange } = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});
// A webhook or SMTP server that stays down for a day is reported on the outbox row (last_error) and on
// each delivery row (docs/notifications.md); deliveries already sent are never sent again by a retry.
const { deliverNotifications } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 60 },
});

export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseView> {
  const settings = resolveSettings(input.settings);
  // Decided once per run, before the machine does anything: histories from before page escalation have no
  // marker and replay without it; new runs (and runs continued as new) track and escalate pages.
  const pageEscalation = patched('page-escalation');
  // Likewise: a severity change from a level without a due instant to a timed one re-targets (machine/triage.ts).
  const retargetBestEffort = patched('retarget-best-effort');
  // A step's notices go out through the worker's outbox relay, not a delivery activity (no second workflow
  // task per step); the search attributes and memo a run started with are not upserted again unchanged.
  const outboxRelay = patched('outbox-relay');
  const m = input.carried
    ? new CaseMachine(input, settings, input.carried as CaseState, pageEscalation, retargetBestEffort)
    : CaseMachine.open(input, settings, pageEscalation, retargetBestEffort);
  const record = caseRecord(input);
  let recorded = false;
  let wakeMain = false;
  let flushedVersion = -1;
  const deliveries: Promise<void>[] = [];
  let lastSearch = outboxRelay ? searchAttributesKey(workflowInfo().typedSearchAttributes) : '';
  // When this task's last write finished, by the worker's clock (from the local activity's result).
  let lastWrite: { taskNow: number; at: number } | null = null;

  /**
   * Writes everything changed since the last write. Calls are chained, so batches go out one at a time in
   * call order, and a call that finds nothing new costs nothing; the chain (rather than a flag checked by
   * several waiters) keeps the command sequence identical on replay.
   */
  let writes: Promise<void> = Promise.resolve();
  function flush(): Promise<void> {
    const next = writes.then(writeChanges);
    writes = next.catch(() => undefined);
    return next;
  }

  async function writeChanges(): Promise<void> {
    if (m.s.version === flushedVersion && m.pendingEvents.length === 0 && m.pendingNotifications.length === 0) return;
    const view = m.view();
    const { events, notifications } = m.drain();
    const result = await recordCaseChange({ record, view, events, notifications, ...(outboxRelay ? { deliver: 'relay' as const } : {}) });
    flushedVersion = view.version;
    recorded = true;
    if (result.recordedAt !== undefined) lastWrite = { taskNow: workflowNow(), at: result.recordedAt };
    if (!outboxRelay && result.toDeliver.length > 0) deliveries.push(deliver(result.toDeliver));
    syncSearchAttributes();
  }

  async function deliver(keys: string[]): Promise<void> {
    try {
      await deliverNotifications(keys);
    } catch (err) {
      // The rows stay in the outbox with their last error for an operator or relay; the case goes on.
      log.warn('notification delivery gave up', { keys, error: String(err) });
    }
  }

  function syncSearchAttributes(): void {
    const v = m.view();
    // NextDueAt is cleared explicitly when no clock runs (caseSearchAttributes leaves it out).
    const pairs = [
      ...caseSearchAttributes(v, input),
      ...(v.nextDueAt ? [] : [{ key: NextDueAt, value: null }]),
    ] as SearchAttributeUpdatePair[];
    // When to upsert is part of the command sequence: runs from before the outbox relay keep their own key
    // (which tells an owner region of null from one), newer ones compare with what the run already holds.
    const key = outboxRelay
      ? searchAttributesKey(caseSearchAttributes(v, input))
      : JSON.stringify({
          sev: v.level,
          program: v.entitlement,
          status: v.status,
          sla: v.slaState,
          due: v.nextDueAt,
          region: v.ownerRegion,
        });
    if (key === lastSearch) return;
    lastSearch = key;
    upsertSearchAttributes(pairs);
  }

  /** The machine's refusal as the failure an update's caller receives (its message is the API's reason). */
  function validate(command: AnyCommand): void {
    try {
      m.validate(command);
    } catch (err) {
      if (isRefusal(err))
        throw ApplicationFailure.create({
          type: err.name,
          message: err.message,
          nonRetryable: true,
          // The stable code (contract/refusals.ts) the API answers as `code`, and the values the sentence names.
          details: [{ code: err.code, ...(err.params ? { params: err.params } : {}) }],
        });
      throw err;
    }
  }

  /** Every command of contract/commands.ts: an update is validated synchronously and answered after the write. */
  function register<N extends CommandName>(name: N): void {
    const command = (arg: CommandInputs[N]) => ({ name, input: arg }) as AnyCommand;
    const spec = CASE_COMMANDS[name];
    if (spec.message.kind === 'signal') {
      setHandler(spec.message.def, (arg: CommandInputs[N]) => {
        if (typeof arg?.requestId !== 'string' || m.hasSeen(arg.requestId)) return;
        if (!signalAcceptable(name, arg)) return;
        m.apply(command(arg), workflowNow());
        wakeMain = true;
      });
      return;
    }
    setHandler(
      spec.message.def,
      async (arg: CommandInputs[N]) => {
        if (m.apply(command(arg), workflowNow())) wakeMain = true;
        await flush();
        return m.view();
      },
      {
        validator: (arg: CommandInputs[N]) => {
          if (typeof arg?.requestId === 'string' && m.hasSeen(arg.requestId)) return;
          validate(command(arg));
        },
      },
    );
  }

  setHandler(getCaseQuery, () => m.view());
  setHandler(openedUpdate, async () => {
    await condition(() => recorded);
    return m.view();
  });
  for (const name of COMMAND_NAMES) register(name);

  // The API gives a new case its memo at start; a run started without one (a script, a test) sets it here.
  if (!input.carried && !(outboxRelay && workflowInfo().memo?.caseId === input.caseId))
    upsertMemo({ title: input.title, caseId: input.caseId });
  await flush();

  /**
   * A timer's duration runs from when the server receives it, at the end of the task, which is after this
   * task's write (the local activity); measured from workflow time (the task's start) it would fire late by
   * the whole task. So the write's own duration is taken off. Bounded, so a worker clock ahead of the
   * server's can only make a timer fire early, and the loop then waits again for what is left.
   */
  const timerFor = (wake: number, now: number): number => {
    const taskSoFar = lastWrite?.taskNow === now ? Math.min(Math.max(lastWrite.at - now, 0), MAX_TASK_LAG_MS) : 0;
    return Math.max(1, wake - now - taskSoFar);
  };

  const continueAsNewDue = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > settings.maxHistoryLength;

  while (!m.closedForGood) {
    if (continueAsNewDue()) {
      await condition(allHandlersFinished);
      await flush();
      await Promise.all(deliveries);
      await continueAsNew<typeof caseWorkflow>({ ...input, carried: m.s });
    }
    const now = workflowNow();
    const wake = m.nextWakeAt();
    if (wake !== null && wake <= now) {
      m.fireDue(now);
      await flush();
      continue;
    }
    wakeMain = false;
    await condition(() => wakeMain || m.closedForGood || continueAsNewDue(), wake === null ? undefined : timerFor(wake, now));
    await flush();
  }

  await condition(allHandlersFinished);
  await flush();
  await Promise.all(deliveries);
  return m.view();
}

/** Longest stretch of a task taken off a timer: a workflow task times out after 10 s anyway. */
const MAX_TASK_LAG_MS = 5_000;

/** A signal has no validator: one whose input is malformed is dropped (the API validated it first). */
function signalAcceptable(name: CommandName, arg: unknown): boolean {
  return name !== 'customerAvailability' || typeof (arg as { available?: unknown }).available === 'boolean';
}

function caseRecord(input: CaseWorkflowInput): CaseRecord {
  return {
    caseId: input.caseId,
    workflowId: workflowInfo().workflowId,
    orgId: input.orgId,
    openedBy: input.openedBy.id,
    type: input.type,
    entitlement: input.entitlement,
    title: input.title,
    description: input.description ?? '',
    language: input.language,
    relatedCaseId: input.relatedCaseId ?? null,
    policyVersion: input.policyVersion,
    productId: input.productId ?? null,
    productVersion: input.productVersion ?? null,
    build: input.build ?? null,
    input: { ...input, carried: undefined },
  };
}
