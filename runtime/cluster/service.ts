/**
 * One process of the cluster: spawned in its own process group (so a stop reaches tsx and the node process
 * it runs alike), output appended to a log file, stopped with SIGTERM and, after a grace period, SIGKILL.
 * If the cluster script itself dies, every group it started is killed with it: no orphans.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** Text the process prints once it is ready (e.g. the worker's 'worker running'). */
  readyText?: string;
}

export interface RunningService {
  name: string;
  pid: number;
  /** Whether the process printed its readyText. */
  printedReady(): boolean;
  /** Resolves when the process exits, whoever stopped it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(graceMs?: number): Promise<void>;
}

export function startService(
  spec: ServiceSpec,
  onUnexpectedExit?: (name: string, code: number | null, signal: string | null) => void,
): RunningService {
  const log = createWriteStream(spec.logFile, { flags: 'a' });
  log.write(`\n==== ${new Date().toISOString()} start ${spec.name}: ${spec.command} ${spec.args.join(' ')}\n`);
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let ready = false;
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    if (spec.readyText && !ready && chunk.toString().includes(spec.readyText)) ready = true;
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let stopping = false;
  const killGroup = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killGroup);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killGroup);
      log.end(`\n==== ${new Date().toISOString()} ${spec.name} exited code=${code} signal=${signal}\n`);
      if (!stopping) onUnexpectedExit?.(spec.name, code, signal);
      res({ code, signal });
    }),
  );
  return {
    name: spec.name,
    pid: child.pid!,
    printedReady: () => ready,
    exited,
    stop: async (graceMs = 15_000) => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = setTimeout(killGroup, graceMs);
      signalGroup(child, 'SIGTERM');
      await exited;
      clearTimeout(kill);
      signalGroup(child, 'SIGKILL'); // anything the leader left behind in its group
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Polls `check` until it answers true; fails early when the process exits. */
export async function waitReady(service: RunningService, what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  let exited = false;
  void service.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${what} exited while starting (see its log)`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms (see its log)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
