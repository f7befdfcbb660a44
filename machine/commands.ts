/**
 * The rules of every case command, keyed like contract/commands.ts (the compiler refuses a command without
 * them): the checks that say whether it fits the case now, and what it does. The workflow's handlers, the
 * back-test's replay and the API's "actions you may take" all go through `validateCommand`, `applyCommand`
 * and `availableCommands`, so there is one sequence and one set of checks.
 */
import { CASE_COMMANDS, COMMAND_NAMES, type AnyCommand, type CommandInputs, type CommandName } from '../contract/commands';
import type { Actor } from '../contract/case';
import * as aroundTheClock from './around-the-clock';
import type { Machine } from './context';
import * as conversation from './conversation';
import * as escalation from './escalation';
import * as migration from './migration';
import * as pages from './pages';
import { refusal, type Refusal } from '../contract/refusals';
import { rejectIf, rejectUnless } from './refusal';
import * as resolution from './resolution';
import * as triage from './triage';
import * as v from './validators';

interface CommandRules<N extends CommandName> {
  /** Why the case refuses this command now, whoever sends it and with whatever input (null: it may). */
  state?: (m: Machine) => Refusal | null;
  /** Why it refuses this input. */
  input?: (m: Machine, arg: CommandInputs[N]) => Refusal | null;
  apply: (m: Machine, arg: CommandInputs[N], now: number) => void;
}

/**
 * Only the fields a reply by email has, and the files of an API reply when it has any: an API reply
 * without files records exactly what it always did (replay-safe).
 */
function emailFacts(a: CommandInputs['customerReply']): Record<string, unknown> {
  if (a.via !== 'email') return Array.isArray(a.attachments) && a.attachments.length > 0 ? { attachments: a.attachments } : {};
  return { via: 'email', messageId: a.messageId ?? null, attachments: Array.isArray(a.attachments) ? a.attachments : [] };
}

const RULES: { readonly [N in CommandName]: CommandRules<N> } = {
  engineerResponse: {
    state: v.closedRefusal,
    apply: (m, a, now) => conversation.engineerResponse(m, a.actor, a.requestId, now, a.message),
  },
  internalNote: {
    state: v.closedRefusal,
    input: (_m, a) =>
      typeof a.message === 'string' && a.message.trim().length > 0 ? null : refusal('note-required', 'An internal note needs text'),
    apply: (m, a, now) => conversation.internalNote(m, a.actor, a.requestId, now, a.message, a.attachments),
  },
  changeSeverity: { state: v.changeSeverityStateRefusal, input: v.changeSeverityInputRefusal, apply: triage.changeSeverity },
  requestInfo: {
    state: v.requestInfoStateRefusal,
    apply: (m, a, now) => conversation.requestInfo(m, a.actor, a.requestId, now, a.message),
  },
  customerReply: {
    state: v.closedRefusal,
    apply: (m, a, now) => conversation.customerReply(m, a.actor, a.requestId, now, a.message, emailFacts(a)),
  },
  talkToManager: {
    state: v.talkToManagerStateRefusal,
    apply: (m, a, now) => escalation.talkToManager(m, a.actor, a.requestId, now, a.reason),
  },
  managerAck: {
    state: v.managerAckStateRefusal,
    apply: (m, a, now) => escalation.managerAck(m, a.actor, a.requestId, now, a.note),
  },
  resolve: { state: v.resolveStateRefusal, input: v.resolveInputRefusal, apply: resolution.resolve },
  confirmResolution: { state: v.confirmStateRefusal, apply: resolution.confirmResolution },
  closeCase: {
    state: v.closedRefusal,
    apply: (m, a, now) => resolution.closeCase(m, a.actor, a.requestId, now, a.reason),
  },
  assign: {
    state: v.closedRefusal,
    input: (_m, a) => (typeof a.ownerId === 'string' && a.ownerId.length > 0 ? null : refusal('owner-required', 'ownerId is required')),
    apply: triage.assign,
  },
  rcaDelivered: {
    state: v.rcaStateRefusal,
    apply: (m, a, now) => resolution.rcaDelivered(m, a.actor, a.requestId, now, a.summary),
  },
  pageAck: {
    state: v.pageAckStateRefusal,
    apply: (m, a, now) => pages.acknowledgePage(m, a.actor, a.requestId, now, a.note),
  },
  // A signal: nothing to refuse; the machine ignores a change to the state it already has.
  customerAvailability: { apply: aroundTheClock.customerAvailability },
  migratePolicy: { state: migration.migrateStateRefusal, input: migration.migrateInputRefusal, apply: migration.migratePolicy },
};

const rulesOf = <N extends CommandName>(name: N): CommandRules<N> => RULES[name] as CommandRules<N>;

function roleRefusal(name: CommandName, actor: Actor): Refusal | null {
  const { roles, title } = CASE_COMMANDS[name];
  return roles.includes(actor.role)
    ? null
    : refusal('role-not-allowed', `${title} is not allowed for role '${actor.role}' (allowed: ${roles.join(', ')})`, { role: actor.role });
}

/** Throws InvalidCaseTransition when the case refuses the command: role first, then state, then input. */
export function validateCommand(m: Machine, { name, input }: AnyCommand): void {
  const rules = rulesOf(name) as CommandRules<CommandName>;
  rejectUnless(typeof input?.requestId === 'string' && input.requestId.length > 0, 'request-invalid', 'requestId is required');
  rejectUnless(
    typeof input.actor?.id === 'string' && typeof input.actor.role === 'string',
    'request-invalid',
    'actor { id, role } is required',
  );
  rejectIf(roleRefusal(name, input.actor) ?? rules.state?.(m) ?? rules.input?.(m, input as never) ?? null);
}

/** Applies a validated command at `now` (workflow time). */
export function applyCommand(m: Machine, { name, input }: AnyCommand, now: number): void {
  (rulesOf(name) as CommandRules<CommandName>).apply(m, input as never, now);
}

/**
 * The commands the case's state accepts now, from whoever may send them (the API narrows them to the
 * caller's role with `mayRoleSend`). Signals are left out: they are never refused.
 */
export function availableCommands(m: Machine): CommandName[] {
  return COMMAND_NAMES.filter((n) => CASE_COMMANDS[n].message.kind === 'update' && !rulesOf(n).state?.(m));
}
