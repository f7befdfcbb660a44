/**
 * `npm run cluster`: the production topology on one machine. PostgreSQL (Debian's), the Temporal server
 * on it (schemas migrated by its SQL tool, `default` namespace and search attributes registered), the
 * Temporal Web UI pointed at it, Mailpit, an S3-protocol object store for attachments (gofakes3, files under
 * the data folder; production uses S3 or any S3-compatible store), two workers and two API instances, each
 * its own process. All state lives under one data folder and survives restarts; `stop` takes everything
 * down in reverse order.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { openDatabase } from '../../db/client';
import { writeWorkflowBundle } from '../../worker/create-worker';
import { loadOrSeedDemo } from '../demo';
import { startLocalMailServer } from '../mail-server';
import { ensureS3Server, s3ServerArgs, s3ServerAnswers } from '../s3-server-toolchain';
import { ensureTemporalServer } from '../temporal-server-toolchain';
import { apiReady, apiSpec, workerSpec, type AppEnv } from './app-processes';
import { ensureNamespace } from './namespace';
import type { ClusterPorts } from './ports';
import { startClusterPostgres } from './postgres';
import { startService, waitReady, type RunningService } from './service';
import { writeTemporalConfig } from './temporal-config';
import { migrateTemporalSchemas } from './temporal-schema';
import { temporalServerSpec, temporalServing } from './temporal-server';
import { startTemporalUi } from './ui';

export const NAMESPACE = 'default';
/** The bucket the cluster's API instances keep attachments in. */
export const ATTACHMENT_BUCKET = 'caseflow-attachments';

export interface ClusterOptions {
  dataDir: string;
  ports: ClusterPorts;
  logger: Logger;
  /** Register each started part's stop step (runtime/shutdown.ts), so Ctrl-C mid-start cleans up too. */
  register: (name: string, step: () => Promise<void>) => void;
}

export interface Cluster {
  temporalAddress: string;
  databaseUrl: string;
  apis: string[];
  uiUrl: string | null;
  mail: { smtpUrl: string; readAt: string };
  inboundSmtp: string;
  /** The S3 endpoint and bucket the API instances store attachments in, and where its files are. */
  s3: { endpoint: string; bucket: string; dataDir: string };
  logDir: string;
  describeDemo: () => string[];
  workers: RunningService[];
  apiServices: RunningService[];
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const { dataDir, ports, logger, register } = opts;
  const log = logger.child({ component: 'cluster' });
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  // PostgreSQL runs as the postgres user below this folder when we are root: it must be able to enter it.
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o755);
  const onExit = (name: string, code: number | null, signal: string | null) =>
    log.error({ process: name, code, signal, logDir }, 'a cluster process exited unexpectedly');

  const tools = await ensureTemporalServer((m) => log.info(m));

  const pg = await startClusterPostgres(join(dataDir, 'pg'), ports.postgres);
  register('postgresql', () => Promise.resolve(pg.stop()));
  log.info({ port: pg.port }, 'PostgreSQL running');
  for (const line of await migrateTemporalSchemas(tools, pg.serverUrl, pg.port)) log.info(line);

  // Caseflow's schema migrated once here, before four processes would race to do it.
  const database = await openDatabase({ url: pg.appUrl, maxConnections: 2 });
  const demo = await loadOrSeedDemo(database, dataDir).finally(() => database.close());

  const root = join(dataDir, 'temporal');
  writeTemporalConfig(tools.configTemplate, root, ports, pg.port);
  const temporal = startService(temporalServerSpec(tools, root, join(logDir, 'temporal-server.log')), onExit);
  register('temporal server', () => temporal.stop());
  const temporalAddress = `127.0.0.1:${ports.frontend}`;
  await waitReady(temporal, 'temporal server', () => temporalServing(temporalAddress));
  const ns = await retry(() => ensureNamespace(temporalAddress, NAMESPACE));
  log.info({ address: temporalAddress, ...ns }, 'Temporal server running');

  const ui = await startTemporalUi({
    temporalAddress,
    port: ports.ui,
    root: join(dataDir, 'ui'),
    logFile: join(logDir, 'temporal-ui.log'),
    logger: log,
  });
  if (ui) register('temporal ui', ui.stop);

  const mail = await startLocalMailServer({ dataDir, smtpPort: ports.mailSmtp, uiPort: ports.mailUi, logger });
  register('mail server', mail.stop);

  // Attachments go to the object store (ATTACHMENT_STORAGE=s3), so both API instances serve every file.
  const s3Binary = await ensureS3Server((m) => log.info(m));
  if (!s3Binary.path) throw new Error(`the cluster needs the S3 server (gofakes3): ${s3Binary.reason}`);
  const s3DataDir = join(dataDir, 's3');
  mkdirSync(s3DataDir, { recursive: true });
  const s3 = startService(
    {
      name: 's3',
      command: s3Binary.path,
      args: s3ServerArgs({ dataDir: s3DataDir, port: ports.s3, bucket: ATTACHMENT_BUCKET }),
      logFile: join(logDir, 's3.log'),
    },
    onExit,
  );
  register('s3 server', () => s3.stop());
  const s3Endpoint = `http://127.0.0.1:${ports.s3}`;
  await waitReady(s3, 's3 server', () => s3ServerAnswers(s3Endpoint));
  log.info({ endpoint: s3Endpoint, bucket: ATTACHMENT_BUCKET }, 'S3 server running');

  // One bundle for both workers (and every restart), rebuilt each start so it matches the code.
  const workflowBundle = join(dataDir, 'workflow-bundle.js');
  await writeWorkflowBundle(workflowBundle);
  const env: AppEnv = {
    databaseUrl: pg.appUrl,
    temporalAddress,
    namespace: NAMESPACE,
    smtpUrl: mail.smtpUrl,
    mailReplySecret: replySecret(dataDir),
    workflowBundle,
    // gofakes3 checks no signature; the SDK still signs, so it needs a key pair (not a secret).
    attachments: { endpoint: s3Endpoint, bucket: ATTACHMENT_BUCKET, accessKeyId: 'caseflow', secretAccessKey: 'caseflow-local' },
  };
  const workers = [1, 2].map((n) => startService(workerSpec(n, env, logDir, ports.workerMetrics[n - 1]), onExit));
  workers.forEach((w) => register(w.name, () => w.stop()));
  const apiServices = [1, 2].map((n) =>
    startService(apiSpec(n, env, logDir, ports.apis[n - 1]!, n === 1 ? ports.inboundSmtp : undefined), onExit),
  );
  apiServices.forEach((a) => register(a.name, () => a.stop()));
  const apis = ports.apis.map((p) => `http://127.0.0.1:${p}`);
  await Promise.all([
    ...workers.map((w) => waitReady(w, w.name, () => Promise.resolve(w.printedReady()))),
    ...apiServices.map((a, i) => waitReady(a, a.name, () => apiReady(apis[i]!))),
  ]);
  return {
    temporalAddress,
    databaseUrl: pg.appUrl,
    apis,
    uiUrl: ui?.url ?? null,
    mail: { smtpUrl: mail.smtpUrl, readAt: mail.readAt },
    inboundSmtp: `smtp://127.0.0.1:${ports.inboundSmtp}`,
    s3: { endpoint: s3Endpoint, bucket: ATTACHMENT_BUCKET, dataDir: s3DataDir },
    logDir,
    describeDemo: demo.describe,
    workers,
    apiServices,
  };
}

/** The HMAC key of reply addresses, shared by every process and kept with the data (replies to old mail still verify). */
function replySecret(dataDir: string): string {
  const file = join(dataDir, 'mail-reply-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** A fresh server can refuse namespace calls for a moment while its caches warm up. */
async function retry<T>(fn: () => Promise<T>, attempts = 20): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
