/** The configured database: PostgreSQL when DATABASE_URL is set, otherwise PGlite in the data folder. */
import { join } from 'node:path';
import { openDatabase, type Database } from '../db/client';
import type { Config } from './config';

export function openConfiguredDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return openDatabase({ url: config.databaseUrl });
  return openDatabase({ dataDir: join(config.dataDir, 'pglite') });
}

/** PGlite is an in-process database: only one process may open it. Separate API/worker processes need PostgreSQL. */
export function requireSharedDatabase(config: Config, processName: string): void {
  if (!config.databaseUrl) {
    throw new Error(
      `${processName} runs as a separate process and needs a shared PostgreSQL: set DATABASE_URL ` +
        `(or use 'npm start', which runs API and worker in one process over the embedded PGlite).`,
    );
  }
}
