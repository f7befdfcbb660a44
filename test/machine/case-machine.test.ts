/**
 * The case machine on its own: every concern (clocks, contact attempts, pages, escalation, resolution,
 * triage) driven through the command registry in milliseconds, with no Temporal server. The Temporal
 * suites (test/workflows/) keep the wiring, timers and replay.
 */
import { CASE_COMMANDS, COMMAND_NAMES, type AnyCommand } from '../../contract/commands';
import type { Actor } from '../../contract/case';
import { commandsOf, type TimedCommand } from '../../backtest/engine/commands';
import { replay } from '../../backtest/engine/replay';
import type { RecordedEvent } from '../../backtest/engine/types';
import { CaseMachine } from '../../machine/case-machine';
import { isRefusal } from '../../machine/refusal';
import { pinnedPolicy, POLICY_V1, resolveSettings, applyPatch, type PolicyDocument } from '../../policy';
import { caseInput, customer, engineer, manager, nextLocal } from '../fixtures/cases';

const admin: Actor = { id: 'adm-dee', role: 'admin', name: 'Dee' };
const HOUR = 3_600_000;
// Monday 7 December 2026, 10:00 in Berlin: a business day (no holiday), well inside coverage.
const MONDAY_10 = nextLocal(Date.parse('2026-12-06T12:00:00Z'), 'Europe/Berlin', 1, '10:00');

let opened = 0;
function open(over: Partial<Parameters<typeof caseInput>[0]> = {}, policy?: PolicyDocument): CaseMachine {
  const input = caseInput({ caseId: `m-${++opened}`, openedAt: MONDAY_10, ...over });
  if (policy) input.policy = pinnedPolicy(policy, input.entitlement);
  const m = CaseMachine.open(input, resolveSettings(input.settings), true);
  m.drain();
  return m;
}

let seq = 0;
function send(m: CaseMachine, command: AnyCommand['name'], actor: Actor, now: number, args: Record<string, unknown> = {}): string[] {
  const c = { name: command, input: { requestId: `r${++seq}`, actor, ...args } } as AnyCommand;
  m.validate(c);
  m.apply(c, now);
  return m.drain().events.map((e) => e.type);
}

function refusal(m: CaseMachine, command: AnyCommand['name'], actor: Actor, args: Record<string, unknown> = {}): string | null {
  try {
    m.validate({ name: command, input: { requestId: `r${++seq}`, actor, ...args } } as AnyCommand);
    return null;
  } catch (err) {
    if (!isRefusal(err)) throw err;
    return err.message;
  }
}

/** Fires every wake up to `until`; the event types recorded, in order. */
function runUntil(m: CaseMachine, until: number): string[] {
  const types: string[] = [];
  for (let wake = m.nextWakeAt(); wake !== null && wake <= until; wake = m.nextWakeAt()) {
    m.fireDue(wake);
    types.push(...m.drain().events.map((e) => e.type));
  }
  return types;
}

describe('the command registry', () => {
  test('every command names its message, roles, title and events; no event belongs to two commands', () => {
    const events = COMMAND_NAMES.flatMap((n) => CASE_COMMANDS[n].events);
    expect(new Set(events).size).toBe(events.length);
    for (const n of COMMAND_NAMES) {
      expect(CASE_COMMANDS[n].roles.length).toBeGreaterThan(0);
      expect(CASE_COMMANDS[n].events.length).toBeGreaterThan(0);
      expect(CASE_COMMANDS[n].message.def.name).toBe(n);
    }
  });

  test('the back-test reads every command event back to its command', () => {
    for (const n of COMMAND_NAMES) {
      for (const type of CASE_COMMANDS[n].events) {
        const e: RecordedEvent = {
          key: `${type}:req-1`,
          type,
          actorId: 'x',
          at: MONDAY_10,
          data: { to: { ownerId: 'eng-bo', region: null } },
        };
        const [c] = commandsOf([e]);
        expect(c?.command.kind).toBe(n);
        expect(c?.requestId).toBe('req-1');
      }
    }
  });

  test('a manager escalation is acknowledged by a manager only, as the API admits (was: the workflow also took admin)', () => {
    const m = open();
    send(m, 'talkToManager', customer, MONDAY_10 + 60_000, { reason: 'too slow' });
    expect(refusal(m, 'managerAck', admin)).toMatch(/not allowed for role 'admin'/);
    expect(refusal(m, 'managerAck', engineer)).toMatch(/not allowed for role 'engineer'/);
    expect(send(m, 'managerAck', manager, MONDAY_10 + 120_000)).toContain('manager_acknowledged');
  });

  test('the actions a case accepts now follow its state', () => {
    const m = open();
    expect(m.view().acceptsNow).toEqual(
      expect.arrayContaining(['engineerResponse', 'requestInfo', 'resolve', 'talkToManager', 'closeCase']),
    );
    expect(m.view().acceptsNow).not.toContain('confirmResolution');
    expect(m.view().acceptsNow).not.toContain('managerAck');
    send(m, 'resolve', engineer, MONDAY_10 + HOUR, { resolutionType: 'workaround', summary: 'restart the proxy' });
    expect(m.view().acceptsNow).toContain('confirmResolution');
    expect(m.view().acceptsNow).not.toContain('resolve');
    send(m, 'confirmResolution', customer, MONDAY_10 + 2 * HOUR, { accepted: true });
    expect(m.view().acceptsNow).toEqual([]);
  });
});

describe('clocks', () => {
  test('Production Severity 2: due 3 h after opening; a response meets it, none breaches it once', () => {
    const met = open({ entitlement: 'production', level: 2 });
    expect(Date.parse(met.view().clocks.firstResponse!.dueAt!)).toBe(MONDAY_10 + 3 * HOUR);
    send(met, 'engineerResponse', engineer, MONDAY_10 + HOUR, { message: 'Looking at it' });
    expect(met.view().clocks.firstResponse!.state).toBe('met');

    const breached = open({ entitlement: 'production', level: 2 });
    const fired = runUntil(breached, MONDAY_10 + 4 * HOUR);
    expect(fired.filter((t) => t === 'sla_warning')).toHaveLength(2);
    expect(fired.filter((t) => t === 'sla_breach')).toHaveLength(1);
    expect(breached.view().clocks.firstResponse!.state).toBe('breached');
  });
});

describe('contact attempts', () => {
  test('three attempts on three separate business days, then the case closes; a reply cancels the rest', () => {
    const quiet = open({ entitlement: 'production', level: 3 });
    send(quiet, 'requestInfo', engineer, MONDAY_10 + HOUR, { message: 'Please upload the job logs' });
    const days = quiet.view().contactAttempts.map((a) => a.businessDate);
    expect(new Set(days).size).toBe(3);
    runUntil(quiet, MONDAY_10 + 14 * 24 * HOUR);
    expect(quiet.view().contactAttempts.map((a) => a.status)).toEqual(['made', 'made', 'made']);
    expect(quiet.view().closeReason).toBe('no_customer_response');

    const answered = open({ entitlement: 'production', level: 3 });
    send(answered, 'requestInfo', engineer, MONDAY_10 + HOUR, { message: 'Please upload the job logs' });
    send(answered, 'customerReply', customer, MONDAY_10 + 2 * HOUR, { message: 'Uploaded' });
    expect(answered.view().status).toBe('in_progress');
    expect(answered.view().contactAttempts.map((a) => a.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });
});

describe('Severity 1 around the clock and pages', () => {
  test('a Production Severity 1 pages the on-call engineer and escalates an unacknowledged page after 15 min', () => {
    const m = open({ entitlement: 'production', level: 1 });
    expect(m.view().aroundTheClock).toBe(true);
    expect(m.view().page?.escalationLevel).toBe(0);
    const fired = runUntil(m, MONDAY_10 + 16 * 60_000);
    expect(fired).toContain('page_escalated');
    expect(m.view().page?.escalationLevel).toBe(1);
    send(m, 'pageAck', engineer, MONDAY_10 + 17 * 60_000);
    expect(m.view().page?.acknowledgedBy).toBe(engineer.id);
  });

  test('the Support Account Manager rule comes from the policy, not from the program name (was: Premier only)', () => {
    const withSam = applyPatch(POLICY_V1.document, { programs: { production: { supportAccountManager: true } } });
    const told = open({ entitlement: 'production', level: 1 }, withSam);
    expect(runUntil(told, MONDAY_10 + HOUR)).toContain('sam_notified');
    const notTold = open({ entitlement: 'production', level: 1 });
    expect(runUntil(notTold, MONDAY_10 + HOUR)).not.toContain('sam_notified');
    const premier = open({ entitlement: 'premier', level: 1 });
    expect(runUntil(premier, MONDAY_10 + HOUR)).toContain('sam_notified');
  });
});

describe('triage and resolution', () => {
  test('a level the pinned policy does not offer is refused', () => {
    const noSev1 = applyPatch(POLICY_V1.document, { programs: { production: { targets: { '1': { kind: 'not_available' } } } } });
    const m = open({ entitlement: 'production', level: 2 }, noSev1);
    expect(refusal(m, 'changeSeverity', engineer, { level: 1, reason: 'down' })).toMatch(/not available/);
    expect(refusal(m, 'changeSeverity', engineer, { level: 3, reason: 'better now' })).toBeNull();
  });

  test('a rejected resolution reopens the case; a confirmed one closes it', () => {
    const m = open();
    send(m, 'resolve', engineer, MONDAY_10 + HOUR, { resolutionType: 'workaround', summary: 'restart' });
    expect(send(m, 'confirmResolution', customer, MONDAY_10 + 2 * HOUR, { accepted: false })).toContain('reopened');
    expect(m.view().status).toBe('in_progress');
    send(m, 'resolve', engineer, MONDAY_10 + 3 * HOUR, { resolutionType: 'workaround', summary: 'restart twice' });
    send(m, 'confirmResolution', customer, MONDAY_10 + 4 * HOUR, { accepted: true });
    expect(m.view().closeReason).toBe('confirmed');
    expect(refusal(m, 'engineerResponse', engineer)).toMatch(/closed/);
  });
});

describe('the back-test replays through the registry', () => {
  const input = caseInput({ caseId: 'bt-1', openedAt: MONDAY_10 });
  const at = MONDAY_10 + HOUR;

  test('a refused command is counted as refused', () => {
    const commands: TimedCommand[] = [{ at, requestId: 'a', actor: customer, command: { kind: 'confirmResolution', accepted: true } }];
    expect(replay(input, commands, at + HOUR).refused).toBe(1);
  });

  test('any other error fails the run loudly (was: counted as refused)', () => {
    const unknown = [{ at, requestId: 'b', actor: engineer, command: { kind: 'noSuchCommand' } }] as unknown as TimedCommand[];
    expect(() => replay(input, unknown, at + HOUR)).toThrow(TypeError);
  });
});
