/**
 * What one cached case costs a worker (issue 21 item 3). The worker runs in a child process of its own (as
 * in production: no API, no client, no database server in it), against a Temporal dev server and a
 * throwaway PostgreSQL (Debian's, via .ci/postgres.sh), with a sticky cache larger than the cases opened.
 * The parent opens N Premier cases straight on Temporal (the API's update-with-start,
 * test/helpers/direct-case.ts), waits until the worker is quiet, and reads the child's memory before and
 * after: RSS from /proc as the cluster note measured it (no collection forced: an upper bound), then RSS and
 * V8 heap after two forced collections; per cached case = growth / cases the sticky cache gained. With
 * --snapshot, a V8 heap snapshot of the child before and after, and what grew between them per cached case,
 * by object kind (constructor name) and by string content: what a cached case holds.
 *
 * The SDK runs workflows in a worker thread of their own, whose V8 heap neither process.memoryUsage() nor a
 * heap snapshot of the main thread sees: only RSS counts it. --in-thread 1 runs them in the main thread
 * (the SDK's debug mode, TEMPORAL_DEBUG=1: the same sandbox, the same reusable context), so the heap figure
 * and the snapshot show what the cached cases hold; the RSS headline is the run without it.
 *
 *   npx tsx bench/worker-memory.ts [--cases 1000] [--concurrency 32] [--snapshot 1] [--in-thread 0]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { chmodSync, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { writeHeapSnapshot } from 'node:v8';
import { eq } from 'drizzle-orm';
import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../db/client';
import { organisations } from '../db/schema';
import { seedDemo } from '../runtime/demo-seed';
import { startPremierCase } from '../test/helpers/direct-case';
import { createDevServerEnv } from '../test/helpers/temporal';
import { createCaseWorker } from '../worker/create-worker';
import { numberArg } from './args';
import { freePort, Postgres } from './chaos/processes';
import { rssOf, runConcurrent } from './cluster-common';

const CASES = numberArg('cases', 1000);
const CONCURRENCY = numberArg('concurrency', 32);
const SNAPSHOT = numberArg('snapshot', 1) > 0;
const IN_THREAD = numberArg('in-thread', 0) > 0;

interface Reading {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  cached: number;
  busy: number;
}
type Request = { id: number; op: 'read' | 'gc-read' | 'snapshot'; path?: string };

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`;

// ---- the worker process -------------------------------------------------------------------------------

async function workerProcess(): Promise<void> {
  const database = await openDatabase({ url: process.env.DATABASE_URL, migrate: false, maxConnections: 5 });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const worker = await createCaseWorker({
    connection,
    database,
    notifier: null,
    mailer: null,
    maxCachedWorkflows: Number(process.env.BENCH_CACHE),
  });
  const running = worker.run();
  const gc = (globalThis as { gc?: () => void }).gc;
  const read = (): Reading => {
    const m = process.memoryUsage();
    const s = worker.getStatus();
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      cached: s.numCachedWorkflows,
      busy: s.numInFlightWorkflowActivations + s.numInFlightActivities,
    };
  };
  process.on('message', (msg: Request | 'stop') => {
    if (msg === 'stop') {
      worker.shutdown();
      void running.then(() => database.close()).then(() => connection.close());
      return;
    }
    if (msg.op === 'gc-read') {
      gc?.();
      gc?.();
    }
    if (msg.op === 'snapshot') writeHeapSnapshot(msg.path!);
    process.send!({ id: msg.id, reading: read() });
  });
  process.send!({ ready: true });
  await running;
}

// ---- heap snapshot: self size by kind and by string, to compare two snapshots ----------------------------

interface HeapSummary {
  byKind: Map<string, { size: number; count: number }>;
  byString: Map<string, { size: number; count: number }>;
}

async function summarise(path: string): Promise<HeapSummary> {
  // The snapshot is one JSON document; the whole of it (a few hundred MB) is parsed once.
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(path)) chunks.push(c as Buffer);
  const snap = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byKind = new Map<string, { size: number; count: number }>();
  const byString = new Map<string, { size: number; count: number }>();
  const add = (map: Map<string, { size: number; count: number }>, key: string, size: number) => {
    const e = map.get(key) ?? { size: 0, count: 0 };
    e.size += size;
    e.count++;
    map.set(key, e);
  };
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType!]!]!;
    const name = snap.strings[snap.nodes[i + iName!]!]!;
    const size = snap.nodes[i + iSize!]!;
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') {
      add(byKind, `(${type})`, size);
      add(byString, name.length > 70 ? `${name.slice(0, 70)}...` : name, size);
    } else add(byKind, type === 'object' ? name : `(${type}) ${name.slice(0, 50)}`, size);
  }
  return { byKind, byString };
}

function topGrowth(before: Map<string, { size: number; count: number }>, after: Map<string, { size: number; count: number }>, per: number) {
  return [...after.entries()]
    .map(([key, a]) => {
      const b = before.get(key) ?? { size: 0, count: 0 };
      return { key, size: (a.size - b.size) / per, count: (a.count - b.count) / per };
    })
    .sort((x, y) => y.size - x.size)
    .slice(0, 20);
}

// ---- the run --------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const runDir = mkdtempSync(join(tmpdir(), 'caseflow-worker-memory-'));
  chmodSync(runDir, 0o755); // PostgreSQL runs as its own user below this folder
  const pg = new Postgres(join(runDir, 'pg'), await freePort());
  let child: ChildProcess | undefined;
  const env = await createDevServerEnv();
  try {
    await pg.start();
    const database = await openDatabase({ url: pg.url, migrate: true, maxConnections: 2 });
    await seedDemo(database.db);
    const [acme] = await database.db.select().from(organisations).where(eq(organisations.id, 'acme-premier'));
    await database.close();

    child = fork(__filename, ['--worker'], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: {
        ...process.env,
        DATABASE_URL: pg.url,
        TEMPORAL_ADDRESS: env.address,
        BENCH_CACHE: String(CASES + 200),
        ...(IN_THREAD ? { TEMPORAL_DEBUG: '1' } : {}),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const worker = child;
    await new Promise<void>((resolve, reject) => {
      worker.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
      worker.on('message', (m: { ready?: boolean }) => m.ready && resolve());
    });
    let nextId = 0;
    const ask = (op: Request['op'], path?: string) =>
      new Promise<Reading>((resolve) => {
        const id = nextId++;
        const onMessage = (m: { id?: number; reading?: Reading }) => {
          if (m.id !== id) return;
          worker.off('message', onMessage);
          resolve(m.reading!);
        };
        worker.on('message', onMessage);
        worker.send({ id, op, path } satisfies Request);
      });
    const quiet = async () => {
      for (let calm = 0; calm < 3;) {
        await new Promise((r) => setTimeout(r, 1000));
        calm = (await ask('read')).busy === 0 ? calm + 1 : 0;
      }
    };
    // Idempotent (existing workflow reused, fixed update id): a call the loaded dev server aborted is made again.
    const openOne = async (id: string) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await startPremierCase(env.client, acme!, id);
        } catch (err) {
          if (attempt >= 10) throw err;
          await new Promise((r) => setTimeout(r, 500 * attempt));
        }
      }
    };
    const open = (count: number) => runConcurrent(count, CONCURRENCY, () => openOne(randomUUID()));

    // Warm-up: the bundle, the first workflows, the connection pools.
    await open(50);
    await quiet();
    const raw0 = rssOf(worker.pid!);
    const r0 = await ask('gc-read');
    const snap0 = join(runDir, 'before.heapsnapshot');
    if (SNAPSHOT) await ask('snapshot', snap0);
    console.log(
      `worker (own process, PostgreSQL, dev server), sticky cache ${CASES + 200}, workflows ${IN_THREAD ? 'in the main thread (TEMPORAL_DEBUG=1)' : 'in their worker thread (the default)'}; ` +
        `after warm-up: ${r0.cached} cached, ${load()}`,
    );

    const { seconds } = await open(CASES);
    await quiet();
    const raw1 = rssOf(worker.pid!);
    const r1 = await ask('gc-read');
    const cached = r1.cached - r0.cached;
    console.log(`opened ${CASES} cases in ${seconds.toFixed(0)} s; sticky cache ${r0.cached} -> ${r1.cached} (+${cached}); ${load()}`);
    console.log(
      `  RSS, no collection forced (as the cluster note): ${mb(raw0)} -> ${mb(raw1)} = ${kb((raw1 - raw0) / cached)} per cached case`,
    );
    console.log(`  RSS after gc:      ${mb(r0.rss)} -> ${mb(r1.rss)} = ${kb((r1.rss - r0.rss) / cached)} per cached case`);
    console.log(
      `  V8 heap after gc:  used ${mb(r0.heapUsed)} -> ${mb(r1.heapUsed)} = ${kb((r1.heapUsed - r0.heapUsed) / cached)}, ` +
        `committed ${mb(r0.heapTotal)} -> ${mb(r1.heapTotal)} = ${kb((r1.heapTotal - r0.heapTotal) / cached)} per cached case (this thread's heap only)`,
    );
    console.log(
      `  external ${mb(r0.external)} -> ${mb(r1.external)} = ${kb((r1.external - r0.external) / cached)}, ` +
        `outside this thread's V8 heap (RSS - committed heap - external: other threads' heaps, the SDK's native core, ICU, the allocator) ` +
        `${kb((r1.rss - r1.heapTotal - r1.external - (r0.rss - r0.heapTotal - r0.external)) / cached)} per cached case`,
    );
    if (SNAPSHOT) {
      const snap1 = join(runDir, 'after.heapsnapshot');
      await ask('snapshot', snap1);
      const [a, b] = [await summarise(snap0), await summarise(snap1)];
      console.log(`heap snapshot growth per cached case, by object kind (self size):`);
      for (const g of topGrowth(a.byKind, b.byKind, cached))
        console.log(`  ${kb(g.size).padStart(7)}  ${g.count.toFixed(1).padStart(7)} objects  ${g.key}`);
      console.log(`by string content (self size):`);
      for (const g of topGrowth(a.byString, b.byString, cached).slice(0, 12))
        console.log(`  ${g.size.toFixed(0).padStart(7)} B  ${g.count.toFixed(1).padStart(5)}x  ${JSON.stringify(g.key)}`);
    }
    console.log(load());
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.send('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await env.teardown();
    await pg.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--worker')) {
  workerProcess().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
