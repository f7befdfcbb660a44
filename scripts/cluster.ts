/**
 * `npm run cluster`: Caseflow's production topology on this machine (runtime/cluster/topology.ts):
 * PostgreSQL, a Temporal server with its Web UI, Mailpit, two workers and two API instances, as separate
 * processes. Data stays in DATA_DIR (default .data/cluster) between runs; Ctrl-C stops every process.
 * The first run builds the Temporal server from the Go module proxy (minutes; cached in .tools/).
 */
import { resolve } from 'node:path';
import { ensureConsoleBuilt } from '../runtime/console-build';
import { clusterPortsFromEnv } from '../runtime/cluster/ports';
import { NAMESPACE, startCluster } from '../runtime/cluster/topology';
import { createLogger } from '../runtime/logger';
import { onShutdown } from '../runtime/shutdown';

async function main(): Promise<void> {
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
