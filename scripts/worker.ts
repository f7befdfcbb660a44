/** The case worker alone (production: scale out as many as needed). Needs TEMPORAL_ADDRESS and DATABASE_URL. */
import { loadConfig } from '../runtime/config';
import { openConfiguredDatabase, requireSharedDatabase } from '../runtime/database';
import { createLogger } from '../runtime/logger';
import { installTemporalRuntime } from '../runtime/temporal-runtime';
import { onShutdown } from '../runtime/shutdown';
import { startTracing } from '../runtime/tracing';
import { superviseWorker } from '../runtime/worker-supervisor';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  installTemporalRuntime(logger, { metricsBindAddress: config.workerMetricsAddress });
  requireSharedDatabase(config, 'the worker');
  const register = onShutdown(logger);
  if (config.tracing) register('tracing', startTracing(config.tracing, logger).shutdown);
  const database = await openConfiguredDatabase(config);
  register('database', database.close);
  const worker = superviseWorker(config, database, logger);
  register('worker', worker.stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
