/**
 * Token guessing: a client address that collected `limit` failed authentications (401) within a minute
 * gets 429s until the minute is over; the refusal is told how many seconds are left (Retry-After). Only answered 401s count; requests in flight count nothing (a
 * limiter that counts up front and refunds successes refuses a busy client with more than `limit`
 * concurrent good requests, e.g. everything behind one load balancer).
 */
import type { Request, RequestHandler, Response } from 'express';

interface Window {
  startedAt: number;
  failures: number;
}

const MAX_TRACKED_ADDRESSES = 100_000;

export function limitFailedAuthentications(
  limit: number,
  windowMs: number,
  refuse: (req: Request, res: Response, retryAfterSeconds: number) => void,
): RequestHandler {
  const windows = new Map<string, Window>();
  const current = (address: string, now: number): Window | undefined => {
    const w = windows.get(address);
    if (w && now - w.startedAt >= windowMs) {
      windows.delete(address);
      return undefined;
    }
    return w;
  };
  return (req, res, next) => {
    const address = req.ip ?? '';
    const now = Date.now();
    const w = current(address, now);
    if (w && w.failures >= limit) return refuse(req, res, Math.max(1, Math.ceil((w.startedAt + windowMs - now) / 1000)));
    res.once('finish', () => {
      if (res.statusCode !== 401) return;
      const now = Date.now();
      let w = current(address, now);
      if (!w) {
        // Bounded memory under a spray of addresses: forget everything rather than grow without limit.
        if (windows.size >= MAX_TRACKED_ADDRESSES) windows.clear();
        w = { startedAt: now, failures: 0 };
        windows.set(address, w);
      }
      w.failures++;
    });
    next();
  };
}
