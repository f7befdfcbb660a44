/**
 * `npm run cluster`: Caseflow's production topology on this machine (runtime/cluster/topology.ts):
 * PostgreSQL, a Temporal server with its Web UI, Mailpit, an S3-protocol store for attachments (gofakes3),
 * two workers and two API instances, as separate processes. Data stays in DATA_DIR (default .data/cluster) between runs; Ctrl-C stops every process.
 * The first run builds the Temporal server from the Go module proxy (minutes; cached in .tools/);
 * `npm run cluster -- --build-only` does just that (CI) and prints how long each build took.
 */
import { resolve } from 'node:path';
import { ensureConsoleBuilt } from '../runtime/console-build';
import { ensureMailpit } from '../runtime/mailpit-toolchain';
import { ensureS3Server } from '../runtime/s3-server-toolchain';
import { ensureTemporalServer } from '../runtime/temporal-server-toolchain';
import { ensureTemporalUiServer } from '../runtime/cluster/ui';
import { clusterPortsFromEnv } from '../runtime/cluster/ports';
import { NAMESPACE, startCluster } from '../runtime/cluster/topology';
import { createLogger } from '../runtime/logger';
import { onShutdown } from '../runtime/shutdown';

/** Builds (or finds cached) every binary the cluster runs, timing each. */
async function buildOnly(): Promise<void> {
  const timed = async (name: string, build: () => Promise<unknown>) => {
    const t = Date.now();
    await build();
    process.stdout.write(`${name}: ready in ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
  };
  const say = (m: string) => process.stdout.write(`${m}\n`);
  await timed('Temporal server + SQL tool', () => ensureTemporalServer(say));
  await timed('Temporal UI server', () => ensureTemporalUiServer(say));
  await timed('Mailpit', async () => {
    const mailpit = await ensureMailpit(say);
    if (!mailpit.path) throw new Error(mailpit.reason);
  });
  await timed('S3 server (gofakes3)', async () => {
    const s3 = await ensureS3Server(say);
    if (!s3.path) throw new Error(s3.reason);
  });
}

async function main(): Promise<void> {
  if (process.argv.includes('--build-only')) return buildOnly();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  const onSignal = onShutdown(logger);
  const stops: Array<{ name: string; step: () => Promise<void> }> = [];
  const register = (name: string, step: () => Promise<void>) => {
    stops.push({ name, step });
    onSignal(name, step);
  };
  const dataDir = resolve(process.env.DATA_DIR ?? '.data/cluster');
  const ports = clusterPortsFromEnv();
  ensureConsoleBuilt(logger);
  const started = Date.now();
  const cluster = await startCluster({ dataDir, ports, logger, register }).catch(async (err: unknown) => {
    // Stop whatever had started (PostgreSQL runs detached), then fail.
    for (const { step } of stops.reverse()) await step().catch(() => undefined);
    throw err;
  });
  const lines = [
    '',
    `Caseflow cluster is running (${((Date.now() - started) / 1000).toFixed(1)} s; data in ${dataDir})`,
    ...cluster.apis.map((api, i) => `  API ${i + 1}          ${api}   (console at /, OpenAPI at /openapi.json)`),
    `  Temporal       ${cluster.temporalAddress}   (namespace ${NAMESPACE}; temporal CLI: --address ${cluster.temporalAddress})`,
    cluster.uiUrl ? `  Temporal UI    ${cluster.uiUrl}` : '  Temporal UI    unavailable (see the log above)',
    `  PostgreSQL     ${cluster.databaseUrl}   (Temporal: databases temporal, temporal_visibility)`,
    `  Mail           ${cluster.mail.readAt}   (every mail the workers send)`,
    `  Mail in (SMTP) ${cluster.inboundSmtp}   (API 1 only)`,
    `  Attachments    ${cluster.s3.endpoint}   (S3 bucket ${cluster.s3.bucket}, gofakes3; files in ${cluster.s3.dataDir})`,
    `  Workers        2 (pids ${cluster.workers.map((w) => w.pid).join(', ')}); logs in ${cluster.logDir}`,
    ...cluster.describeDemo(),
    'Press Ctrl-C to stop (data is kept).',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
