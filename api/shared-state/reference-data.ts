/**
 * Reference-data changes reach every API instance: database triggers (migration 0008) notify channel
 * caseflow_reference_data when a token, principal, partner link, organisation or product version changes,
 * whoever wrote it, and each instance empties its caches on the notification. One LISTEN per database
 * (postgres.js: one dedicated connection) serves every app built on it. When the listen connection is
 * re-established the caches are emptied too, since notifications in the gap are lost; the caches' short
 * TTL bounds staleness while it is down.
 */
import type { Logger } from 'pino';
import { DatabaseClosedError, type Database } from '../../db/client';

export const REFERENCE_DATA_CHANNEL = 'caseflow_reference_data';
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export interface ReferenceDataChanges {
  /** Calls `clear` on every change (and on every (re)connect of the listener). */
  subscribe(clear: () => void): void;
  /** Settles once the first LISTEN is in place. */
  ready: Promise<void>;
}

const hubs = new WeakMap<Database, ReferenceDataChanges>();

export function referenceDataChanges(database: Database, logger: Logger): ReferenceDataChanges {
  let hub = hubs.get(database);
  if (!hub) {
    hub = listen(database, logger);
    hubs.set(database, hub);
  }
  return hub;
}

function listen(database: Database, logger: Logger): ReferenceDataChanges {
  const subscribers = new Set<() => void>();
  const clearAll = () => {
    for (const clear of subscribers) clear();
  };
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const attempt = (retryMs: number): void => {
    database.listen(REFERENCE_DATA_CHANNEL, clearAll, clearAll).then(markReady, (err: unknown) => {
      if (err instanceof DatabaseClosedError) return; // shut down: nothing left to listen for
      // The database is away at start: retry; meanwhile the caches' TTL keeps them fresh enough.
      logger.warn({ err, retryMs }, 'reference-data change listener unavailable; retrying');
      setTimeout(() => attempt(Math.min(retryMs * 2, MAX_RETRY_MS)), retryMs).unref();
    });
  };
  attempt(FIRST_RETRY_MS);
  return { subscribe: (clear) => void subscribers.add(clear), ready };
}
