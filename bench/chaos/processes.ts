/**
 * The processes the chaos run owns: each service in its own process group (so SIGKILL reaches tsx and the
 * node process it spawns alike), restarted on demand, and restarted on its own if it dies unasked (counted:
 * a service that falls over by itself after a neighbour's crash is a finding). PostgreSQL is started with
 * .ci/postgres.sh the first time and with pg_ctl on the same data directory afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { sleep } from './random';

export const ROOT = resolve(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Polls `check` until it answers true or the time is up. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms`);
}

export interface Service {
  readonly name: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** Times the service exited without being asked to. */
  readonly unexpectedExits: number;
}

export interface GroupProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  logFile: string;
  /** Ready when this text appears in the output of the current incarnation... */
  readyText?: string;
  /** ...or when this check answers true. */
  readyCheck?: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export class GroupProcess implements Service {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private sawReadyText = false;
  private intentional = false;
  private log: WriteStream;
  unexpectedExits = 0;

  constructor(private readonly opts: GroupProcessOptions) {
    this.log = createWriteStream(opts.logFile, { flags: 'a' });
  }

  get name(): string {
    return this.opts.name;
  }

  async start(): Promise<void> {
    this.intentional = false;
    this.spawnChild();
    await this.waitReady();
  }

  /** Ready = the current incarnation (the one started here, or its automatic replacement) says so. */
  private async waitReady(): Promise<void> {
    await waitFor(
      this.name,
      async () => {
        if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return false;
        if (this.opts.readyText && !this.sawReadyText) return false;
        return this.opts.readyCheck ? this.opts.readyCheck() : true;
      },
      this.opts.readyTimeoutMs ?? 120_000,
    );
  }

  private spawnChild(): void {
    this.sawReadyText = false;
    this.log.write(`\n==== ${new Date().toISOString()} start ${this.name}\n`);
    const child = spawn(this.opts.command, this.opts.args, {
      cwd: ROOT,
      env: { ...process.env, ...this.opts.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const onData = (chunk: Buffer) => {
      this.log.write(chunk);
      if (this.opts.readyText && chunk.toString().includes(this.opts.readyText)) this.sawReadyText = true;
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    this.exited = new Promise((r) =>
      child.once('exit', (code, signal) => {
        this.log.write(`\n==== ${new Date().toISOString()} ${this.name} exited code=${code} signal=${signal}\n`);
        if (this.child === child) this.child = undefined;
        if (!this.intentional) {
          this.unexpectedExits++;
          // Whatever took it down, a supervisor (systemd, Kubernetes) would bring it back.
          setTimeout(() => {
            if (!this.intentional && !this.child) this.spawnChild();
          }, 1000);
        }
        r();
      }),
    );
  }

  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const killLater = setTimeout(() => this.signalGroup(child, 'SIGKILL'), 15_000);
    await this.signal('SIGTERM');
    clearTimeout(killLater);
  }

  /** Last-resort cleanup on abnormal exit of the bench itself. */
  killNow(): void {
    this.intentional = true;
    if (this.child) this.signalGroup(this.child, 'SIGKILL');
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.intentional = true;
    this.signalGroup(child, sig);
    await this.exited;
  }

  private signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  }
}

/** A throwaway PostgreSQL cluster: created by .ci/postgres.sh, crashed with SIGKILL, restarted on its data. */
export class Postgres implements Service {
  readonly name = 'postgres';
  readonly unexpectedExits = 0;
  private created = false;
  readonly url: string;

  constructor(
    private readonly dir: string,
    private readonly port: number,
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  async start(): Promise<void> {
    if (!this.created) {
      run('bash', [join(ROOT, '.ci', 'postgres.sh'), 'start', this.dir, String(this.port)]);
      this.created = true;
      return;
    }
    // Same server options as .ci/postgres.sh; a crashed postmaster's children may hold shared memory a moment.
    await waitFor(
      'postgres restart',
      async () => {
        const pgCtl = [
          join(pgBin(), 'pg_ctl'),
          '-D',
          join(this.dir, 'data'),
          '-l',
          join(this.dir, 'server.log'),
          '-w',
          '-o',
          `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`,
          'start',
        ];
        // As .ci/postgres.sh does: the server refuses to run as root.
        const [command, ...args] = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...pgCtl] : pgCtl;
        return spawnSync(command!, args, { encoding: 'utf8' }).status === 0;
      },
      60_000,
      500,
    );
  }

  /** SIGKILL to the postmaster and every backend at once, as a crashed host or container would do. */
  async kill(): Promise<void> {
    const pids = this.pids();
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await waitFor('postgres death', async () => pids.every((pid) => !alive(pid)), 30_000, 100);
  }

  async stop(): Promise<void> {
    if (this.created) run('bash', [join(ROOT, '.ci', 'postgres.sh'), 'stop', this.dir]);
  }

  killNow(): void {
    for (const pid of this.pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private pids(): number[] {
    const pidFile = join(this.dir, 'data', 'postmaster.pid');
    if (!existsSync(pidFile)) return [];
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(postmaster) || !alive(postmaster)) return [];
    const children = spawnSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map(Number);
    return [postmaster, ...children];
  }
}

function pgBin(): string {
  const res = spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' });
  return res.stdout.trim();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function run(command: string, args: string[]): string {
  const res = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${res.stderr}`);
  return res.stdout;
}
