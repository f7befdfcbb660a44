/** Bearer-token authentication against api_tokens (hashed), active principals only. */
import { and, eq, isNull } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import type { Database } from '../db/client';
import { apiTokens, partnerLinks, principals } from '../db/schema';
import type { Role } from '../workflows/contract';
import { unauthorized } from './problem';
import { hashToken } from './tokens';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

export function authenticate(database: Database): RequestHandler {
  const { db } = database;
  return async (req, res, next) => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer realm="caseflow"');
      throw unauthorized('send a bearer token: Authorization: Bearer <token>');
    }
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
      .where(and(eq(apiTokens.tokenHash, hashToken(match[1])), isNull(apiTokens.revokedAt), isNull(principals.disabledAt)))
      .limit(1);
    if (!row) {
      res.set('WWW-Authenticate', 'Bearer realm="caseflow", error="invalid_token"');
      throw unauthorized('the token is unknown, revoked, or its principal is disabled');
    }
    const linkedOrgIds =
      row.role === 'support_partner'
        ? (await db.select({ orgId: partnerLinks.orgId }).from(partnerLinks).where(eq(partnerLinks.partnerId, row.id))).map((l) => l.orgId)
        : [];
    req.principal = { ...row, role: row.role as Role, linkedOrgIds };
    req.log = req.log.child({ principal: row.id });
    next();
  };
}
