/**
 * Breach and warning lateness among many open cases on the cluster (`npm run cluster` running; same DATA_DIR /
 * CLUSTER_PORT_OFFSET), plus what each open case costs: worker memory per cached case and PostgreSQL bytes.
 *
 *   1. opens --background idle Premier cases (their timers fall due in 30 minutes, after the run), measuring
 *      the two workers' resident memory and sticky-cache size (their Prometheus endpoints) and the three
 *      databases' sizes before and after;
 *   2. opens --probes cases whose first-response breach falls due spread over --window seconds a little
 *      later, each with a warning 36 s before its breach (threshold 0.98 of the 30-minute target);
 *   3. optionally keeps opening cases at --open-rate per second while the probes fall due;
 *   4. reads each breach and warning from the read model: lateness = recorded_at - due instant.
 * Open cases accumulate across runs (the cluster keeps its data), so repeated runs measure a growing cluster.
 *
 *   npx tsx bench/cluster-lateness.ts [--background 2000] [--probes 300] [--window 120] [--open-rate 0] [--concurrency 32]
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase } from '../db/client';
import { organisations } from '../db/schema';
import { TEMPORAL_DATABASES } from '../runtime/cluster/temporal-schema';
import { startPremierCase } from '../test/helpers/direct-case';
import { clusterTarget, percentile, rssOf, runConcurrent, temporalClient } from './cluster-common';
import { numberArg } from './args';

const BACKGROUND = numberArg('background', 2000);
const PROBES = numberArg('probes', 300);
const WINDOW_S = numberArg('window', 120);
const OPEN_RATE = numberArg('open-rate', 0);
const CONCURRENCY = numberArg('concurrency', 32);
const WARNING = 0.98;
const WARNING_LEAD_MS = (1 - WARNING) * 30 * 60_000;

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `n ${s.length}  p50 ${percentile(s, 50).toFixed(0)} ms  p95 ${percentile(s, 95).toFixed(0)} ms  p99 ${percentile(s, 99).toFixed(0)} ms  max ${(s.at(-1) ?? NaN).toFixed(0)} ms`;
};

async function main(): Promise<void> {
  const target = clusterTarget();
  const { client, close } = await temporalClient(target.temporalAddress);
  const database = await openDatabase({ url: target.databaseUrl, maxConnections: 2, migrate: false });
  const [acme] = await database.db.select().from(organisations).where(eq(organisations.id, 'acme-premier'));
  await database.close();
  const sql = postgres(`${target.serverUrl}/postgres`, { max: 2, onnotice: () => undefined });
  const app = postgres(target.databaseUrl, { max: 2, onnotice: () => undefined });

  const dbSizes = async () => {
    const names = [TEMPORAL_DATABASES.history, TEMPORAL_DATABASES.visibility, 'caseflow'];
    const rows = await sql<
      { datname: string; bytes: string }[]
    >`select datname, pg_database_size(datname)::text as bytes from pg_database where datname in ${sql(names)}`;
    return Object.fromEntries(rows.map((r) => [r.datname, Number(r.bytes)]));
  };
  const workerState = async () => {
    const pids = workerPids(target.dataDir);
    const cache = await Promise.all(target.ports.workerMetrics.map((p) => stickyCacheSize(p)));
    return { rss: pids.reduce((n, pid) => n + rssOf(pid), 0), cached: cache.reduce((n, c) => n + c, 0), workers: pids.length };
  };
  const openCount = async () => (await app<{ n: number }[]>`select count(*)::int as n from cases where status <> 'closed'`)[0]!.n;

  // ---- 1. background ------------------------------------------------------------------------------
  const sizes0 = await dbSizes();
  const workers0 = await workerState();
  const bg = await runConcurrent(BACKGROUND, CONCURRENCY, () =>
    startPremierCase(client, acme!, randomUUID(), { warningThresholds: [0.99] }),
  );
  // Without background cases, the probes' opening time is estimated at 5 per second.
  const openRate = BACKGROUND > 0 ? BACKGROUND / bg.seconds : 5;
  await sql`checkpoint`;
  const sizes1 = await dbSizes();
  const workers1 = await workerState();
  const open = await openCount();
  const lines = [
    `Cluster (${target.temporalAddress}): ${open} open cases after opening ${BACKGROUND} idle ones at ${openRate.toFixed(1)}/s; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
    `  PostgreSQL bytes per opened case: ` +
      Object.keys(sizes1)
        .map((k) => `${k} ${((sizes1[k]! - sizes0[k]!) / BACKGROUND).toFixed(0)}`)
        .join(', ') +
      ` (total ${((Object.values(sizes1).reduce((a, b) => a + b, 0) - Object.values(sizes0).reduce((a, b) => a + b, 0)) / BACKGROUND).toFixed(0)} B; databases now ${Object.entries(
        sizes1,
      )
        .map(([k, v]) => `${k} ${mb(v)}`)
        .join(', ')})`,
    `  workers (${workers1.workers}): rss ${mb(workers0.rss)} -> ${mb(workers1.rss)}, sticky cache ${workers0.cached} -> ${workers1.cached} workflows` +
      (workers1.cached > workers0.cached
        ? `: ${((workers1.rss - workers0.rss) / (workers1.cached - workers0.cached) / 1024).toFixed(0)} KB per cached case`
        : ''),
  ];
  console.log((BACKGROUND > 0 ? lines : lines.slice(0, 1)).join('\n'));

  // ---- 2./3. probes and optional concurrent opening -------------------------------------------------
  const lead = Math.ceil(PROBES / Math.max(1, openRate)) * 1000 + WARNING_LEAD_MS + 15_000;
  const t0 = Date.now() + lead;
  const probes = Array.from({ length: PROBES }, (_, i) => ({ id: randomUUID(), dueAt: Math.round(t0 + (i * WINDOW_S * 1000) / PROBES) }));
  await runConcurrent(PROBES, CONCURRENCY, (i) =>
    startPremierCase(client, acme!, probes[i]!.id, { dueAt: probes[i]!.dueAt, warningThresholds: [WARNING] }),
  );
  const firstWarning = t0 - WARNING_LEAD_MS;
  if (Date.now() > firstWarning)
    console.log(`  (probes opened late: the first warnings fell due ${Date.now() - firstWarning} ms before all probes were open)`);
  let opened = 0;
  const endAt = t0 + WINDOW_S * 1000;
  const extra = (async () => {
    if (OPEN_RATE <= 0) return;
    await new Promise((r) => setTimeout(r, Math.max(0, firstWarning - Date.now())));
    const started = Date.now();
    const inFlight: Promise<void>[] = [];
    while (Date.now() < endAt) {
      const due = started + (opened / OPEN_RATE) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      opened++;
      inFlight.push(startPremierCase(client, acme!, randomUUID(), { warningThresholds: [0.99] }));
    }
    await Promise.all(inFlight);
  })();
  await new Promise((r) => setTimeout(r, Math.max(0, endAt + 20_000 - Date.now())));
  await extra;

  // ---- 4. lateness ------------------------------------------------------------------------------------
  const ids = probes.map((p) => p.id);
  const events = await app<{ type: string; scheduled_for: string; occurred_at: Date; recorded_at: Date }[]>`
    select type, data->>'scheduledFor' as scheduled_for, occurred_at, recorded_at from case_events
    where type in ('sla_breach', 'sla_warning') and case_id in ${app(ids)}`;
  const late = (type: string, column: 'recorded_at' | 'occurred_at') =>
    events.filter((e) => e.type === type).map((e) => e[column].getTime() - Date.parse(e.scheduled_for));
  console.log(
    [
      `Lateness of ${PROBES} probes' breaches and warnings over ${WINDOW_S} s among ${open}+ open cases` +
        (OPEN_RATE > 0 ? `, while opening ${opened} more at ${OPEN_RATE}/s` : '') +
        ` (expected ${PROBES} each):`,
      `  sla_warning recorded: ${stats(late('sla_warning', 'recorded_at'))}`,
      `  sla_breach  recorded: ${stats(late('sla_breach', 'recorded_at'))}`,
      `  both, workflow time:  ${stats([...late('sla_warning', 'occurred_at'), ...late('sla_breach', 'occurred_at')])}`,
      `  both, recorded:       ${stats([...late('sla_warning', 'recorded_at'), ...late('sla_breach', 'recorded_at')])}`,
    ].join('\n'),
  );
  await sql.end();
  await app.end();
  await close();
}

/** The cluster's worker processes: their environment names the cluster's workflow bundle. */
function workerPids(dataDir: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmd.includes('scripts/worker.ts') && cmd.includes('--import') && env.includes(`${dataDir}/workflow-bundle.js`))
        pids.push(Number(pid));
    } catch {
      // gone
    }
  }
  return pids;
}

async function stickyCacheSize(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('temporal_sticky_cache_size'));
  return Number(line?.split(' ').at(-1) ?? 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
