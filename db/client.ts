/**
 * One factory, one drizzle API, two engines: PGlite (embedded PostgreSQL, the default) or a PostgreSQL
 * server through postgres.js when DATABASE_URL is set. Migrations run on connect.
 */
import { resolve } from 'node:path';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
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
  /**
   * LISTEN on a channel: `onNotify` gets each payload; `onListen` runs whenever the listen is (re)established,
   * since notifications sent while the connection was down are lost. Resolves to the unlisten function.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<() => Promise<void>>;
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

/** A listen asked of a closed database (postgres.js would quietly open a new connection that keeps the process alive). */
export class DatabaseClosedError extends Error {
  constructor() {
    super('the database is closed');
  }
}

export async function openDatabase(opts: DatabaseOptions = {}): Promise<Database> {
  const runMigrations = opts.migrate ?? true;
  if (opts.url) {
    const sql = postgres(opts.url, { max: opts.maxConnections ?? 10, onnotice: () => undefined });
    const db = drizzlePostgres(sql, { schema });
    let closed = false;
    if (runMigrations) await migratePostgres(db, { migrationsFolder: MIGRATIONS });
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      ping: async () => {
        await sql`select 1`;
      },
      // postgres.js keeps one dedicated connection for all of a client's listens and reconnects it by itself.
      listen: async (channel, onNotify, onListen) => {
        if (closed) throw new DatabaseClosedError();
        return (await sql.listen(channel, onNotify, onListen)).unlisten;
      },
      close: () => {
        closed = true;
        return sql.end({ timeout: 5 });
      },
    };
  }
  const client = new PGlite(opts.dataDir, { parsers: DRIZZLE_PARSERS });
  const db = drizzlePglite(withoutRepeatedParsers(client), { schema });
  let closed = false;
  if (runMigrations) await migratePglite(db, { migrationsFolder: MIGRATIONS });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    listen: async (channel, onNotify, onListen) => {
      if (closed) throw new DatabaseClosedError();
      const unlisten = await client.listen(channel, onNotify);
      onListen();
      return unlisten;
    },
    close: () => {
      closed = true;
      return client.close();
    },
  };
}

/**
 * drizzle sends these identity parsers (timestamps, dates and intervals stay strings) with every PGlite
 * query, and PGlite copies its whole type-parser table to merge them each time: about 0.14 ms of a 0.4 ms
 * query. Set once on the instance, they give the same rows without the per-query merge.
 */
const keepText = (value: string) => value;
const DRIZZLE_PARSERS = { [types.TIMESTAMP]: keepText, [types.TIMESTAMPTZ]: keepText, [types.INTERVAL]: keepText, [types.DATE]: keepText };
const INSTANCE_PARSED = new Set(Object.keys(DRIZZLE_PARSERS));

type Queryable = Pick<PGlite, 'query'> | Transaction;

function withoutRepeatedParsers<T extends Queryable>(target: T): T {
  return new Proxy(target, {
    get(obj, prop) {
      if (prop === 'query') {
        return (query: string, params?: unknown[], options?: Parameters<PGlite['query']>[2]) => {
          const parsers = options?.parsers;
          const redundant = parsers && Object.keys(parsers).every((oid) => INSTANCE_PARSED.has(oid));
          return obj.query(query, params, redundant ? { ...options, parsers: undefined } : options);
        };
      }
      if (prop === 'transaction' && obj instanceof PGlite) {
        return <R>(callback: (tx: Transaction) => Promise<R>) => obj.transaction((tx) => callback(withoutRepeatedParsers(tx)));
      }
      const value: unknown = Reflect.get(obj, prop, obj);
      // PGlite keeps its state in private fields: methods must run on the instance, not the proxy.
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}
