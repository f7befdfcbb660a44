/**
 * Deadline throughput of the policy engine on random inputs, one core.
 *   npx tsx bench/policy-deadlines.ts [iterations]
 * Prints computeDeadline() per second (with the customer explanation) for calendars pinned in workflow
 * state (same object reused) and for calendars arriving fresh from JSON (API previews), then the cost
 * growth of addBusinessTime from 24 business hours to 30 business days.
 */
import { performance } from 'node:perf_hooks';
import type { CalendarSpec, EntitlementId, Level } from '../policy/types';
import { ENTITLEMENTS, addBusinessTime, computeDeadline, coverageCalendar, businessCalendar } from '../policy';
import { resolveClosedDates } from '../policy/holidays';

const ITERATIONS = Number(process.argv[2] ?? 300_000);
const HOUR = 3_600_000;

/** Deterministic PRNG (mulberry32) so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const ORGS = [
  { zone: 'Europe/Berlin', country: 'DE', subdivision: 'BY' },
  { zone: 'Europe/London', country: 'GB', subdivision: 'ENG' },
  { zone: 'America/New_York', country: 'US', subdivision: 'NY' },
  { zone: 'America/Los_Angeles', country: 'US', subdivision: 'CA' },
  { zone: 'America/Santiago', country: 'CL' },
  { zone: 'America/Sao_Paulo', country: 'BR' },
  { zone: 'Australia/Sydney', country: 'AU', subdivision: 'NSW' },
  { zone: 'Australia/Adelaide', country: 'AU', subdivision: 'SA' },
  { zone: 'Asia/Kolkata', country: 'IN' },
  { zone: 'Asia/Kathmandu' }, // not in the holiday library: no public holidays
  { zone: 'Asia/Tokyo', country: 'JP' },
  { zone: 'Pacific/Auckland', country: 'NZ' },
].map((o: { zone: string; country?: string; subdivision?: string }) => ({
  zone: o.zone,
  closedDates: o.country ? resolveClosedDates({ country: o.country, subdivision: o.subdivision, fromYear: 2025, toYear: 2028 }) : [],
}));

const ENTITLEMENT_IDS = Object.keys(ENTITLEMENTS) as EntitlementId[];
const LEVELS: Level[] = [1, 2, 3, 4];
const FROM = Date.UTC(2025, 0, 1);
const SPAN = Date.UTC(2027, 11, 31) - FROM;

interface Input {
  openedAt: number;
  entitlement: EntitlementId;
  level: Level;
  coverage: CalendarSpec;
}

// Calendars pinned per organisation and program, as a case workflow holds them.
const pinned = new Map<string, CalendarSpec>();
for (const [i, org] of ORGS.entries()) for (const e of ENTITLEMENT_IDS) pinned.set(`${i}/${e}`, coverageCalendar(e, org));

function inputs(n: number): Input[] {
  return Array.from({ length: n }, () => {
    const org = Math.floor(random() * ORGS.length);
    const entitlement = pick(ENTITLEMENT_IDS);
    return {
      openedAt: FROM + Math.floor((random() * SPAN) / 60_000) * 60_000,
      entitlement,
      level: pick(LEVELS),
      coverage: pinned.get(`${org}/${entitlement}`)!,
    };
  });
}

/**
 * Rate per wall-clock second and per CPU second of this (single-threaded) process: on a shared machine the
 * CPU figure is the one-core throughput, the wall figure what this run happened to get.
 */
function rate(label: string, n: number, run: () => number): number {
  run(); // warm-up (JIT, zone tables)
  const cpu = process.cpuUsage();
  const start = performance.now();
  const checksum = run();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const perCpuSecond = n / cpuSeconds;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(11);
  console.log(
    `${label.padEnd(62)} ${fmt(perCpuSecond)} /cpu-s ${fmt(n / seconds)} /wall-s  ${((cpuSeconds / n) * 1e6).toFixed(2).padStart(6)} us/op  (checksum ${checksum % 9973})`,
  );
  return perCpuSecond;
}

const data = inputs(ITERATIONS);
console.log(
  `policy deadline benchmark: ${ITERATIONS.toLocaleString('en-US')} random inputs, ${ORGS.length} zones with holidays, ${ENTITLEMENT_IDS.length} entitlements x 4 levels, node ${process.version}`,
);

rate('computeDeadline, pinned calendars (workflow)', data.length, () => {
  let sum = 0;
  for (const x of data) {
    const d = computeDeadline({
      openedAt: x.openedAt,
      entitlement: x.entitlement,
      level: x.level,
      caseType: 'technical',
      coverage: x.coverage,
    });
    sum += d.kind === 'due' ? (d.dueAt % 1000) + d.explanation.length : 1;
  }
  return sum;
});

const fresh = data.slice(0, Math.min(50_000, data.length)).map((x) => ({ ...x, json: JSON.stringify(x.coverage) }));
rate('computeDeadline, calendar parsed from JSON per call (API)', fresh.length, () => {
  let sum = 0;
  for (const x of fresh) {
    const d = computeDeadline({
      openedAt: x.openedAt,
      entitlement: x.entitlement,
      level: x.level,
      caseType: 'technical',
      coverage: JSON.parse(x.json),
    });
    sum += d.kind === 'due' ? d.dueAt % 1000 : 1;
  }
  return sum;
});

console.log('\ncost growth of addBusinessTime (random start instants, holidays included):');
const starts = data.map((x) => x.openedAt);
for (const [name, cal] of [
  ['Mon-Fri 08:00-17:00 Europe/Berlin', businessCalendar(ORGS[0]!)],
  ['Mon-Fri 08:00-20:00 Australia/Sydney', coverageCalendar('basic', ORGS[6]!)],
] as const) {
  const short = rate(`  ${name}: 24 business hours`, starts.length, () => {
    let sum = 0;
    for (const t of starts) sum += (addBusinessTime(cal, t, 24 * HOUR) / 60_000) % 1000;
    return sum;
  });
  const long = rate(`  ${name}: 30 business days (270 h)`, starts.length, () => {
    let sum = 0;
    for (const t of starts) sum += (addBusinessTime(cal, t, 270 * HOUR) / 60_000) % 1000;
    return sum;
  });
  console.log(
    `  -> 30 business days cost ${(short / long).toFixed(1)}x 24 business hours (the walk visits ~${Math.round(((270 / 24) * (name.includes('20:00') ? 24 / 12 : 24 / 9) * 7) / 5)} vs ~${Math.round(((name.includes('20:00') ? 2 : 3) * 7) / 5)} days)`,
  );
}
