/** Bearer-token authentication against api_tokens (hashed), active principals only. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import type { Db } from '../db/client';
import { apiTokens, partnerLinks, principals } from '../db/schema';
import type { Role } from '../contract/case';
import type { Caches } from './caches';
import type { Principal } from './principal';
import { unauthorized } from './problem';
import { hashToken } from './tokens';

/** The scheme is case-insensitive (RFC 9110 section 11.1); the token is a token68. */
const BEARER = /^bearer +([A-Za-z0-9._~+/=-]{1,512})$/i;

async function lookup(db: Db, tokenHash: string): Promise<Principal | null> {
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      id: principals.id,
      name: principals.name,
      role: principals.role,
      orgId: principals.orgId,
      homeRegion: principals.homeRegion,
      managerLevel: principals.managerLevel,
    })
    .from(apiTokens)
    .innerJoin(principals, eq(principals.id, apiTokens.principalId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), isNull(principals.disabledAt)))
    .limit(1);
  if (!row) return null;
  // Once per cache miss (at most every TTL per token and instance): enough to find tokens nobody uses.
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(eq(apiTokens.id, row.tokenId));
  const linkedOrgIds =
    row.role === 'support_partner'
      ? (await db.select({ orgId: partnerLinks.orgId }).from(partnerLinks).where(eq(partnerLinks.partnerId, row.id))).map((l) => l.orgId)
      : [];
  return { ...row, role: row.role as Role, linkedOrgIds };
}

/** Principals are cached briefly by token hash: revoking or disabling through this instance takes effect at once. */
export function authenticate(db: Db, caches: Caches): RequestHandler {
  return async (req, res, next) => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer realm="caseflow"');
      throw unauthorized('send a bearer token: Authorization: Bearer <token>');
    }
    const tokenHash = hashToken(match[1]);
    const principal = await caches.principals.get(tokenHash, () => lookup(db, tokenHash));
    if (!principal) {
      res.set('WWW-Authenticate', 'Bearer realm="caseflow", error="invalid_token"');
      throw unauthorized('the token is unknown, revoked, or its principal is disabled');
    }
    req.principal = principal;
    req.log = req.log.child({ principal: principal.id });
    next();
  };
}
