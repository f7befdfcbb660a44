/**
 * The open-rate ratios on `npm start`'s topology (issue 21 item 6): one process hosts a Temporal dev server
 * (a child process), the case worker, the API and the database (PGlite in memory, or PostgreSQL with
 * DATABASE_URL), plus a worker for the floor. Three kinds of open, in rounds that alternate in the same
 * process lifetime, so a shared machine's drift hits all three alike:
 *
 *   floor   the least a Temporal workflow can do to "open" something: an update-with-start whose update runs
 *           one local activity and answers (bench/cluster-floor-workflow.ts, registered here on a task queue
 *           of its own, with its own worker in this process);
 *   direct  a case opened straight on Temporal, the API's exact update-with-start (test/helpers/direct-case.ts);
 *   api     POST /v1/cases end to end (HTTP, auth, validation, idempotency, update-with-start, 201).
 *
 * Each round prints the three rates, the two ratios (direct / floor, api / floor) and the load average;
 * the end prints the median ratio over the rounds.
 *
 *   npx tsx bench/open-ratio.ts [--cases 300] [--concurrency 32] [--rounds 5]
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { createApp } from '../api/app';
import { organisations } from '../db/schema';
import { seedDemo } from '../runtime/demo-seed';
import { createTestDatabase } from '../test/helpers/db';
import { startPremierCase } from '../test/helpers/direct-case';
import { createDevServerEnv } from '../test/helpers/temporal';
import { createCaseWorker } from '../worker/create-worker';
import { numberArg } from './args';
import * as floorActivities from './cluster-floor-activities';
import { floorOpened } from './cluster-floor-workflow';
import { percentile, runConcurrent } from './cluster-common';
import { demoCaseBody, OPENERS } from './demo-openers';

const CASES = numberArg('cases', 300);
const CONCURRENCY = numberArg('concurrency', 32);
const ROUNDS = numberArg('rounds', 5);
const FLOOR_QUEUE = `bench-floor-${Date.now().toString(36)}`;

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const { tokens } = await seedDemo(database.db);
  const tokenOf = Object.fromEntries(tokens.map((t) => [t.principalId, t.token]));
  const [acme] = await database.db.select().from(organisations).where(eq(organisations.id, 'acme-premier'));
  const env = await createDevServerEnv();
  const client = env.client;

  const caseWorker = await createCaseWorker({ connection: env.nativeConnection, database, notifier: null, mailer: null });
  const floorWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: FLOOR_QUEUE,
    workflowsPath: require.resolve('./cluster-floor-workflow'),
    activities: floorActivities,
  });
  const running = [caseWorker.run(), floorWorker.run()];
  const app = createApp({ database, temporal: client, logger: pino({ level: 'warn' }), rateLimitPerMinute: 1_000_000_000 });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const floorIds: string[] = [];
  const floor = async (i: number) => {
    const id = `floor-${FLOOR_QUEUE}-${i}`;
    floorIds.push(id);
    await client.workflow.executeUpdateWithStart(floorOpened, {
      args: [id],
      startWorkflowOperation: new WithStartWorkflowOperation('floorWorkflow', {
        workflowId: id,
        taskQueue: FLOOR_QUEUE,
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  };
  const direct = () => startPremierCase(client, acme!, randomUUID());
  let apiFailures = 0;
  const api = async (i: number) => {
    const o = OPENERS[i % OPENERS.length]!;
    const res = await fetch(`${base}/v1/cases`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokenOf[o.principalId]}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: demoCaseBody(o, `Open-ratio bench ${i}`),
    });
    await res.text();
    if (res.status !== 201) apiFailures++;
  };
  const kinds = { floor, direct, api } as const;
  type Kind = keyof typeof kinds;

  console.log(
    `open-ratio: dev server, ${database.kind}, case worker + floor worker + API in this process; ${ROUNDS} rounds x ${CASES} per kind, ` +
      `concurrency ${CONCURRENCY}; ${cpus()[0]?.model ?? 'cpu'} x ${availableParallelism()}; load average ${load()}`,
  );
  // Warm-up: bundles, caches, connection pools, the server's first workflows.
  for (const task of Object.values(kinds)) await runConcurrent(Math.min(50, CASES), CONCURRENCY, (i) => task(1_000_000 + i));

  const ratios = { direct: [] as number[], api: [] as number[] };
  const latencies: Record<Kind, number[]> = { floor: [], direct: [], api: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const rate = {} as Record<Kind, number>;
    // The order rotates from round to round, so no kind always runs first (on a fresh machine) or last.
    const order = (Object.keys(kinds) as Kind[]).map((_, k, all) => all[(k + r) % all.length]!);
    for (const name of order) {
      const run = await runConcurrent(CASES, CONCURRENCY, (i) => kinds[name](r * CASES + i));
      rate[name] = CASES / run.seconds;
      latencies[name].push(...run.latencies);
    }
    ratios.direct.push(rate.direct / rate.floor);
    ratios.api.push(rate.api / rate.floor);
    console.log(
      `  round ${r + 1}: floor ${rate.floor.toFixed(1)}/s, direct ${rate.direct.toFixed(1)}/s (ratio ${(rate.direct / rate.floor).toFixed(2)}), ` +
        `api ${rate.api.toFixed(1)}/s (ratio ${(rate.api / rate.floor).toFixed(2)}); load average ${load()}`,
    );
  }
  const lat = (k: Kind) => {
    const l = latencies[k].sort((a, b) => a - b);
    return `p50 ${percentile(l, 50).toFixed(0)} ms, p99 ${percentile(l, 99).toFixed(0)} ms`;
  };
  console.log(
    [
      `median ratio over ${ROUNDS} rounds: direct / floor ${median(ratios.direct).toFixed(2)} (rounds ${ratios.direct.map((x) => x.toFixed(2)).join(' ')}), ` +
        `api / floor ${median(ratios.api).toFixed(2)} (rounds ${ratios.api.map((x) => x.toFixed(2)).join(' ')})`,
      `latency: floor ${lat('floor')}; direct ${lat('direct')}; api ${lat('api')}`,
      `API failures ${apiFailures}; load average ${load()} on ${availableParallelism()} cores`,
    ].join('\n'),
  );

  // The floor workflows would wait forever: end them, then everything else.
  await runConcurrent(floorIds.length, 16, (i) =>
    client.workflow
      .getHandle(floorIds[i]!)
      .terminate('bench done')
      .then(
        () => undefined,
        () => undefined,
      ),
  );
  server.close();
  caseWorker.shutdown();
  floorWorker.shutdown();
  await Promise.all(running);
  await env.teardown();
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
