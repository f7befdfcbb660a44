/**
 * The counters behind the API's limits (requests per token, failed authentications per client address), one
 * per limit and database, so every app on a database counts together. On PostgreSQL they live in the
 * rate_limits table (rate-limiter-flexible's RateLimiterDrizzle: one atomic upsert per count), shared by every
 * API instance; if the table cannot be reached an in-memory counter stands in (the library's insurance
 * limiter) rather than failing requests. PGlite is one process, so memory is the honest shared store there.
 * The counters only count: each middleware compares the count with its own limit.
 */
import { RateLimiterDrizzle, RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Database } from '../../db/client';
import { rateLimits } from '../../db/schema';

export type LimitName = 'token' | 'auth-failure';

/** Counting never refuses by itself. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

const counters = new WeakMap<Database, Map<string, RateLimiterAbstract>>();

/** The fixed-window counter of `name` with windows of `windowSeconds`, shared by every app on `database`. */
export function limitCounter(database: Database, name: LimitName, windowSeconds: number): RateLimiterAbstract {
  let byName = counters.get(database);
  if (!byName) counters.set(database, (byName = new Map()));
  const key = `${name}/${windowSeconds}`;
  let counter = byName.get(key);
  if (!counter) {
    const options = { keyPrefix: key, points: UNBOUNDED, duration: windowSeconds };
    const memory = new RateLimiterMemory(options);
    counter =
      database.kind === 'postgres'
        ? new RateLimiterDrizzle({ ...options, storeClient: database.db, schema: rateLimits, insuranceLimiter: memory })
        : memory;
    byName.set(key, counter);
  }
  return counter;
}
