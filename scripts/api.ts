/** The HTTP API alone (production: scale out behind a load balancer). Needs TEMPORAL_ADDRESS and DATABASE_URL. */
import { loadConfig } from '../runtime/config';
import { openConfiguredDatabase, requireSharedDatabase } from '../runtime/database';
import { startHttpServer } from '../runtime/http-server';
import { createLogger } from '../runtime/logger';
import { onShutdown } from '../runtime/shutdown';
import { connectClient } from '../runtime/temporal';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  requireSharedDatabase(config, 'the API');
  const register = onShutdown(logger);
  const database = await openConfiguredDatabase(config);
  register('database', database.close);
  const temporal = await connectClient(config);
  register('temporal client', temporal.close);
  const http = await startHttpServer(config, { database, temporal: temporal.client, logger });
  register('http server', http.close);
  logger.info({ port: config.port }, 'api listening');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
