/**
 * How many event streams each principal has open, across every API instance on the database: each open
 * stream holds a lease, a row in the shared rate_limits table (key `event-stream:<principal>:<stream id>`,
 * `expire` = the lease's end), renewed while the stream lasts and deleted when it ends. A stream whose
 * instance died without deleting it stops counting when its lease runs out (LEASE_MS), so a crash never
 * locks a principal out for longer than that. Opening takes the lease first and counts after, so
 * concurrent opens on several instances can only refuse one too many, never admit one too many.
 * (The limit counters' sweeper deletes expired rows an hour later; limit-counters.ts.)
 */
import { randomUUID } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { rateLimits } from '../../db/schema';

export const LEASE_MS = 30_000;
const RENEW_MS = 10_000;

export interface StreamSlots {
  /** A slot for one more stream of `principalId` (release it when the stream ends), or null when `limit` are open. */
  acquire(principalId: string, limit: number): Promise<(() => void) | null>;
}

const prefix = (principalId: string) => `event-stream:${principalId}:`;

export function streamSlots(db: Db): StreamSlots {
  const expiry = () => new Date(Date.now() + LEASE_MS);
  return {
    async acquire(principalId, limit) {
      const key = prefix(principalId) + randomUUID();
      await db.insert(rateLimits).values({ key, points: 1, expire: expiry() });
      const [{ open }] = await db
        .select({ open: sql<number>`count(*)::int` })
        .from(rateLimits)
        .where(and(sql`starts_with(${rateLimits.key}, ${prefix(principalId)})`, gt(rateLimits.expire, sql`now()`)));
      const drop = () => db.delete(rateLimits).where(eq(rateLimits.key, key));
      if (open > limit) {
        await drop();
        return null;
      }
      const renew = setInterval(() => {
        // Best effort: a renewal that fails is retried on the next tick; the lease outlasts two missed ones.
        db.update(rateLimits)
          .set({ expire: expiry() })
          .where(eq(rateLimits.key, key))
          .catch(() => undefined);
      }, RENEW_MS);
      renew.unref();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        clearInterval(renew);
        drop().catch(() => undefined); // a lease left behind runs out by itself
      };
    },
  };
}
