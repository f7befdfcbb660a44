/**
 * What the cluster benchmarks share: where a running `npm run cluster` is (DATA_DIR, CLUSTER_PORT_OFFSET as
 * given to it), its demo tokens, a Temporal client, and small statistics helpers.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { clusterPortsFromEnv } from '../runtime/cluster/ports';
import { APP_DATABASE } from '../runtime/cluster/postgres';

export function clusterTarget() {
  const dataDir = resolve(process.env.DATA_DIR ?? '.data/cluster');
  const ports = clusterPortsFromEnv();
  const saved = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as {
    tokens: Array<{ principalId: string; token: string }>;
  };
  return {
    dataDir,
    ports,
    temporalAddress: `127.0.0.1:${ports.frontend}`,
    apis: ports.apis.map((p) => `http://127.0.0.1:${p}`),
    serverUrl: `postgres://postgres@127.0.0.1:${ports.postgres}`,
    databaseUrl: `postgres://postgres@127.0.0.1:${ports.postgres}/${APP_DATABASE}`,
    tokens: Object.fromEntries(saved.tokens.map((t) => [t.principalId, t.token])),
  };
}

export async function temporalClient(address: string): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection }), close: () => connection.close() };
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** Runs `count` tasks with `concurrency` in flight; returns each task's latency in ms and the wall time. */
export async function runConcurrent(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ seconds: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

/** Resident memory of a process, from /proc (bytes). */
export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}
