/**
 * express-rate-limit's store interface over a shared limit counter (limit-counters.ts): express-rate-limit
 * keeps deciding and writing the 429 and its RateLimit / Retry-After headers, the counts live where every
 * instance sees them.
 */
import type { ClientRateLimitInfo, IncrementResponse, Store } from 'express-rate-limit';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

const info = (res: RateLimiterRes): ClientRateLimitInfo => ({
  totalHits: res.consumedPoints,
  resetTime: new Date(Date.now() + Math.max(0, res.msBeforeNext)),
});

export class SharedCounterStore implements Store {
  /** Counts are not this process's own: another instance adds to the same key. */
  readonly localKeys = false;

  constructor(private readonly counter: RateLimiterAbstract) {}

  async increment(key: string): Promise<IncrementResponse> {
    return info(await this.counter.consume(key, 1));
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const res = await this.counter.get(key);
    return res ? info(res) : undefined;
  }

  async decrement(key: string): Promise<void> {
    await this.counter.reward(key, 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.counter.delete(key);
  }
}
