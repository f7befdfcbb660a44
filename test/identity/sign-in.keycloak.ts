/**
 * Issue 19 part 4: a real identity provider. Keycloak (pinned, from Maven Central, runtime/keycloak-toolchain.ts)
 * is Caseflow's staff provider; in Chromium a staff member signs in through Keycloak's own login page, the
 * directory's group makes him a manager (OIDC_STAFF_ROLES), logout ends the session here and at Keycloak (the
 * next sign-in asks for the password again), and once an administrator disables the user in Keycloak (admin
 * REST API) the open session is refused at its next provider check and a new sign-in is refused by Keycloak.
 * Not part of npm test: .ci/run runs it as its own timed step (jest --testMatch for test/identity/*.keycloak.ts).
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { identities, principals, sessions } from '../../db/schema';
import { hashSessionValue } from '../../api/session/store';
import { startKeycloak, type RunningKeycloak } from './keycloak';
import { freePort, startPeopleService, type PeopleService } from './people-service';

const JONAS = {
  username: 'jonas',
  password: 'correct horse battery staple',
  email: 'jonas@caseflow.example', // eng-emea in the demo seed: an engineer in Caseflow
  firstName: 'Jonas',
  lastName: 'Berg',
  groups: ['support-managers'],
};

let kc: RunningKeycloak;
let svc: PeopleService;
const suiteStarted = Date.now();

beforeAll(async () => {
  const [appPort, kcPort, kcManagement] = [await freePort(), await freePort(), await freePort()];
  kc = await startKeycloak({
    port: kcPort,
    managementPort: kcManagement,
    appUrl: `http://127.0.0.1:${appPort}`,
    users: [JONAS],
    groups: ['support-engineers', 'support-managers'],
  });
  process.stdout.write(`keycloak started in ${kc.startedInMs} ms\n`);
  svc = await startPeopleService({
    port: appPort,
    settings: {
      OIDC_STAFF_ISSUER: kc.issuer,
      OIDC_STAFF_CLIENT_ID: kc.clientId,
      OIDC_STAFF_CLIENT_SECRET: kc.clientSecret,
      OIDC_STAFF_LABEL: 'Sign in with Keycloak',
      OIDC_STAFF_ROLES: 'support-engineers=engineer,support-managers=manager',
      SESSION_PROVIDER_CHECK_SECONDS: '1',
    },
  });
}, 300_000);

afterAll(async () => {
  await svc?.close();
  await kc?.stop();
  process.stdout.write(`keycloak suite: ${Math.round((Date.now() - suiteStarted) / 1000)} s\n`);
});

async function signInThroughKeycloak(page: Page): Promise<void> {
  await page.goto(svc.url);
  await page.locator('[data-provider="staff"]').click();
  await page.locator('#username').waitFor({ timeout: 30_000 });
  await page.fill('#username', JONAS.username);
  await page.fill('#password', JONAS.password);
  await page.locator('#kc-login').click();
}

async function inPage(page: Page, path: string) {
  return page.evaluate(async (p) => {
    const res = await fetch(p);
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }, path);
}

const sessionCookie = async (page: Page) => (await page.context().cookies()).find((c) => c.name === 'caseflow_session');

test('sign in through Keycloak; a group maps to a role; logout ends the session here and at Keycloak', async () => {
  const page = await (await svc.browser.newContext()).newPage();
  await signInThroughKeycloak(page);
  await page.locator('.who').waitFor({ timeout: 30_000 });
  // The directory's group decides: Jonas, an engineer in Caseflow, is a manager in Keycloak's support-managers group.
  expect(await page.locator('.who').textContent()).toContain('manager');
  expect((await inPage(page, '/v1/me')).body).toMatchObject({ id: 'eng-emea', role: 'manager', managerLevel: 1 });
  const links = await svc.database.db.select().from(identities).where(eq(identities.principalId, 'eng-emea'));
  expect(links.map((l) => l.issuer)).toEqual([kc.issuer]);

  const cookie = (await sessionCookie(page))!;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('[data-provider="staff"]').waitFor({ timeout: 30_000 });
  expect((await fetch(`${svc.url}/v1/me`, { headers: { cookie: `caseflow_session=${cookie.value}` } })).status).toBe(401);
  // Keycloak's session ended too: signing in again shows its login form instead of coming straight back.
  await page.locator('[data-provider="staff"]').click();
  await page.locator('#username').waitFor({ timeout: 30_000 });
  await page.context().close();
});

test('a user disabled in Keycloak loses the open session and cannot sign in again', async () => {
  const page = await (await svc.browser.newContext()).newPage();
  await signInThroughKeycloak(page);
  await page.locator('.who').waitFor({ timeout: 30_000 });
  const cookie = (await sessionCookie(page))!;
  expect((await inPage(page, '/v1/me')).status).toBe(200);

  await kc.setEnabled(JONAS.username, false);
  const disabledAt = Date.now();
  // The session is re-checked at Keycloak (refresh grant) once its check is due (1 s here): refused, ended here.
  let status = 200;
  while (status === 200 && Date.now() - disabledAt < 10_000) {
    await new Promise((r) => setTimeout(r, 250));
    status = (await inPage(page, '/v1/me')).status;
  }
  expect(status).toBe(401);
  process.stdout.write(`session refused ${Date.now() - disabledAt} ms after the user was disabled in Keycloak\n`);
  // The session row is revoked, not merely refused once.
  const [row] = await svc.database.db
    .select()
    .from(sessions)
    .where(eq(sessions.id, hashSessionValue(cookie.value)));
  expect(row.revokedAt).not.toBeNull();

  // A new sign-in: Keycloak itself refuses the disabled account; no session is opened.
  await page.goto(svc.url);
  await page.locator('[data-provider="staff"]').click();
  await page.locator('#username').waitFor({ timeout: 30_000 });
  await page.fill('#username', JONAS.username);
  await page.fill('#password', JONAS.password);
  await page.locator('#kc-login').click();
  await page
    .getByText(/disabled/i)
    .first()
    .waitFor({ timeout: 30_000 });
  expect(await sessionCookie(page)).toBeUndefined();
  const [principal] = await svc.database.db.select().from(principals).where(eq(principals.id, 'eng-emea'));
  expect(principal.disabledAt).toBeNull(); // Caseflow's own account is untouched: the directory refused
  await page.context().close();
});
