/**
 * Builds Go programs from the Go module proxy inside a throwaway module (`go mod init`, `go get`,
 * `go build`), the way these machines get binaries that have no registry package. Used for the Temporal
 * server, its SQL tool and the Temporal UI server of the cluster topology, and Jaeger (ensureGoBinary).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface GoBuildStep {
  /** `go get` target, e.g. go.temporal.io/server/cmd/server@v1.29.1 */
  get: string;
  /** Modules to download first (ones `go get` cannot resolve on its own). */
  download?: string[];
  /**
   * `old=new@version` replace directives the program's own go.mod carries (go install refuses such a
   * module): the throwaway module repeats them, so the build resolves as the program's release does.
   */
  replace?: string[];
  /** Output binary path. */
  out: string;
}

export interface GoBuildResult {
  /** Source folder of each module asked for, by module path (for files the module ships: schemas, configs). */
  moduleDir(modulePath: string): Promise<string>;
}

export async function goAvailable(): Promise<boolean> {
  const res = await run('go', ['version'], process.env).catch(() => null);
  return res?.code === 0;
}

/** Builds each step in one throwaway module; `use` runs while the module still exists. */
export async function goBuild<T>(steps: GoBuildStep[], use: (built: GoBuildResult) => Promise<T>): Promise<T> {
  const work = mkdtempSync(join(tmpdir(), 'caseflow-go-build-'));
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  const go = async (args: string[]): Promise<string> => {
    const res = await run('go', args, env, work);
    if (res.code !== 0) throw new Error(`go ${args.join(' ')} failed: ${res.stderr.trim().slice(-800)}`);
    return res.stdout;
  };
  try {
    await go(['mod', 'init', 'caseflow-go-build']);
    for (const step of steps) {
      for (const r of step.replace ?? []) await go(['mod', 'edit', `-replace=${r}`]);
      for (const module of step.download ?? []) await go(['mod', 'download', module]);
      await go(['get', step.get]);
      await go(['build', '-o', step.out, step.get.split('@')[0]!]);
    }
    return await use({ moduleDir: async (modulePath) => (await go(['list', '-m', '-f', '{{.Dir}}', modulePath])).trim() });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A pinned program built once from the Go module proxy into `binary` (its name carries the version) and
 * reused from there; true when this call built it. The build writes beside the target and renames: a
 * half-written binary is never taken for a cached one.
 */
export async function ensureGoBinary(binary: string, step: Omit<GoBuildStep, 'out'>, onBuild?: () => void): Promise<boolean> {
  if (existsSync(binary)) return false;
  if (!(await goAvailable())) throw new Error(`Go is not installed (needed once to build ${step.get})`);
  onBuild?.();
  mkdirSync(dirname(binary), { recursive: true });
  const partial = `${binary}.partial`;
  rmSync(partial, { force: true });
  await goBuild([{ ...step, out: partial }], () => Promise.resolve());
  renameSync(partial, binary);
  return true;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', rej);
    child.once('exit', (code) => res({ code: code ?? -1, stdout, stderr }));
  });
}
