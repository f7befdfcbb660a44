/**
 * OpenTelemetry traces end to end (issue 23), in a real collector: real Jaeger (the pinned build in .tools/,
 * `npm run jaeger:install`), the real API over the real worker, Temporal dev server and an SMTP server. A
 * customer opens a case; Jaeger's query API then holds ONE trace with the HTTP request, the update-with-start
 * client call, the workflow's update handler, the recordCaseChange local activity (scheduled and run), the
 * outbox relay's delivery and the SMTP send of the "case received" mail, each the child of the one before.
 * Run on its own: npm run jest -- --testMatch '**\/test/tracing/*.jaeger.ts'
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ensureJaeger, startJaeger, type Jaeger } from '../../runtime/jaeger';
import { startTracing, type Tracing } from '../../runtime/tracing';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { testMailer } from '../mail/fixtures';

jest.setTimeout(180_000);

const SERVICE = `caseflow-trace-test-${process.pid}`;
const ANNA = 'acme-premier-anna';

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; spanID: string }>;
  tags: Array<{ key: string; value: unknown }>;
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
}

const dir = mkdtempSync(join(tmpdir(), 'caseflow-jaeger-'));
let jaeger: Jaeger;
let tracing: Tracing;
let smtp: TestSmtp;
let h: ApiHarness;

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => res(port));
    });
    s.once('error', rej);
  });
}

beforeAll(async () => {
  const { path } = await ensureJaeger((m) => console.log(m));
  jaeger = await startJaeger(path, dir, { uiPort: await freePort(), otlpPort: await freePort(), queryGrpcPort: await freePort() });
  tracing = startTracing({ endpoint: jaeger.otlpTracesEndpoint, serviceName: SERVICE }, pino({ level: 'warn' }));
  smtp = await startTestSmtp();
  h = await startApiHarness({ worker: true, mailer: testMailer(smtp.url), tracing });
});

afterAll(async () => {
  await h?.close();
  await smtp?.close();
  await tracing?.shutdown();
  await jaeger?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function tracesOf(service: string): Promise<JaegerTrace[]> {
  const res = await fetch(`${jaeger.queryUrl}/api/traces?service=${encodeURIComponent(service)}&limit=100&lookback=1h`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: JaegerTrace[] | null }).data ?? [];
}

const parentOf = (span: JaegerSpan) => span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;

test('a case open is one trace in Jaeger: HTTP request, update-with-start, update handler, local activity, outbox delivery, SMTP send', async () => {
  const opened = await h.http().post('/v1/cases').set(h.as(ANNA)).send({
    supportId: '01700001',
    type: 'technical',
    severity: 2,
    product: 'backup-replication',
    version: '12.3',
    build: '12.3.1.1139',
    title: 'Nightly backup fails (traced)',
    description: 'Error 0x80070005',
    language: 'en',
  });
  expect(opened.status).toBe(201);
  const caseId = (opened.body as { id: string }).id;
  // The mail is the trace's last step: once it arrived, flush what the process buffered.
  const mails = await smtp.waitFor(1, 30_000);
  expect(mails.some((m) => m.header('x-caseflow-case') === caseId)).toBe(true);

  const wanted = [
    'POST /v1/cases',
    'UpdateWithStartWorkflow:opened',
    'HandleUpdate:opened',
    'StartActivity:recordCaseChange',
    'RunActivity:recordCaseChange',
    'outbox.deliver',
    'smtp.send',
  ];
  let trace: JaegerTrace | undefined;
  let seen: JaegerTrace[] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await tracing.flush();
    seen = await tracesOf(SERVICE);
    trace = seen.find((t) => t.spans.some((s) => s.operationName === 'POST /v1/cases'));
    if (trace && wanted.every((name) => trace!.spans.some((s) => s.operationName === name))) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const names = (t: JaegerTrace | undefined) => (t?.spans ?? []).map((s) => s.operationName).sort();
  expect(names(trace)).toEqual(expect.arrayContaining(wanted));
  // One trace: no other trace of this service holds a piece of the open.
  const pieces = seen.filter((t) => t.spans.some((s) => wanted.includes(s.operationName)));
  expect(pieces.map((t) => t.traceID)).toEqual([trace!.traceID]);

  const spans = trace!.spans;
  const one = (name: string) => {
    const found = spans.filter((s) => s.operationName === name);
    expect(found.length).toBeGreaterThanOrEqual(1);
    return found[0]!;
  };
  const http = one('POST /v1/cases');
  expect(parentOf(http)).toBeUndefined(); // the request is the root
  expect(http.tags).toEqual(expect.arrayContaining([{ key: 'http.route', type: 'string', value: '/v1/cases' }]));
  const uws = one('UpdateWithStartWorkflow:opened');
  expect(parentOf(uws)).toBe(http.spanID);
  expect(parentOf(one('HandleUpdate:opened'))).toBe(uws.spanID);
  // The local activity: scheduled by the workflow, run by the worker under that span.
  const run = spans.find(
    (s) =>
      s.operationName === 'RunActivity:recordCaseChange' &&
      spans.some((d) => d.operationName === 'outbox.deliver' && parentOf(d) === s.spanID),
  );
  expect(run).toBeDefined();
  expect(spans.find((s) => s.spanID === parentOf(run!))?.operationName).toBe('StartActivity:recordCaseChange');
  const deliver = spans.find((s) => s.operationName === 'outbox.deliver' && parentOf(s) === run!.spanID)!;
  const send = spans.filter((s) => s.operationName === 'smtp.send' && parentOf(s) === deliver.spanID);
  expect(send.length).toBeGreaterThanOrEqual(1);
  expect(send[0]!.tags).toEqual(expect.arrayContaining([{ key: 'caseflow.case_id', type: 'string', value: caseId }]));
  // The same trace by its id, as a viewer opens it.
  const byId = await fetch(`${jaeger.queryUrl}/api/traces/${trace!.traceID}`);
  expect(((await byId.json()) as { data: JaegerTrace[] }).data[0]!.spans.length).toBe(spans.length);
});
