/**
 * Who may do what, and when: the role and state checks run by the update validators before a command is
 * accepted. Synchronous (an async validator never rejects); a refusal is a non-retryable ApplicationFailure
 * of type InvalidCaseTransition whose message the API returns as the reason.
 */
import { ApplicationFailure } from '@temporalio/common';
import { resolutionScopeProblem, targetOf } from '../../policy';
import type { Actor, AssignInput, ChangeSeverityInput, ResolveInput, Role } from '../../contract/case';
import type { Machine } from './context';
import { pageAckRefusal } from './pages';

const CUSTOMER_ROLES: Role[] = ['case_admin', 'license_admin', 'support_partner'];
const STAFF_ROLES: Role[] = ['engineer', 'manager', 'admin'];
const MANAGER_ROLES: Role[] = ['manager', 'admin'];

export function rejectUnless(condition: boolean, message: string): asserts condition {
  if (!condition) throw ApplicationFailure.create({ type: 'InvalidCaseTransition', message, nonRetryable: true });
}

function requireRole(actor: Actor, roles: Role[], action: string): void {
  rejectUnless(roles.includes(actor.role), `${action} is not allowed for role '${actor.role}' (allowed: ${roles.join(', ')})`);
}

export function validatePageAck(m: Machine, actor: Actor): void {
  requireRole(actor, STAFF_ROLES, 'Acknowledging a page');
  const refusal = pageAckRefusal(m);
  rejectUnless(refusal === null, refusal ?? '');
}

function requireOpen(m: Machine): void {
  rejectUnless(m.s.status !== 'closed', 'The case is closed; open a new case that references it');
}

export function validateEngineerResponse(m: Machine, actor: Actor): void {
  requireRole(actor, STAFF_ROLES, 'An engineer response');
  requireOpen(m);
}

export function validateChangeSeverity(m: Machine, { actor, level, reason }: ChangeSeverityInput): void {
  requireOpen(m);
  rejectUnless(m.s.status !== 'resolved', 'Severity cannot change on a resolved case: reopen it first');
  rejectUnless([1, 2, 3, 4].includes(level), `level must be 1, 2, 3 or 4 (got ${String(level)})`);
  rejectUnless(level !== m.s.level, `The case is already at level ${level}`);
  rejectUnless(typeof reason === 'string' && reason.trim().length > 0, 'A severity change needs a reason');
  rejectUnless(actor.role !== 'system', 'A severity change needs a person who agreed it');
  rejectUnless(
    targetOf(m.input.entitlement, level, m.input.policy).kind !== 'not_available',
    `Level ${level} is not available on the ${m.input.entitlement} program`,
  );
}

export function validateRequestInfo(m: Machine, actor: Actor): void {
  requireRole(actor, STAFF_ROLES, 'Requesting information');
  rejectUnless(m.s.status === 'opened' || m.s.status === 'in_progress', `Cannot request information while the case is ${m.s.status}`);
}

export function validateCustomerReply(m: Machine, actor: Actor): void {
  requireRole(actor, CUSTOMER_ROLES, 'A customer reply');
  requireOpen(m);
}

export function validateTalkToManager(m: Machine, actor: Actor): void {
  requireOpen(m);
  rejectUnless(actor.role !== 'system', 'Talk to a manager needs a person');
  const e = m.s.managerEscalation;
  rejectUnless(!e || e.acknowledgedAt !== null, 'A manager escalation is already open for this case');
}

export function validateManagerAck(m: Machine, actor: Actor): void {
  requireRole(actor, MANAGER_ROLES, 'Acknowledging a manager escalation');
  const e = m.s.managerEscalation;
  rejectUnless(e !== null && e.acknowledgedAt === null, 'There is no open manager escalation to acknowledge');
}

export function validateResolve(m: Machine, { actor, resolutionType, summary, outOfScope }: ResolveInput): void {
  requireRole(actor, STAFF_ROLES, 'Resolving a case');
  rejectUnless(
    m.s.status === 'opened' || m.s.status === 'in_progress' || m.s.status === 'awaiting_customer',
    `Cannot resolve a case that is ${m.s.status}`,
  );
  rejectUnless(typeof summary === 'string' && summary.trim().length > 0, 'A resolution needs a summary');
  // Scope rules (policy/scope.ts): hotfix eligibility, experimental features, out-of-scope referrals.
  const scope = resolutionScopeProblem(resolutionType, outOfScope, {
    experimentalFeature: m.input.experimentalFeature === true,
    hotfixEligible: m.input.hotfixEligible,
  });
  rejectUnless(scope === null, scope ?? '');
}

export function validateConfirmResolution(m: Machine, actor: Actor): void {
  requireRole(actor, CUSTOMER_ROLES, 'Confirming a resolution');
  rejectUnless(m.s.status === 'resolved', `Only a resolved case can be confirmed (the case is ${m.s.status})`);
}

export function validateCloseCase(m: Machine): void {
  requireOpen(m);
}

export function validateAssign(m: Machine, { actor, ownerId }: AssignInput): void {
  requireRole(actor, STAFF_ROLES, 'Assigning a case');
  requireOpen(m);
  rejectUnless(typeof ownerId === 'string' && ownerId.length > 0, 'ownerId is required');
}

export function validateRcaDelivered(m: Machine, actor: Actor): void {
  requireRole(actor, STAFF_ROLES, 'Delivering a root-cause analysis');
  rejectUnless(m.s.rca?.required === true, 'This case does not track a root-cause analysis');
  rejectUnless(m.s.rca.deliveredAt === null, 'The root-cause analysis was already delivered');
}
