/**
 * The counters behind the API's limits (requests per token, failed authentications per client address), one
 * per limit and database, so every app on a database counts together. On PostgreSQL they live in the
 * rate_limits table (rate-limiter-flexible's RateLimiterDrizzle: one atomic upsert per count), shared by every
 * API instance; if the table cannot be reached an in-memory counter stands in (the library's insurance
 * limiter) rather than failing requests. PGlite is one process, so memory is the honest shared store there.
 * The counters only count: each middleware compares the count with its own limit.
 */
import { lt, sql } from 'drizzle-orm';
import { RateLimiterDrizzle, RateLimiterMemory, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../../db/client';
import { rateLimits } from '../../db/schema';

/** `inbound-refusal`: the inbound SMTP listener's refusals; `inbound-answer`: answers mailed to verified customers. */
export type LimitName = 'token' | 'auth-failure' | 'inbound-refusal' | 'inbound-answer';

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
    counter = database.kind === 'postgres' ? new SweptDrizzleCounter(database, options, memory) : memory;
    byName.set(key, counter);
  }
  return counter;
}

const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * RateLimiterDrizzle whose expired rows (windows over for an hour) are deleted while it counts, at most every
 * five minutes, instead of by the library's own timer: that timer outlives a closed database and retries
 * against it for as long as the process runs (every test file's database, in one jest process).
 */
class SweptDrizzleCounter extends RateLimiterDrizzle {
  private lastSweep = Date.now();

  constructor(
    private readonly database: Database,
    options: { keyPrefix: string; points: number; duration: number },
    insurance: RateLimiterMemory,
  ) {
    super({ ...options, storeClient: database.db, schema: rateLimits, insuranceLimiter: insurance, clearExpiredByTimeout: false });
  }

  override consume(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    if (Date.now() - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = Date.now();
      // Best effort: a sweep that fails leaves rows for the next one; counting goes on regardless.
      this.database.db
        .delete(rateLimits)
        .where(lt(rateLimits.expire, sql`now() - interval '1 hour'`))
        .catch(() => undefined);
    }
    return super.consume(key, points, options);
  }
}
