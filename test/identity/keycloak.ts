/**
 * A real Keycloak for the identity suite: the pinned distribution (runtime/keycloak-toolchain.ts) started in
 * development mode on a loopback port with an in-memory database and the realm below imported, so every
 * run starts from the same directory: a confidential client with PKCE (S256), a group-membership mapper
 * (claim `groups`), two groups and two users. Start-up is time-boxed (KEYCLOAK_START_TIMEOUT_MS, default
 * 240 s); the admin REST API (master realm's admin-cli) drives the directory, as an administrator would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureKeycloak } from '../../runtime/keycloak-toolchain';

export interface KeycloakUser {
  username: string;
  password: string;
  email: string;
  firstName: string;
  lastName: string;
  groups: string[];
}

export interface RunningKeycloak {
  issuer: string;
  clientId: string;
  clientSecret: string;
  startedInMs: number;
  /** The admin REST API (an access token of the bootstrap admin). */
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  setEnabled(username: string, enabled: boolean): Promise<void>;
  stop(): Promise<void>;
}

const REALM = 'caseflow';

export async function startKeycloak(opts: {
  port: number;
  managementPort: number;
  appUrl: string;
  users: KeycloakUser[];
  groups: string[];
}): Promise<RunningKeycloak> {
  const home = ensureKeycloak();
  const clientId = 'caseflow-console';
  const clientSecret = randomBytes(24).toString('base64url');
  const adminPassword = randomBytes(12).toString('base64url');
  const realm = {
    realm: REALM,
    enabled: true,
    sslRequired: 'none',
    groups: opts.groups.map((name) => ({ name })),
    clients: [
      {
        clientId,
        enabled: true,
        publicClient: false,
        clientAuthenticatorType: 'client-secret',
        secret: clientSecret,
        protocol: 'openid-connect',
        standardFlowEnabled: true,
        directAccessGrantsEnabled: false,
        redirectUris: [`${opts.appUrl}/auth/callback`],
        webOrigins: [],
        attributes: { 'pkce.code.challenge.method': 'S256', 'post.logout.redirect.uris': `${opts.appUrl}/` },
        protocolMappers: [
          {
            name: 'groups',
            protocol: 'openid-connect',
            protocolMapper: 'oidc-group-membership-mapper',
            config: {
              'claim.name': 'groups',
              'full.path': 'false',
              'id.token.claim': 'true',
              'access.token.claim': 'true',
              'userinfo.token.claim': 'true',
            },
          },
        ],
      },
    ],
    users: opts.users.map((u) => ({
      username: u.username,
      enabled: true,
      email: u.email,
      emailVerified: true,
      firstName: u.firstName,
      lastName: u.lastName,
      credentials: [{ type: 'password', value: u.password, temporary: false }],
      groups: u.groups.map((g) => `/${g}`),
      requiredActions: [],
    })),
  };
  const importDir = join(home, 'data', 'import');
  mkdirSync(importDir, { recursive: true });
  writeFileSync(join(importDir, `${REALM}-realm.json`), JSON.stringify(realm, null, 2));

  const started = Date.now();
  const proc: ChildProcess = spawn(
    join(home, 'bin', 'kc.sh'),
    [
      'start-dev',
      '--http-port',
      String(opts.port),
      '--http-host',
      '127.0.0.1',
      '--db',
      'dev-mem',
      '--import-realm',
      '--http-management-port',
      String(opts.managementPort),
    ],
    {
      env: {
        ...process.env,
        KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
        KC_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
        JAVA_OPTS_KC_HEAP: '-Xms128m -Xmx768m',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  const base = `http://127.0.0.1:${opts.port}`;
  const issuer = `${base}/realms/${REALM}`;
  const deadline = started + Number(process.env.KEYCLOAK_START_TIMEOUT_MS ?? 240_000);
  let up = false;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) break;
    try {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`);
      if (res.ok) {
        up = true;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const stop = async () => {
    if (proc.exitCode === null) {
      process.kill(-proc.pid!, 'SIGTERM');
      const killer = setTimeout(() => proc.exitCode === null && process.kill(-proc.pid!, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
  };
  if (!up) {
    await stop();
    throw new Error(`Keycloak did not answer within the time box (${Math.round((Date.now() - started) / 1000)} s). Its log:\n${log}`);
  }

  let adminToken: { value: string; expires: number } | null = null;
  const token = async () => {
    if (adminToken && adminToken.expires > Date.now()) return adminToken.value;
    const res = await fetch(`${base}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: 'admin', password: adminPassword }),
    });
    if (!res.ok) throw new Error(`Keycloak admin token: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    adminToken = { value: body.access_token, expires: Date.now() + (body.expires_in - 10) * 1000 };
    return adminToken.value;
  };
  const admin = async (method: string, path: string, body?: unknown) =>
    fetch(`${base}/admin/realms/${REALM}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    issuer,
    clientId,
    clientSecret,
    startedInMs: Date.now() - started,
    admin,
    setEnabled: async (username, enabled) => {
      const found = (await (await admin('GET', `/users?exact=true&username=${encodeURIComponent(username)}`)).json()) as Array<{
        id: string;
      }>;
      if (found.length !== 1) throw new Error(`Keycloak user ${username}: ${found.length} found`);
      const res = await admin('PUT', `/users/${found[0].id}`, { enabled });
      if (!res.ok) throw new Error(`Keycloak: enabling ${username}=${enabled}: ${res.status} ${await res.text()}`);
    },
    stop,
  };
}
