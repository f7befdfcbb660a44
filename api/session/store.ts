/**
 * Server-side sessions (db sessions): any API instance serves any session. The cookie value is 256 random
 * bits; the database keeps only its SHA-256, so a read of the table signs nobody in. A session is valid while
 * not revoked, before its absolute expiry, within the idle time of its last use, and while its principal is
 * enabled; the check is in SQL, against the database's clock, so every instance agrees.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { partnerLinks, principals, sessions } from '../../db/schema';
import type { Role } from '../../contract/case';
import type { Principal } from '../principal';

export const hashSessionValue = (value: string): string => createHash('sha256').update(`session\n${value}`).digest('hex');

export interface NewSession {
  principalId: string;
  provider: string;
  issuer: string;
  subject: string;
  idToken: string;
  refreshToken: string | null;
}

export interface OpenSession {
  /** The cookie's value (never stored). */
  value: string;
  id: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Db, s: NewSession, absoluteMs: number): Promise<OpenSession> {
  const value = randomBytes(32).toString('base64url');
  const id = hashSessionValue(value);
  const csrfToken = randomBytes(32).toString('base64url');
  const [row] = await db
    .insert(sessions)
    .values({ ...s, id, csrfToken, expiresAt: sql`now() + ${`${Math.round(absoluteMs)} milliseconds`}::interval` })
    .returning({ expiresAt: sessions.expiresAt });
  return { value, id, csrfToken, expiresAt: row.expiresAt };
}

export interface SessionInfo {
  id: string;
  principalId: string;
  provider: string;
  csrfToken: string;
  idToken: string;
  refreshToken: string | null;
  providerCheckedAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
}

/** The session and its principal as they are now; null: unknown, revoked, expired (idle or absolute) or disabled. */
export async function lookupSession(db: Db, id: string, idleMs: number): Promise<{ session: SessionInfo; principal: Principal } | null> {
  const [row] = await db
    .select({
      session: {
        id: sessions.id,
        principalId: sessions.principalId,
        provider: sessions.provider,
        csrfToken: sessions.csrfToken,
        idToken: sessions.idToken,
        refreshToken: sessions.refreshToken,
        providerCheckedAt: sessions.providerCheckedAt,
        expiresAt: sessions.expiresAt,
        lastSeenAt: sessions.lastSeenAt,
      },
      id: principals.id,
      name: principals.name,
      role: principals.role,
      orgId: principals.orgId,
      homeRegion: principals.homeRegion,
      managerLevel: principals.managerLevel,
    })
    .from(sessions)
    .innerJoin(principals, eq(principals.id, sessions.principalId))
    .where(
      and(
        eq(sessions.id, id),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - ${`${Math.round(idleMs)} milliseconds`}::interval`),
        isNull(principals.disabledAt),
      ),
    )
    .limit(1);
  if (!row) return null;
  const { session, ...p } = row;
  const linkedOrgIds =
    p.role === 'support_partner'
      ? (await db.select({ orgId: partnerLinks.orgId }).from(partnerLinks).where(eq(partnerLinks.partnerId, p.id))).map((l) => l.orgId)
      : [];
  // The rate limit counts per credential: a session is its own (never the principal's tokens' count).
  return { session, principal: { ...p, role: p.role as Role, tokenId: `session:${id.slice(0, 24)}`, linkedOrgIds } };
}

/** Marks the session used (its idle time restarts); at most once per `everyMs`, so requests write rarely. */
export async function touchSession(db: Db, id: string, everyMs = 30_000): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(
      and(eq(sessions.id, id), isNull(sessions.revokedAt), lt(sessions.lastSeenAt, sql`now() - ${`${everyMs} milliseconds`}::interval`)),
    );
}

export async function markProviderChecked(db: Db, id: string, refreshToken: string | null): Promise<void> {
  await db
    .update(sessions)
    .set({ providerCheckedAt: sql`now()`, ...(refreshToken ? { refreshToken } : {}) })
    .where(eq(sessions.id, id));
}

/** Ends a session (logout, a provider that no longer knows the account); every instance's streams of it end. */
export async function revokeSession(db: Db, id: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

/** Ends every open session of a principal (an administrator's "sign out everywhere"). */
export async function revokeSessionsOf(db: Db, principalId: string): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.principalId, principalId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length;
}
