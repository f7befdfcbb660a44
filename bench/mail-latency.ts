/**
 * How late does a notice's mail arrive in the SMTP server, measured from the instant it was due?
 *
 * Real Temporal dev server (in memory), real database (PGlite, or PostgreSQL with DATABASE_URL), the case
 * worker with the mail channel, and a real SMTP server in its own process: Mailpit (from .tools/, as `npm
 * start` runs it), whose received time of each message is its arrival (a mail is matched to its notice by
 * the Message-ID its delivery row recorded). First B background cases (Severity 4, first response due in 8 h: open cases holding
 * timers; opened with one update-with-start call each, as the API does; by default of an organisation with
 * nobody to mail, so their case-received notices are recorded as unreachable instead of 2 B setup mails,
 * --background-mail to mail them too), then, once the worker is quiet:
 *   - S Severity 1 probes whose customer-update warning falls 30-60 s and breach 60-120 s after opening
 *     (mail to the on-call engineer of the region on duty, and the breach also to the duty manager);
 *   - C contact probes asked for information at once, whose first contact attempt is due at one of two
 *     whole minutes 2-3 minutes ahead (a business calendar open all week, so the attempt is today): the
 *     attempts of many cases fall due at the same instant, a burst to the opener and a contact each.
 * Lateness = arrival in the SMTP server minus the due instant (warning/breach: `scheduledFor`; attempt:
 * its `scheduledAt`). Throughput = mails per second while the attempt burst drains.
 *
 * Against what: the plain SMTP throughput of the same server in the same run, measured before and after the
 * probes with the same transport settings (the same number of connections, MAIL_CONCURRENCY): a burst of
 * mails handed straight to nodemailer, no database, no workflow; once one at a time and once with the
 * configured concurrency.
 *
 *   npx tsx bench/mail-latency.ts [--background 10000] [--background-mail] [--sev1 100] [--contact 100] [--concurrency 50]
 *                                 [--mail-concurrency 10] [--plain 200]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { and, eq, like } from 'drizzle-orm';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createMailTransport, mailConcurrencyFromEnv } from '../activities/mail/transport';
import { contactAttempts, notificationContacts, notificationDeliveries, notifications, oncallShifts, principals } from '../db/schema';
import { businessCalendar } from '../policy/calendars';
import { createCaseWorker } from '../worker/create-worker';
import { CASE_WORKFLOW_TYPE, caseWorkflowId, openedUpdate, requestInfoUpdate, TASK_QUEUE, type CaseWorkflowInput } from '../contract/case';
import { caseInput, engineer, insertOrganisation, ORG } from '../test/fixtures/cases';
import { createDevServerEnv } from '../test/helpers/temporal';
import { createTestDatabase } from '../test/helpers/db';
import { freePort } from './chaos/processes';
import { mailpitServer, readMailbox } from './chaos/mailpit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const loadLine = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`;
const summary = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return `n ${s.length}, p50 ${pct(s, 50)} ms, p90 ${pct(s, 90)} ms, p99 ${pct(s, 99)} ms, max ${s.at(-1)} ms, min ${s[0]} ms`;
};

async function openCases(
  env: TestWorkflowEnvironment,
  count: number,
  concurrency: number,
  inputFor: (i: number) => CaseWorkflowInput,
  after?: (input: CaseWorkflowInput) => Promise<void>,
) {
  const start = Date.now();
  let next = 0;
  let lastReport = start;
  let retries = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const input = inputFor(next++);
        // One round trip, as the API opens a case: start the workflow and wait for its `opened` update.
        // Idempotent (existing workflow reused, fixed update id), so a call that timed out on the
        // overloaded dev server is simply made again.
        for (let attempt = 1; ; attempt++) {
          try {
            await env.client.workflow.executeUpdateWithStart(openedUpdate, {
              args: [{ requestId: 'open' }],
              updateId: `opened-${input.caseId}`,
              startWorkflowOperation: new WithStartWorkflowOperation(CASE_WORKFLOW_TYPE, {
                workflowId: caseWorkflowId(input.caseId),
                taskQueue: TASK_QUEUE,
                args: [input],
                workflowIdConflictPolicy: 'USE_EXISTING',
              }),
            });
            break;
          } catch (err) {
            if (attempt >= 10) throw err;
            retries++;
            await sleep(500 * attempt);
          }
        }
        await after?.(input);
        if (Date.now() - lastReport > 30_000) {
          lastReport = Date.now();
          console.log(`  ${next} of ${count} opened (${(next / ((Date.now() - start) / 1000)).toFixed(0)}/s; ${retries} calls retried)`);
        }
      }
    }),
  );
  return (Date.now() - start) / 1000;
}

async function waitUntilQuiet(worker: Worker): Promise<void> {
  let quiet = 0;
  const start = Date.now();
  while (quiet < 3 && Date.now() - start < 180_000) {
    await sleep(1000);
    const s = worker.getStatus();
    quiet = s.numInFlightWorkflowActivations === 0 && s.numInFlightActivities === 0 ? quiet + 1 : 0;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      background: { type: 'string' },
      'background-mail': { type: 'boolean' },
      sev1: { type: 'string' },
      contact: { type: 'string' },
      concurrency: { type: 'string' },
      'mail-concurrency': { type: 'string' },
      plain: { type: 'string' },
    },
  });
  const backgroundCases = Number(values.background ?? 10_000);
  const sev1 = Number(values.sev1 ?? 100);
  const contact = Number(values.contact ?? 100);
  const concurrency = Number(values.concurrency ?? 50);
  const mailConcurrency = Number(values['mail-concurrency'] ?? mailConcurrencyFromEnv());
  const plainMails = Number(values.plain ?? 200);

  const runDir = mkdtempSync(join(tmpdir(), 'caseflow-mail-latency-'));
  mkdirSync(join(runDir, 'logs'));
  const mail = await mailpitServer({ runDir, smtpPort: await freePort(), uiPort: await freePort() });
  await mail.process.start();
  const env = await createDevServerEnv();
  const database = await createTestDatabase();
  await insertOrganisation(database);
  const quietOrg = { ...ORG, id: 'org-quiet', supportId: 'SUP-000404' };
  await insertOrganisation(database, quietOrg);
  const db = database.db;
  await db.insert(principals).values([
    { id: 'cust-anna', orgId: ORG.id, name: 'Anna', email: 'anna@acme.example', role: 'case_admin' },
    { id: 'eng-bo', name: 'Bo', email: 'bo@caseflow.test', role: 'engineer', homeRegion: 'EMEA' },
    { id: 'eng-oncall', name: 'On-call', email: 'oncall@caseflow.test', role: 'engineer', homeRegion: 'EMEA' },
    { id: 'mgr-dana', name: 'Dana', email: 'dana@caseflow.test', role: 'manager', managerLevel: 1 },
  ]);
  await db.insert(notificationContacts).values({ id: 'ct', orgId: ORG.id, name: 'Klaus', email: 'klaus@acme.example', language: 'de' });
  await db
    .insert(oncallShifts)
    .values(['APAC', 'EMEA', 'AMERICAS'].map((region) => ({ id: `s-${region}`, region, primaryId: 'eng-oncall', validFrom: new Date(0) })));
  const transport = createMailTransport(mail.smtpUrl, 'Caseflow <support@caseflow.test>', { concurrency: mailConcurrency });
  /** Plain SMTP: `count` mails straight to the same server, `inFlight` at once, on a transport of its own with the same settings. */
  const plainSmtp = async (count: number, inFlight: number) => {
    const plain = createMailTransport(mail.smtpUrl, 'Caseflow <support@caseflow.test>', { concurrency: mailConcurrency });
    const latencies: number[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: Math.min(inFlight, count) }, async () => {
        while (next < count) {
          const i = next++;
          const t = Date.now();
          // A mail of the size of a case notice (subject, a text and an HTML part of a few KB).
          await plain.send({
            from: plain.from,
            to: `plain-${i}@caseflow.test`,
            subject: `plain SMTP ${i}`,
            text: 'x'.repeat(1500),
            html: `<p>${'x'.repeat(3000)}</p>`,
          });
          latencies.push(Date.now() - t);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    plain.transporter.close();
    return `${count} mails in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} mails/s, per mail ${summary(latencies)}`;
  };
  const plainThroughput = async (when: string) => {
    console.log(`plain SMTP ${when}, one at a time: ${await plainSmtp(Math.min(plainMails, 50), 1)}`);
    console.log(`plain SMTP ${when}, ${mailConcurrency} at once: ${await plainSmtp(plainMails, mailConcurrency)}; ${loadLine()}`);
  };
  /** Every mail in the mailbox with the dedupe key of the notice that sent it (by its delivery row's Message-ID). */
  const arrivals = async () => {
    const box = await readMailbox(mail.apiBase);
    const rows = await db
      .select({ key: notifications.dedupeKey, messageId: notificationDeliveries.messageId })
      .from(notificationDeliveries)
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .where(eq(notificationDeliveries.channel, 'email'));
    const keyOf = new Map(rows.map((r) => [(r.messageId ?? '').replace(/^<|>$/g, ''), r.key]));
    return box.map((m) => ({ key: keyOf.get(m.messageId) ?? '', messageId: m.messageId, receivedAt: m.arrivedAt }));
  };
  const mailer = { transport, reply: { secret: 'bench', domain: 'reply.caseflow.test' }, consoleUrl: 'http://localhost:3000' };
  const worker = await createCaseWorker({ connection: env.nativeConnection, database, notifier: null, mailer });
  const running = worker.run();
  const run = randomUUID().slice(0, 6);
  try {
    console.log(`database ${database.kind}; SMTP pool ${transport.describe}, ${transport.concurrency} mails at once (MAIL_CONCURRENCY)`);
    const bgSeconds = await openCases(env, backgroundCases, concurrency, (i) => {
      const input = caseInput({ caseId: `bg-${run}-${i}`, openedAt: Date.now(), entitlement: 'production', level: 4 });
      // Nobody to mail: the opener is no principal and the organisation has no contacts.
      return values['background-mail'] ? input : { ...input, orgId: quietOrg.id, openedBy: { id: 'bulk-opener', role: 'case_admin' } };
    });
    console.log(
      `opened ${backgroundCases} background cases in ${bgSeconds.toFixed(0)} s (${(backgroundCases / bgSeconds).toFixed(0)}/s), ` +
        (values['background-mail'] ? 'each with its two case-received mails' : 'their case-received notices recorded as unreachable'),
    );
    await waitUntilQuiet(worker);
    const backgroundMails = (await readMailbox(mail.apiBase)).length;
    console.log(`quiet; ${backgroundMails} mails so far; ${loadLine()}`);
    await plainThroughput('before the probes');

    // Contact probes: attempt 1 due at one of two whole minutes, 2-3 minutes from now (UTC, open all week).
    const allWeek = businessCalendar({
      zone: 'UTC',
      closedDates: [],
      businessHours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day: day as 1, open: '00:00', close: '24:00' })),
    });
    const firstSlot = Math.ceil((Date.now() + 120_000) / 60_000) * 60_000;
    const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
    const probeStart = Date.now();
    const contactSeconds = await openCases(
      env,
      contact,
      concurrency,
      (i) => ({
        ...caseInput({
          caseId: `ct-${run}-${i}`,
          openedAt: Date.now(),
          entitlement: 'production',
          level: 3,
          settings: { contactAttemptTime: hhmm(firstSlot + (i % 2) * 60_000) },
        }),
        businessCalendar: allWeek,
      }),
      async (input) => {
        await env.client.workflow
          .getHandle(caseWorkflowId(input.caseId))
          .executeUpdate(requestInfoUpdate, { args: [{ requestId: 'ask', actor: engineer, message: 'Please send the job logs' }] });
      },
    );
    console.log(
      `opened and asked ${contact} contact probes in ${contactSeconds.toFixed(0)} s; attempts due at ${hhmm(firstSlot)} and ${hhmm(firstSlot + 60_000)} UTC`,
    );

    // Severity 1 probes: update cadence 60-120 s, warning at half of it.
    const sev1Seconds = await openCases(env, sev1, 5, (i) =>
      caseInput({
        caseId: `s1-${run}-${i}`,
        openedAt: Date.now(),
        entitlement: 'production',
        level: 1,
        settings: { sev1UpdateCadenceMinutes: (60 + (i % 61)) / 60, warningThresholds: [0.5] },
      }),
    );
    console.log(`opened ${sev1} Severity 1 probes in ${sev1Seconds.toFixed(0)} s`);

    // Wait for: every attempt mail (2 per case) and every warning/breach mail (1 + 2 per case).
    const expected = contact * 2 + sev1 * 3;
    const isProbeMail = (key: string) => /:(contact_attempt|sla_warning|sla_breach):/.test(key);
    const deadline = Math.max(firstSlot + 60_000, probeStart + 130_000) + 180_000;
    while (Date.now() < deadline && (await arrivals()).filter((m) => isProbeMail(m.key)).length < expected) await sleep(2000);
    await waitUntilQuiet(worker);

    const received = await arrivals();
    const probeMails = received.filter((m) => isProbeMail(m.key));
    const rows = await db
      .select()
      .from(notifications)
      .where(like(notifications.caseId, `%-${run}-%`));
    const byKey = new Map(rows.map((r) => [r.dedupeKey, r]));
    const attempts = await db
      .select()
      .from(contactAttempts)
      .where(and(like(contactAttempts.caseId, `ct-${run}-%`), eq(contactAttempts.attempt, 1)));
    const attemptDue = new Map(attempts.map((a) => [a.caseId, a.scheduledAt.getTime()]));
    const lateness: Record<string, number[]> = { contact_attempt: [], sla_warning: [], sla_breach: [] };
    const recorded: number[] = [];
    const drained: number[] = [];
    for (const m of probeMails) {
      const row = byKey.get(m.key)!;
      const p = row.payload as { scheduledFor?: string };
      const due = row.kind === 'contact_attempt' ? attemptDue.get(row.caseId!)! : Date.parse(p.scheduledFor!);
      lateness[row.kind]!.push(m.receivedAt - due);
      recorded.push(row.createdAt.getTime() - due);
      drained.push(m.receivedAt - row.createdAt.getTime());
    }
    const ids = received.map((m) => m.messageId);
    console.log(
      `probe mails arrived: ${probeMails.length} of ${expected} expected; Message-IDs unique across all ${ids.length} mails: ${new Set(ids).size === ids.length}`,
    );
    console.log(`lateness, due instant -> mail in the SMTP server: ${summary(Object.values(lateness).flat())}`);
    for (const [kind, list] of Object.entries(lateness)) console.log(`  ${kind}: ${summary(list)}`);
    console.log(`  of which due -> outbox row recorded by the workflow: ${summary(recorded)}`);
    console.log(`  and outbox row -> mail in the SMTP server (delivery): ${summary(drained)}`);

    const burst = probeMails
      .filter((m) => byKey.get(m.key)!.kind === 'contact_attempt')
      .map((m) => m.receivedAt)
      .sort((a, b) => a - b);
    for (const slot of [firstSlot, firstSlot + 60_000]) {
      const inSlot = burst.filter((t) => t >= slot && t < slot + 60_000);
      const span = (inSlot.at(-1)! - slot) / 1000;
      console.log(
        `attempt burst due ${hhmm(slot)}: ${inSlot.length} mails in ${span.toFixed(2)} s after the due instant = ${(inSlot.length / span).toFixed(0)} mails/s`,
      );
    }
    console.log(`open cases at the end: ${backgroundCases + contact + sev1}; mails in total ${received.length}`);
    await plainThroughput('after the probes');
    console.log(loadLine());
  } finally {
    worker.shutdown();
    await running;
    transport.transporter.close();
    await env.teardown();
    await database.close();
    await mail.process.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
