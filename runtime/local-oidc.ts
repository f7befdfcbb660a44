/**
 * npm start's embedded OpenID provider (oidc-provider, the certified npm library), so a newcomer signs in
 * through the real Authorization Code flow with one click. Development only: it binds to 127.0.0.1, answers
 * only a loopback Host (DNS rebinding), and is never started with NODE_ENV=production (runtime/config.ts
 * localOidc) nor shipped (a dev dependency, loaded on demand). Accounts are the demo personas
 * (runtime/demo-seed.ts): no passwords, the persona *is* the credential, which is why this provider must stay
 * on the loopback. A `login_hint` naming a persona signs in as it at once; without one, the provider's own
 * page lists the personas. Consent is implied (the console is the only, first-party client); logout needs no
 * confirmation click. The client is confidential: its secret is random per start and handed to the API in
 * process.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { OidcProviderSettings } from '../api/oidc/types';
import { isLoopbackHost } from './console-static';
import { DEMO_PRINCIPALS } from './demo-seed';

export interface LocalPersona {
  id: string;
  name: string;
  email: string;
  role: string;
}

export interface LocalOidc {
  settings: OidcProviderSettings;
  issuer: string;
  close(): Promise<void>;
}

export const LOCAL_PROVIDER_ID = 'local';

/**
 * The provider's state (interactions, codes, its own sessions) in memory, on purpose: one development
 * process, and a restart only means signing in again (Caseflow's own sessions are in the database).
 */
class MemoryAdapter {
  private static readonly store = new Map<string, { payload: Record<string, unknown>; expires: number }>();
  constructor(private readonly model: string) {}
  private key = (id: string) => `${this.model}:${id}`;
  upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void> {
    const store = MemoryAdapter.store;
    if (store.size > 20_000) for (const [k, v] of store) if (v.expires < Date.now()) store.delete(k);
    store.set(this.key(id), { payload, expires: Date.now() + expiresIn * 1000 });
    if (typeof payload.uid === 'string')
      store.set(`uid:${this.model}:${payload.uid}`, { payload: { id }, expires: Date.now() + expiresIn * 1000 });
    if (typeof payload.userCode === 'string')
      store.set(`userCode:${payload.userCode}`, { payload: { id }, expires: Date.now() + expiresIn * 1000 });
    return Promise.resolve();
  }
  find(id: string): Promise<Record<string, unknown> | undefined> {
    const hit = MemoryAdapter.store.get(this.key(id));
    return Promise.resolve(hit && hit.expires > Date.now() ? hit.payload : undefined);
  }
  findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    const ref = MemoryAdapter.store.get(`uid:${this.model}:${uid}`);
    return ref ? this.find(ref.payload.id as string) : Promise.resolve(undefined);
  }
  findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
    const ref = MemoryAdapter.store.get(`userCode:${userCode}`);
    return ref ? this.find(ref.payload.id as string) : Promise.resolve(undefined);
  }
  consume(id: string): Promise<void> {
    const hit = MemoryAdapter.store.get(this.key(id));
    if (hit) hit.payload.consumed = Math.floor(Date.now() / 1000);
    return Promise.resolve();
  }
  destroy(id: string): Promise<void> {
    MemoryAdapter.store.delete(this.key(id));
    return Promise.resolve();
  }
  revokeByGrantId(grantId: string): Promise<void> {
    for (const [k, v] of MemoryAdapter.store) if (v.payload.grantId === grantId) MemoryAdapter.store.delete(k);
    return Promise.resolve();
  }
}

export const DEMO_PERSONAS: LocalPersona[] = DEMO_PRINCIPALS.map((p) => ({ id: p.id, name: p.name, email: p.email, role: p.role }));

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}button{margin:.2rem 0;padding:.4rem .8rem}li{list-style:none}</style>
</head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

export async function startLocalOidc(opts: {
  port: number;
  /** The console's public URL: the client's redirect and post-logout URIs. */
  publicUrl: string;
  logger: Logger;
  personas?: LocalPersona[];
}): Promise<LocalOidc> {
  // Loaded here only: the dev dependency is absent from a production install.
  const { default: Provider } = await import('oidc-provider');
  const personas = opts.personas ?? DEMO_PERSONAS;
  const byId = new Map(personas.map((p) => [p.id, p]));
  const clientId = 'caseflow-console';
  const clientSecret = randomBytes(32).toString('base64url');
  const jwk = {
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid: 'local-1',
    use: 'sig',
    alg: 'RS256',
  };

  // Listen first, so the issuer names the real port (0 = any free one, for tests).
  const server: Server = createServer();
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  // The default port taken (a second checkout, another tool): any free one does, the issuer names it.
  await listen(opts.port).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE' || opts.port === 0) throw err;
    return listen(0);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${opts.publicUrl}/auth/callback`],
        post_logout_redirect_uris: [`${opts.publicUrl}/`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, sub) => {
      const p = byId.get(sub);
      if (!p) return undefined;
      return { accountId: p.id, claims: () => ({ sub: p.id, email: p.email, email_verified: true, name: p.name }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // No "really sign out?" page: the console already asked; the form (with its xsrf field) submits itself.
        logoutSource: (ctx, form) => {
          ctx.body = page(
            'Signing out',
            `${form}<input type="hidden" name="logout" value="yes" form="op.logoutForm"><button type="submit" form="op.logoutForm">Sign out</button>` +
              `<script>document.getElementById('op.logoutForm').submit()</script>`,
          );
        },
      },
    },
    // The console is the only client and first-party: consent is implied for what it asks.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) {
        const found = await ctx.oidc.provider.Grant.find(grantId);
        if (found) return found;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 12 * 3600,
      Session: 12 * 3600,
      Grant: 12 * 3600,
    },
    adapter: MemoryAdapter,
  });
  provider.on('server_error', (_ctx, err) => opts.logger.warn({ err }, 'local OpenID provider error'));
  const callback = provider.callback();

  const finish = async (req: IncomingMessage, res: ServerResponse, accountId: string) =>
    provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (!isLoopbackHost(req.headers.host)) {
        res.writeHead(404).end();
        return;
      }
      const url = new URL(req.url ?? '/', issuer);
      const interaction = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(url.pathname);
      if (!interaction) return callback(req, res);
      const details = await provider.interactionDetails(req, res);
      if (interaction[2] && req.method === 'POST') {
        const body = await new Promise<string>((resolve) => {
          let data = '';
          req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8').slice(0, 4096)));
          req.on('end', () => resolve(data));
        });
        const persona = new URLSearchParams(body).get('persona') ?? '';
        if (!byId.has(persona)) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown persona');
          return;
        }
        return finish(req, res, persona);
      }
      const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
      if (details.prompt.name === 'login' && byId.has(hint)) return finish(req, res, hint);
      // No (known) hint: the provider's own page offers every persona.
      const items = personas
        .map(
          (p) =>
            `<li><button name="persona" value="${escape(p.id)}">${escape(p.name)}</button> <small>${escape(p.role.replace('_', ' '))}</small></li>`,
        )
        .join('');
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(
          page(
            'Caseflow local sign-in (development)',
            `<p>Pick a demo persona.</p><form method="post" action="/interaction/${escape(details.uid)}/login"><ul>${items}</ul></form>`,
          ),
        );
    })().catch((err: unknown) => {
      opts.logger.warn({ err }, 'local OpenID provider interaction failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('sign-in failed: start again from the console');
    });
  });
  opts.logger.info({ issuer }, 'local OpenID provider (development) listening on the loopback');

  return {
    issuer,
    settings: {
      id: LOCAL_PROVIDER_ID,
      label: 'Local demo provider',
      issuer,
      clientId,
      clientSecret,
      audience: 'all',
      loginHints: true,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
