/**
 * Token guessing: a client address that collected `limit` failed authentications (401) within a minute
 * gets 429s until the minute is over; the refusal is told how many seconds are left (Retry-After). Only
 * refused authentications count, recorded before their 401 leaves (so the client's next request already
 * sees them); good requests count nothing (a limiter that counts up front and refunds successes refuses a
 * busy client with more than `limit` concurrent good requests, e.g. everything behind one load balancer).
 * The counter is shared by every API instance on the database (shared-state/limit-counters.ts).
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

export interface FailedAuthenticationLimit {
  /** Refuses a blocked address before authentication is tried. */
  guard: RequestHandler;
  /** Counts one refused authentication of the request's address. */
  record(req: Request): Promise<void>;
}

export function limitFailedAuthentications(
  counter: RateLimiterAbstract,
  limit: number,
  refuse: (req: Request, res: Response, retryAfterSeconds: number) => void,
  logger: Logger,
): FailedAuthenticationLimit {
  const address = (req: Request) => req.ip ?? '';
  return {
    guard: async (req, res, next) => {
      const failures = await counter.get(address(req));
      if (failures && failures.consumedPoints >= limit) return refuse(req, res, Math.max(1, Math.ceil(failures.msBeforeNext / 1000)));
      next();
    },
    record: async (req) => {
      try {
        await counter.consume(address(req), 1);
      } catch (err) {
        // Counting must not turn the 401 into a 5xx; the in-memory insurance counter makes this rare.
        logger.warn({ err }, 'failed authentication not counted');
      }
    },
  };
}
