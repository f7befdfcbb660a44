/**
 * The console in Debian's Chromium against the real service (Temporal dev server, worker, database, the
 * production console build), with 10,000 open cases in the read model:
 *   - first meaningful paint of the queue: navigation start -> first queue row on screen (and the
 *     browser's first-contentful-paint), over several cold page loads;
 *   - live latency: an engineer response through the API -> the event on the open case page (SSE, then
 *     refetch), p50/p99 over 200 changes, and -> the event on a plain SSE reader (the server's share);
 *   - bundle size of console/dist (raw and gzip), initial and lazily loaded.
 *
 *   npx tsx bench/console.ts [changes=200] [loads=10]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { CONSOLE_DIST } from '../runtime/console-static';
import { insertOpenCases } from '../test/helpers/bulk-cases';
import { startConsoleService } from '../test/helpers/console-service';

interface PageGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null; getAttribute(name: string): string | null }> };
}

const CHANGES = Number(process.argv[2] ?? 200);
const LOADS = Number(process.argv[3] ?? 10);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function bundle(): string[] {
  const assets = join(CONSOLE_DIST, 'assets');
  return readdirSync(assets).map((f) => {
    const raw = statSync(join(assets, f)).size;
    const gz = gzipSync(readFileSync(join(assets, f))).length;
    return `  ${f.padEnd(34)} ${kb(raw).padStart(11)}  gzip ${kb(gz).padStart(10)}`;
  });
}

/** Arrival instants of the case's engineer_response events on GET /v1/events, in order. */
function streamArrivals(url: string, token: string, caseId: string) {
  const arrivals: number[] = [];
  const abort = new AbortController();
  let isReady!: () => void;
  const ready = new Promise<void>((r) => (isReady = r));
  void (async () => {
    const res = await fetch(`${url}/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      const now = performance.now();
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.includes('event: ready')) isReady();
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const change = data ? (JSON.parse(data) as { caseId?: string; type?: string }) : {};
        if (change.caseId === caseId && change.type === 'engineer_response') arrivals.push(now);
      }
    }
  })().catch(() => undefined);
  return {
    ready,
    nth: async (i: number): Promise<number> => {
      while (arrivals.length <= i) await new Promise((r) => setTimeout(r, 5));
      return arrivals[i];
    },
    close: () => abort.abort(),
  };
}

async function main(): Promise<void> {
  // The open case page refetches the case, its events and its notices on each change, about 3 requests:
  // 200 changes a minute would hit the default 600 requests per token per minute, which is not what this measures.
  const svc = await startConsoleService({ RATE_LIMIT_PER_MINUTE: '100000' });
  try {
    await insertOpenCases(svc.database.db, 10_000);
    const { page } = await svc.signedIn('eng-emea');

    // 1. Queue: cold loads (new page each time, cache cleared by a fresh context would also drop the token).
    const paint: number[] = [];
    const fcp: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const started = performance.now();
      await page.goto(`${svc.url}/queue?scope=all&x=${i}`);
      await page.locator('table.queue tbody tr').first().waitFor();
      paint.push(performance.now() - started);
      fcp.push(Number(await page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN")));
    }

    // 2. Live: one real case, the engineer on its page, 200 responses through the API (by a colleague, so
    //    the page's own requests and the bench's stay under one token's rate limit).
    const created = await svc.call('acme-premier-anna', 'POST', '/v1/cases', {
      supportId: '01700001',
      type: 'licensing',
      severity: 3,
      title: 'Bench case',
      description: 'bench',
    });
    const caseId = String(created.body.id);
    await page.goto(`${svc.url}/cases/${caseId}`);
    await page.locator('[data-live="live"]').waitFor();
    await page.getByRole('heading', { name: /Bench case/ }).waitFor();
    const fromAnswer: number[] = [];
    const fromRequest: number[] = [];
    const toStream: number[] = [];
    // The stream alone, read here as another engineer: where the server's part ends and the browser's begins.
    const streamed = streamArrivals(svc.url, svc.tokens['eng-emea'], caseId);
    await streamed.ready;
    for (let i = 0; i < CHANGES; i++) {
      const text = `bench change #${i}#`;
      // A function, not a string: the console's CSP forbids eval, which a string predicate would need.
      const appeared = page.waitForFunction(
        (t: string) =>
          Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll('[data-event="engineer_response"] .event-data')).some(
            (e) => (e.textContent ?? '').includes(t),
          ),
        text,
        { polling: 'raf', timeout: 10_000 },
      );
      const sent = performance.now();
      const res = await svc.call('eng-americas', 'POST', `/v1/cases/${caseId}/responses`, { message: text });
      if (res.status !== 200) throw new Error(`response ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      const answered = performance.now();
      await appeared.catch(async (err: unknown) => {
        await page.screenshot({ path: '/tmp/console-bench-failure.png', fullPage: true });
        throw new Error(`change ${i} not on screen: ${String(err)}`);
      });
      const shown = performance.now();
      fromAnswer.push(shown - answered);
      fromRequest.push(shown - sent);
      const arrived = await streamed.nth(i);
      toStream.push(arrived - answered);
    }
    streamed.close();

    const lines = [
      `console bench: 10,000 open cases, ${LOADS} queue loads, ${CHANGES} live changes (${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
      `queue first rows on screen: p50 ${pct(paint, 50).toFixed(0)} ms, max ${Math.max(...paint).toFixed(0)} ms (browser FCP p50 ${pct(fcp, 50).toFixed(0)} ms)`,
      `API change -> on screen, from the API's answer: p50 ${pct(fromAnswer, 50).toFixed(0)} ms, p99 ${pct(fromAnswer, 99).toFixed(0)} ms`,
      `API change -> on screen, from the request:      p50 ${pct(fromRequest, 50).toFixed(0)} ms, p99 ${pct(fromRequest, 99).toFixed(0)} ms`,
      `API change -> on the stream (a plain SSE reader), from the API's answer: p50 ${pct(toStream, 50).toFixed(0)} ms, p99 ${pct(toStream, 99).toFixed(0)} ms`,
      'bundle (console/dist/assets):',
      ...bundle(),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await svc.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
