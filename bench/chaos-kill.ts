/**
 * Crash safety under SIGKILL (DESIGN.md section 6): "killing any process (API, worker, Temporal dev server,
 * database) at any moment loses no case, no timer, no audit event, and sends no notification twice".
 *
 * Brings up, on free loopback ports, a throwaway PostgreSQL, a Temporal dev server on a SQLite file, two
 * workers and the API as separate processes (the production topology), with the workers delivering
 * notifications to a signed webhook this script receives and mailing the people they reach through a real
 * SMTP server (Mailpit, its mailbox read back through its REST API). Then, for --seconds:
 *   - opens --cases cases through the API, each retried with the same Idempotency-Key and body until a 201;
 *   - starts Premier cases straight on Temporal with openedAt ~29 minutes back, so their warnings and
 *     first-response breaches fall due during the run;
 *   - SIGKILLs, at seeded random moments, the API, a worker, the Temporal dev server (restarted on the same
 *     SQLite file), PostgreSQL (restarted on the same data directory) and the SMTP server (restarted on the
 *     same mailbox), each back after a short pause; and once takes the SMTP server down for 30-60 s.
 * Finally waits until everything is healthy and every due timer has fired, verifies (bench/chaos/verify.ts)
 * and prints the numbers. Exits 1 on any loss or duplicate. Logs of every process stay in the run folder
 * when something failed.
 *
 *   npx tsx bench/chaos-kill.ts [--cases 80] [--direct 20] [--seconds 180] [--seed 1] [--topology dev|cluster]
 *
 * `--topology cluster` runs `npm run cluster`'s Temporal server on the run's PostgreSQL instead of the dev
 * server (bench/chaos/cluster.ts) and two API instances instead of one (each kill takes one of them down).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { caseIdForKey } from '../api/cases/idempotency';
import { openDatabase } from '../db/client';
import { organisations } from '../db/schema';
import { seedDemo } from '../runtime/demo-seed';
import { ensureTemporalCli } from '../runtime/temporal-toolchain';
import { SEARCH_ATTRIBUTE_TYPES } from '../workflows/search-attributes';
import { directCase, openThroughApi, startDirect, type ApiCase, type DirectCase } from './chaos/load';
import { OPENERS } from './demo-openers';
import { clusterTemporal } from './chaos/cluster';
import { freePort, GroupProcess, Postgres, ROOT, waitFor } from './chaos/processes';
import { percentile, seededRng, sleep } from './chaos/random';
import { mailpitServer, readMailbox } from './chaos/mailpit';
import { verify, type KillRecord } from './chaos/verify';
import { verifyMail } from './chaos/verify-mail';
import { startWebhookReceiver } from './chaos/webhook';
import { numberArg } from './args';
import { temporalServing } from '../runtime/cluster/temporal-server';

const CASES = numberArg('cases', 80);
const DIRECT = numberArg('direct', Math.max(5, Math.ceil(CASES / 4)));
const SECONDS = numberArg('seconds', 180);
const SEED = numberArg('seed', 1);
const TOPOLOGY = process.argv.includes('--topology') ? process.argv[process.argv.indexOf('--topology') + 1] : 'dev';
if (TOPOLOGY !== 'dev' && TOPOLOGY !== 'cluster') throw new Error('--topology is dev or cluster');
const API_CONCURRENCY = 6;
/** Seconds between one process being back and the next kill. */
const GAP = [3, 10] as const;
/** Seconds a killed process stays down before its restart. */
const PAUSE = [0.5, 3] as const;
/** Seconds of the one long SMTP outage, and when in the run (fraction of --seconds) it begins. */
const SMTP_OUTAGE = [30, 60] as const;
const SMTP_OUTAGE_AT = [0.2, 0.5] as const;
/** Upper bound on everything after the chaos window: retries finishing, timers firing, deliveries. */
const SETTLE_MS = 300_000;

const elapsed = (t0: number) => `t+${((Date.now() - t0) / 1000).toFixed(0).padStart(3)}s`;

async function main(): Promise<void> {
  const rng = seededRng(SEED);
  const runTag = `s${SEED}-${Date.now().toString(36)}`;
  const runDir = mkdtempSync(join(tmpdir(), 'caseflow-chaos-'));
  chmodSync(runDir, 0o755); // PostgreSQL runs as its own user below this folder
  mkdirSync(join(runDir, 'logs'));
  const [pgPort, temporalPort, uiPort, apiPort, webhookPort, api2Port, smtpPort, mailUiPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  console.log(
    `chaos run ${runTag} (${TOPOLOGY} topology): ${CASES} API cases + ${DIRECT} direct Premier cases over ${SECONDS} s, seed ${SEED}; folder ${runDir}`,
  );

  const pg = new Postgres(join(runDir, 'pg'), pgPort);
  const cluster = TOPOLOGY === 'cluster' ? await clusterTemporal(runDir, pgPort) : null;
  const temporalAddress = cluster?.address ?? `127.0.0.1:${temporalPort}`;
  const devServer = new GroupProcess({
    name: 'temporal',
    command: ensureTemporalCli(),
    args: [
      'server',
      'start-dev',
      '--db-filename',
      join(runDir, 'temporal.sqlite'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(temporalPort),
      '--ui-port',
      String(uiPort),
      '--headless',
      '--log-format',
      'json',
      '--log-level',
      'warn',
      ...Object.entries(SEARCH_ATTRIBUTE_TYPES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ],
    logFile: join(runDir, 'logs', 'temporal.log'),
    readyCheck: () => temporalServing(temporalAddress),
  });
  const temporal = cluster?.process ?? devServer;
  const secret = `chaos-${runTag}`;
  const receiver = await startWebhookReceiver(webhookPort, secret);
  const mail = await mailpitServer({ runDir, smtpPort, uiPort: mailUiPort });
  const env = {
    SMTP_URL: mail.smtpUrl,
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    NOTIFY_WEBHOOK_URL: receiver.url,
    NOTIFY_WEBHOOK_SECRET: secret,
  };
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const workers = [1, 2].map(
    (n) =>
      new GroupProcess({
        name: `worker-${n}`,
        command: tsx,
        args: ['scripts/worker.ts'],
        env: { ...env, LOG_LEVEL: 'info' },
        logFile: join(runDir, 'logs', `worker-${n}.log`),
        readyText: 'worker running',
      }),
  );
  const apiPorts = cluster ? [apiPort, api2Port] : [apiPort];
  const apiBases = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  const apis = apiPorts.map(
    (port, i) =>
      new GroupProcess({
        name: apiPorts.length > 1 ? `api-${i + 1}` : 'api',
        command: tsx,
        args: ['scripts/api.ts'],
        env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
        logFile: join(runDir, 'logs', apiPorts.length > 1 ? `api-${i + 1}.log` : 'api.log'),
        readyCheck: async () => (await fetch(`${apiBases[i]}/ready`, { signal: AbortSignal.timeout(3000) })).status === 200,
      }),
  );
  const services = [...apis, ...workers, temporal, pg, mail.process];
  const emergency = () => services.forEach((s) => s.killNow());
  process.once('exit', emergency);
  process.once('SIGINT', () => process.exit(130));

  let ok = false;
  const sql = postgres(pg.url, { max: 4, onnotice: () => undefined });
  let connection: Connection | undefined;
  try {
    // ---- bring-up ---------------------------------------------------------------------------------
    await pg.start();
    const setup = await openDatabase({ url: pg.url, maxConnections: 2 });
    const { tokens } = await seedDemo(setup.db);
    const [acme] = await setup.db.select().from(organisations).where(eq(organisations.id, 'acme-premier'));
    await setup.close();
    const tokenOf = Object.fromEntries(tokens.map((t) => [t.principalId, t.token]));
    await cluster?.prepare();
    await Promise.all([temporal.start(), mail.process.start()]);
    await cluster?.register();
    await Promise.all([...apis.map((a) => a.start()), ...workers.map((w) => w.start())]);
    connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection, namespace: 'default' });
    console.log('all services up; load and kills begin');

    // ---- load -------------------------------------------------------------------------------------
    const t0 = Date.now();
    const endAt = t0 + SECONDS * 1000;
    const giveUpAt = endAt + SETTLE_MS;
    const apiCases: ApiCase[] = Array.from({ length: CASES }, (_, i) => {
      const principalId = OPENERS[i % OPENERS.length]!.principalId;
      const key = `chaos-${runTag}-${i}`;
      return {
        key,
        principalId,
        title: `chaos ${runTag} api #${i}`,
        expectedId: caseIdForKey(principalId, key),
        id: null,
        attempts: 0,
        statuses: {},
        fatal: null,
      };
    });
    let nextApi = 0;
    const apiLoad = Promise.all(
      Array.from({ length: API_CONCURRENCY }, async () => {
        while (nextApi < CASES) {
          const i = nextApi++;
          await sleep(t0 + (i * 0.6 * SECONDS * 1000) / CASES - Date.now());
          await openThroughApi({ base: apiBases[i % apiBases.length]!, tokens: tokenOf, c: apiCases[i]!, index: i, giveUpAt });
        }
      }),
    );
    const directCases: DirectCase[] = [];
    const directLoad = (async () => {
      const starts: Promise<void>[] = [];
      for (let i = 0; i < DIRECT; i++) {
        await sleep(t0 + (i * 0.3 * SECONDS * 1000) / DIRECT - Date.now());
        const lo = 40_000;
        const hi = Math.max(lo + 10_000, 0.9 * SECONDS * 1000 - (Date.now() - t0));
        const c = directCase(runTag, i, Date.now(), rng.between(lo, hi));
        directCases.push(c);
        starts.push(startDirect({ client, org: acme!, c, rng, giveUpAt }));
      }
      await Promise.all(starts);
    })();

    // ---- chaos ------------------------------------------------------------------------------------
    const kills: KillRecord[] = [];
    // The long SMTP outage runs beside the rotation, which leaves the SMTP server alone meanwhile.
    let smtpOut = false;
    const outageAt = t0 + rng.between(SMTP_OUTAGE_AT[0], SMTP_OUTAGE_AT[1]) * SECONDS * 1000;
    const outageFor = rng.between(SMTP_OUTAGE[0], SMTP_OUTAGE[1]) * 1000;
    const smtpOutage = (async () => {
      await sleep(outageAt - Date.now());
      while (smtpOut) await sleep(100); // a rotation kill of the SMTP server is in progress
      smtpOut = true;
      const killedAt = Date.now();
      await mail.process.kill();
      console.log(`${elapsed(t0)}  SIGKILL smtp     outage of ${(outageFor / 1000).toFixed(0)} s begins`);
      await sleep(outageFor);
      await mail.process.start();
      const upAt = Date.now();
      kills.push({ target: 'smtp', name: 'smtp', killedAt, upAt, outage: true });
      console.log(`${elapsed(t0)}  smtp outage over: back (ready) after ${((upAt - killedAt) / 1000).toFixed(1)} s`);
      smtpOut = false;
    })();
    let plan: KillRecord['target'][] = [];
    while (Date.now() < endAt) {
      await sleep(Math.min(rng.between(GAP[0], GAP[1]) * 1000, endAt - Date.now()));
      if (Date.now() >= endAt) break;
      if (plan.length === 0) plan = rng.shuffle(['api', 'worker', 'temporal', 'postgres', 'smtp'] as const);
      const target = plan.shift()!;
      if (target === 'smtp' && smtpOut) continue; // already down for the long outage
      if (target === 'smtp') smtpOut = true;
      const victim =
        target === 'api'
          ? rng.pick(apis)
          : target === 'worker'
            ? rng.pick(workers)
            : target === 'temporal'
              ? temporal
              : target === 'smtp'
                ? mail.process
                : pg;
      const killedAt = Date.now();
      await victim.kill();
      await sleep(rng.between(PAUSE[0], PAUSE[1]) * 1000);
      await victim.start();
      const upAt = Date.now();
      kills.push({ target, name: victim.name, killedAt, upAt });
      if (target === 'smtp') smtpOut = false;
      console.log(`${elapsed(t0)}  SIGKILL ${victim.name.padEnd(8)} back (ready) after ${((upAt - killedAt) / 1000).toFixed(1)} s`);
    }
    console.log(`${elapsed(t0)}  chaos over; waiting for retries, due timers and deliveries`);

    // ---- settle -----------------------------------------------------------------------------------
    await Promise.all([apiLoad, directLoad, smtpOutage]);
    console.log(`${elapsed(t0)}  every request answered or given up`);
    const lastDue = Math.max(0, ...directCases.map((c) => c.dueAt));
    await sleep(lastDue + 1000 - Date.now());
    const directIds = directCases.map((c) => c.caseId);
    await waitFor(
      'due breaches',
      async () => {
        const [r] = await sql<{ n: number }[]>`select count(distinct case_id)::int as n from case_events
          where type = 'sla_breach' and case_id in ${sql(directIds)}`;
        return r!.n >= directIds.length;
      },
      Math.max(0, giveUpAt - Date.now()),
      1000,
    ).catch((err) => console.log(`  ${(err as Error).message}`));
    console.log(`${elapsed(t0)}  every due breach recorded; waiting for the outbox to drain`);
    await waitFor(
      'outbox delivery',
      async () => {
        const rows = await sql<{ dedupe_key: string; delivered_at: Date | null }[]>`select dedupe_key, delivered_at from notifications`;
        return rows.every((r) => r.delivered_at && receiver.receipts.has(r.dedupe_key));
      },
      Math.max(0, giveUpAt - Date.now()),
      1000,
    ).catch((err) => console.log(`  ${(err as Error).message}`));
    console.log(`${elapsed(t0)}  settled; verifying`);

    // ---- verdict ----------------------------------------------------------------------------------
    const verdict = await verify({ sql, client, apiCases, directCases, receiver, kills });
    const mailVerdict = await verifyMail({ sql, mailbox: await readMailbox(mail.apiBase), kills, directCases });
    verdict.lines.push(...mailVerdict.lines);
    verdict.failures.push(...mailVerdict.failures);
    console.log('\n== kills');
    for (const target of ['api', 'worker', 'temporal', 'postgres', 'smtp'] as const) {
      const mine = kills.filter((k) => k.target === target && !k.outage);
      const down = mine.map((k) => k.upAt - k.killedAt).sort((a, b) => a - b);
      console.log(
        `  ${target.padEnd(9)} ${String(mine.length).padStart(2)} kills; down until ready: p50 ${(percentile(down, 50) / 1000).toFixed(1)} s, max ${((down.at(-1) ?? NaN) / 1000).toFixed(1)} s`,
      );
    }
    for (const k of kills.filter((k) => k.outage)) console.log(`  smtp outage: down ${((k.upAt - k.killedAt) / 1000).toFixed(1)} s`);
    const unasked = services.filter((s) => s.unexpectedExits > 0).map((s) => `${s.name} ${s.unexpectedExits}`);
    console.log(`  processes that died without being killed (restarted): ${unasked.length ? unasked.join(', ') : 'none'}`);
    const statuses = new Map<string, number>();
    for (const c of apiCases) for (const [s, n] of Object.entries(c.statuses)) statuses.set(s, (statuses.get(s) ?? 0) + n);
    const attempts = apiCases.map((c) => c.attempts).sort((a, b) => a - b);
    console.log('\n== load');
    console.log(
      `  API: ${apiCases.reduce((n, c) => n + c.attempts, 0)} requests for ${CASES} cases (attempts per case p50 ${percentile(attempts, 50)}, max ${attempts.at(-1)}); ` +
        `answers: ${[...statuses]
          .sort()
          .map(([s, n]) => `${s} ${n}`)
          .join(', ')}`,
    );
    const directErrors = new Map<string, number>();
    for (const c of directCases) for (const [e, n] of Object.entries(c.errors)) directErrors.set(e, (directErrors.get(e) ?? 0) + n);
    console.log(
      `  direct: ${directCases.reduce((n, c) => n + c.attempts, 0)} update-with-start calls for ${DIRECT} cases; ` +
        `errors retried: ${[...directErrors].map(([e, n]) => `${e} ${n}`).join(', ') || 'none'}`,
    );
    console.log('\n== verification');
    for (const line of verdict.lines) console.log(`  ${line}`);
    console.log(
      `  load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${availableParallelism()} cores`,
    );
    if (verdict.failures.length > 0) {
      console.log('\nFAILED:');
      for (const f of verdict.failures) console.log(`  - ${f}`);
    } else {
      console.log('\nOK: no case, timer, audit event, notification or mail lost or duplicated');
    }
    ok = verdict.failures.length === 0;
  } finally {
    await Promise.all(apis.map((a) => a.stop().catch(() => undefined)));
    await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
    await connection?.close().catch(() => undefined);
    await temporal.stop().catch(() => undefined);
    await sql.end({ timeout: 2 }).catch(() => undefined);
    await pg.stop().catch(() => undefined);
    await mail.process.stop().catch(() => undefined);
    await receiver.close();
    process.off('exit', emergency);
    if (ok) rmSync(runDir, { recursive: true, force: true });
    else console.log(`logs and data kept in ${runDir}`);
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
