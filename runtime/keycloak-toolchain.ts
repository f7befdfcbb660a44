/**
 * Obtains a pinned Keycloak for the identity suite (test/identity/*.keycloak.ts), like the Temporal binaries
 * (runtime/temporal-toolchain.ts): Keycloak's own download site is not reachable here, but the server
 * distribution is published on Maven Central as `org.keycloak:keycloak-quarkus-dist` (a zip), and Maven
 * Central is. `mvn dependency:copy` fetches it (Maven checks the repository's checksums), we check the
 * SHA-256 pinned here, unzip it once under .tools/keycloak/ and cache both; later runs start at once. Runs
 * on the installed JDK 17 (Keycloak 26 supports 17 and 21). KEYCLOAK_HOME names an unpacked Keycloak
 * instead. Each step is time-boxed: a fetch that hangs fails with a message instead of eating CI's budget.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const KEYCLOAK_VERSION = '26.5.6';
/** SHA-256 of keycloak-quarkus-dist-26.5.6.zip as served by Maven Central. */
export const KEYCLOAK_SHA256 = '490189d9dff05272432d51f71a069462eeca97f2920a694d539a1e6c26a5a347';

const TOOLS = resolve(__dirname, '..', '.tools', 'keycloak');
const FETCH_TIMEOUT_MS = 10 * 60_000;

/** The Keycloak home (bin/kc.sh inside), fetched and unpacked on first use. */
export function ensureKeycloak(): string {
  const override = process.env.KEYCLOAK_HOME;
  if (override) {
    if (!existsSync(join(override, 'bin', 'kc.sh'))) throw new Error(`KEYCLOAK_HOME=${override} has no bin/kc.sh`);
    return override;
  }
  const home = join(TOOLS, `keycloak-${KEYCLOAK_VERSION}`);
  if (existsSync(join(home, 'bin', 'kc.sh')) && existsSync(join(home, '.caseflow-complete'))) return home;
  const zip = join(TOOLS, 'cache', `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`);
  try {
    if (!existsSync(zip) || sha256(zip) !== KEYCLOAK_SHA256) {
      rmSync(zip, { force: true });
      const mvn = spawnSync(
        'mvn',
        [
          '-q',
          '-B',
          'dependency:copy',
          `-Dartifact=org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip`,
          `-DoutputDirectory=${join(TOOLS, 'cache')}`,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: FETCH_TIMEOUT_MS, cwd: TOOLS_PARENT() },
      );
      if (mvn.error) throw mvn.error;
      if (mvn.status !== 0) throw new Error(`mvn dependency:copy failed: ${(mvn.stdout + mvn.stderr).trim().slice(-2000)}`);
      const got = sha256(zip);
      if (got !== KEYCLOAK_SHA256) throw new Error(`SHA-256 mismatch for ${zip}: ${got}, pinned ${KEYCLOAK_SHA256}`);
    }
    const partial = `${home}.partial`;
    rmSync(partial, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const unzip = spawnSync('python3', ['-c', 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, partial], {
      encoding: 'utf8',
      timeout: FETCH_TIMEOUT_MS,
    });
    if (unzip.status !== 0) throw new Error(`cannot unzip ${zip}: ${unzip.stderr.trim()}`);
    renameSync(join(partial, `keycloak-${KEYCLOAK_VERSION}`), home); // atomic: a half-unpacked tree is never taken for a cached one
    rmSync(partial, { recursive: true, force: true });
    spawnSync('chmod', ['+x', join(home, 'bin', 'kc.sh')]);
    spawnSync('touch', [join(home, '.caseflow-complete')]);
    return home;
  } catch (err) {
    throw new Error(
      `Could not obtain Keycloak ${KEYCLOAK_VERSION}: ${(err as Error).message}\n` +
        `Fetch it yourself ('mvn dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip'), ` +
        'unzip it and point KEYCLOAK_HOME at the unpacked folder.',
      { cause: err },
    );
  }
}

function TOOLS_PARENT(): string {
  mkdirSync(join(TOOLS, 'cache'), { recursive: true });
  return TOOLS;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
