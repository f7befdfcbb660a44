/**
 * When a command fits the case: the state and input checks of each command, as reasons (null = allowed).
 * Who may send a command is contract/commands.ts's `roles`, checked before these by machine/commands.ts.
 * `stateRefusal` checks need only the case, so they also say which actions a case offers now
 * (`availableCommands`); `inputRefusal` checks look at the command's arguments.
 */
import { resolutionScopeRefusal, targetOf } from '../policy';
import type { ChangeSeverityInput, ResolveInput } from '../contract/case';
import { refusal, type Refusal as Found } from '../contract/refusals';
import type { Machine } from './context';
import { pageAckRefusal } from './pages';

type Refusal = Found | null;

const firstOf = (...reasons: Refusal[]): Refusal => reasons.find((r) => r !== null) ?? null;

export function closedRefusal(m: Machine): Refusal {
  return m.s.status === 'closed' ? refusal('case-closed', 'The case is closed; open a new case that references it') : null;
}

export function changeSeverityStateRefusal(m: Machine): Refusal {
  return firstOf(
    closedRefusal(m),
    m.s.status === 'resolved' ? refusal('case-resolved', 'Severity cannot change on a resolved case: reopen it first') : null,
  );
}

export function changeSeverityInputRefusal(m: Machine, { actor, level, reason }: ChangeSeverityInput): Refusal {
  if (![1, 2, 3, 4].includes(level)) return refusal('level-invalid', `level must be 1, 2, 3 or 4 (got ${String(level)})`);
  if (level === m.s.level) return refusal('level-unchanged', `The case is already at level ${level}`, { level });
  if (typeof reason !== 'string' || reason.trim().length === 0) return refusal('reason-required', 'A severity change needs a reason');
  if (actor.role === 'system') return refusal('agreement-required', 'A severity change needs a person who agreed it');
  // The case's pinned policy decides, as the API's check does (api/policy-checks.ts uses the same accessor).
  if (targetOf(m.input.entitlement, level, m.input.policy).kind === 'not_available')
    return refusal('level-not-available', `Level ${level} is not available on the ${m.input.entitlement} program`, {
      level,
      program: m.input.entitlement,
    });
  return null;
}

export function requestInfoStateRefusal(m: Machine): Refusal {
  return m.s.status === 'opened' || m.s.status === 'in_progress'
    ? null
    : refusal('info-request-not-open', `Cannot request information while the case is ${m.s.status}`, { status: m.s.status });
}

export function talkToManagerStateRefusal(m: Machine): Refusal {
  const e = m.s.managerEscalation;
  return firstOf(
    closedRefusal(m),
    e && e.acknowledgedAt === null ? refusal('manager-escalation-open', 'A manager escalation is already open for this case') : null,
  );
}

export function managerAckStateRefusal(m: Machine): Refusal {
  const e = m.s.managerEscalation;
  return e !== null && e.acknowledgedAt === null
    ? null
    : refusal('no-manager-escalation', 'There is no open manager escalation to acknowledge');
}

export function resolveStateRefusal(m: Machine): Refusal {
  const s = m.s.status;
  return s === 'opened' || s === 'in_progress' || s === 'awaiting_customer'
    ? null
    : refusal('resolve-not-open', `Cannot resolve a case that is ${s}`, { status: s });
}

export function resolveInputRefusal(m: Machine, { resolutionType, summary, outOfScope }: ResolveInput): Refusal {
  if (typeof summary !== 'string' || summary.trim().length === 0) return refusal('summary-required', 'A resolution needs a summary');
  // Scope rules (policy/scope.ts): hotfix eligibility, experimental features, out-of-scope referrals.
  return resolutionScopeRefusal(resolutionType, outOfScope, {
    experimentalFeature: m.input.experimentalFeature === true,
    hotfixEligible: m.input.hotfixEligible,
  });
}

export function confirmStateRefusal(m: Machine): Refusal {
  return m.s.status === 'resolved'
    ? null
    : refusal('not-resolved', `Only a resolved case can be confirmed (the case is ${m.s.status})`, { status: m.s.status });
}

export function rcaStateRefusal(m: Machine): Refusal {
  if (m.s.rca?.required !== true) return refusal('rca-not-tracked', 'This case does not track a root-cause analysis');
  return m.s.rca.deliveredAt === null ? null : refusal('rca-already-delivered', 'The root-cause analysis was already delivered');
}

export function pageAckStateRefusal(m: Machine): Refusal {
  return pageAckRefusal(m);
}
