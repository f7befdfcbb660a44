/**
 * The README's case, worked in Debian's Chromium by three personas against the real service (Temporal dev
 * server, worker, database, HTTP app serving the production console build): the customer opens it in the
 * portal, the engineer sees it appear in the queue live, requests information, the customer replies, the
 * engineer resolves, the customer confirms, the manager sees it in the report. Also: a refused action shows
 * the workflow's reason, another organisation's case is not reachable by URL, and axe-core finds no serious
 * violation on the main views. Screenshots go to $CONSOLE_SCREENSHOTS when set (docs/screenshots).
 */
import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe';
import { en } from '../../console/src/i18n/en';
import { insertOpenCases } from '../helpers/bulk-cases';
import { startConsoleService, type ConsoleService } from '../helpers/console-service';

const SHOTS = process.env.CONSOLE_SCREENSHOTS;
async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function expectAccessible(page: Page, view: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect({ view, violations }).toEqual({ view, violations: [] });
}

/** Submits the action form with this heading on the case page. */
async function act(page: Page, title: string, fill: Record<string, string> = {}): Promise<void> {
  const form = page.locator('form.action', { has: page.getByRole('heading', { name: title, exact: true }) });
  for (const [label, value] of Object.entries(fill)) {
    const field = form.getByLabel(label, { exact: true });
    if ((await field.evaluate((e: { tagName: string }) => e.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await form.locator('button[type=submit]').click();
}

/** The commands whose forms the case page shows (each form names its command). */
async function offeredCommands(page: Page): Promise<string[]> {
  await page.getByRole('heading', { name: /^(Actions|Aktionen)$/ }).waitFor();
  const names = await page
    .locator('form.action')
    .evaluateAll((forms) =>
      (forms as unknown as { getAttribute(n: string): string | null }[]).map((f) => f.getAttribute('data-command') ?? ''),
    );
  return [...new Set(names)].sort();
}

describe('console in the browser', () => {
  let svc: ConsoleService;

  /** The actions GET /v1/cases/{id} offers this principal now, sorted. */
  async function apiActions(principalId: string, caseId: string): Promise<string[]> {
    const res = await svc.call(principalId, 'GET', `/v1/cases/${caseId}`);
    expect(res.status).toBe(200);
    return [...(res.body.actions as string[])].sort();
  }

  /** Closes the cases a test opened, so the queue's scale test counts only its own. */
  async function closeAll(ids: string[]): Promise<void> {
    for (const id of ids) expect((await svc.call('mgr-duty', 'POST', `/v1/cases/${id}/close`, { reason: 'test done' })).status).toBe(200);
  }

  beforeAll(async () => {
    svc = await startConsoleService();
  }, 180_000);

  /** Cases a test opened that must be closed after it, passed or failed. */
  const opened: string[] = [];

  // Pages left open keep their live streams and countdowns running: on a loaded machine they slow the next test.
  afterEach(async () => {
    for (const id of opened.splice(0)) await svc.call('mgr-duty', 'POST', `/v1/cases/${id}/close`, { reason: 'test done' });
    for (const context of svc?.browser.contexts() ?? []) await context.close();
  });

  afterAll(async () => {
    await svc?.close();
  });

  test('customer, engineer and manager work the README case end to end', async () => {
    // The engineer signs in with the dev persona picker and watches the queue.
    const engineer = await svc.browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'Europe/Berlin' });
    const jonas = await engineer.newPage();
    await jonas.goto(`${svc.url}/`);
    await jonas.locator('[data-persona="eng-emea"]').waitFor();
    await expectAccessible(jonas, 'sign-in');
    await shot(jonas, 'sign-in');
    await jonas.locator('[data-persona="eng-emea"]').click();
    await jonas.waitForURL(/\/queue/);
    await jonas.locator('[data-live="live"]').waitFor({ timeout: 10_000 });
    await jonas.getByText(/0 open cases/).waitFor();

    // Anna opens a Severity 2 case from the portal, whose chrome is in her organisation's language (German).
    const { page: anna } = await svc.signedIn('acme-premier-anna');
    await anna.goto(`${svc.url}/portal`);
    await anna.getByRole('heading', { name: /Meine Fälle/ }).waitFor();
    await anna.getByRole('link', { name: 'Fall eröffnen' }).click();
    await anna.getByLabel('Schweregrad').selectOption({ label: 'Schweregrad 2 (30 Minuten)' });
    await anna.getByLabel('Produkt').selectOption('backup-replication');
    await anna.getByLabel('Version').selectOption('12.3');
    expect(await anna.getByLabel('Build').inputValue()).toBe('12.3.1.1139');
    await anna.getByLabel('Sprache').selectOption('en');
    await anna.getByLabel('Titel').fill('Nightly backup job fails');
    await anna.getByLabel('Beschreibung').fill('Error 0x80070005 since the proxy upgrade');
    await expectAccessible(anna, 'open-case form');
    await shot(anna, 'open-case-form');
    const openedAt = Date.now();
    await anna.getByRole('button', { name: 'Fall eröffnen' }).click();
    await anna.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseId = anna.url().split('/').pop()!;

    // It appears in Jonas's queue without a reload.
    const row = jonas.locator(`tr[data-case="${caseId}"]`);
    await row.waitFor({ timeout: 5_000 });
    const appearedMs = Date.now() - openedAt;
    expect(await row.textContent()).toMatch(/Nightly backup job fails.*Severity 2.*Premier.*Acme Logistics GmbH/);
    await expectAccessible(jonas, 'queue');
    process.stdout.write(`queue showed the new case ${appearedMs} ms after the customer pressed the button\n`);

    // The case page speaks the case's language (English here); the portal spoke the organisation's. It offers
    // the actions the API lists for Anna now: no confirming a resolution that does not exist yet.
    await anna.getByRole('heading', { name: 'Deadlines' }).waitFor();
    expect(await offeredCommands(anna)).toEqual(await apiActions('acme-premier-anna', caseId));
    expect(await anna.locator('form.action[data-action="confirmation"]').count()).toBe(0);
    const api = await svc.call('acme-premier-anna', 'POST', `/v1/cases/${caseId}/confirmation`, { accepted: true });
    expect(api.status).toBe(409);

    // Jonas takes it, answers, and asks for logs.
    await row.getByRole('link').click();
    await jonas.getByRole('heading', { name: /Nightly backup job fails/ }).waitFor();
    await act(jonas, 'Assign or hand off');
    await jonas.getByText('Owner').locator('xpath=following-sibling::dd[1]').getByText('eng-emea').waitFor();
    await act(jonas, 'Respond', { Response: 'Looking at it' });
    await jonas.getByTestId('case-status').getByText('in progress').waitFor();
    await act(jonas, 'Request information', { 'What do you need?': 'Please upload the job logs' });
    await jonas.getByTestId('case-status').getByText('awaiting customer').waitFor();
    // The notices the case queued are listed with their delivery state (here: no mail channel configured).
    await jonas.locator('[data-notice="info_request"]').waitFor();
    await jonas.locator('[data-notice="case_received"]').waitFor();
    await expectAccessible(jonas, 'case page (engineer)');
    await shot(jonas, 'case-page');

    // Anna's open case page follows live; she replies.
    await anna.getByTestId('case-status').getByText('awaiting customer').waitFor({ timeout: 5_000 });
    await anna.locator('[data-event="info_requested"]').getByText('Please upload the job logs').waitFor();
    await act(anna, 'Reply', { Message: 'Uploaded' });
    await anna.getByTestId('case-status').getByText('in progress').waitFor();
    await expectAccessible(anna, 'case page (customer)');

    // Jonas sees the reply arrive live, then resolves with a workaround; Anna confirms and the case closes.
    await jonas.getByTestId('case-status').getByText('in progress').waitFor({ timeout: 5_000 });
    await act(jonas, 'Resolve', { 'Resolution type': 'workaround', Summary: 'Re-register the proxy' });
    await jonas.getByTestId('case-status').getByText('resolved').waitFor();
    await anna.getByTestId('case-status').getByText('resolved').waitFor({ timeout: 5_000 });
    await act(anna, 'Confirm the resolution');
    await anna.getByTestId('case-status').getByText('closed').waitFor();
    await anna.goto(`${svc.url}/portal`);
    await anna.locator(`tr[data-case="${caseId}"]`).getByText('geschlossen').waitFor();
    expect(await anna.locator(`tr[data-case="${caseId}"]`).textContent()).toContain('Schweregrad 2');
    await expectAccessible(anna, 'portal');
    await shot(anna, 'portal');

    // The manager finds it in the SLA report (first response met) and drills down to it.
    const { page: dana } = await svc.signedIn('mgr-duty');
    await dana.goto(`${svc.url}/manager`);
    const reportRow = dana.getByTestId('report-table').locator('tr', { hasText: 'Premier · Severity 2' });
    await reportRow.waitFor();
    expect((await reportRow.locator('td').allTextContents()).slice(0, 3)).toEqual(['1', '1', '0']);
    await reportRow.getByRole('button').click();
    await dana
      .getByTestId('drill')
      .getByRole('link', { name: /Nightly backup job fails/ })
      .waitFor();
    await expectAccessible(dana, 'manager view');
    await shot(dana, 'manager-view');

    // Another organisation's contact cannot reach the case by URL.
    const { page: nancy } = await svc.signedIn('northwind-production-nancy');
    await nancy.goto(`${svc.url}/cases/${caseId}`);
    await nancy.getByTestId('case-not-found').waitFor();
    expect(await nancy.content()).not.toContain('Nightly backup job fails');
  }, 150_000);

  test('the case page offers exactly the actions the API lists, for a customer and an engineer; a follow-up names its related case', async () => {
    // A closed case of Acme's, to follow up.
    const earlier = await svc.call('acme-premier-anna', 'POST', '/v1/cases', {
      supportId: '01700001',
      type: 'licensing',
      severity: 3,
      title: 'Licence count after the upgrade',
      description: 'Counted twice',
    });
    expect(earlier.status).toBe(201);
    const earlierId = String(earlier.body.id);
    expect((await svc.call('acme-premier-anna', 'POST', `/v1/cases/${earlierId}/close`, { reason: 'solved' })).status).toBe(200);

    // The closed case's page offers a follow-up; the form it opens has the related case filled in (as a
    // link from the closed-case mail would: /portal/new?related=<id>).
    const { page: anna } = await svc.signedIn('acme-premier-anna');
    await anna.goto(`${svc.url}/cases/${earlierId}`);
    expect(await offeredCommands(anna)).toEqual(await apiActions('acme-premier-anna', earlierId));
    await anna.getByRole('link', { name: 'Folgefall eröffnen' }).click();
    await anna.waitForURL(/\/portal\/new\?/);
    expect(await anna.getByLabel('Bezogener Fall').inputValue()).toBe(earlierId);
    await anna.getByLabel('Schweregrad').selectOption({ label: 'Schweregrad 3 (30 Minuten)' });
    await anna.getByLabel('Produkt').selectOption('backup-replication');
    await anna.getByLabel('Version').selectOption('12.3');
    await anna.getByLabel(/experimentell gekennzeichnete Funktion/).check();
    await anna.getByLabel('Titel').fill('Licence count wrong again with the preview scheduler');
    await anna.getByLabel('Beschreibung').fill('Follow-up: the experimental scheduler counts sockets twice');
    await expectAccessible(anna, 'open-case form (follow-up)');
    await shot(anna, 'open-case-related');
    await anna.getByRole('button', { name: 'Fall eröffnen' }).click();
    await anna.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseId = anna.url().split('/').pop()!;
    // Whatever happens below, the queue's scale test counts only its own cases.
    opened.push(caseId);
    const created = await svc.call('acme-premier-anna', 'GET', `/v1/cases/${caseId}`);
    expect(created.body).toMatchObject({ relatedCaseId: earlierId, experimentalFeature: true });

    // Her page: the related case as a link, the policy version, the experimental feature and its limits,
    // and exactly the actions the API offers her (no engineer's forms).
    await anna.getByTestId('case-related').getByRole('link', { name: earlierId }).waitFor();
    expect(await anna.getByTestId('case-policy-version').textContent()).toBe(created.body.policyVersion);
    expect(await anna.getByTestId('case-support-limitations').textContent()).toContain(String(created.body.supportLimitations));
    const annaOffered = await offeredCommands(anna);
    expect(annaOffered).toEqual(await apiActions('acme-premier-anna', caseId));
    expect(annaOffered).not.toContain('resolve');
    expect(annaOffered).not.toContain('assign');
    await expectAccessible(anna, 'case page (customer, follow-up)');

    // Jonas's page offers what the API offers him, and says who the customer is.
    const { page: jonas } = await svc.signedIn('eng-emea');
    await jonas.goto(`${svc.url}/cases/${caseId}`);
    const jonasOffered = await offeredCommands(jonas);
    expect(jonasOffered).toEqual(await apiActions('eng-emea', caseId));
    expect(jonasOffered).toEqual(expect.arrayContaining(['assign', 'engineerResponse', 'resolve']));
    expect(jonasOffered).not.toContain('customerReply');
    expect(jonasOffered).not.toContain('managerAck');
    const customer = jonas.getByTestId('customer');
    await customer.getByTestId('customer-org').getByText('Acme Logistics GmbH').waitFor();
    expect(await customer.getByTestId('customer-support-id').textContent()).toBe('01700001');
    expect(await customer.getByTestId('customer-local-time').textContent()).toMatch(/\d{2}:\d{2}( [AP]M)? \(Europe\/Berlin\)/);
    expect(await customer.getByTestId('customer-opened-by').getAttribute('data-principal')).toBe('acme-premier-anna');
    expect(await customer.getByTestId('customer-opened-by').textContent()).toBe('Anna (acme-premier)');
    await expectAccessible(jonas, 'case page (engineer, customer card)');
    await shot(jonas, 'case-page-customer');

    // No hotfix for an experimental feature: the workflow's refusal code, in the page's language (English here).
    await act(jonas, 'Resolve', { 'Resolution type': 'hotfix', Summary: 'Patched build' });
    const refusal = jonas.locator('form.action[data-command="resolve"] [role=alert] .problem-detail').first();
    await refusal.waitFor();
    const refused = await svc.call('eng-emea', 'POST', `/v1/cases/${caseId}/resolution`, {
      resolutionType: 'hotfix',
      summary: 'Patched build',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('hotfix-experimental');
    expect(await refusal.textContent()).toBe(en.refusals['hotfix-experimental']);

    // An out-of-scope referral with its category: both pages show the referral; Anna may now confirm or reject.
    await act(jonas, 'Resolve', {
      'Resolution type': 'out_of_scope_referral',
      'Out-of-scope request': 'product_training',
      Summary: 'Training on the scheduler is for the education team',
    });
    await jonas.getByTestId('case-status').getByText('resolved').waitFor();
    await jonas
      .getByTestId('case-referral')
      .getByText(/product training/)
      .waitFor();
    await anna.getByTestId('case-status').getByText('gelöst').waitFor({ timeout: 5_000 });
    // Anna reads her case in its language: the category and where it is referred, in German.
    await anna
      .getByTestId('case-referral')
      .getByText(/Produktschulung, verwiesen an Ihren Vertriebsansprechpartner/)
      .waitFor();
    await anna.locator('form.action[data-command="confirmResolution"]').first().waitFor();
    expect(await offeredCommands(anna)).toEqual(await apiActions('acme-premier-anna', caseId));
    expect(await offeredCommands(jonas)).toEqual(await apiActions('eng-emea', caseId));
    await shot(anna, 'case-page-referral');
  }, 120_000);

  test('the manager sees Severity 1 pages waiting with their countdowns, acknowledges one; an engineer acknowledges another on the case page', async () => {
    const sev1 = async (title: string) => {
      const res = await svc.call('acme-premier-anna', 'POST', '/v1/cases', {
        supportId: '01700001',
        type: 'technical',
        severity: 1,
        product: 'backup-replication',
        version: '12.3',
        build: '12.3.1.1139',
        title,
        description: 'Every job fails',
      });
      expect(res.status).toBe(201);
      return res.body as { id: string; number: number; page: { escalatesAt: string } };
    };
    const first = await sev1('Production backups down');
    const { page: dana } = await svc.signedIn('mgr-duty');
    await dana.goto(`${svc.url}/manager`);
    const pages = dana.getByTestId('pages-waiting');
    const firstRow = pages.locator(`li[data-page-case="${first.id}"]`);
    await firstRow.waitFor();
    // The countdown runs to the next escalation step the workflow set; the row names who holds the page now.
    expect(await firstRow.locator('.countdown').getAttribute('data-due')).toBe(first.page.escalatesAt);
    expect(await firstRow.textContent()).toMatch(
      /Page since .*, now with the on-call engineer of (APAC|EMEA|AMERICAS) · next escalation \d+m \d+s left/,
    );

    // A second page appears without a reload.
    const second = await sev1('Replication stalled on every proxy');
    const secondRow = pages.locator(`li[data-page-case="${second.id}"]`);
    await secondRow.waitFor({ timeout: 5_000 });
    await expectAccessible(dana, 'manager view with pages');
    await shot(dana, 'manager-pages');

    // Dana acknowledges the first from her view, by keyboard only: Tab reaches the button (with a visible
    // focus ring), Enter presses it; the workflow records her as the one who did.
    const target = `Acknowledge the page of case ${first.number}`;
    let focused: { label: string | null; outline: string } = { label: null, outline: '' };
    for (let i = 0; i < 40 && focused.label !== target; i++) {
      await dana.keyboard.press('Tab');
      focused = await dana.evaluate(() => {
        const g = globalThis as unknown as {
          document: { activeElement: { getAttribute(n: string): string | null } | null };
          getComputedStyle(e: unknown): { outlineStyle: string };
        };
        const el = g.document.activeElement;
        return { label: el?.getAttribute('aria-label') ?? null, outline: el ? g.getComputedStyle(el).outlineStyle : '' };
      });
    }
    expect(focused).toEqual({ label: target, outline: 'solid' });
    await dana.keyboard.press('Enter');
    await firstRow.waitFor({ state: 'detached' });
    expect((await svc.call('mgr-duty', 'GET', `/v1/cases/${first.id}`)).body.page).toMatchObject({ acknowledgedBy: 'mgr-duty' });

    // Jonas acknowledges the second on its case page; Dana's list follows live. A second try shows the reason.
    const { page: jonas } = await svc.signedIn('eng-emea');
    await jonas.goto(`${svc.url}/cases/${second.id}`);
    await jonas
      .getByTestId('case-page-state')
      .getByText(/waiting for acknowledgement/)
      .waitFor();
    await act(jonas, 'Acknowledge the Severity 1 page', { Note: 'On it' });
    await jonas
      .getByTestId('case-page-state')
      .getByText(/acknowledged by eng-emea/)
      .waitFor();
    await secondRow.waitFor({ state: 'detached', timeout: 5_000 });
    await pages.getByText('None.').waitFor();
    // The acknowledgement is no longer offered; the API refuses a second one with the workflow's reason.
    await jonas.locator('form.action[data-command="pageAck"]').waitFor({ state: 'detached' });
    const again = await svc.call('eng-emea', 'POST', `/v1/cases/${second.id}/page-acknowledgement`, {});
    expect([again.status, again.body.detail]).toEqual([409, 'The page was already acknowledged by eng-emea']);

    // Over the API: the same filter, staff only.
    expect((await svc.call('mgr-duty', 'GET', '/v1/queue?scope=all&awaiting=page')).body.total).toBe(0);
    expect((await svc.call('acme-premier-anna', 'GET', '/v1/queue?awaiting=page')).status).toBe(403);
    await closeAll([first.id, second.id]);
  }, 90_000);

  test("a partner switches between its linked organisations and sees each one's cases only", async () => {
    const open = async (orgId: string, supportId: string, level: Record<string, unknown>, title: string) => {
      const res = await svc.call('partner-southcross', 'POST', '/v1/cases', {
        orgId,
        supportId,
        type: 'licensing',
        ...level,
        title,
        description: 'Opened by the partner',
      });
      expect(res.status).toBe(201);
      return String(res.body.id);
    };
    const cloud = await open('cloudnine-vcsp', '01700006', { severity: 3 }, 'CloudNine licence count');
    const koala = await open('koala-premium', '01700007', { priority: 'P3' }, 'Koala licence renewal');
    const nancys = await svc.call('northwind-production-nancy', 'POST', '/v1/cases', {
      supportId: '01700002',
      type: 'licensing',
      severity: 3,
      title: 'Northwind licence count',
      description: 'Not for the partner',
    });
    expect(nancys.status).toBe(201);

    const { page } = await svc.signedIn('partner-southcross');
    await page.goto(`${svc.url}/portal`);
    const rows = page.locator('table tbody tr');
    await page.getByRole('heading', { name: 'My cases — CloudNine Hosting plc' }).waitFor();
    await page.locator(`tr[data-case="${cloud}"]`).waitFor();
    expect(await rows.count()).toBe(1);
    await expectAccessible(page, 'portal (partner)');
    await shot(page, 'portal-partner');

    await page.getByLabel('Organisation').selectOption({ label: 'Koala Data Pty Ltd' });
    await page.getByRole('heading', { name: 'My cases — Koala Data Pty Ltd' }).waitFor();
    await page.locator(`tr[data-case="${koala}"]`).waitFor();
    expect(await rows.count()).toBe(1);
    expect(page.url()).toContain('org=koala-premium');
    // Opening a case from here is for the chosen organisation.
    expect(await page.getByRole('link', { name: 'Open a case' }).getAttribute('href')).toBe('/portal/new?org=koala-premium');

    await page.getByLabel('Organisation').selectOption({ label: 'CloudNine Hosting plc' });
    await page.locator(`tr[data-case="${cloud}"]`).waitFor();
    expect(await rows.count()).toBe(1);
    // An organisation it is not linked to is not reachable by URL.
    await page.goto(`${svc.url}/cases/${String(nancys.body.id)}`);
    await page.getByTestId('case-not-found').waitFor();
    await closeAll([cloud, koala, String(nancys.body.id)]);
  }, 60_000);

  test('the queue with 10,000 open cases pages on the server and renders the first page quickly', async () => {
    await insertOpenCases(svc.database.db, 10_000);
    const { page } = await svc.signedIn('eng-emea');
    const started = Date.now();
    await page.goto(`${svc.url}/queue?scope=all`);
    await page.locator('table.queue tbody tr').first().waitFor();
    const firstPaintMs = Date.now() - started;
    await page.getByTestId('queue-total').getByText('10,000 open cases · page 1 of 200').waitFor();
    expect(await page.locator('table.queue tbody tr').count()).toBe(50);
    await shot(page, 'queue');
    const firstRow = await page.locator('table.queue tbody tr').first().getAttribute('data-case');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('queue-total').getByText('page 2 of 200').waitFor();
    await page.waitForFunction(
      (id) =>
        (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document
          .querySelector('table.queue tbody tr')
          ?.getAttribute('data-case') !== id,
      firstRow,
    );
    expect(await page.locator('table.queue tbody tr').count()).toBe(50);
    // Search goes to the server too.
    await page.getByLabel('Search').fill('Bulk case 4242:');
    await page
      .getByTestId('queue-total')
      .getByText(/^1 open case · /)
      .waitFor();
    process.stdout.write(`queue with 10,000 open cases: first rows on screen ${firstPaintMs} ms after navigation\n`);

    // The same over the API: order, paging, filters, search, scopes, roles, and the index in the plan.
    const first = await svc.call('eng-emea', 'GET', '/v1/queue?scope=all&pageSize=50');
    const items = first.body.items as { nextDueAt: string | null; severity: number; slaState: string }[];
    expect(first.body.total).toBe(10_000);
    const dues = items.map((c) => c.nextDueAt ?? '9999');
    expect([...dues].sort()).toEqual(dues);
    const second = await svc.call('eng-emea', 'GET', '/v1/queue?scope=all&pageSize=50&page=2');
    expect((second.body.items as { nextDueAt: string }[])[0].nextDueAt >= dues[dues.length - 1]).toBe(true);
    const sev1 = await svc.call('eng-emea', 'GET', '/v1/queue?scope=all&severity=1&slaState=breached&pageSize=10');
    expect((sev1.body.items as typeof items).every((c) => c.severity === 1 && c.slaState === 'breached')).toBe(true);
    const region = await svc.call('eng-apac', 'GET', '/v1/queue?scope=region&pageSize=200');
    expect(
      (region.body.items as { customer: { marketRegion: string }; ownerId: string | null }[]).every(
        (c) => c.customer.marketRegion === 'APAC' || c.ownerId === 'eng-apac',
      ),
    ).toBe(true);
    expect((await svc.call('acme-premier-anna', 'GET', '/v1/queue')).status).toBe(403);
    const plan = await svc.database.db.execute(
      sql`explain select * from cases inner join organisations on organisations.id = cases.org_id where cases.status <> 'closed' order by cases.next_due_at asc nulls last, cases.id limit 50`,
    );
    expect(JSON.stringify(plan)).toContain('cases_open_due_idx');

    // The manager's lists of breached and at-risk cases read the same queue endpoint.
    const { page: dana } = await svc.signedIn('mgr-duty');
    await dana.goto(`${svc.url}/manager`);
    await dana.getByTestId('breached').getByRole('link').first().waitFor();
    await dana.getByTestId('at-risk').getByRole('link').first().waitFor();
    await shot(dana, 'manager-view');
  }, 120_000);
});
