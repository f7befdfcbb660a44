/**
 * The console in Japanese and German (issue 20 item 5) in Chromium against the real service: an engineer's
 * queue and case page show translated status, SLA, clock and event names; a breached case leads the queue
 * with "… overdue" in the reader's language (never "… left"); an action the workflow refuses shows the
 * refusal's code translated, not the server's English sentence. The language comes from the header's
 * selector (remembered in localStorage) or, on a first visit, from the browser's language; <html lang>
 * follows. Screenshots of each go to docs/screenshots/.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { organisations } from '../../db/schema';
import { startConsoleService, type ConsoleService } from '../helpers/console-service';
import { startPremierCase } from '../helpers/direct-case';

const SHOTS = join(__dirname, '../../docs/screenshots');

let svc: ConsoleService;
let breachedId: string;
let caseId: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  svc = await startConsoleService();
  const [acme] = await svc.database.db.select().from(organisations).where(eq(organisations.id, 'acme-premier'));
  // A Premier case whose first response fell due a few seconds after it was started: breached, unanswered.
  breachedId = randomUUID();
  await startPremierCase(svc.env.client, acme!, breachedId, { dueAt: Date.now() + 2_000 });
  const opened = await svc.call('acme-premier-anna', 'POST', '/v1/cases', {
    supportId: '01700001',
    type: 'technical',
    severity: 2,
    product: 'backup-replication',
    version: '12.3',
    build: '12.3.1.1139',
    title: 'Nightly backup job fails',
    description: 'Error 0x80070005 since the proxy upgrade',
    language: 'en',
  });
  expect({ status: opened.status, body: opened.body }).toMatchObject({ status: 201 });
  caseId = String(opened.body.id);
  for (let i = 0; i < 100; i++) {
    const q = await svc.call('eng-emea', 'GET', '/v1/queue?scope=all&slaState=breached');
    if ((q.body.items as { id: string }[]).some((c) => c.id === breachedId)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the direct case never breached');
}, 180_000);

afterAll(async () => {
  await svc?.close();
});

/** An engineer's tab in a browser that prefers `locale`, optionally with a language already chosen in the console. */
async function engineerTab(locale: string, chosen?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await svc.browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'Europe/Berlin', locale });
  const token = JSON.stringify(svc.tokens['eng-emea']);
  await context.addInitScript({
    content: `sessionStorage.setItem('caseflow.token', ${token});${chosen ? `localStorage.setItem('caseflow.language', '${chosen}');` : ''}`,
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => process.stderr.write(`[eng-emea ${locale}] page error: ${err.stack ?? err.message}\n`));
  return { context, page };
}

const LANGS = {
  ja: {
    browser: 'en-GB',
    chosen: 'ja',
    queue: 'キュー',
    total: /^未クローズのケース 2件 · 1\/1 ページ$/,
    overdue: /超過$/,
    breached: '期限超過',
    onTrack: '順調',
    opened: '受付済み',
    caseOpened: 'ケース作成',
    firstResponse: '初回回答',
    refusal: 'ケースはすでにレベル 2 です。',
    severity: '重大度',
    reason: '理由',
    change: '重大度を変更',
  },
  de: {
    browser: 'de-DE',
    chosen: undefined,
    queue: 'Warteschlange',
    total: /^2 offene Fälle · Seite 1 von 1$/,
    overdue: /überfällig$/,
    breached: 'verletzt',
    onTrack: 'im Plan',
    opened: 'eröffnet',
    caseOpened: 'Fall eröffnet',
    firstResponse: 'Erste Antwort',
    refusal: 'Der Fall hat bereits Stufe 2.',
    severity: 'Schweregrad',
    reason: 'Grund',
    change: 'Schweregrad ändern',
  },
} as const;

describe.each(Object.entries(LANGS))('an engineer in %s', (lang, l) => {
  test('queue: translated chrome, breached case first and overdue; case page: status, SLA, clock, events and a refusal', async () => {
    const { context, page } = await engineerTab(l.browser, l.chosen);
    try {
      await page.goto(`${svc.url}/queue?scope=all`);
      await page.getByRole('heading', { name: l.queue }).waitFor();
      expect(await page.evaluate('document.documentElement.lang')).toBe(lang);
      await page.getByTestId('queue-total').getByText(l.total).waitFor();

      const rows = page.locator('table.queue tbody tr');
      // Urgency first: the breached case leads and says how long it is overdue, in the reader's language.
      expect(await rows.first().getAttribute('data-case')).toBe(breachedId);
      const first = rows.first();
      await first.locator('.countdown[data-overdue="true"]').getByText(l.overdue).waitFor();
      expect(await first.locator('.countdown').innerText()).not.toMatch(/left|noch |残り/);
      expect(await first.locator('.badge[data-state="breached"]').innerText()).toBe(l.breached);
      const other = page.locator(`tr[data-case="${caseId}"]`);
      expect(await other.locator('.badge[data-state="on_track"]').innerText()).toBe(l.onTrack);
      expect(await other.locator('td[data-status]').innerText()).toBe(l.opened);
      await page.screenshot({ path: join(SHOTS, `queue-${lang}.png`), fullPage: true });

      await page.goto(`${svc.url}/cases/${caseId}`);
      await page.getByTestId('case-status').getByText(l.opened).waitFor();
      expect(await page.getByTestId('case-sla').innerText()).toBe(l.onTrack);
      await page.locator('[data-clock="firstResponse"] strong').getByText(l.firstResponse).waitFor();
      await page.locator('li[data-event="opened"] strong').getByText(l.caseOpened).waitFor();

      // The case is at Severity 2; asking for Severity 2 again is refused by the workflow with a code.
      const form = page.locator('form[data-command="changeSeverity"]');
      await form.getByRole('heading', { name: l.change }).waitFor();
      // No level is chosen until the engineer chooses one: the select shows none, and the form is not sent.
      const level = form.getByLabel(l.severity);
      expect(
        await level.evaluate((e: { value: string; selectedOptions: { text: string }[] }) => [e.value, e.selectedOptions[0]?.text]),
      ).toEqual(['', '—']);
      expect(await level.evaluate((e: { checkValidity(): boolean }) => e.checkValidity())).toBe(false);
      await level.selectOption('2');
      await form.getByLabel(l.reason).fill('business impact unchanged');
      await form.getByRole('button', { name: l.change }).click();
      const alert = form.getByRole('alert');
      await alert.waitFor();
      expect({ code: await alert.getAttribute('data-code'), text: await alert.innerText() }).toEqual({
        code: 'level-unchanged',
        text: expect.stringContaining(l.refusal) as string,
      });
      expect(await alert.locator('.problem-detail').innerText()).toBe(l.refusal);
      expect(await alert.innerText()).not.toMatch(/already at level/);
      await page.screenshot({ path: join(SHOTS, `case-page-${lang}.png`), fullPage: true });
    } finally {
      await context.close();
    }
  });
});

test('the header’s selector switches the language, remembers it, and <html lang> follows', async () => {
  const { context, page } = await engineerTab('en-GB');
  try {
    await page.goto(`${svc.url}/queue`);
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    // Each language is offered in its own name.
    const names = await page.getByTestId('chrome-language').locator('option').allInnerTexts();
    expect(names).toEqual(
      expect.arrayContaining(['English', 'Deutsch', 'Français', 'Español', 'Italiano', 'Русский', 'Português', '日本語', '中文']),
    );
    await page.getByTestId('chrome-language').selectOption('fr');
    await page.getByRole('heading', { name: 'File d’attente' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
    await page.reload();
    await page.getByRole('heading', { name: 'File d’attente' }).waitFor();
    expect(await page.evaluate("localStorage.getItem('caseflow.language')")).toBe('fr');
  } finally {
    await context.close();
  }
});

test('a validation problem names its field in the reader’s language, once', async () => {
  // Anna's portal speaks her organisation's language (German); a follow-up of a case that is still open is a 422.
  const { context, page } = await svc.signedIn('acme-premier-anna');
  try {
    await page.goto(`${svc.url}/portal/new?related=${caseId}&org=acme-premier`);
    await page.getByRole('heading', { name: /Fall eröffnen/ }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('de');
    await page.getByLabel('Schweregrad').selectOption({ index: 3 });
    await page.getByLabel('Produkt').selectOption('backup-replication');
    await page.getByLabel('Version').selectOption('12.3');
    await page.getByLabel('Titel').fill('Follow-up');
    await page.getByLabel('Beschreibung').fill('Still failing');
    await page.getByRole('button', { name: 'Fall eröffnen' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).toBe('unprocessable');
    expect(await alert.locator('strong').innerText()).toBe('Anfrage nicht ausführbar (422):');
    expect(await alert.locator('li[data-field="relatedCaseId"]').innerText()).toBe(
      'Bezogener Fall: only a closed case can be referenced by a new one',
    );
    // The detail ("relatedCaseId: ...") repeats the field: it is not printed besides the list.
    expect((await alert.innerText()).match(/only a closed case/g)).toHaveLength(1);
    expect(await alert.innerText()).not.toMatch(/relatedCaseId/);
  } finally {
    await context.close();
  }
});
