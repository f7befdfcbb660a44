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
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import type { CaseActivities } from '../activities';
import type { CaseRecord } from '../activities/types';
import { CaseMachine } from './machine/case-machine';
import { rejectUnless } from './machine/validators';
import {
  assignUpdate,
  changeSeverityUpdate,
  closeCaseUpdate,
  confirmResolutionUpdate,
  customerAvailabilitySignal,
  customerReplyUpdate,
  engineerResponseUpdate,
  getCaseQuery,
  managerAckUpdate,
  openedUpdate,
  pageAckUpdate,
  rcaDeliveredUpdate,
  requestInfoUpdate,
  resolveUpdate,
  talkToManagerUpdate,
  type Actor,
  type CaseView,
  type CaseWorkflowInput,
  type CustomerReplyInput,
} from '../contract/case';
import { CaseProgram, CaseRegion, CaseSeverity, CaseStatus, NextDueAt, SlaState, SupportId } from './search-attributes';
import { resolveSettings } from './settings';
import { workflowNow } from './workflow-time';
import type { CaseState } from './state';

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
  const m = input.carried
    ? new CaseMachine(input, settings, input.carried as CaseState, pageEscalation)
    : CaseMachine.open(input, settings, pageEscalation);
  const record = caseRecord(input);
  let recorded = false;
  let wakeMain = false;
  let flushedVersion = -1;
  const deliveries: Promise<void>[] = [];
  let lastSearch = '';

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
    const result = await recordCaseChange({ record, view, events, notifications });
    flushedVersion = view.version;
    recorded = true;
    if (result.toDeliver.length > 0) deliveries.push(deliver(result.toDeliver));
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
    const next = { sev: v.level, program: v.entitlement, status: v.status, sla: v.slaState, due: v.nextDueAt, region: v.ownerRegion };
    const key = JSON.stringify(next);
    if (key === lastSearch) return;
    lastSearch = key;
    const pairs: SearchAttributeUpdatePair[] = [
      { key: CaseSeverity, value: v.level },
      { key: CaseProgram, value: v.entitlement },
      { key: CaseStatus, value: v.status },
      { key: SlaState, value: v.slaState },
      { key: NextDueAt, value: v.nextDueAt ? new Date(v.nextDueAt) : null },
      { key: CaseRegion, value: v.ownerRegion ?? input.region },
      { key: SupportId, value: input.supportId },
    ];
    upsertSearchAttributes(pairs);
  }

  /** Registers an update: idempotent by request id, validated synchronously, answered after the write. */
  function command<I extends { requestId: string; actor: Actor }>(
    def: UpdateDefinition<CaseView, [I]>,
    validate: (arg: I) => void,
    apply: (arg: I, now: number) => void,
  ): void {
    setHandler(
      def,
      async (arg: I) => {
        if (!m.hasSeen(arg.requestId)) {
          m.markSeen(arg.requestId);
          apply(arg, workflowNow());
          wakeMain = true;
        }
        await flush();
        return m.view();
      },
      {
        validator: (arg: I) => {
          rejectUnless(typeof arg?.requestId === 'string' && arg.requestId.length > 0, 'requestId is required');
          rejectUnless(typeof arg.actor?.id === 'string' && typeof arg.actor.role === 'string', 'actor { id, role } is required');
          if (!m.hasSeen(arg.requestId)) validate(arg);
        },
      },
    );
  }

  setHandler(getCaseQuery, () => m.view());
  setHandler(openedUpdate, async () => {
    await condition(() => recorded);
    return m.view();
  });
  command(
    engineerResponseUpdate,
    (a) => m.validateEngineerResponse(a.actor),
    (a, now) => m.engineerResponse(a.actor, a.requestId, now, a.message),
  );
  command(
    changeSeverityUpdate,
    (a) => m.validateChangeSeverity(a),
    (a, now) => m.changeSeverity(a, now),
  );
  command(
    requestInfoUpdate,
    (a) => m.validateRequestInfo(a.actor),
    (a, now) => m.requestInfo(a.actor, a.requestId, now, a.message),
  );
  command(
    customerReplyUpdate,
    (a) => m.validateCustomerReply(a.actor),
    (a, now) => m.customerReply(a.actor, a.requestId, now, a.message, emailFacts(a)),
  );
  command(
    talkToManagerUpdate,
    (a) => m.validateTalkToManager(a.actor),
    (a, now) => m.talkToManager(a.actor, a.requestId, now, a.reason),
  );
  command(
    managerAckUpdate,
    (a) => m.validateManagerAck(a.actor),
    (a, now) => m.managerAck(a.actor, a.requestId, now, a.note),
  );
  command(
    resolveUpdate,
    (a) => m.validateResolve(a),
    (a, now) => m.resolve(a, now),
  );
  command(
    confirmResolutionUpdate,
    (a) => m.validateConfirmResolution(a.actor),
    (a, now) => m.confirmResolution(a, now),
  );
  command(
    closeCaseUpdate,
    () => m.validateCloseCase(),
    (a, now) => m.closeCase(a.actor, a.requestId, now, a.reason),
  );
  command(
    assignUpdate,
    (a) => m.validateAssign(a),
    (a, now) => m.assign(a, now),
  );
  command(
    rcaDeliveredUpdate,
    (a) => m.validateRcaDelivered(a.actor),
    (a, now) => m.rcaDelivered(a.actor, a.requestId, now, a.summary),
  );
  command(
    pageAckUpdate,
    (a) => m.validatePageAck(a.actor),
    (a, now) => m.pageAck(a.actor, a.requestId, now, a.note),
  );
  setHandler(customerAvailabilitySignal, (a) => {
    if (typeof a?.requestId !== 'string' || m.hasSeen(a.requestId) || typeof a.available !== 'boolean') return;
    m.markSeen(a.requestId);
    m.customerAvailability(a, workflowNow());
    wakeMain = true;
  });

  if (!input.carried) upsertMemo({ title: input.title, caseId: input.caseId });
  await flush();

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
    await condition(() => wakeMain || m.closedForGood || continueAsNewDue(), wake === null ? undefined : wake - now);
    await flush();
  }

  await condition(allHandlersFinished);
  await flush();
  await Promise.all(deliveries);
  return m.view();
}

/** Only the fields a reply by email has: an API reply records exactly what it always did (replay-safe). */
function emailFacts(a: CustomerReplyInput): Record<string, unknown> {
  if (a.via !== 'email') return {};
  return { via: 'email', messageId: a.messageId ?? null, attachments: Array.isArray(a.attachments) ? a.attachments : [] };
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
