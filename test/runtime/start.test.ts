/**
 * `npm start` as a newcomer runs it: the real script in a child process (dev server, PGlite, worker, API).
 * Ready answers 200, the Web UI serves HTML, demo tokens work, data survives a restart, and a dead
 * Temporal server turns /ready into a 503 that names Temporal.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import { replyAddress } from '../../activities/mail/reply-address';
import { replyConfigFromEnv } from '../../activities/mail/reply-config';
import { DEMO_PRINCIPALS } from '../../runtime/demo-seed';

const ROOT = resolve(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
}

function startService(env: NodeJS.ProcessEnv): Running {
  let out = '';
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() can press Ctrl-C on all of it like a terminal does
  });
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, svc: Running, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (svc.child.exitCode !== null) throw new Error(`service exited while waiting for ${what}:\n${svc.output()}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${svc.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Ctrl-C: SIGINT to the whole process group (tsx, the service, the dev server), as a terminal sends it. */
function stop(svc: Running): Promise<number | null> {
  if (svc.child.exitCode !== null) return Promise.resolve(svc.child.exitCode);
  return new Promise((res) => {
    svc.child.once('exit', (code) => res(code));
    process.kill(-svc.child.pid!, 'SIGINT');
  });
}

const devServerRunning = (dataDir: string) => spawnSync('pgrep', ['-f', join(dataDir, 'temporal.sqlite')]).status === 0;

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-start-'));
  let env: NodeJS.ProcessEnv;
  let api: string;
  let svc: Running | undefined;

  beforeAll(async () => {
    const [port, devPort, uiPort, smtpPort, mailUiPort, inboundPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(devPort),
      TEMPORAL_UI_PORT: String(uiPort),
      MAILPIT_SMTP_PORT: String(smtpPort),
      MAILPIT_UI_PORT: String(mailUiPort),
      SMTP_URL: '',
      MAIL_INBOUND_SMTP_PORT: String(inboundPort),
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
    };
    api = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (svc) await stop(svc);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ready = async () => {
    const res = await fetch(`${api}/ready`);
    return res.status === 200 ? res : undefined;
  };

  test('comes up ready, serves the Web UI, keeps cases across a restart, and reports a dead Temporal', async () => {
    svc = startService(env);
    await waitFor('/ready 200', ready, svc, 180_000);
    const ui = await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/<html/i);
    expect(svc.output()).toContain(api.replace('127.0.0.1', 'localhost'));

    // The console is built when needed and served at /, with the demo personas (dev mode).
    const page = await fetch(`${api}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const personas = (await (await fetch(`${api}/dev/personas`)).json()) as { personas: Array<{ principalId: string }> };
    expect(personas.personas.map((p) => p.principalId)).toContain('eng-emea');

    // Demo tokens were issued and saved; a case administrator opens a case.
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as {
      tokens: Array<{ principalId: string; role: string; token: string; orgId?: string; supportId?: string }>;
    };
    const admin = demo.tokens.find((t) => t.role === 'case_admin' && t.supportId);
    expect(admin).toBeDefined();
    const created = await fetch(`${api}/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin!.token}`, 'content-type': 'application/json', 'idempotency-key': 'start-test-1' },
      body: JSON.stringify({
        supportId: admin!.supportId,
        type: 'licensing',
        severity: 3,
        title: 'License count wrong after renewal',
        description: 'The portal shows 50 instances, the renewal was for 80',
      }),
    });
    const body = await created.text();
    expect({ status: created.status, body }).toMatchObject({ status: 201 });
    const caseId = JSON.parse(body).id as string;
    const caseNumber = JSON.parse(body).number as number;

    // The case-received mail can be read locally: in Mailpit (its URL printed), or as an .eml file without Go.
    const title = 'License count wrong after renewal';
    if (svc.output().includes('Mail (Mailpit)')) {
      expect(svc.output()).toContain(`http://localhost:${env.MAILPIT_UI_PORT}`);
      const found = await waitFor(
        'the case-received mail in Mailpit',
        async () => {
          const res = await fetch(
            `http://127.0.0.1:${env.MAILPIT_UI_PORT}/api/v1/search?query=${encodeURIComponent(`subject:"${title}"`)}`,
          );
          const list = (await res.json()) as { messages: Array<{ Subject: string }> };
          return list.messages.length > 0 ? list.messages : undefined;
        },
        svc,
        20_000,
      );
      // In the organisation's language (Acme: German), with the case number.
      expect(found.map((m) => m.Subject)).toContain(`Fall #${caseNumber} eingegangen: ${title}`);
    } else {
      expect(svc.output()).toContain(join(dataDir, 'mail'));
      await waitFor('an .eml file', async () => (readdirSync(join(dataDir, 'mail')).length > 0 ? true : undefined), svc, 20_000);
    }

    // The customer answers by email through the inbound SMTP listener npm start runs (printed at start).
    expect(svc.output()).toContain(`smtp://localhost:${env.MAIL_INBOUND_SMTP_PORT}`);
    const email = DEMO_PRINCIPALS.find((p) => p.id === admin!.principalId)!.email;
    const to = replyAddress(replyConfigFromEnv({}), caseId);
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: Number(env.MAIL_INBOUND_SMTP_PORT), ignoreTLS: true });
    const sent = await smtp.sendMail({
      from: email,
      to,
      subject: 'Re: license',
      text: 'We renewed 80 instances.',
      messageId: '<start-1@example>',
    });
    smtp.close();
    expect(sent.response).toMatch(/^250 .*accepted/);
    const events = await (await fetch(`${api}/v1/cases/${caseId}/events`, { headers: { authorization: `Bearer ${admin!.token}` } })).json();
    expect((events as { items: Array<{ type: string; data: { via?: string } }> }).items).toContainEqual(
      expect.objectContaining({ type: 'customer_reply', data: expect.objectContaining({ via: 'email' }) }),
    );

    // Prometheus metrics count that request under its route template.
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toMatch(/caseflow_http_request_duration_seconds_count\{[^}]*route="\/v1\/cases"[^}]*status="201"[^}]*\} 1/);

    // Stop and start again: the case is still there, in the database and in Temporal.
    expect(await stop(svc)).toBe(0);
    expect(devServerRunning(dataDir)).toBe(false);
    svc = startService(env);
    await waitFor('/ready 200 after restart', ready, svc, 120_000);
    const again = await fetch(`${api}/v1/cases/${caseId}`, { headers: { authorization: `Bearer ${admin!.token}` } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(caseId);

    // Kill the dev server: /ready answers 503 and names Temporal.
    const killed = spawnSync('pkill', ['-KILL', '-f', join(dataDir, 'temporal.sqlite')]);
    expect(killed.status).toBe(0);
    const unavailable = await waitFor(
      '/ready 503',
      async () => {
        const res = await fetch(`${api}/ready`);
        return res.status === 503 ? ((await res.json()) as Record<string, unknown>) : undefined;
      },
      svc,
      30_000,
    );
    expect(JSON.stringify(unavailable)).toMatch(/temporal/i);
  }, 400_000);
});
