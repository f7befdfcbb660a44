/**
 * Issue 19 parts 1-2 without a browser: identity linking and role rules (api/oidc/identity.ts) on a real
 * database, and sessions across two API instances on one database (as test/api/instances.test.ts does for
 * tokens): a session opened through one instance is served by the other, logout through A ends B's open
 * event stream promptly (the time is printed), a bearer request ignores the cookie, and the CSRF rules hold on /v1.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { principalForIdentity, SignInRefused } from '../../api/oidc/identity';
import type { OidcProviderSettings, PeopleSignIn } from '../../api/oidc/types';
import { referenceDataChanges } from '../../api/shared-state/reference-data';
import { createSession } from '../../api/session/store';
import type { Database } from '../../db/client';
import { identities, principals } from '../../db/schema';
import { seedDemo } from '../../runtime/demo-seed';
import { createTestDatabase } from '../helpers/db';

const logger = pino({ level: 'silent' });
const ISSUER = 'https://staff.idp.example';
const staff: OidcProviderSettings = {
  id: 'staff',
  label: 'Staff sign-in',
  issuer: ISSUER,
  clientId: 'c',
  clientSecret: 's',
  audience: 'staff',
  roleClaim: 'groups',
  roleMap: { 'support-engineers': 'engineer', 'support-managers': 'manager', 'it-admins': 'admin' },
};
const customers: OidcProviderSettings = {
  ...staff,
  id: 'customers',
  label: 'Customer sign-in',
  issuer: 'https://customers.idp.example',
  audience: 'customers',
  roleMap: undefined,
};

let database: Database;
let tokens: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  tokens = Object.fromEntries((await seedDemo(database.db)).tokens.map((t) => [t.principalId, t.token]));
  await referenceDataChanges(database, logger).ready;
});
afterAll(async () => {
  await database?.close();
});

const claims = (sub: string, extra: Record<string, unknown>, iss = ISSUER) => ({ iss, sub, ...extra });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (err: unknown) => (err instanceof SignInRefused ? err.message : `unexpected ${String(err)}`),
  );

describe('identities', () => {
  test('first sign-in links by verified email only; later sign-ins go by issuer + subject', async () => {
    expect(
      await refusal(principalForIdentity(database.db, staff, claims('u1', { email: 'mei@caseflow.example', email_verified: false }))),
    ).toMatch(/verified email/);
    expect(
      await refusal(principalForIdentity(database.db, staff, claims('u1', { email: 'nobody@caseflow.example', email_verified: true }))),
    ).toMatch(/no Caseflow account/);
    expect(
      await principalForIdentity(
        database.db,
        staff,
        claims('u1', { email: 'MEI@caseflow.example', email_verified: true, groups: ['support-engineers'] }),
      ),
    ).toBe('eng-apac');
    // The email at the provider changes later: the identity stays Mei's.
    expect(
      await principalForIdentity(
        database.db,
        staff,
        claims('u1', { email: 'sofia@caseflow.example', email_verified: true, groups: ['support-engineers'] }),
      ),
    ).toBe('eng-apac');
    // Another subject at the same issuer cannot take over a linked account.
    expect(
      await refusal(principalForIdentity(database.db, staff, claims('u2', { email: 'mei@caseflow.example', email_verified: true }))),
    ).toMatch(/already linked/);
  });

  test('each provider serves its audience; roles come from the directory for staff only', async () => {
    // A customer cannot sign in through the staff provider, nor staff through the customer provider.
    expect(
      await refusal(principalForIdentity(database.db, staff, claims('c1', { email: 'anna@acme-premier.example', email_verified: true }))),
    ).toMatch(/does not sign in through Staff sign-in/);
    expect(
      await refusal(
        principalForIdentity(
          database.db,
          customers,
          claims('s1', { email: 'dana@caseflow.example', email_verified: true }, customers.issuer),
        ),
      ),
    ).toMatch(/does not sign in through Customer sign-in/);
    // A customer's claims never give a role: Anna stays a case admin of her organisation.
    const anna = await principalForIdentity(
      database.db,
      { ...customers, roleMap: { admins: 'admin' } },
      claims('c1', { email: 'anna@acme-premier.example', email_verified: true, groups: ['admins'] }, customers.issuer),
    );
    const [row] = await database.db.select().from(principals).where(eq(principals.id, anna));
    expect([row.id, row.role, row.orgId]).toEqual(['acme-premier-anna', 'case_admin', 'acme-premier']);
    // Staff: the highest mapped group wins; none mapped is refused; no claim keeps the stored role.
    expect(
      await principalForIdentity(
        database.db,
        staff,
        claims('s2', { email: 'sofia@caseflow.example', email_verified: true, groups: ['support-engineers', 'support-managers'] }),
      ),
    ).toBe('eng-americas');
    expect((await database.db.select().from(principals).where(eq(principals.id, 'eng-americas')))[0]).toMatchObject({
      role: 'manager',
      managerLevel: 1,
    });
    expect(await refusal(principalForIdentity(database.db, staff, claims('s2', { groups: ['marketing'] })))).toMatch(
      /grant no Caseflow role/,
    );
    await principalForIdentity(database.db, staff, claims('s2', { groups: ['support-engineers'] }));
    expect((await database.db.select().from(principals).where(eq(principals.id, 'eng-americas')))[0].role).toBe('engineer');
    // A disabled principal cannot sign in.
    await database.db.update(principals).set({ disabledAt: new Date() }).where(eq(principals.id, 'eng-americas'));
    expect(await refusal(principalForIdentity(database.db, staff, claims('s2', {})))).toMatch(/disabled/);
    await database.db.update(principals).set({ disabledAt: null }).where(eq(principals.id, 'eng-americas'));
    expect((await database.db.select().from(identities).where(eq(identities.issuer, ISSUER))).map((i) => i.principalId).sort()).toEqual([
      'eng-americas',
      'eng-apac',
    ]);
  });
});

describe('sessions across instances', () => {
  const people: PeopleSignIn = {
    publicUrl: 'http://127.0.0.1:1',
    providers: [],
    idleMs: 60_000,
    absoluteMs: 3_600_000,
    providerCheckMs: 300_000,
  };
  const temporal = { options: { namespace: 'default' } } as unknown as Client;
  let a: Express;
  let b: Express;
  let server: Server;
  let bUrl: string;

  beforeAll(async () => {
    a = createApp({ database, temporal, logger, peopleSignIn: people });
    b = createApp({ database, temporal, logger, peopleSignIn: people });
    server = await new Promise<Server>((resolve) => {
      const s = b.listen(0, '127.0.0.1', () => resolve(s));
    });
    bUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  const open = () =>
    createSession(
      database.db,
      { principalId: 'eng-emea', provider: 'staff', issuer: ISSUER, subject: 'jonas', idToken: 'unused', refreshToken: null },
      3_600_000,
    );

  /** A revocation reached the other instance (sessions last an hour, so without the notice nothing ends). */
  const PROPAGATED_MS = 10_000;

  test("a session from one instance works on the other; logout through A ends B's open stream promptly", async () => {
    const s = await open();
    const cookie = `caseflow_session=${s.value}`;
    expect((await request(a).get('/v1/me').set('Cookie', cookie)).body.id).toBe('eng-emea');
    expect((await request(b).get('/v1/me').set('Cookie', cookie)).body.id).toBe('eng-emea');
    const session = await request(b).get('/auth/session').set('Cookie', cookie);
    expect(session.body).toMatchObject({ principalId: 'eng-emea', csrfToken: s.csrfToken });

    const stream = await fetch(`${bUrl}/v1/events`, { headers: { cookie, accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // the ready event
    const ended = (async () => {
      while (!(await reader.read()).done);
      return performance.now();
    })();
    expect((await request(a).post('/auth/logout').set('Cookie', cookie)).status).toBe(403); // no CSRF token
    const before = performance.now();
    const logout = await request(a).post('/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', s.csrfToken);
    expect(logout.status).toBe(200);
    expect(logout.headers['set-cookie']?.[0]).toMatch(/^caseflow_session=;/);
    const ms = (await ended) - before;
    console.info(`session revoked through A: B's stream ended after ${Math.round(ms)} ms`);
    // Ended by the change notice, not by the hour-long session expiry: a bound loose enough for a loaded CI
    // machine (1.8 s was seen there); how fast, within a second when idle, is the printed figure above.
    expect(ms).toBeLessThan(PROPAGATED_MS);
    expect((await request(b).get('/v1/me').set('Cookie', cookie)).status).toBe(401);
  });

  test('bearer requests ignore the cookie; cookie state changes need the token and the own origin', async () => {
    const s = await open();
    const cookie = `caseflow_session=${s.value}`;
    // An Authorization header decides alone: a dead token with a live cookie is a 401.
    expect((await request(a).get('/v1/me').set('Cookie', cookie).set('Authorization', 'Bearer cf_dead')).status).toBe(401);
    expect((await request(a).get('/v1/me').set('Authorization', `Bearer ${tokens['demo-admin']}`).set('Cookie', cookie)).body.id).toBe(
      'demo-admin',
    );
    // A bearer state change needs no CSRF token.
    expect((await request(a).patch('/v1/principals/eng-emea').set('Authorization', `Bearer ${tokens['demo-admin']}`).send({})).status).toBe(
      200,
    );
    const patch = () => request(a).patch('/v1/principals/eng-emea').set('Cookie', cookie).send({});
    expect((await patch()).status).toBe(403);
    expect((await patch().set('X-CSRF-Token', s.csrfToken).set('Origin', 'https://evil.example')).status).toBe(403);
    expect((await patch().set('X-CSRF-Token', s.csrfToken).set('Sec-Fetch-Site', 'cross-site')).status).toBe(403);
    // Own origin and token: on to the route, where an engineer is refused by role.
    const byRole = await patch().set('X-CSRF-Token', s.csrfToken).set('Origin', 'http://127.0.0.1:1');
    expect([byRole.status, byRole.body.detail]).toEqual([403, expect.not.stringContaining('CSRF')]);
    // A garbled or unknown cookie is a 401 (and counted like a bad token), never a 500.
    expect((await request(a).get('/v1/me').set('Cookie', 'caseflow_session=nonsense-nonsense-nonsense')).status).toBe(401);
  });

  test("an administrator ends a person's sessions: open streams close promptly on the other instance", async () => {
    const [s1, s2] = [await open(), await open()];
    const stream = await fetch(`${bUrl}/v1/events`, { headers: { cookie: `caseflow_session=${s1.value}`, accept: 'text/event-stream' } });
    const reader = stream.body!.getReader();
    await reader.read();
    const ended = (async () => {
      while (!(await reader.read()).done);
      return performance.now();
    })();
    const before = performance.now();
    const res = await request(a).delete('/v1/principals/eng-emea/sessions').set('Authorization', `Bearer ${tokens['demo-admin']}`);
    expect(res.status).toBe(204);
    const ms = (await ended) - before;
    console.info(`sessions ended by an admin through A: B's stream ended after ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(PROPAGATED_MS);
    for (const s of [s1, s2]) expect((await request(b).get('/v1/me').set('Cookie', `caseflow_session=${s.value}`)).status).toBe(401);
    // Tokens are untouched; an unknown principal is a 404; only admins may.
    expect((await request(b).get('/v1/me').set('Authorization', `Bearer ${tokens['eng-emea']}`)).status).toBe(200);
    expect((await request(a).delete('/v1/principals/nobody/sessions').set('Authorization', `Bearer ${tokens['demo-admin']}`)).status).toBe(
      404,
    );
    expect((await request(a).delete('/v1/principals/eng-emea/sessions').set('Authorization', `Bearer ${tokens['mgr-duty']}`)).status).toBe(
      403,
    );
  });
});
