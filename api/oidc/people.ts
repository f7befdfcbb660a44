/**
 * People sign in through OpenID Connect; the console then holds a server-side session (api/session/).
 *
 *   GET  /auth/providers   the configured providers (and whether the sign-in page may offer login hints)
 *   GET  /auth/login       ?provider=&login_hint=&return_to=: starts the Authorization Code flow with PKCE
 *   GET  /auth/callback    the provider's redirect: code -> tokens -> identity -> principal -> session cookie
 *   GET  /auth/session     the cookie's session: principal, expiry and the CSRF token for state changes
 *   POST /auth/logout      ends the session here (X-CSRF-Token) and answers the provider's logout URL
 *
 * Bearer tokens (integrations, scripts, the mail gateway) are untouched: a request with an Authorization
 * header is a bearer request, whatever cookies it carries.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { oidcLogins } from '../../db/schema';
import type { Caches } from '../caches';
import { notFound, Problem, sendProblem } from '../problem';
import {
  clearLoginCookie,
  clearSessionCookie,
  cookieNames,
  readCookie,
  setLoginCookie,
  setSessionCookie,
  type CookieNames,
} from '../session/cookies';
import { csrfRefusal } from '../session/csrf';
import { createSession, hashSessionValue, lookupSession, markProviderChecked, revokeSession, type SessionInfo } from '../session/store';
import { oidc, relyingParty, type Relying } from './client';
import { principalForIdentity, SignInRefused, type Claims } from './identity';
import type { PeopleSignIn } from './types';

const LOGIN_TTL = "interval '10 minutes'";
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Only a path of this console (never another site: an open redirect would hand out sign-ins). */
function safeReturnPath(raw: unknown): string {
  return typeof raw === 'string' && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(raw) && !raw.startsWith('/auth/') ? raw : '/';
}

export interface PeopleAuth {
  router: express.Router;
  names: CookieNames;
  publicOrigin: string;
  idleMs: number;
  /** Re-checks a session at its provider when due; false: the provider no longer honours it (revoked here now). */
  checkAtProvider(session: SessionInfo): Promise<boolean>;
}

export function createPeopleAuth(db: Db, caches: Caches, config: PeopleSignIn, logger: Logger): PeopleAuth {
  const names = cookieNames(config.publicUrl);
  const publicOrigin = new URL(config.publicUrl).origin;
  const redirectUri = `${config.publicUrl}/auth/callback`;
  const parties = new Map<string, Relying>(config.providers.map((p) => [p.id, relyingParty(p)]));
  const router = express.Router();
  const fail = (res: Response, reason: string) => res.redirect(303, `/?signin_error=${encodeURIComponent(reason)}`);

  router.get('/providers', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      providers: config.providers.map((p) => ({ id: p.id, label: p.label, loginHints: p.loginHints === true })),
    });
  });

  router.get('/login', async (req, res) => {
    // The login-binding cookie must be set on the host the callback returns to (localhost vs 127.0.0.1).
    if (req.get('host') !== new URL(config.publicUrl).host) return res.redirect(303, `${config.publicUrl}${req.originalUrl}`);
    const providerId = typeof req.query.provider === 'string' ? req.query.provider : config.providers[0]?.id;
    const party = providerId ? parties.get(providerId) : undefined;
    if (!party) throw notFound(`sign-in provider '${String(req.query.provider)}'`);
    let configuration: oidc.Configuration;
    try {
      configuration = await party.configuration();
    } catch (err) {
      req.log.warn({ err, issuer: party.settings.issuer }, 'identity provider discovery failed');
      throw new Problem(503, 'identity-provider-unavailable', `${party.settings.label} cannot be reached; try again shortly`);
    }
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const binding = randomBytes(32).toString('base64url');
    await db.delete(oidcLogins).where(lt(oidcLogins.createdAt, sql.raw(`now() - ${LOGIN_TTL}`)));
    await db.insert(oidcLogins).values({
      state,
      provider: party.settings.id,
      codeVerifier,
      nonce,
      returnTo: safeReturnPath(req.query.return_to),
      browserBinding: sha256(binding),
    });
    const params: Record<string, string> = {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    const hint = req.query.login_hint;
    if (typeof hint === 'string' && /^[\x21-\x7e]{1,254}$/.test(hint)) {
      params.login_hint = hint;
      params.prompt = 'login'; // a persona picked by hint: never the provider's earlier session of someone else
    }
    setLoginCookie(res, names, binding);
    res.set('Cache-Control', 'no-store').redirect(303, oidc.buildAuthorizationUrl(configuration, params).href);
  });

  router.get('/callback', async (req, res) => {
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    // Single use: whatever happens next, this state is spent.
    const [login] = state
      ? await db
          .delete(oidcLogins)
          .where(and(eq(oidcLogins.state, state), sql`${oidcLogins.createdAt} > now() - ${sql.raw(LOGIN_TTL)}`))
          .returning()
      : [];
    clearLoginCookie(res, names);
    if (!login) return fail(res, 'that sign-in expired or was already used: start again');
    const binding = readCookie(req, names.login);
    if (!binding || sha256(binding) !== login.browserBinding)
      return fail(res, 'that sign-in was started in another browser: start again here');
    const party = parties.get(login.provider);
    if (!party) return fail(res, 'that sign-in provider is no longer configured');
    if (typeof req.query.error === 'string') {
      const why = typeof req.query.error_description === 'string' ? req.query.error_description : req.query.error;
      return fail(res, `${party.settings.label} did not sign you in: ${why.slice(0, 300)}`);
    }
    try {
      const configuration = await party.configuration();
      const tokens = await oidc.authorizationCodeGrant(configuration, new URL(req.originalUrl, config.publicUrl), {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      // Providers put profile claims (email, groups) in the ID token, the userinfo answer, or both.
      const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub).catch((err: unknown) => {
        req.log.warn({ err }, 'userinfo not available; using the ID token claims');
        return {};
      });
      const claims: Claims = { ...idClaims, ...userinfo, iss: idClaims.iss, sub: idClaims.sub };
      const principalId = await principalForIdentity(db, party.settings, claims);
      caches.clear(); // a role set from the directory is read at once
      const session = await createSession(
        db,
        {
          principalId,
          provider: party.settings.id,
          issuer: idClaims.iss,
          subject: idClaims.sub,
          idToken: tokens.id_token!,
          refreshToken: tokens.refresh_token ?? null,
        },
        config.absoluteMs,
      );
      setSessionCookie(res, names, session.value, config.absoluteMs);
      req.log.info({ principal: principalId, provider: party.settings.id }, 'signed in');
      res.set('Cache-Control', 'no-store').redirect(303, login.returnTo);
    } catch (err) {
      if (err instanceof SignInRefused) {
        req.log.info({ provider: party.settings.id, reason: err.message }, 'sign-in refused');
        return fail(res, err.message);
      }
      req.log.warn({ err, provider: party.settings.id }, 'sign-in failed');
      return fail(res, `the sign-in with ${party.settings.label} could not be completed; try again`);
    }
  });

  const sessionOf = async (req: Request) => {
    const value = readCookie(req, names.session);
    return value ? lookupSession(db, hashSessionValue(value), config.idleMs) : null;
  };

  router.get('/session', async (req, res) => {
    const found = await sessionOf(req);
    res.set('Cache-Control', 'no-store');
    if (!found) {
      clearSessionCookie(res, names);
      throw new Problem(401, 'unauthorized', 'no session: sign in');
    }
    const { session, principal } = found;
    res.json({
      principalId: principal.id,
      provider: session.provider,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
      idleExpiresAt: new Date(session.lastSeenAt.getTime() + config.idleMs).toISOString(),
    });
  });

  router.post('/logout', async (req, res) => {
    const found = await sessionOf(req);
    res.set('Cache-Control', 'no-store');
    let logoutUrl = `${config.publicUrl}/`;
    if (found) {
      const refused = csrfRefusal(req, found.session.csrfToken, publicOrigin);
      if (refused) throw new Problem(403, 'forbidden', refused);
      await revokeSession(db, found.session.id);
      caches.clear();
      const party = parties.get(found.session.provider);
      try {
        const configuration = party ? await party.configuration() : null;
        if (configuration?.serverMetadata().end_session_endpoint)
          logoutUrl = oidc.buildEndSessionUrl(configuration, {
            id_token_hint: found.session.idToken,
            post_logout_redirect_uri: `${config.publicUrl}/`,
          }).href;
      } catch (err) {
        req.log.warn({ err }, 'provider logout URL not available; the session ended here');
      }
      req.log.info({ principal: found.principal.id }, 'signed out');
    }
    clearSessionCookie(res, names);
    res.json({ logoutUrl });
  });

  router.use((req, res) => sendProblem(res, notFound(`${req.method} ${req.path}`), req.originalUrl));

  const checking = new Map<string, Promise<boolean>>();
  const checkAtProvider = (session: SessionInfo): Promise<boolean> => {
    if (!session.refreshToken || Date.now() - session.providerCheckedAt.getTime() < config.providerCheckMs) return Promise.resolve(true);
    const party = parties.get(session.provider);
    if (!party) return Promise.resolve(true);
    let running = checking.get(session.id);
    if (!running) {
      running = (async () => {
        try {
          const tokens = await oidc.refreshTokenGrant(await party.configuration(), session.refreshToken!);
          await markProviderChecked(db, session.id, tokens.refresh_token ?? null);
          session.providerCheckedAt = new Date();
          if (tokens.refresh_token) session.refreshToken = tokens.refresh_token;
          return true;
        } catch (err) {
          // The provider refused the grant (account disabled or deleted, session ended there): end it here.
          if (err instanceof oidc.ResponseBodyError) {
            logger.info({ principal: session.principalId, error: err.error }, 'the provider ended the session');
            await revokeSession(db, session.id);
            caches.clear();
            return false;
          }
          logger.warn({ err }, 'session re-check at the provider failed; the session goes on');
          return true;
        } finally {
          checking.delete(session.id);
        }
      })();
      checking.set(session.id, running);
    }
    return running;
  };

  return { router, names, publicOrigin, idleMs: config.idleMs, checkAtProvider };
}
