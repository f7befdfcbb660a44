/** The HTTP API alone (production: scale out behind a load balancer). Needs TEMPORAL_ADDRESS and DATABASE_URL. */
import { inboundMailOptions } from '../runtime/mail';
import { loadConfig } from '../runtime/config';
import { openConfiguredDatabase, requireSharedDatabase } from '../runtime/database';
import { startHttpServer } from '../runtime/http-server';
import { startInboundSmtp } from '../runtime/inbound-smtp';
import { createLogger } from '../runtime/logger';
import { onShutdown } from '../runtime/shutdown';
import { startTracing } from '../runtime/tracing';
import { connectClient } from '../runtime/temporal';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  requireSharedDatabase(config, 'the API');
  const register = onShutdown(logger);
  if (config.tracing) register('tracing', startTracing(config.tracing, logger).shutdown);
  const database = await openConfiguredDatabase(config);
  register('database', database.close);
  const temporal = await connectClient(config);
  register('temporal client', temporal.close);
  const inboundMail = inboundMailOptions(config.mail);
  const http = await startHttpServer(config, { database, temporal: temporal.client, logger, inboundMail });
  register('http server', http.close);
  logger.info({ port: config.port }, 'api listening');
  if (config.mailInbound.smtpPort !== undefined) {
    const smtp = await startInboundSmtp(
      { database, temporal: temporal.client, logger, inboundMail },
      { port: config.mailInbound.smtpPort, host: config.mailInbound.smtpHost },
    );
    register('inbound smtp', smtp.close);
    logger.info({ port: smtp.port }, 'inbound SMTP listening');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
