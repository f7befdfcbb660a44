/**
 * Obtains the Temporal server (the production cluster's binary, not the dev server) and its SQL schema
 * tool without download sites: both build from the Go module proxy (runtime/go-build.ts), once. The binaries, the PostgreSQL schemas and the config template the server
 * module ships are cached together under `.tools/temporal-server-<version>/`, so a cleaned Go module cache
 * does not matter. Resolution: TEMPORAL_SERVER_DIR (a folder laid out the same way) -> cached -> build.
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { goAvailable, goBuild } from './go-build';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

const TOOLS_DIR = resolve(__dirname, '..', '.tools');
const SERVER_MODULE = 'go.temporal.io/server';

export interface TemporalServerToolchain {
  dir: string;
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12/{temporal,visibility}/versioned */
  schemaDir: string;
  /** The module's config/development-postgres12.yaml, the template of the cluster's config. */
  configTemplate: string;
}

export const cachedTemporalServerDir = (): string => join(TOOLS_DIR, `temporal-server-${TEMPORAL_SERVER_VERSION}`);

function layout(dir: string): TemporalServerToolchain {
  return {
    dir,
    server: join(dir, 'temporal-server'),
    sqlTool: join(dir, 'temporal-sql-tool'),
    schemaDir: join(dir, 'schema', 'postgresql', 'v12'),
    configTemplate: join(dir, 'config', 'development-postgres12.yaml'),
  };
}

/** The toolchain, building it when missing; `onBuild` is told before the (slow) build starts. */
export async function ensureTemporalServer(onBuild?: (message: string) => void): Promise<TemporalServerToolchain> {
  const override = process.env.TEMPORAL_SERVER_DIR;
  if (override) {
    if (!existsSync(join(override, 'temporal-server'))) throw new Error(`TEMPORAL_SERVER_DIR=${override} has no temporal-server binary`);
    return layout(override);
  }
  const dir = cachedTemporalServerDir();
  // The marker is written last: a half-built folder is never taken for a cached one.
  if (existsSync(join(dir, '.complete'))) return layout(dir);
  if (!(await goAvailable()))
    throw new Error('Go is not installed: it is needed once to build the Temporal server from the Go module proxy');
  onBuild?.(
    `building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool from the Go module proxy (first run only, ~10 minutes)`,
  );
  const started = Date.now();
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const target = layout(partial);
  try {
    await goBuild(
      [
        { get: `${SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, out: target.server },
        // The SQL tool's CLI library is not in the server's module graph: fetch it before resolving the tool.
        { get: `${SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`, download: ['github.com/urfave/cli'], out: target.sqlTool },
      ],
      async (built) => {
        const moduleDir = await built.moduleDir(SERVER_MODULE);
        cpSync(join(moduleDir, 'schema', 'postgresql', 'v12'), target.schemaDir, { recursive: true });
        mkdirSync(join(partial, 'config'));
        cpSync(join(moduleDir, 'config', 'development-postgres12.yaml'), target.configTemplate);
      },
    );
    writeFileSync(join(partial, '.complete'), `built in ${Math.round((Date.now() - started) / 1000)} s\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
    return layout(dir);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}
