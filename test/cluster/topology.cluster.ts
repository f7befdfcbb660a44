/**
 * The production topology for real (`npm run cluster`: PostgreSQL, the Temporal server built from the Go
 * module proxy, its UI, Mailpit, the S3-protocol store of attachments, two workers, two API instances), not part of `npm test` because its first
 * run builds the Temporal server (~10 minutes): `.ci/run` runs it after `npm run cluster` has built it
 * (`npm run jest -- --testMatch '**\/test/cluster/*.cluster.ts'`).
 *
 * One case opened through API 1 and acted on through API 2; a file uploaded through API 1 into the object
 * store and downloaded through API 2; a durable timer firing on the cluster; the read
 * model agreeing with the workflow; Ctrl-C leaving no process behind; a second start (schemas already
 * there) finding every case where it was.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { caseWorkflowId, getCaseQuery, type CaseView } from '../../contract/case';
import { openDatabase } from '../../db/client';
import { organisations } from '../../db/schema';
import { defaultClusterPorts } from '../../runtime/cluster/ports';
import { processesUsing, startClusterScript, type ClusterRun } from './cluster-process';
import { startPremierCase } from '../helpers/direct-case';
import { sha256, tusUpload } from '../helpers/tus';

jest.setTimeout(900_000);

const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-cluster-test-'));
// A random offset keeps parallel runs (and a developer's own `npm run cluster`) off each other's ports.
const offset = 1000 + Math.floor(Math.random() * 8000);
const ports = defaultClusterPorts(offset);
const apis = ports.apis.map((p) => `http://127.0.0.1:${p}`);
let run: ClusterRun | undefined;
let tokens: Record<string, string> = {};

async function api(base: string, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  run = await startClusterScript(dataDir, offset);
  const saved = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as {
    tokens: Array<{ principalId: string; token: string }>;
  };
  tokens = Object.fromEntries(saved.tokens.map((t) => [t.principalId, t.token]));
});

afterAll(async () => {
  await run?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run cluster', () => {
  let caseId = '';
  let timerCaseId = '';

  it('prints the URLs of both API instances, Temporal, its UI and the mail', () => {
    const out = run!.output();
    for (const url of [
      ...apis,
      `127.0.0.1:${ports.frontend}`,
      `http://127.0.0.1:${ports.ui}`,
      `http://localhost:${ports.mailUi}`,
      `http://127.0.0.1:${ports.s3}`,
    ]) {
      expect(out).toContain(url);
    }
  });

  it('a case opened through API 1 is acted on through API 2, and both read the same case', async () => {
    const opened = await api(
      apis[0]!,
      'POST',
      '/v1/cases',
      tokens['acme-premier-anna']!,
      {
        supportId: '01700001',
        type: 'technical',
        severity: 2,
        product: 'backup-replication',
        version: '12.3',
        build: '12.3.1.1139',
        title: 'Cluster: replication stalls',
        description: 'Opened through API instance 1.',
      },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(opened.status).toBe(201);
    caseId = opened.body.id as string;

    const engineer = tokens['eng-emea']!;
    const assigned = await api(apis[1]!, 'POST', `/v1/cases/${caseId}/assignment`, engineer, { ownerId: 'eng-emea', region: 'EMEA' });
    expect(assigned.status).toBe(200);
    const answered = await api(apis[1]!, 'POST', `/v1/cases/${caseId}/responses`, engineer, { message: 'Looking at it from instance 2' });
    expect(answered.status).toBe(200);

    // The read model (written by whichever worker ran the step) agrees with the workflow, seen from either instance.
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.frontend}` });
    try {
      const view = await new Client({ connection }).workflow.getHandle(caseWorkflowId(caseId)).query(getCaseQuery);
      expect(view.ownerId).toBe('eng-emea');
      for (const base of apis) {
        const read = await eventually('read model caught up', async () => {
          const r = await api(base, 'GET', `/v1/cases/${caseId}`, tokens['acme-premier-anna']!);
          return r.body.version === view.version ? r : undefined;
        });
        expect(read.body).toMatchObject({ id: caseId, status: view.status, ownerId: 'eng-emea' });
      }
      const events = await api(apis[0]!, 'GET', `/v1/cases/${caseId}/events`, engineer);
      expect((events.body.items as Array<{ type: string }>).map((e) => e.type)).toEqual(expect.arrayContaining(['opened', 'assigned']));
    } finally {
      await connection.close();
    }
  });

  it('a file uploaded through API 1 lands in the object store and downloads through API 2 with the same bytes', async () => {
    const file = Buffer.alloc(6 * 1024 * 1024 + 5, 7);
    const up = await tusUpload(apis[0]!, caseId, tokens['acme-premier-anna']!, file, { filename: 'cluster.log' }, 4 * 1024 * 1024);
    expect(up.status).toBe(204);
    const linked = await api(apis[0]!, 'POST', `/v1/cases/${caseId}/replies`, tokens['acme-premier-anna']!, {
      message: 'Logs attached',
      attachmentIds: [up.attachmentId],
    });
    expect(linked.status).toBe(200);
    const res = await fetch(`${apis[1]}/v1/cases/${caseId}/attachments/${up.attachmentId}/content`, {
      headers: { Authorization: `Bearer ${tokens['eng-emea']}` },
    });
    expect(res.status).toBe(200);
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(file));
    // In the S3 server's bucket (ATTACHMENT_STORAGE=s3), not in either API's data folder.
    expect(statSync(join(dataDir, 's3', 'buckets', 'caseflow-attachments', up.attachmentId!)).size).toBe(file.length);
  });

  it('a durable timer fires on the cluster: the breach is recorded once and its notices are delivered', async () => {
    const database = await openDatabase({
      url: `postgres://postgres@127.0.0.1:${ports.postgres}/caseflow`,
      maxConnections: 1,
      migrate: false,
    });
    const [acme] = await database.db.select().from(organisations).where(eq(organisations.id, 'acme-premier'));
    await database.close();
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.frontend}` });
    timerCaseId = randomUUID();
    try {
      await startPremierCase(new Client({ connection }), acme!, timerCaseId, { dueAt: Date.now() + 5_000 });
    } finally {
      await connection.close();
    }
    const breaches = await eventually('breach recorded', async () => {
      const r = await api(apis[1]!, 'GET', `/v1/cases/${timerCaseId}/events`, tokens['eng-emea']!);
      const found = (r.body.items as Array<{ type: string }>).filter((e) => e.type === 'sla_breach');
      return found.length > 0 ? found : undefined;
    });
    expect(breaches).toHaveLength(1);
    const delivered = await eventually('breach notices delivered', async () => {
      const r = await api(apis[0]!, 'GET', `/v1/cases/${timerCaseId}/notifications`, tokens['eng-emea']!);
      const items = (r.body.items ?? []) as Array<{ kind?: string; state?: string; deliveredAt?: string | null }>;
      return items.length > 0 && items.every((n) => n.state === 'delivered' || n.deliveredAt) ? items : undefined;
    });
    expect(delivered.length).toBeGreaterThan(0);
  });

  it('Ctrl-C stops every process, and the next start finds every case where it was', async () => {
    expect(await run!.stop()).toBe(0);
    expect(processesUsing(dataDir)).toEqual([]);

    run = await startClusterScript(dataDir, offset);
    for (const id of [caseId, timerCaseId]) {
      const r = await api(apis[1]!, 'GET', `/v1/cases/${id}`, tokens['eng-emea']!);
      expect(r.status).toBe(200);
    }
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.frontend}` });
    try {
      const view: CaseView = await new Client({ connection }).workflow.getHandle(caseWorkflowId(caseId)).query(getCaseQuery);
      expect(view.ownerId).toBe('eng-emea');
    } finally {
      await connection.close();
    }
  });
});
