/**
 * One factory, one drizzle API, two engines: PGlite (embedded PostgreSQL, the default) or a PostgreSQL
 * server through postgres.js when DATABASE_URL is set. Migrations run on connect.
 */
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Cheap round trip, for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; when absent PGlite is used. */
  url?: string;
  /** PGlite data directory; absent = in memory. */
  dataDir?: string;
  /** Connection pool size for postgres.js. */
  maxConnections?: number;
  migrate?: boolean;
}

const MIGRATIONS = resolve(__dirname, 'migrations');

export async function openDatabase(opts: DatabaseOptions = {}): Promise<Database> {
  const runMigrations = opts.migrate ?? true;
  if (opts.url) {
    const sql = postgres(opts.url, { max: opts.maxConnections ?? 10, onnotice: () => undefined });
    const db = drizzlePostgres(sql, { schema });
    if (runMigrations) await migratePostgres(db, { migrationsFolder: MIGRATIONS });
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      ping: async () => {
        await sql`select 1`;
      },
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const client = opts.dataDir ? new PGlite(opts.dataDir) : new PGlite();
  const db = drizzlePglite(client, { schema });
  if (runMigrations) await migratePglite(db, { migrationsFolder: MIGRATIONS });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}
