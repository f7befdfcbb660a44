/**
 * Every screen size (issue 20 item 6), in Debian's Chromium against the real service: queue, case page,
 * portal and manager view (with its pages waiting, report table and charts), and the sign-in and open-case
 * pages, at 390 x 844 (a phone) and 1400 x 900, in German and Japanese, never scroll sideways. Tables turn
 * into labelled cards on the phone. Full-page screenshots go to docs/screenshots/<view>-<lang>-<width>.png
 * (looked at by a person when the layout changes). The staff case page says who the customer is (item 3):
 * organisation, Support ID, the opener's phone, and the partner acting for the customer with theirs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startConsoleService, type ConsoleService } from '../helpers/console-service';

const SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const SIZES = [
  { width: 390, height: 844 },
  { width: 1400, height: 900 },
];
/** The browser's getComputedStyle, typed here: the test project has no DOM types. */
type Styles = { getComputedStyle(e: unknown): { display: string } };
/** Staff pick the console's language in the header; it is remembered under this key (console/src/i18n.ts). */
const LANGUAGE_KEY = 'caseflow.language';
const LANGS = [
  { lang: 'de', locale: 'de-DE', customer: 'acme-premier-anna' },
  { lang: 'ja', locale: 'ja-JP', customer: 'sakura-basic-haruto' },
] as const;

describe('console on every screen size', () => {
  let svc: ConsoleService;
  const cases: Record<string, string> = {};

  beforeAll(async () => {
    svc = await startConsoleService();
    const open = async (who: string, body: Record<string, unknown>): Promise<string> => {
      const res = await svc.call(who, 'POST', '/v1/cases', { type: 'technical', description: 'See the title', ...body });
      expect(res.status).toBe(201);
      return String(res.body.id);
    };
    const product = { product: 'backup-replication', version: '12.3', build: '12.3.1.1139' };
    cases.acme = await open('acme-premier-anna', {
      supportId: '01700001',
      severity: 2,
      ...product,
      // Long unbroken words (job names, paths) must wrap, not widen the page.
      title: 'Job Nightly-Backup-srv-fileserver-frankfurt-0042.acme-logistics.internal fails with 0x80070005',
    });
    await open('acme-premier-anna', { supportId: '01700001', severity: 1, ...product, title: 'Alle Sicherungen schlagen fehl' });
    await open('sakura-basic-haruto', { supportId: '01700003', severity: 3, ...product, title: 'バックアップジョブが遅い（夜間）' });
    cases.partner = await open('partner-bytesmith', {
      orgId: 'northwind-production',
      supportId: '01700002',
      severity: 3,
      ...product,
      title: 'Replication to DR site stalls at 99 %',
    });
  }, 180_000);

  afterEach(async () => {
    for (const context of svc?.browser.contexts() ?? []) await context.close();
  });

  afterAll(async () => {
    await svc?.close();
  });

  /** A tab of this size for a principal (none: signed out), the console's language remembered as staff choose it. */
  async function tab(principalId: string | null, size: { width: number; height: number }, lang: string, locale: string): Promise<Page> {
    const context = await svc.browser.newContext({ viewport: size, locale, timezoneId: 'Europe/Berlin' });
    const token = principalId ? svc.tokens[principalId] : null;
    await context.addInitScript({
      content: `localStorage.setItem(${JSON.stringify(LANGUAGE_KEY)}, ${JSON.stringify(lang)});${
        token ? `sessionStorage.setItem('caseflow.token', ${JSON.stringify(token)});` : ''
      }`,
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => process.stderr.write(`[${principalId ?? 'signed out'}] page error: ${err.stack ?? err.message}\n`));
    return page;
  }

  /** No sideways scrolling: the document is no wider than the window. Then the full-page screenshot. */
  async function fits(page: Page, name: string): Promise<void> {
    // Fonts and the charts' measured layout settle before measuring.
    await page.evaluate('document.fonts.ready.then(() => true)');
    await page.waitForTimeout(300);
    // Browser-side code as text: the test project has no DOM types.
    const { scrollWidth, innerWidth, wider } = await page.evaluate<{ scrollWidth: number; innerWidth: number; wider: string[] }>(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      // What sticks out, innermost first, to say what to fix.
      wider: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && e.children.length === 0)
        .slice(0, 5)
        .map((e) => e.tagName.toLowerCase() + '.' + e.className + ' "' + (e.textContent ?? '').trim().slice(0, 40) + '"'),
    })`);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    expect({ name, scrollWidth, wider }).toEqual({ name, scrollWidth: Math.min(scrollWidth, innerWidth), wider: [] });
  }

  /** On the phone a table is a list of cards: its header row is hidden and each cell carries its column's name. */
  async function expectCards(page: Page, table: string, width: number): Promise<void> {
    const cell = page.locator(`${table} tbody tr`).first().locator('> *').nth(1);
    const [label, header] = await Promise.all([cell.getAttribute('data-label'), page.locator(`${table} thead th`).nth(1).textContent()]);
    expect(label).toBe(header?.trim());
    const display = await page
      .locator(`${table} tbody tr`)
      .first()
      .evaluate((tr) => (globalThis as unknown as Styles).getComputedStyle(tr).display);
    expect(display === 'table-row').toBe(width >= 700);
  }

  /** Links and buttons in the page's main part are at least 44 px high on the phone. */
  async function expectTouchTargets(page: Page): Promise<void> {
    const small = await page.evaluate<{ what: string; h: number }[]>(`
      [...document.querySelectorAll('main button, main .button, main select, main input:not([type=checkbox]):not([type=file]), main table a')]
        .filter((e) => e.offsetParent !== null)
        .map((e) => ({ what: e.tagName + ' ' + (e.textContent ?? '').trim().slice(0, 30), h: e.getBoundingClientRect().height }))
        .filter((e) => e.h < 44)`);
    expect(small).toEqual([]);
  }

  for (const { lang, locale, customer } of LANGS)
    for (const size of SIZES) {
      const at = `${lang}-${size.width}`;

      test(`queue ${at}`, async () => {
        const page = await tab('eng-emea', size, lang, locale);
        await page.goto(`${svc.url}/queue?scope=all`);
        await page.locator(`tr[data-case="${cases.acme}"]`).waitFor();
        await expectCards(page, 'table.queue', size.width);
        if (size.width < 700) await expectTouchTargets(page);
        await fits(page, `queue-${at}`);
      });

      test(`case page with the customer card ${at}`, async () => {
        const page = await tab('eng-emea', size, lang, locale);
        // German: the customer opened it; Japanese: a partner opened it for the customer.
        const partner = lang === 'ja';
        await page.goto(`${svc.url}/cases/${partner ? cases.partner : cases.acme}`);
        const card = page.getByTestId('customer');
        await card
          .getByTestId('customer-org')
          .getByText(partner ? 'Northwind Traders Inc.' : 'Acme Logistics GmbH')
          .waitFor();
        expect(await card.getByTestId('customer-support-id').textContent()).toBe(partner ? '01700002' : '01700001');
        await card.getByTestId('customer-business-hours').locator('[data-open]').waitFor();
        if (partner) {
          const acting = card.getByTestId('customer-partner');
          await acting.getByText('Bytesmith Consulting (partner)').waitFor();
          expect(await acting.locator('a[data-phone]').textContent()).toBe('+1 206 555 0150');
          expect(await acting.locator('a[data-phone]').getAttribute('href')).toBe('tel:+12065550150');
          // Nancy, the customer's own contact, is listed with her phone.
          expect(await card.locator('[data-person="northwind-production-nancy"] a[data-phone]').textContent()).toBe('+1 415 555 0142');
        } else {
          expect(await card.getByTestId('customer-opened-by').getAttribute('data-principal')).toBe('acme-premier-anna');
          await card
            .locator('dd', { has: page.getByTestId('customer-opened-by') })
            .getByText('+49 89 2190 5501')
            .waitFor();
          expect(await card.locator('[data-contact="it-leitstand@acme-premier.example"] a[data-phone]').textContent()).toBe(
            '+49 89 2190 5500',
          );
          expect(await card.getByTestId('customer-partner').count()).toBe(0);
        }
        await page.locator('form.action').first().waitFor();
        if (size.width < 700) await expectTouchTargets(page);
        await fits(page, `case-page-${at}`);
      });

      test(`portal ${at}`, async () => {
        const page = await tab(customer, size, lang, locale);
        await page.goto(`${svc.url}/portal`);
        await page.locator('tr[data-case]').first().waitFor();
        expect(await page.locator('section[lang]').first().getAttribute('lang')).toBe(lang);
        await expectCards(page, 'table.list-table', size.width);
        if (size.width < 700) await expectTouchTargets(page);
        await fits(page, `portal-${at}`);
      });

      test(`manager view ${at}`, async () => {
        const page = await tab('mgr-duty', size, lang, locale);
        await page.goto(`${svc.url}/manager`);
        await page.locator('[data-page-case]').first().waitFor();
        await page.locator('[data-testid="report-table"] tbody tr').first().waitFor();
        await page.locator('.recharts-surface').first().waitFor();
        await expectCards(page, '[data-testid="report-table"]', size.width);
        await fits(page, `manager-${at}`);
      });

      if (size.width < 700) {
        test(`sign-in and open-case form ${at}`, async () => {
          const signedOut = await tab(null, size, lang, locale);
          await signedOut.goto(`${svc.url}/`);
          await signedOut.locator('[data-persona="eng-emea"]').waitFor();
          await fits(signedOut, `sign-in-${at}`);
          const page = await tab(customer, size, lang, locale);
          await page.goto(`${svc.url}/portal/new`);
          await page.locator('form.open-case select').first().waitFor();
          await expectTouchTargets(page);
          await fits(page, `open-case-form-${at}`);
        });
      }
    }
});
