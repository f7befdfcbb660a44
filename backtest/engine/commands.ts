/**
 * From a case's audit trail back to the commands people gave it. Every command leaves one event of its own
 * type whose key is `<type>:<requestId>` and whose data holds the command's arguments; everything else in
 * the trail (clocks, attempts, closures, hand-offs) is what the machine made of them, and is recomputed.
 */
import type { OutOfScopeCategory } from '../../policy/scope';
import type { PinnedPolicy } from '../../policy';
import type { CalendarSpec, Level, SunRegion } from '../../policy/types';
import type { Actor, ResolutionType, Role } from '../../contract/case';
import { CASE_COMMANDS, type AnyCommand, type CommandInputs, type CommandName } from '../../contract/commands';
import type { RecordedEvent, RoleOf } from './types';

/** A command as a trail records it: its name (`kind`) and arguments, without who and which request. */
export type Command = { [N in CommandName]: { kind: N } & Omit<CommandInputs[N], 'requestId' | 'actor'> }[CommandName];

export interface TimedCommand {
  at: number;
  requestId: string;
  actor: Actor;
  command: Command;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Every audit event type a command records (contract/commands.ts): the trail's command events. */
type CommandEvent = (typeof CASE_COMMANDS)[CommandName]['events'][number];
const COMMAND_EVENTS = new Set<string>(Object.values(CASE_COMMANDS).flatMap((c) => c.events));

/** Per event type: the command it records and the role of whoever gives that command when the role is unknown. */
const TRIGGERS: Record<CommandEvent, { role: Role; command: (d: Record<string, unknown>) => Command }> = {
  engineer_response: { role: 'engineer', command: (d) => ({ kind: 'engineerResponse', message: str(d.message) }) },
  internal_note: { role: 'engineer', command: (d) => ({ kind: 'internalNote', message: String(d.message) }) },
  severity_changed: { role: 'engineer', command: (d) => ({ kind: 'changeSeverity', level: d.to as Level, reason: String(d.reason) }) },
  info_requested: { role: 'engineer', command: (d) => ({ kind: 'requestInfo', message: String(d.message) }) },
  customer_reply: { role: 'case_admin', command: (d) => ({ kind: 'customerReply', message: str(d.message) }) },
  manager_requested: { role: 'case_admin', command: (d) => ({ kind: 'talkToManager', reason: String(d.reason) }) },
  manager_acknowledged: { role: 'manager', command: (d) => ({ kind: 'managerAck', note: str(d.note) }) },
  resolved: {
    role: 'engineer',
    command: (d) => ({
      kind: 'resolve',
      resolutionType: d.resolutionType as ResolutionType,
      summary: String(d.summary),
      ...(typeof d.outOfScope === 'string' ? { outOfScope: d.outOfScope as OutOfScopeCategory } : {}),
    }),
  },
  resolution_confirmed: { role: 'case_admin', command: (d) => ({ kind: 'confirmResolution', accepted: true, comment: str(d.comment) }) },
  resolution_rejected: { role: 'case_admin', command: (d) => ({ kind: 'confirmResolution', accepted: false, comment: str(d.comment) }) },
  close_requested: { role: 'case_admin', command: (d) => ({ kind: 'closeCase', reason: str(d.reason) }) },
  assigned: {
    role: 'engineer',
    command: (d) => {
      const to = d.to as { ownerId: string; region: SunRegion | null };
      return { kind: 'assign', ownerId: to.ownerId, region: to.region ?? undefined, note: str(d.note) };
    },
  },
  rca_delivered: { role: 'engineer', command: (d) => ({ kind: 'rcaDelivered', summary: String(d.summary) }) },
  customer_available: { role: 'case_admin', command: (d) => ({ kind: 'customerAvailability', available: true, note: str(d.note) }) },
  page_acknowledged: { role: 'engineer', command: (d) => ({ kind: 'pageAck', note: str(d.note) }) },
  customer_unavailable: { role: 'case_admin', command: (d) => ({ kind: 'customerAvailability', available: false, note: str(d.note) }) },
  // The state version the preview saw is not replayed: the recorded run accepted it.
  policy_migrated: {
    role: 'admin',
    command: (d) => ({
      kind: 'migratePolicy',
      toVersion: String(d.to),
      policy: d.policy as PinnedPolicy,
      coverage: d.coverage as CalendarSpec,
      ...(typeof d.migrationId === 'string' ? { migrationId: d.migrationId } : {}),
    }),
  },
};

/** The request id a command event's key carries (`<type>:<requestId>`, `#n` when a batch repeated the key). */
export function requestIdOf(e: RecordedEvent): string {
  return e.key.slice(e.type.length + 1).replace(/#\d+$/, '');
}

/** The commands of a trail, in order. */
export function commandsOf(events: readonly RecordedEvent[], roleOf: RoleOf = () => undefined): TimedCommand[] {
  const out: TimedCommand[] = [];
  for (const e of events) {
    if (!COMMAND_EVENTS.has(e.type)) continue;
    const trigger = TRIGGERS[e.type as CommandEvent];
    if (!trigger) throw new Error(`the back-test cannot read command event '${e.type}' back (backtest/engine/commands.ts)`);
    // A severity change records the whole actor who agreed it; others only the id.
    const actor: Actor =
      e.type === 'severity_changed' && e.data.by && typeof e.data.by === 'object'
        ? (e.data.by as Actor)
        : { id: e.actorId, role: roleOf(e.actorId) ?? trigger.role };
    out.push({ at: e.at, requestId: requestIdOf(e), actor, command: trigger.command(e.data) });
  }
  return out;
}

/** Request ids of the commands: an event caused by one of them happened at the command's instant. */
export function commandCauses(commands: readonly TimedCommand[]): Set<string> {
  return new Set(commands.map((c) => c.requestId));
}

/**
 * Whether the recorded run tracked page acknowledgements (the workflow's `patched('page-escalation')`): a
 * page event says so; around-the-clock work without any says it ran before pages were tracked.
 */
export function tracksPages(events: readonly RecordedEvent[]): boolean {
  let aroundTheClock = false;
  for (const e of events) {
    if (e.type.startsWith('page_')) return true;
    if (e.type === 'around_the_clock_started') aroundTheClock = true;
  }
  return !aroundTheClock;
}

/**
 * Whether the recorded run had the workflow's `patched('retarget-best-effort')` (machine/triage.ts): its
 * severity changes say so (`retargetsBestEffort`); a severity change without it ran before the patch. A trail
 * without any severity change is replayed with the rule, which only a severity change can reach.
 */
export function retargetsBestEffort(events: readonly RecordedEvent[]): boolean {
  for (const e of events) if (e.type === 'severity_changed') return e.data.retargetsBestEffort === true;
  return true;
}

/** The machine's form of a recorded command (contract/commands.ts's name and input). */
export function asMachineCommand({ requestId, actor, command }: TimedCommand): AnyCommand {
  const { kind, ...args } = command;
  return { name: kind, input: { ...args, requestId, actor } } as AnyCommand;
}
