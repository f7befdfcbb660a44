/**
 * The cluster's PostgreSQL: Debian's server (never the /usr/local one some machines carry), started with
 * .ci/postgres.sh on a data folder that outlives the run, and the application database created once.
 * Temporal's own databases are created by its SQL tool (temporal-schema.ts).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import postgres from 'postgres';

const SCRIPT = resolve(__dirname, '..', '..', '.ci', 'postgres.sh');

export const APP_DATABASE = 'caseflow';

export interface ClusterPostgres {
  port: number;
  /** The server's URL without a database name (superuser `postgres`, trust auth on loopback). */
  serverUrl: string;
  /** DATABASE_URL of Caseflow's own database. */
  appUrl: string;
  stop(): void;
}

export async function startClusterPostgres(dir: string, port: number): Promise<ClusterPostgres> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // the server runs as the postgres user when we are root
  // fsync on: this data is kept between runs, unlike CI's throwaway servers.
  const started = spawnSync('bash', [SCRIPT, 'start', dir, String(port)], { encoding: 'utf8', env: { ...process.env, PG_FSYNC: 'on' } });
  if (started.status !== 0) throw new Error(`PostgreSQL did not start (${dir}): ${started.stderr.trim().slice(-800)}`);
  const serverUrl = `postgres://postgres@127.0.0.1:${port}`;
  await createDatabaseIfMissing(serverUrl, APP_DATABASE);
  return {
    port,
    serverUrl,
    appUrl: `${serverUrl}/${APP_DATABASE}`,
    stop: () => void spawnSync('bash', [SCRIPT, 'stop', dir], { encoding: 'utf8' }),
  };
}

async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const sql = postgres(`${serverUrl}/postgres`, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end();
  }
}
