/**
 * The policy view in Debian's Chromium against the real service (Temporal dev server, worker, database, the
 * HTTP app serving the production console build): an administrator builds a candidate (a shorter Production
 * Severity 2 target through the form, a patch the API refuses naming the field) and back-tests it; publishes
 * that target as a version, previews moving a few open Production cases to it, reads the per-case list
 * (every running clock's old and new due instant), applies it after confirming, and finds a case that changed
 * after the preview left alone. Case by case, what apply did is what the preview listed, and each case page
 * shows the new policy version and its migration. Screenshots go to $CONSOLE_SCREENSHOTS when set.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe';
import { startConsoleService, type ConsoleService } from '../helpers/console-service';

const SHOTS = process.env.CONSOLE_SCREENSHOTS;
async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const HOUR = 3_600_000;
const NANCY = 'northwind-production-nancy'; // Northwind: Production (Severity 2 in 3 hours, around the clock)
const ADMIN = 'demo-admin';

interface PreviewClock {
  clock: string;
  oldState: string;
  state: string;
  oldDueAt: string | null;
  newDueAt: string | null;
  newTarget: string;
  breachesAtOnce: boolean;
}
interface PreviewRow {
  caseId: string;
  level: number;
  clocks: PreviewClock[];
  refused: string | null;
}

describe('policy view in the browser', () => {
  let svc: ConsoleService;
  beforeAll(async () => {
    svc = await startConsoleService();
  }, 180_000);
  afterAll(async () => {
    await svc?.close();
  });

  async function openCase(severity: number, title: string): Promise<string> {
    const res = await svc.call(NANCY, 'POST', '/v1/cases', {
      supportId: '01700002',
      type: 'technical',
      severity,
      product: 'backup-replication',
      version: '12.3',
      build: '12.3.1.1139',
      title,
      description: 'Opened by the policy view test',
      language: 'en',
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  const caseOf = async (id: string) => (await svc.call(ADMIN, 'GET', `/v1/cases/${id}`)).body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the case resource as JSON

  test('back-test a candidate; preview, apply and follow a migration to a shorter target, case by case', async () => {
    // Three open Production Severity 2 cases, one Severity 3 (its target does not change), all under version 1.
    const sev2 = [await openCase(2, 'Replication lags'), await openCase(2, 'Restore is slow'), await openCase(2, 'Proxy drops jobs')];
    const sev3 = await openCase(3, 'Question about retention');
    const changing = sev2[2]!;
    const before = new Map<string, string>();
    for (const id of [...sev2, sev3]) before.set(id, (await caseOf(id)).sla.firstResponse.dueAt);

    const { page } = await svc.signedIn(ADMIN);
    await page.goto(`${svc.url}/manager`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policy' }).click();
    await page.waitForURL(/\/policy$/);
    await page.getByRole('heading', { name: /^Policy:/ }).waitFor();

    // Back-test: a patch the API refuses is named where it was written ...
    const patch = page.getByTestId('backtest-patch');
    await patch.fill('{"programs":{"basic":{"coverageWindows":[]}}}');
    await page.getByTestId('backtest-run').click();
    await page.locator('.policy-backtest [role=alert]').filter({ hasText: 'candidate.patch.programs.basic.coverageWindows' }).waitFor();
    // ... the simple controls write the patch: Production Severity 2 in 1 hour around the clock.
    await patch.fill('{}');
    const targetSet = page.locator('.policy-backtest fieldset', { has: page.getByRole('button', { name: 'Set target' }) });
    await targetSet.getByLabel('Program').selectOption('production');
    await targetSet.getByLabel('Level').selectOption('2');
    await targetSet.getByLabel('Target kind').selectOption('wall');
    await targetSet.getByLabel('Amount').fill('1');
    await targetSet.getByRole('button', { name: 'Set target' }).click();
    expect(JSON.parse(await patch.inputValue())).toEqual({ programs: { production: { targets: { '2': { kind: 'wall', ms: HOUR } } } } });
    await page.getByLabel('Closed date', { exact: true }).fill('2026-12-24');
    await page.getByRole('button', { name: 'Add closed date' }).click();
    await page.getByTestId('backtest-run').click();
    await page.locator('.policy-backtest [data-testid=run-progress][data-status=completed]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('backtest-changes').textContent()).toContain('programs.production.targets.2');
    const reportRow = page.locator('[data-testid=backtest-report] tr[data-row="production-2"]');
    expect(await reportRow.textContent()).toMatch(/^Production Support23/); // three cases of Production Severity 2, still open
    expect(await page.locator('[data-testid=backtest-report] tr[data-row="production-3"]').textContent()).toMatch(/^Production Support31/);
    // Every case whose due instant moves is listed with its new deadline, not only the flips.
    const moved = await page
      .locator('[data-testid=backtest-moves] tbody tr')
      .evaluateAll((rows) => (rows as unknown as { getAttribute(n: string): string | null }[]).map((r) => r.getAttribute('data-case')));
    expect(moved.sort()).toEqual([...sev2].sort());
    expect(await page.locator(`[data-testid=backtest-moves] tr[data-case="${sev2[0]}"]`).textContent()).toMatch(/\(1 hour\).*earlier$/);

    // The administrator publishes that target as version 2 (in force tomorrow: open cases move only by a migration).
    const published = await svc.call(ADMIN, 'POST', '/v1/policy/versions', {
      effectiveAt: new Date(Date.now() + 24 * HOUR).toISOString(),
      note: 'Production Severity 2 in 1 hour',
      patch: { programs: { production: { targets: { '2': { kind: 'wall', ms: HOUR } } } } },
    });
    expect(published.status).toBe(201);
    const v2 = published.body.key as string;
    await page.reload();
    await page.getByTestId('migration-version').selectOption(String(published.body.version));

    // Preview: Northwind's open Production cases.
    const migration = page.locator('.policy-migration');
    await migration.getByTestId('migration-orgs').selectOption('northwind-production');
    await migration.getByLabel('Production Support', { exact: true }).check();
    await migration.getByTestId('migration-preview').click();
    await page.locator('[data-testid=preview][data-status=completed]').waitFor({ timeout: 60_000 });
    const previewId = new URL(page.url()).searchParams.get('preview')!;
    expect(await page.getByTestId('preview-totals').textContent()).toMatch(
      /4 cases, 4 running clocks: 3 due earlier, 0 later, 1 unchanged/,
    );
    const rows = (await svc.call(ADMIN, 'GET', `/v1/policy/migrations/${previewId}/cases`)).body.items as PreviewRow[];
    expect(rows.map((r) => r.caseId).sort()).toEqual([...sev2, sev3].sort());
    const previewed = new Map(rows.map((r) => [r.caseId, r.clocks.find((k) => k.clock === 'firstResponse')!]));
    for (const id of [...sev2, sev3]) {
      const fr = previewed.get(id)!;
      // The list on screen is the API's: old and new due instant of each running clock, for each case.
      const line = page.locator(`[data-testid=preview-cases] tr[data-case="${id}"][data-clock=firstResponse]`);
      expect({
        id,
        old: await line.getByTestId('old-due').getAttribute('data-value'),
        new: await line.getByTestId('new-due').getAttribute('data-value'),
      }).toEqual({ id, old: before.get(id), new: fr.newDueAt });
      expect(fr).toMatchObject({ oldState: 'running', state: 'running', breachesAtOnce: false });
      const shift = Date.parse(fr.oldDueAt!) - Date.parse(fr.newDueAt!);
      expect({ id, shift }).toEqual({ id, shift: id === sev3 ? 0 : 2 * HOUR });
    }
    expect(await page.locator('[data-testid=preview-cases] tr[data-case] td:nth-child(5)').first().textContent()).toMatch(/GMT\+1$/); // the viewer's zone (Europe/Berlin)
    const seriousOnPreview = await seriousViolations(page);
    expect(seriousOnPreview).toEqual([]);

    // The exports save what the API holds, with the caller's credentials: CSV one line per running clock, JSON every case.
    const saved = async (button: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
      return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
    };
    const csv = await saved('Export CSV');
    expect(csv.name).toBe(`policy-migration-${previewId}.csv`);
    expect(csv.text.split('\r\n')[0]).toMatch(/^caseId,orgId,program,level,openedAt,stateVersion,fromVersion,toVersion,clock,/);
    expect(csv.text.trim().split('\r\n')).toHaveLength(1 + 4);
    const json = await saved('Export JSON');
    expect((JSON.parse(json.text) as { items: PreviewRow[] }).items).toEqual(rows);

    // The list narrows to what needs a look: the due instants that move earlier, none breaching at once.
    const listed = () => page.locator('[data-testid=preview-cases] tbody tr').count();
    await page.getByTestId('preview-filter').selectOption('earlier');
    expect(await listed()).toBe(3);
    await page.getByTestId('preview-filter').selectOption('breaches');
    expect(await listed()).toBe(0);
    await page.getByTestId('preview-filter').selectOption('all');
    expect(await listed()).toBe(4);

    // One case changes after the preview: the engineer answers it, so apply must leave it alone.
    expect((await svc.call('eng-americas', 'POST', `/v1/cases/${changing}/responses`, { message: 'Looking at it' })).status).toBe(200);

    // Apply, after confirming.
    await page.getByTestId('migration-apply').click();
    await page.getByRole('alertdialog', { name: 'Apply this migration?' }).waitFor();
    await page.getByTestId('migration-confirm').click();
    await page.locator('[data-testid=apply][data-status=completed]').waitFor({ timeout: 60_000 });
    const applyId = new URL(page.url()).searchParams.get('apply')!;
    const outcome = async (id: string) => page.locator(`[data-testid=apply-cases] tr[data-case="${id}"]`).getAttribute('data-outcome');
    for (const id of [sev2[0]!, sev2[1]!, sev3]) expect({ id, outcome: await outcome(id) }).toEqual({ id, outcome: 'migrated' });
    expect(await outcome(changing)).toBe('stale');
    expect(await page.locator(`[data-testid=apply-cases] tr[data-case="${changing}"]`).textContent()).toMatch(/changed since the preview/);
    expect(await page.getByTestId('apply-counts').textContent()).toBe('migrated: 3 · changed since the preview: 1');
    await page.getByTestId('apply').scrollIntoViewIfNeeded();
    await shot(page, 'policy-migration');

    // Case by case: what the case now says is what the preview listed; the changed case stays on version 1.
    for (const id of [sev2[0]!, sev2[1]!, sev3]) {
      const c = await caseOf(id);
      const fr = previewed.get(id)!;
      expect({ id, version: c.policyVersion, dueAt: c.sla.firstResponse.dueAt, target: c.sla.firstResponse.target }).toEqual({
        id,
        version: v2,
        dueAt: fr.newDueAt,
        target: fr.newTarget,
      });
      expect(c.policyMigrations).toHaveLength(1);
      const [moved] = c.policyMigrations;
      expect(moved).toMatchObject({ from: '2026-11-01', to: v2, migrationId: expect.any(String) });
      const clock = moved.clocks.find((k: PreviewClock) => k.clock === 'firstResponse');
      expect({ id, clock }).toEqual({
        id,
        clock: expect.objectContaining({ oldDueAt: fr.oldDueAt, newDueAt: fr.newDueAt, breachesAtOnce: false }),
      });
    }
    const stale = await caseOf(changing);
    expect({ version: stale.policyVersion, migrations: stale.policyMigrations }).toEqual({ version: '2026-11-01', migrations: [] });

    // The case page shows the version the case follows now and its migration.
    await page.locator(`[data-testid=apply-cases] tr[data-case="${sev2[0]}"] a`).click();
    await page.waitForURL(new RegExp(`/cases/${sev2[0]}$`));
    await page.getByTestId('case-policy-version').filter({ hasText: v2 }).waitFor();
    const entry = page.getByTestId('case-migrations').locator(`li[data-to="${v2}"]`);
    expect(await entry.textContent()).toMatch(new RegExp(`2026-11-01 → ${v2}.*by ${ADMIN}.*First response: 3 hours → 1 hour`));
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'case-page-migrated');
    // A manager follows the runs by their link (reads them, starts and applies nothing); an engineer has no policy view.
    const { page: dana } = await svc.signedIn('mgr-duty');
    await dana.goto(`${svc.url}/manager`);
    await dana.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policy' }).waitFor();
    await dana.goto(`${svc.url}/policy?preview=${previewId}&apply=${applyId}`);
    await dana.locator('[data-testid=apply-cases] tbody tr').first().waitFor();
    expect(await dana.locator('[data-testid=apply-cases] tbody tr').count()).toBe(4);
    expect(await dana.getByTestId('migration-preview').isDisabled()).toBe(true);
    expect(await dana.getByTestId('migration-apply').count()).toBe(0);
    const { page: jonas } = await svc.signedIn('eng-emea');
    await jonas.goto(`${svc.url}/queue`);
    await jonas.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).waitFor();
    expect(await jonas.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policy' }).count()).toBe(0);

    // The customer sees the same version on her page.
    const { page: nancy } = await svc.signedIn(NANCY);
    await nancy.goto(`${svc.url}/cases/${sev2[0]}`);
    await nancy.getByTestId('case-policy-version').filter({ hasText: v2 }).waitFor();
  }, 240_000);
});
