/**
 * A back-test spread over the machine's cores: worker threads each run `backtestCase` on a slice of the
 * cases, and the pairs come back to the calling thread, which adds them to the report in the cases' own
 * order. The engine and the report are the ones a single thread uses (backtest/engine), every case is
 * replayed from the same input and commands, and `addPair` sees the pairs in the same order, so the report
 * is the one a serial run produces, identical to the last listed flip (test/backtest/parallel.test.ts).
 *
 * A worker thread loads TypeScript through tsx's CommonJS hook (`require('tsx/cjs')` in an eval'd
 * bootstrap): `new Worker(file.ts)` alone fails on Node 20 (unknown file extension .ts), whether the parent
 * runs under `npx tsx` or `node --import tsx`, and a compiled build would load `parallel.js` the same way.
 *
 *   const pool = createBacktestPool({ candidate, documents });
 *   const pairs = await pool.run(cases, { until, roles });   // CasePair per case, in order
 *   await pool.close();
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Role } from '../contract/case';
import type { PolicyDocument } from '../policy';
import { backtestCase, type Candidate, type CasePair } from './engine/backtest';
import type { RecordedCase } from './engine/types';

interface Setup {
  /** Marks a pool's thread (a module loaded in some other worker thread does not start serving). */
  backtestPool: true;
  candidate: Candidate;
  documents: Array<[string, PolicyDocument]>;
}
interface Batch {
  id: number;
  cases: RecordedCase[];
  /** One instant for every case (a read-model back-test's as-of), or one per case. */
  until: number | number[];
  /** Who did what, by actor id (the read model's principals); absent ids get a role fitting the command. */
  roles: Record<string, Role>;
}
type Reply = { id: number; pairs: CasePair[] } | { id: number; error: string };

export interface BacktestPool {
  /** Threads the pool runs (1 = everything in the calling thread, no worker). */
  readonly threads: number;
  /** Each case's pair, in the order of `cases`. */
  run(cases: RecordedCase[], opts: { until: number | number[]; roles?: Record<string, Role> }): Promise<CasePair[]>;
  close(): Promise<void>;
}

/** Cases per message: big enough that a message costs little next to the work, small enough to balance. */
const CHUNK = 500;

/** The threads a back-test should use: one per core (BACKTEST_THREADS overrides; 1 = no worker threads). */
export function backtestThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BACKTEST_THREADS;
  if (raw === undefined || raw === '') return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`BACKTEST_THREADS must be an integer 1-256, got '${raw}'`);
  return n;
}

export function createBacktestPool(
  setup: { candidate: Candidate; documents: Map<string, PolicyDocument> },
  threads = backtestThreads(),
): BacktestPool {
  const documents = new Map(setup.documents);
  if (threads <= 1) {
    return {
      threads: 1,
      run: (cases, opts) =>
        Promise.resolve(runBatch(setup.candidate, documents, { id: 0, cases, until: opts.until, roles: opts.roles ?? {} })),
      close: () => Promise.resolve(),
    };
  }
  const data: Setup = { backtestPool: true, candidate: setup.candidate, documents: [...documents] };
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(__filename)});`;
  const workers = Array.from({ length: threads }, () => new Worker(bootstrap, { eval: true, workerData: data }));
  const waiting = new Map<number, { resolve: (pairs: CasePair[]) => void; reject: (err: Error) => void }>();
  let failed: Error | null = null;
  for (const w of workers) {
    w.on('message', (r: Reply) => {
      const p = waiting.get(r.id);
      waiting.delete(r.id);
      if ('error' in r) p?.reject(new Error(r.error));
      else p?.resolve(r.pairs);
    });
    w.on('error', (err) => {
      failed = err;
      for (const p of waiting.values()) p.reject(err);
      waiting.clear();
    });
  }
  const idle = [...workers];
  const queue: Array<() => void> = [];
  let nextId = 0;
  /** One chunk on the next free worker. */
  const submit = (batch: Omit<Batch, 'id'>): Promise<CasePair[]> =>
    new Promise<CasePair[]>((resolve, reject) => {
      const start = () => {
        if (failed) return reject(failed);
        const w = idle.pop()!;
        const id = nextId++;
        const release = () => {
          idle.push(w);
          queue.shift()?.();
        };
        waiting.set(id, {
          resolve: (pairs) => {
            release();
            resolve(pairs);
          },
          reject: (err) => {
            release();
            reject(err);
          },
        });
        w.postMessage({ id, ...batch } satisfies Batch);
      };
      if (idle.length > 0) start();
      else queue.push(start);
    });

  return {
    threads,
    async run(cases, opts) {
      const roles = opts.roles ?? {};
      const chunks: Array<Promise<CasePair[]>> = [];
      for (let i = 0; i < cases.length; i += CHUNK) {
        const until = typeof opts.until === 'number' ? opts.until : opts.until.slice(i, i + CHUNK);
        chunks.push(submit({ cases: cases.slice(i, i + CHUNK), until, roles }));
      }
      return (await Promise.all(chunks)).flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** The engine on one batch, exactly as the serial paths call it (run-local.ts, activities.ts). */
function runBatch(candidate: Candidate, documents: Map<string, PolicyDocument>, batch: Batch): CasePair[] {
  const roleOf = (id: string) => batch.roles[id];
  return batch.cases.map((c, i) =>
    backtestCase(c, candidate, typeof batch.until === 'number' ? batch.until : batch.until[i]!, (k) => documents.get(k), roleOf),
  );
}

// ---- in a worker thread --------------------------------------------------------------------------------

if (!isMainThread && parentPort && (workerData as Partial<Setup> | null)?.backtestPool === true) {
  const setup = workerData as Setup;
  const documents = new Map(setup.documents);
  const port = parentPort;
  port.on('message', (batch: Batch) => {
    try {
      port.postMessage({ id: batch.id, pairs: runBatch(setup.candidate, documents, batch) } satisfies Reply);
    } catch (err) {
      port.postMessage({ id: batch.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies Reply);
    }
  });
}
