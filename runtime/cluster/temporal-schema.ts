/**
 * Temporal's two databases (history + visibility) on the cluster's PostgreSQL, created and migrated by
 * Temporal's own SQL tool, the way its auto-setup image does: create-database and `setup-schema -v 0.0`
 * the first time only, then `update-schema` to the versioned folder, which applies just the missing
 * versions (a no-op on a second run, the upgrade path when the server version moves).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TemporalServerToolchain } from '../temporal-server-toolchain';

export const TEMPORAL_DATABASES = { history: 'temporal', visibility: 'temporal_visibility' } as const;

export async function migrateTemporalSchemas(tools: TemporalServerToolchain, serverUrl: string, port: number): Promise<string[]> {
  const done: string[] = [];
  for (const [kind, database] of Object.entries(TEMPORAL_DATABASES)) {
    const base = [
      '--plugin',
      'postgres12',
      '--endpoint',
      '127.0.0.1',
      '--port',
      String(port),
      '--user',
      'postgres',
      '--database',
      database,
    ];
    const state = await schemaState(serverUrl, database);
    if (state === 'no-database') await sqlTool(tools, [...base, 'create-database']);
    if (state !== 'versioned') await sqlTool(tools, [...base, 'setup-schema', '-v', '0.0']);
    const dir = join(tools.schemaDir, kind === 'history' ? 'temporal' : 'visibility', 'versioned');
    await sqlTool(tools, [...base, 'update-schema', '-d', dir]);
    done.push(`${database}: schema ${await schemaVersion(serverUrl, database)}`);
  }
  return done;
}

async function schemaState(serverUrl: string, database: string): Promise<'no-database' | 'empty' | 'versioned'> {
  const admin = postgres(`${serverUrl}/postgres`, { max: 1, onnotice: () => undefined });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!exists) return 'no-database';
  } finally {
    await admin.end();
  }
  return (await schemaVersion(serverUrl, database)) ? 'versioned' : 'empty';
}

async function schemaVersion(serverUrl: string, database: string): Promise<string | null> {
  const sql = postgres(`${serverUrl}/${database}`, { max: 1, onnotice: () => undefined });
  try {
    const [table] = await sql`select 1 from information_schema.tables where table_name = 'schema_version'`;
    if (!table) return null;
    const [row] = await sql<{ curr_version: string }[]>`select curr_version from schema_version limit 1`;
    return row?.curr_version ?? null;
  } finally {
    await sql.end();
  }
}

function sqlTool(tools: TemporalServerToolchain, args: string[]): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(tools.sqlTool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', rej);
    child.once('exit', (code) =>
      code === 0 ? res() : rej(new Error(`temporal-sql-tool ${args.slice(-3).join(' ')} failed: ${output.trim().slice(-800)}`)),
    );
  });
}
