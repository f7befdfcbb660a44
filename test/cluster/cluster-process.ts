/**
 * `npm run cluster` as a child process for the cluster suite: started on a data folder and a port offset,
 * ready when it prints its banner, stopped with SIGINT (Ctrl-C), after which no process may remain that
 * belongs to the data folder (PostgreSQL, Temporal, UI, Mailpit, the S3 server, workers, APIs: no orphans).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export interface ClusterRun {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

export async function startClusterScript(dataDir: string, portOffset: number, timeoutMs = 600_000): Promise<ClusterRun> {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/cluster.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, CLUSTER_PORT_OFFSET: String(portOffset), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      exitCode = code;
      r(code);
    }),
  );
  const deadline = Date.now() + timeoutMs;
  while (exitCode === undefined && Date.now() < deadline && !output.includes('Press Ctrl-C to stop'))
    await new Promise((r) => setTimeout(r, 250));
  if (!output.includes('Press Ctrl-C to stop')) {
    child.kill('SIGINT');
    await exited;
    throw new Error(`npm run cluster did not come up:\n${output.slice(-4000)}`);
  }
  return {
    child,
    output: () => output,
    stop: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

/** Processes whose command line or environment mentions the folder (every process the cluster starts does). */
export function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmdline.includes(dir) || environ.includes(dir)) found.push(`${pid} ${cmdline.replaceAll('\0', ' ').slice(0, 160)}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
