/**
 * Open rate on the cluster (`npm run cluster` running; same DATA_DIR / CLUSTER_PORT_OFFSET): Caseflow cases
 * against the floor measured in the same run on the same Temporal server. The floor is a bare workflow whose
 * update-with-start runs one local activity (bench/cluster-floor-workflow.ts, a worker in this process);
 * cases are opened (a) with the API's exact update-with-start straight on Temporal, served by the cluster's
 * two workers, and (b) end to end through both API instances (POST /v1/cases, alternating). Rounds
 * alternate floor / direct / API so a shared machine's load drift hits all three alike. Then one history of
 * each kind is dissected: what a case open costs the server that the floor does not.
 *
 *   RATE_LIMIT_PER_MINUTE=1000000 npm run cluster        # the API path opens thousands per minute per token
 *   npx tsx bench/cluster-open-rate.ts [--cases 300] [--concurrency 32] [--rounds 2]
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { caseWorkflowId } from '../contract/case';
import { openDatabase } from '../db/client';
import { organisations } from '../db/schema';
import { startPremierCase } from '../test/helpers/direct-case';
import { clusterTarget, percentile, runConcurrent, temporalClient } from './cluster-common';
import { numberArg } from './args';
import * as floorActivities from './cluster-floor-activities';
import { floorOpened } from './cluster-floor-workflow';
import { demoCaseBody, OPENERS } from './demo-openers';

const CASES = numberArg('cases', 300);
const CONCURRENCY = numberArg('concurrency', 32);
const ROUNDS = numberArg('rounds', 2);
const FLOOR_QUEUE = `bench-floor-${Date.now().toString(36)}`;

async function main(): Promise<void> {
  const target = clusterTarget();
  const { client, close } = await temporalClient(target.temporalAddress);
  const database = await openDatabase({ url: target.databaseUrl, maxConnections: 2, migrate: false });
  const [acme] = await database.db.select().from(organisations).where(eq(organisations.id, 'acme-premier'));
  await database.close();

  const native = await NativeConnection.connect({ address: target.temporalAddress });
  const worker = await Worker.create({
    connection: native,
    taskQueue: FLOOR_QUEUE,
    workflowsPath: require.resolve('./cluster-floor-workflow'),
    activities: floorActivities,
  });
  const running = worker.run();
  const floorIds: string[] = [];

  const floor = (i: number) => {
    const id = `floor-${FLOOR_QUEUE}-${i}`;
    floorIds.push(id);
    return client.workflow
      .executeUpdateWithStart(floorOpened, {
        args: [id],
        startWorkflowOperation: new WithStartWorkflowOperation('floorWorkflow', {
          workflowId: id,
          taskQueue: FLOOR_QUEUE,
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      })
      .then(() => undefined);
  };
  let sampleCase = '';
  const direct = () => {
    const id = randomUUID();
    sampleCase = id;
    return startPremierCase(client, acme!, id);
  };
  let apiFailures = 0;
  const viaApi = async (i: number) => {
    const o = OPENERS[i % OPENERS.length]!;
    const res = await fetch(`${target.apis[i % target.apis.length]}/v1/cases`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${target.tokens[o.principalId]}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
      },
      body: demoCaseBody(o, `Cluster bench ${i}`),
    });
    await res.text();
    if (res.status !== 201) apiFailures++;
  };

  const kinds = { floor, direct, api: viaApi } as const;
  const results: Record<keyof typeof kinds, { n: number; seconds: number; latencies: number[] }> = {
    floor: { n: 0, seconds: 0, latencies: [] },
    direct: { n: 0, seconds: 0, latencies: [] },
    api: { n: 0, seconds: 0, latencies: [] },
  };
  // Warm-up: the workers' caches, bundles and connection pools, the server's shards.
  for (const task of Object.values(kinds)) await runConcurrent(Math.min(50, CASES), CONCURRENCY, (i) => task(1_000_000 + i));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, task] of Object.entries(kinds) as Array<[keyof typeof kinds, (i: number) => Promise<void>]>) {
      const run = await runConcurrent(CASES, CONCURRENCY, (i) => task(r * CASES + i));
      const res = results[name];
      res.n += CASES;
      res.seconds += run.seconds;
      res.latencies.push(...run.latencies);
      console.log(`  round ${r + 1} ${name.padEnd(6)} ${(CASES / run.seconds).toFixed(1)}/s`);
    }
  }

  const rate = (k: keyof typeof kinds) => results[k].n / results[k].seconds;
  const line = (k: keyof typeof kinds, label: string) => {
    const l = results[k].latencies.sort((a, b) => a - b);
    return `  ${label.padEnd(34)} ${rate(k).toFixed(1).padStart(6)}/s   ratio ${(rate(k) / rate('floor')).toFixed(2)}   latency p50 ${percentile(l, 50).toFixed(0)} ms  p99 ${percentile(l, 99).toFixed(0)} ms`;
  };
  console.log(
    [
      '',
      `Open rate on the cluster (${target.temporalAddress}), ${ROUNDS} x ${CASES} per kind, concurrency ${CONCURRENCY}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
      line('floor', 'floor (update-with-start + 1 LA)'),
      line('direct', 'case, update-with-start on Temporal'),
      line('api', 'case, POST /v1/cases via 2 APIs'),
      `  API failures ${apiFailures}`,
    ].join('\n'),
  );

  // Where the time goes: one history of each kind.
  const profile = async (workflowId: string) => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const counts: Record<string, number> = {};
    for (const e of history.events ?? []) {
      const type = (temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? String(e.eventType)).replace('EVENT_TYPE_', '').toLowerCase();
      counts[type] = (counts[type] ?? 0) + 1;
    }
    return { events: history.events?.length ?? 0, counts };
  };
  console.log(`  history of a floor open: ${JSON.stringify(await profile(floorIds[0]!))}`);
  console.log(`  history of a case open:  ${JSON.stringify(await profile(caseWorkflowId(sampleCase)))}`);

  // The floor workflows would stay open forever: end them.
  await runConcurrent(floorIds.length, 16, (i) =>
    client.workflow
      .getHandle(floorIds[i]!)
      .terminate('bench done')
      .then(
        () => undefined,
        () => undefined,
      ),
  );
  worker.shutdown();
  await running;
  await native.close();
  await close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
