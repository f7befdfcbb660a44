/**
 * The case commands, once: for each, the workflow message that carries it, the roles that may send it and
 * the audit events it records. The workflow registers its handlers from this table, the machine dispatches
 * through it (machine/commands.ts holds each one's rules, keyed the same), the back-test reads recorded
 * commands back from its events, and the API's action routes are keyed by it (api/routes/case-actions.ts).
 * Adding a command = an entry here + its rule entry in machine/commands.ts + its route + their tests; the
 * compiler refuses a command without rules or without a route decision.
 */
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import {
  assignUpdate,
  changeSeverityUpdate,
  closeCaseUpdate,
  confirmResolutionUpdate,
  customerAvailabilitySignal,
  customerReplyUpdate,
  engineerResponseUpdate,
  internalNoteUpdate,
  managerAckUpdate,
  migratePolicyUpdate,
  pageAckUpdate,
  rcaDeliveredUpdate,
  requestInfoUpdate,
  resolveUpdate,
  talkToManagerUpdate,
  type AssignInput,
  type CaseView,
  type ChangeSeverityInput,
  type CloseCaseInput,
  type ConfirmResolutionInput,
  type CustomerAvailabilityInput,
  type CustomerReplyInput,
  type EngineerResponseInput,
  type InternalNoteInput,
  type ManagerAckInput,
  type MigratePolicyInput,
  type PageAckInput,
  type RcaDeliveredInput,
  type RequestInfoInput,
  type ResolveInput,
  type TalkToManagerInput,
} from './case';
import type { CommandName } from './command-names';
import { CASE_WORKERS, CUSTOMER_ROLES, STAFF_ROLES, type Role } from './roles';

/** The inputs of every command, by name (each carries `requestId` and `actor`). */
export interface CommandInputs {
  engineerResponse: EngineerResponseInput;
  internalNote: InternalNoteInput;
  changeSeverity: ChangeSeverityInput;
  requestInfo: RequestInfoInput;
  customerReply: CustomerReplyInput;
  talkToManager: TalkToManagerInput;
  managerAck: ManagerAckInput;
  resolve: ResolveInput;
  confirmResolution: ConfirmResolutionInput;
  closeCase: CloseCaseInput;
  assign: AssignInput;
  rcaDelivered: RcaDeliveredInput;
  pageAck: PageAckInput;
  customerAvailability: CustomerAvailabilityInput;
  migratePolicy: MigratePolicyInput;
}

export { COMMAND_NAMES, type CommandName } from './command-names';

// The names and the inputs list the same commands: either without the other fails to compile.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : never) : never;
const namesMatchInputs: SameKeys<CommandInputs, Record<CommandName, unknown>> = true;
void namesMatchInputs;

export interface CommandSpec<N extends CommandName> {
  /** An update answers with the case's new view after validation; a signal is fire-and-forget (no validator). */
  message:
    { kind: 'update'; def: UpdateDefinition<CaseView, [CommandInputs[N]]> } | { kind: 'signal'; def: SignalDefinition<[CommandInputs[N]]> };
  /** Who may send it: the API admits exactly these, the machine refuses anyone else. */
  roles: readonly Role[];
  /** What it is, in a refusal ("Resolving a case is not allowed for role ..."). */
  title: string;
  /** The audit event types it records, keyed `<type>:<requestId>` (how the back-test finds it again). */
  events: readonly string[];
}

const CUSTOMERS_AND_CASE_WORKERS = [...CUSTOMER_ROLES, ...CASE_WORKERS] as const;
const update = <I>(def: UpdateDefinition<CaseView, [I]>) => ({ kind: 'update' as const, def });

export const CASE_COMMANDS: { readonly [N in CommandName]: CommandSpec<N> } = {
  engineerResponse: {
    message: update(engineerResponseUpdate),
    roles: CASE_WORKERS,
    title: 'An engineer response',
    events: ['engineer_response'],
  },
  internalNote: { message: update(internalNoteUpdate), roles: STAFF_ROLES, title: 'An internal note', events: ['internal_note'] },
  changeSeverity: {
    message: update(changeSeverityUpdate),
    roles: CUSTOMERS_AND_CASE_WORKERS,
    title: 'A severity change',
    events: ['severity_changed'],
  },
  requestInfo: { message: update(requestInfoUpdate), roles: CASE_WORKERS, title: 'Requesting information', events: ['info_requested'] },
  customerReply: { message: update(customerReplyUpdate), roles: CUSTOMER_ROLES, title: 'A customer reply', events: ['customer_reply'] },
  talkToManager: {
    message: update(talkToManagerUpdate),
    roles: CUSTOMER_ROLES,
    title: 'Asking for a manager',
    events: ['manager_requested'],
  },
  managerAck: {
    message: update(managerAckUpdate),
    roles: ['manager'],
    title: 'Acknowledging a manager escalation',
    events: ['manager_acknowledged'],
  },
  resolve: { message: update(resolveUpdate), roles: CASE_WORKERS, title: 'Resolving a case', events: ['resolved'] },
  confirmResolution: {
    message: update(confirmResolutionUpdate),
    roles: CUSTOMER_ROLES,
    title: 'Confirming a resolution',
    events: ['resolution_confirmed', 'resolution_rejected'],
  },
  closeCase: { message: update(closeCaseUpdate), roles: CUSTOMERS_AND_CASE_WORKERS, title: 'Closing a case', events: ['close_requested'] },
  assign: { message: update(assignUpdate), roles: CASE_WORKERS, title: 'Assigning a case', events: ['assigned'] },
  rcaDelivered: {
    message: update(rcaDeliveredUpdate),
    roles: CASE_WORKERS,
    title: 'Delivering a root-cause analysis',
    events: ['rca_delivered'],
  },
  pageAck: { message: update(pageAckUpdate), roles: STAFF_ROLES, title: 'Acknowledging a page', events: ['page_acknowledged'] },
  customerAvailability: {
    message: { kind: 'signal', def: customerAvailabilitySignal },
    roles: CUSTOMERS_AND_CASE_WORKERS,
    title: "Saying whether the customer's technical resource is available",
    events: ['customer_available', 'customer_unavailable'],
  },
  // Sent by a policy migration run (api/routes/policy-migrations.ts) or an administrator for one case.
  migratePolicy: {
    message: update(migratePolicyUpdate),
    roles: ['admin'],
    title: 'Migrating a case to another policy version',
    events: ['policy_migrated'],
  },
};

/** A command as the machine takes it: its name and input, checked together. */
export type AnyCommand = { [N in CommandName]: { name: N; input: CommandInputs[N] } }[CommandName];

export const mayRoleSend = (name: CommandName, role: Role): boolean => CASE_COMMANDS[name].roles.includes(role);
