/**
 * The policy as versioned data: what an administrator may change (targets, coverage and business hours,
 * contact-attempt rules, warning thresholds, around-the-clock levels) as one plain JSON document. Version 1
 * is derived from the published constants in entitlements.ts, so nothing changes for existing behaviour.
 * Pure: the API stores and validates documents; a case pins what it needs from the version in force when it
 * opens (`pinnedPolicy`), and the back-test derives a case's inputs under another version (`retargetInput`).
 */
import type { CalendarSpec, EntitlementId, Level, Target, WeeklyWindow } from './types';
import { ENTITLEMENTS, LEVELS, POLICY_VERSION } from './entitlements';
import { DEFAULT_BUSINESS_HOURS, describeWindows } from './calendars';
import { DEFAULT_SETTINGS, type CaseSettings } from './settings';

export type LevelKey = '1' | '2' | '3' | '4';

/** One program as a version document holds it. */
export interface ProgramPolicy {
  targets: Record<LevelKey, Target>;
  /** true: the response clock counts wall time (24/7); false: it runs inside `coverageWindows`. */
  aroundTheClockCoverage: boolean;
  /** Weekly coverage in the customer's local time; null = the default business hours (best effort programs). */
  coverageWindows: WeeklyWindow[] | null;
  /** Levels worked around the clock while the customer has a technical resource available. */
  aroundTheClockLevels: Level[];
  /** A Support Account Manager comes with the program; absent in documents published before it was data: version 1's. */
  supportAccountManager?: boolean;
}

export interface PolicyDocument {
  programs: Record<EntitlementId, ProgramPolicy>;
  /** Business hours of organisations without their own (contact attempts, business days). */
  defaultBusinessHours: WeeklyWindow[];
  contactAttempts: { count: number; at: string };
  /** Fractions of a target at which a warning fires. */
  warningThresholds: number[];
}

export interface PolicyVersion {
  version: number;
  /** The string a case pins as `policyVersion`: version 1 keeps the historical '2026-11-01'. */
  key: string;
  effectiveAt: number; // epoch ms
  document: PolicyDocument;
  note: string;
  publishedBy: string | null;
}

/** What a case pins from its version (the rest travels as calendars and settings). */
export interface PinnedPolicy {
  targets: Record<LevelKey, Target>;
  aroundTheClockLevels: Level[];
  /** The program comes with a Support Account Manager (told of Severity 1 in business hours). Absent: version 1's. */
  supportAccountManager?: boolean;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Version 1: the shipped constants and the default settings (settings.ts). */
export const POLICY_V1: PolicyVersion = {
  version: 1,
  key: POLICY_VERSION,
  effectiveAt: 0,
  note: 'The published support policy as shipped',
  publishedBy: null,
  document: {
    programs: Object.fromEntries(
      Object.values(ENTITLEMENTS).map((e) => [
        e.id,
        {
          targets: clone(e.targets) as Record<LevelKey, Target>,
          aroundTheClockCoverage: e.aroundTheClockCoverage,
          coverageWindows: e.coverageWindows ? clone(e.coverageWindows) : null,
          aroundTheClockLevels: [...e.aroundTheClockLevels],
          supportAccountManager: e.sam,
        },
      ]),
    ) as Record<EntitlementId, ProgramPolicy>,
    defaultBusinessHours: clone(DEFAULT_BUSINESS_HOURS),
    contactAttempts: { count: DEFAULT_SETTINGS.contactAttempts, at: DEFAULT_SETTINGS.contactAttemptTime },
    warningThresholds: [...DEFAULT_SETTINGS.warningThresholds],
  },
};

/** The key a published version number pins. */
export function versionKey(version: number): string {
  return version === 1 ? POLICY_VERSION : `v${version}`;
}

/** The version in force at `at`: the latest effective one (versions in any order). */
export function versionInForce(versions: readonly PolicyVersion[], at: number): PolicyVersion {
  let best: PolicyVersion = POLICY_V1;
  for (const v of versions)
    if (v.effectiveAt <= at && (v.effectiveAt > best.effectiveAt || (v.effectiveAt === best.effectiveAt && v.version > best.version)))
      best = v;
  return best;
}

export function pinnedPolicy(doc: PolicyDocument, entitlement: EntitlementId): PinnedPolicy {
  const p = doc.programs[entitlement];
  return {
    targets: clone(p.targets),
    aroundTheClockLevels: [...p.aroundTheClockLevels],
    supportAccountManager: p.supportAccountManager ?? ENTITLEMENTS[entitlement].sam,
  };
}

/** The program's response-clock calendar under `doc`, keeping the zone and closed dates of `base`. */
export function coverageUnder(
  doc: PolicyDocument,
  entitlement: EntitlementId,
  base: { zone: string; closedDates: string[] },
): CalendarSpec {
  const p = doc.programs[entitlement];
  if (p.aroundTheClockCoverage)
    return { zone: base.zone, alwaysOpen: true, windows: [], closedDates: [...base.closedDates], label: '24/7' };
  const windows = p.coverageWindows ?? doc.defaultBusinessHours;
  return { zone: base.zone, windows: clone(windows), closedDates: [...base.closedDates], label: describeWindows(windows) };
}

/** The organisation's business calendar under `doc`: custom hours win, otherwise the document's default hours. */
export function businessCalendarUnder(
  doc: PolicyDocument,
  base: { zone: string; closedDates: string[] },
  customHours?: WeeklyWindow[] | null,
): CalendarSpec {
  const windows = customHours && customHours.length > 0 ? customHours : doc.defaultBusinessHours;
  return { zone: base.zone, windows: clone(windows), closedDates: [...base.closedDates], label: describeWindows(windows) };
}

/** The settings a case pins from its version. */
export function settingsUnder(doc: PolicyDocument): { warningThresholds: number[]; contactAttempts: number; contactAttemptTime: string } {
  return {
    warningThresholds: [...doc.warningThresholds],
    contactAttempts: doc.contactAttempts.count,
    contactAttemptTime: doc.contactAttempts.at,
  };
}

/** The complete settings a new case pins under `doc`: the version's, over the defaults for the rest. */
export function settingsFor(doc: PolicyDocument): CaseSettings {
  return { ...DEFAULT_SETTINGS, ...settingsUnder(doc) };
}

/**
 * The pinned policy a case runs under: its own, or version 1's for cases opened before versions were data.
 * The one accessor for "what does this case's policy say" (targets, around-the-clock levels, the SAM rule).
 */
export function policyOf(input: { entitlement: EntitlementId; policy?: PinnedPolicy }): Required<PinnedPolicy> {
  const v1 = ENTITLEMENTS[input.entitlement];
  return {
    targets: input.policy?.targets ?? (clone(v1.targets) as Record<LevelKey, Target>),
    aroundTheClockLevels: input.policy?.aroundTheClockLevels ?? [...v1.aroundTheClockLevels],
    supportAccountManager: input.policy?.supportAccountManager ?? v1.sam,
  };
}

/** Same windows, order-insensitive. */
export function sameWindows(a: readonly WeeklyWindow[], b: readonly WeeklyWindow[]): boolean {
  const key = (ws: readonly WeeklyWindow[]) =>
    ws
      .map((w) => `${w.day}/${w.open}/${w.close}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** Target of `level` for `entitlement` under a pinned policy, or the shipped constants when none is pinned. */
export function targetOf(entitlement: EntitlementId, level: Level, pinned?: PinnedPolicy): Target {
  return pinned ? pinned.targets[String(level) as LevelKey] : ENTITLEMENTS[entitlement].targets[level];
}

// ---- patches and diffs ------------------------------------------------------------------------------------

export type DeepPartial<T> = T extends unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** A patch merges objects key by key; arrays and scalars replace whole (a window list is one value). */
export function applyPatch(doc: PolicyDocument, patch: DeepPartial<PolicyDocument>): PolicyDocument {
  return merge(clone(doc), patch) as PolicyDocument;
}

function merge(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return base;
  if (
    patch === null ||
    typeof patch !== 'object' ||
    Array.isArray(patch) ||
    base === null ||
    typeof base !== 'object' ||
    Array.isArray(base)
  )
    return clone(patch);
  // A target is a tagged union: a patch that names a kind replaces the whole target.
  if ('kind' in (patch as object)) return clone(patch);
  const out = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) out[k] = merge(out[k], v);
  return out;
}

export interface PolicyChange {
  path: string; // e.g. 'programs.basic.coverageWindows'
  from: unknown;
  to: unknown;
}

/** Leaf-level differences (arrays and targets compared whole), in document order. */
export function diffPolicy(from: PolicyDocument, to: PolicyDocument): PolicyChange[] {
  const out: PolicyChange[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && !('kind' in (v as object));
    if (isObj(a) && isObj(b)) {
      const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
      for (const k of keys) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      return;
    }
    if (canonical(a) !== canonical(b)) out.push({ path, from: a ?? null, to: b ?? null });
  };
  walk(from, to, '');
  return out;
}

/** JSON with sorted keys: a document read back from jsonb has its keys in another order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/** Rules a schema cannot say: a program's level targets must be usable, windows must be well-formed. */
export function policyProblems(doc: PolicyDocument): Array<{ field: string; reason: string }> {
  const problems: Array<{ field: string; reason: string }> = [];
  const hhmm = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
  const checkWindows = (ws: WeeklyWindow[], field: string) => {
    ws.forEach((w, i) => {
      if (!hhmm.test(w.open) || !hhmm.test(w.close) || w.open >= w.close)
        problems.push({ field: `${field}.${i}`, reason: 'open and close are HH:mm with open < close' });
    });
  };
  for (const [id, p] of Object.entries(doc.programs)) {
    if (!p.aroundTheClockCoverage && p.coverageWindows) checkWindows(p.coverageWindows, `programs.${id}.coverageWindows`);
    // A calendar that is never open has no due instant at all: the engine would refuse every case opened under it.
    if (!p.aroundTheClockCoverage && p.coverageWindows?.length === 0)
      problems.push({ field: `programs.${id}.coverageWindows`, reason: 'needs at least one window (or null for the default hours)' });
    for (const level of LEVELS) {
      const t = p.targets[String(level) as LevelKey];
      if ((t.kind === 'wall' || t.kind === 'business') && !(t.ms > 0))
        problems.push({ field: `programs.${id}.targets.${level}`, reason: 'a timed target is longer than 0 ms' });
      if (t.kind === 'business_days' && !(t.days > 0))
        problems.push({ field: `programs.${id}.targets.${level}`, reason: 'business days is at least 1' });
    }
  }
  checkWindows(doc.defaultBusinessHours, 'defaultBusinessHours');
  if (doc.defaultBusinessHours.length === 0) problems.push({ field: 'defaultBusinessHours', reason: 'needs at least one window' });
  if (!hhmm.test(doc.contactAttempts.at)) problems.push({ field: 'contactAttempts.at', reason: 'HH:mm' });
  return problems;
}
