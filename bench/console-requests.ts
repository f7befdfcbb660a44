/**
 * How many API requests an open console view makes while cases it does not show keep changing: the duty
 * manager's view (/manager) in Debian's Chromium against the real service (Temporal dev server, worker,
 * database, the production console build, the default 600 requests per token per minute), with bulk open
 * cases in the read model (full breached and at-risk lists), while another engineer takes `rate` actions a
 * second on other cases through the API for `seconds` seconds. Counts every request the page sends to /v1/
 * (the event stream separately), the 429s among them, and whether a 429 notice is on screen.
 *
 *   npx tsx bench/console-requests.ts [seconds=60] [rate=2] [bulk=2000]
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { insertOpenCases } from '../test/helpers/bulk-cases';
import { startConsoleService } from '../test/helpers/console-service';

const SECONDS = Number(process.argv[2] ?? 60);
const RATE = Number(process.argv[3] ?? 2);
const BULK = Number(process.argv[4] ?? 2000);
const CASES = 10;

/** Counts the `case` events of GET /v1/events from when it is ready. */
function countChanges(url: string, token: string) {
  let count = 0;
  const abort = new AbortController();
  let isReady!: () => void;
  const ready = new Promise<void>((r) => (isReady = r));
  void (async () => {
    const res = await fetch(`${url}/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.includes('event: ready')) isReady();
        else if (block.includes('event: case')) count++;
      }
    }
  })().catch(() => undefined);
  return { ready, count: () => count, close: () => abort.abort() };
}

async function main(): Promise<void> {
  const svc = await startConsoleService();
  try {
    await insertOpenCases(svc.database.db, BULK);
    // The other cases: opened by the customer, then answered over and over by an engineer.
    const ids: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const res = await svc.call('acme-premier-anna', 'POST', '/v1/cases', {
        supportId: '01700001',
        type: 'licensing',
        severity: 3,
        title: `Other case ${i}`,
        description: 'bench',
      });
      if (res.status !== 201) throw new Error(`open ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      ids.push(String(res.body.id));
    }

    const { page } = await svc.signedIn('mgr-duty');
    const requests: { at: number; path: string }[] = [];
    const refused: string[] = [];
    let counting = false;
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (counting && url.pathname.startsWith('/v1/')) requests.push({ at: performance.now(), path: url.pathname });
    });
    page.on('response', (res) => {
      if (counting && res.status() === 429) refused.push(new URL(res.url()).pathname);
    });
    await page.goto(`${svc.url}/manager`);
    await page.locator('[data-live="live"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('report-table').waitFor();
    await page.getByTestId('breached').getByRole('link').first().waitFor();
    // Let the first loads settle, then count from here.
    await new Promise((r) => setTimeout(r, 3000));
    // The changes the manager's stream carries in the window, counted by a plain SSE reader as another staff member.
    const stream = countChanges(svc.url, svc.tokens['eng-emea']);
    await stream.ready;
    counting = true;
    const started = performance.now();

    // `RATE` actions a second on the other cases, on a fixed schedule (an action that takes longer does not
    // slow the next one down), by an engineer whose token is not the manager's.
    const actions: Promise<void>[] = [];
    let failed = 0;
    const total = Math.round(SECONDS * RATE);
    for (let i = 0; i < total; i++) {
      const dueAt = started + (i * 1000) / RATE;
      const wait = dueAt - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const caseId = ids[i % ids.length];
      actions.push(
        svc.call('eng-americas', 'POST', `/v1/cases/${caseId}/responses`, { message: `bench action ${i}` }).then((res) => {
          if (res.status !== 200) failed++;
        }),
      );
    }
    await Promise.all(actions);
    const elapsed = (performance.now() - started) / 1000;
    // The trailing refetches of the last changes belong to the run.
    await new Promise((r) => setTimeout(r, 1000));
    counting = false;
    stream.close();
    const notice = await page.getByTestId('rate-limited').count();

    const perPath = new Map<string, number>();
    for (const r of requests) perPath.set(r.path, (perPath.get(r.path) ?? 0) + 1);
    const reconnects = perPath.get('/v1/events') ?? 0;
    const api = requests.length - reconnects;
    const perMinute = (api / elapsed) * 60;
    const lines = [
      `console requests bench: manager view open, ${total} actions on ${CASES} other cases at ${RATE}/s for ${elapsed.toFixed(1)} s, ` +
        `${BULK} bulk open cases (${cpus().length} cores, load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')})`,
      `case changes on the stream: ${stream.count()} (${((stream.count() / elapsed) * 60).toFixed(0)}/min)`,
      `manager view: ${api} API requests = ${perMinute.toFixed(1)} requests/min (${(api / stream.count()).toFixed(2)} per change); event stream (re)connects: ${reconnects}`,
      `429 answers to the page: ${refused.length}; 429 notice on screen: ${notice > 0 ? 'yes' : 'no'}; actions refused: ${failed}`,
      'per path:',
      ...[...perPath.entries()].sort((a, b) => b[1] - a[1]).map(([path, n]) => `  ${String(n).padStart(5)}  ${path}`),
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
