/**
 * Attachments in the console (issue 18), in Chromium against the real service: the customer drops a file
 * into the reply form, it uploads with tus while a labelled progress bar shows (the upload throttled through
 * the DevTools protocol so it is visible; screenshot docs/screenshots/attachment-upload.png when
 * $CONSOLE_SCREENSHOTS is set), the reply goes out with it; the engineer's case page lists it with its
 * SHA-256 and the timeline shows it at the reply; downloading it through the signed link gives the same
 * bytes. Cancelling an upload under way removes it on the server; a connection lost mid-upload resumes from
 * the offset the server reports (HEAD), sending only the rest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { attachments } from '../../db/schema';
import { seriousViolations } from './axe';
import { startConsoleService, type ConsoleService } from '../helpers/console-service';

const SHOTS = process.env.CONSOLE_SCREENSHOTS;
async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Upload bandwidth of this page's network, bytes per second (Chromium's DevTools throttling); null: none. */
async function throttleUpload(page: Page, bytesPerSecond: number | null): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond ?? -1,
  });
}

/** Waits until the first upload's progress bar shows a fraction of its file within [from, to]. */
async function progressBetween(page: Page, from: number, to: number): Promise<void> {
  const bar = page.locator('form.action progress').first();
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const shown = await bar.evaluate((e) => {
      const p = e as unknown as { value: number; max: number };
      return { value: p.value, max: p.max };
    });
    if (shown.value >= from * shown.max && shown.value <= to * shown.max) return;
  }
  throw new Error(`progress never between ${from} and ${to}`);
}

describe('attachments in the browser', () => {
  let svc: ConsoleService;
  const dir = mkdtempSync(join(tmpdir(), 'caseflow-attachments-'));

  async function openCase(title: string): Promise<string> {
    const res = await svc.call('acme-premier-anna', 'POST', '/v1/cases', {
      supportId: '01700001',
      type: 'technical',
      severity: 3,
      product: 'backup-replication',
      version: '12.3',
      build: '12.3.1.1139',
      title,
      description: 'Logs to follow',
      language: 'en',
    });
    expect(res.status).toBe(201);
    return String(res.body.id);
  }

  beforeAll(async () => {
    svc = await startConsoleService({ ATTACHMENT_DIR: join(dir, 'store') });
  }, 180_000);

  afterEach(async () => {
    for (const context of svc?.browser.contexts() ?? []) await context.close();
  });

  afterAll(async () => {
    await svc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a customer attaches a file to a reply; the engineer lists it and downloads the same bytes', async () => {
    const caseId = await openCase('Replication stalls at 99%');
    const bytes = randomBytes(4 * 1024 * 1024);
    const path = join(dir, 'job-logs.zip');
    writeFileSync(path, bytes);

    const { page: anna } = await svc.signedIn('acme-premier-anna');
    await anna.goto(`${svc.url}/cases/${caseId}`);
    const form = anna.locator('form.action[data-command="customerReply"]');
    await form.waitFor();
    await throttleUpload(anna, 600 * 1024);
    await form.getByLabel('Attach files').setInputFiles(path);

    // The progress bar has an accessible name and moves while the bytes go out.
    const bar = form.getByRole('progressbar', { name: /Upload of job-logs\.zip/ });
    await bar.waitFor();
    await progressBetween(anna, 0.15, 0.85);
    expect(await form.locator('[data-upload-state="uploading"]').count()).toBe(1);
    expect(await form.locator('button[type=submit]').isDisabled()).toBe(true);
    await shot(anna, 'attachment-upload');
    expect(await seriousViolations(anna)).toEqual([]);

    await form.locator('[data-upload-state="done"]').waitFor({ timeout: 60_000 });
    await throttleUpload(anna, null);
    await form.getByLabel('Message', { exact: true }).fill('The job logs from last night');
    await form.locator('button[type=submit]').click();
    await form.getByText('Done.').waitFor();
    // The form is empty again; the case page lists the file.
    expect(await form.locator('[data-upload-state]').count()).toBe(0);
    await anna.locator('[data-testid="attachment-list"] tr', { hasText: 'job-logs.zip' }).waitFor();

    // The API recorded it with the reply: via the console, the hash of the bytes sent.
    const listed = await svc.call('acme-premier-anna', 'GET', `/v1/cases/${caseId}/attachments`);
    const items = listed.body.items as {
      id: string;
      name: string;
      size: number;
      sha256: string;
      via: string;
      linkedTo: { type: string };
    }[];
    expect(items).toEqual([
      expect.objectContaining({
        name: 'job-logs.zip',
        size: bytes.length,
        sha256: sha256(bytes),
        via: 'console',
        linkedTo: expect.objectContaining({ type: 'customer_reply' }),
      }),
    ]);

    // The engineer's case page: the list (short hash, the full one in the title) and the reply in the timeline.
    const { page: jonas } = await svc.signedIn('eng-emea');
    await jonas.goto(`${svc.url}/cases/${caseId}`);
    const row = jonas.locator(`[data-testid="attachment-list"] tr[data-attachment="${items[0].id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/job-logs\.zip.*4\.2 MB.*application\/zip.*acme-premier-anna.*console/);
    expect(await row.locator('code').getAttribute('title')).toBe(sha256(bytes));
    const reply = jonas.locator('li[data-event="customer_reply"]', { hasText: 'The job logs from last night' });
    await reply.locator(`[data-attachment="${items[0].id}"]`, { hasText: 'job-logs.zip' }).waitFor();
    expect(await seriousViolations(jonas)).toEqual([]);

    // Download through the signed link: the browser saves it (Content-Disposition: attachment), same bytes.
    const [download] = await Promise.all([
      jonas.waitForEvent('download'),
      row.getByRole('button', { name: 'Download job-logs.zip' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('job-logs.zip');
    const saved = await download.path();
    expect(sha256(readFileSync(saved))).toBe(sha256(bytes));
    expect(jonas.url()).toBe(`${svc.url}/cases/${caseId}`);
  });

  test('cancelling an upload under way removes it on the server', async () => {
    const caseId = await openCase('Cancelled upload');
    const path = join(dir, 'too-big.bin');
    writeFileSync(path, randomBytes(12 * 1024 * 1024));
    const { page: anna } = await svc.signedIn('acme-premier-anna');
    await anna.goto(`${svc.url}/cases/${caseId}`);
    const form = anna.locator('form.action[data-command="customerReply"]');
    await form.waitFor();
    await throttleUpload(anna, 400 * 1024);
    await form.getByLabel('Attach files').setInputFiles(path);
    await progressBetween(anna, 0.01, 0.9);
    const rows = () => svc.database.db.select({ status: attachments.status }).from(attachments).where(eq(attachments.caseId, caseId));
    // The upload exists on the server while it runs.
    expect((await rows()).map((r) => r.status)).toEqual(['uploading']);

    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.locator('[data-upload-state="cancelled"]').getByText('Upload cancelled').waitFor();
    expect(await form.locator('button[type=submit]').isDisabled()).toBe(false);
    for (let i = 0; i < 50 && (await rows()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await rows()).toEqual([]);
    // Sending the reply now sends no file.
    await throttleUpload(anna, null);
    await form.getByLabel('Message', { exact: true }).fill('Never mind the file');
    await form.locator('button[type=submit]').click();
    await form.getByText('Done.').waitFor();
    const listed = await svc.call('acme-premier-anna', 'GET', `/v1/cases/${caseId}/attachments`);
    expect(listed.body.items).toEqual([]);
  });

  test('a dropped connection resumes from the offset the server reports', async () => {
    const caseId = await openCase('Resumed upload');
    const bytes = randomBytes(12 * 1024 * 1024);
    const path = join(dir, 'big-trace.etl');
    writeFileSync(path, bytes);
    const { page: anna } = await svc.signedIn('acme-premier-anna');
    // The second PATCH (after the first 8 MiB chunk) loses its connection once.
    const seen: string[] = [];
    let patches = 0;
    await anna.route('**/v1/cases/*/uploads/*', async (route) => {
      const req = route.request();
      seen.push(`${req.method()} ${req.headers()['upload-offset'] ?? ''}`.trim());
      if (req.method() === 'PATCH' && ++patches === 2) await route.abort('connectionreset');
      else await route.continue();
    });
    await anna.goto(`${svc.url}/cases/${caseId}`);
    const form = anna.locator('form.action[data-command="customerReply"]');
    await form.getByLabel('Attach files').setInputFiles(path);
    await form.locator('[data-upload-state="done"]').waitFor({ timeout: 60_000 });
    // Sent the first chunk, lost the second, asked the server where it stood, sent only the rest.
    const chunk = String(8 * 1024 * 1024);
    expect(seen).toEqual(['PATCH 0', `PATCH ${chunk}`, 'HEAD', `PATCH ${chunk}`]);
    await form.getByLabel('Message', { exact: true }).fill('A trace');
    await form.locator('button[type=submit]').click();
    await form.getByText('Done.').waitFor();
    const listed = await svc.call('acme-premier-anna', 'GET', `/v1/cases/${caseId}/attachments`);
    expect(listed.body.items).toEqual([expect.objectContaining({ name: 'big-trace.etl', size: bytes.length, sha256: sha256(bytes) })]);
  });
});
