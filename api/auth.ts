/**
 * Authentication of /v1: a bearer token (api_tokens, hashed; integrations, scripts, the mail gateway), or,
 * for people signed in through OpenID Connect and only without an Authorization header, the session cookie
 * (api/session/): valid while not revoked or expired and its principal enabled; state changes need the CSRF
 * token (api/session/csrf.ts). Active principals only, either way.
 */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Request, RequestHandler } from 'express';
import type { Db } from '../db/client';
import { apiTokens, partnerLinks, principals } from '../db/schema';
import type { Role } from '../contract/case';
import type { RecordRefusal } from './auth-failure-limit';
import type { Caches } from './caches';
import type { PeopleAuth } from './oidc/people';
import { clearSessionCookie, readCookie } from './session/cookies';
import { csrfRefusal } from './session/csrf';
import { hashSessionValue, lookupSession, touchSession, type SessionInfo } from './session/store';
import type { Principal } from './principal';
import { forbidden, unauthorized } from './problem';
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
  // A cache miss happens about every second per token and instance: stamp at most once a minute, which is
  // enough to find tokens nobody uses.
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(eq(apiTokens.id, row.tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`))),
    );
  const linkedOrgIds =
    row.role === 'support_partner'
      ? (await db.select({ orgId: partnerLinks.orgId }).from(partnerLinks).where(eq(partnerLinks.partnerId, row.id))).map((l) => l.orgId)
      : [];
  return { ...row, role: row.role as Role, linkedOrgIds };
}

/** How a request proved who it is, so a long-lived response (the event stream) can ask again later. */
const credentials = new WeakMap<Request, () => Promise<Principal | null>>();

/**
 * Principals are cached briefly by token hash; a revoked token or a disabled principal is refused by every
 * instance as soon as the change notification empties its cache (caches.ts). `onRefused` runs before the
 * 401 is thrown, only once the credential is known to be invalid: the failed-authentication limit counts it
 * and may answer 429 instead, but never stands between a valid token and its request.
 */
export function authenticate(db: Db, caches: Caches, onRefused: RecordRefusal, people?: PeopleAuth): RequestHandler {
  const sessionAuth = people ? authenticateSession(db, caches, onRefused, people) : null;
  return async (req, res, next) => {
    if (sessionAuth && req.get('authorization') === undefined && readCookie(req, people!.names.session)) return sessionAuth(req, res, next);
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match) {
      await onRefused(req, null);
      res.set('WWW-Authenticate', 'Bearer realm="caseflow"');
      throw unauthorized('send a bearer token: Authorization: Bearer <token>');
    }
    const tokenHash = hashToken(match[1]);
    const current = () => caches.principals.get(tokenHash, () => lookup(db, tokenHash));
    const principal = await current();
    if (!principal) {
      await onRefused(req, match[1]);
      res.set('WWW-Authenticate', 'Bearer realm="caseflow", error="invalid_token"');
      throw unauthorized('the token is unknown, revoked, or its principal is disabled');
    }
    credentials.set(req, current);
    req.principal = principal;
    req.log = req.log.child({ principal: principal.id });
    next();
  };
}

/** The session a cached principal was read with (the same object while cached). */
const sessionOfPrincipal = new WeakMap<Principal, SessionInfo>();
/** When this instance last stamped a session's use (its idle time restarts); the database throttles too. */
const lastTouched = new Map<string, number>();
const TOUCH_EVERY_MS = 30_000;

function authenticateSession(db: Db, caches: Caches, onRefused: RecordRefusal, people: PeopleAuth): RequestHandler {
  return async (req, res, next) => {
    const value = readCookie(req, people.names.session)!;
    const id = hashSessionValue(value);
    const current = () =>
      caches.principals.get(`session:${id}`, async () => {
        const found = await lookupSession(db, id, people.idleMs);
        if (!found) return null;
        sessionOfPrincipal.set(found.principal, found.session);
        return found.principal;
      });
    let principal = await current();
    const session = principal ? sessionOfPrincipal.get(principal) : undefined;
    if (principal && session && !(await people.checkAtProvider(session))) principal = null;
    if (!principal || !session) {
      await onRefused(req, value);
      clearSessionCookie(res, people.names);
      res.set('WWW-Authenticate', 'Bearer realm="caseflow"');
      throw unauthorized('the session has ended (signed out, expired, revoked, or the account disabled): sign in again');
    }
    const refused = csrfRefusal(req, session.csrfToken, people.publicOrigin);
    if (refused) throw forbidden(refused);
    const now = Date.now();
    if (now - (lastTouched.get(id) ?? 0) > TOUCH_EVERY_MS) {
      if (lastTouched.size > 50_000) lastTouched.clear();
      lastTouched.set(id, now);
      await touchSession(db, id, TOUCH_EVERY_MS);
    }
    credentials.set(req, current);
    req.principal = principal;
    req.log = req.log.child({ principal: principal.id, session: id.slice(0, 12) });
    next();
  };
}

/** The request's principal as it is now (null: its token was revoked or the principal disabled since). */
export function currentPrincipal(req: Request): Promise<Principal | null> {
  const current = credentials.get(req);
  return current ? current() : Promise.resolve(null);
}
