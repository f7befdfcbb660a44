/**
 * `npm start`: the whole service on one machine. A Temporal dev server (unless TEMPORAL_ADDRESS is set),
 * the database (PGlite in .data unless DATABASE_URL is set) with migrations and demo data, the case worker
 * and the API, in one process. Ctrl-C stops everything; the next start finds every case where it was.
 */
import { inboundMailOptions } from '../runtime/mail';
import { loadConfig } from '../runtime/config';
import { ensureConsoleBuilt } from '../runtime/console-build';
import { openConfiguredDatabase } from '../runtime/database';
import { loadOrSeedDemo } from '../runtime/demo';
import { DEMO_PRINCIPALS } from '../runtime/demo-seed';
import { startLocalOidc } from '../runtime/local-oidc';
import { startDevServer } from '../runtime/dev-server';
import { startHttpServer } from '../runtime/http-server';
import { startInboundSmtp } from '../runtime/inbound-smtp';
import { startLocalMailServer } from '../runtime/mail-server';
import { createLogger } from '../runtime/logger';
import { installTemporalRuntime } from '../runtime/temporal-runtime';
import { onShutdown } from '../runtime/shutdown';
import { connectClient } from '../runtime/temporal';
import { superviseWorker } from '../runtime/worker-supervisor';
import { startLocalJaeger } from '../runtime/jaeger';
import { startTracing } from '../runtime/tracing';

const DEFAULT_INBOUND_SMTP_PORT = 2525;

async function main(): Promise<void> {
  // `npm start -- --traces` is CASEFLOW_TRACES=jaeger: a local Jaeger, and traces sent to it.
  const config = loadConfig(process.argv.includes('--traces') ? { ...process.env, CASEFLOW_TRACES: 'jaeger' } : process.env);
  const logger = createLogger(config.logLevel);
  installTemporalRuntime(logger, { metricsBindAddress: config.workerMetricsAddress });
  const register = onShutdown(logger);

  const jaeger = await startLocalJaeger(config, (m) => logger.info(m));
  if (jaeger) register('jaeger', jaeger.stop);
  // Before the Temporal client and the worker are made: both look for the process's tracing.
  if (config.tracing) register('tracing', startTracing(config.tracing, logger).shutdown);

  let uiUrl: string | undefined;
  if (!config.temporal.external) {
    logger.info('starting the Temporal dev server (first run fetches the pinned CLI, which takes a while)');
    const devServer = await startDevServer({
      dataDir: config.dataDir,
      port: config.temporal.devServerPort,
      uiPort: config.temporal.uiPort,
      namespace: config.temporal.namespace,
      logger,
    });
    register('temporal dev server', devServer.stop);
    uiUrl = devServer.uiUrl;
  }

  // No SMTP relay configured: run a local one, so every mail the system sends can be read.
  let mailAt = `  Mail           sent over ${config.mail.smtpUrl ?? ''}`;
  if (!config.mail.smtpUrl) {
    const mail = await startLocalMailServer({
      dataDir: config.dataDir,
      smtpPort: config.mail.localSmtpPort,
      uiPort: config.mail.localUiPort,
      logger,
    });
    register('mail server', mail.stop);
    config.mail.smtpUrl = mail.smtpUrl;
    mailAt =
      mail.kind === 'mailpit'
        ? `  Mail (Mailpit) ${mail.readAt}   (every mail the system sends)`
        : `  Mail (.eml)    ${mail.readAt}   (install Go for Mailpit's web UI)`;
  }

  const database = await openConfiguredDatabase(config);
  register('database', database.close);
  const demo = await loadOrSeedDemo(database, config.dataDir);

  const temporal = await connectClient(config);
  register('temporal client', temporal.close);

  const worker = superviseWorker(config, database, logger);
  register('worker', worker.stop);

  ensureConsoleBuilt(logger);
  // Answers to inbound mail (bounces, closed-case notes) go out over the same SMTP as case mail.
  const inboundMail = inboundMailOptions(config.mail);
  // No identity provider configured (and not production): people sign in through an embedded one, as the demo personas.
  const local = config.localOidc
    ? await startLocalOidc({ port: config.localOidc.port, publicUrl: config.peopleSignIn.publicUrl, logger })
    : undefined;
  if (local) register('local OpenID provider', local.close);
  const devPersonas = local
    ? DEMO_PRINCIPALS.map((p) => ({ principalId: p.id, name: p.name, role: p.role, orgId: p.orgId ?? null, token: '' }))
    : demo.tokens;
  const http = await startHttpServer(config, {
    database,
    temporal: temporal.client,
    logger,
    devPersonas,
    inboundMail,
    localProvider: local?.settings,
  });
  register('http server', http.close);

  // Replies to case mail: on by default locally, so answering a contact-attempt mail works out of the box.
  const smtpDeps = { database, temporal: temporal.client, logger, inboundMail };
  const host = config.mailInbound.smtpHost;
  const smtp = await startInboundSmtp(smtpDeps, { port: config.mailInbound.smtpPort ?? DEFAULT_INBOUND_SMTP_PORT, host }).catch(
    (err: unknown) => {
      // The default port taken (another local mail tool): any free port does locally; it is printed below.
      if (config.mailInbound.smtpPort !== undefined || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      return startInboundSmtp(smtpDeps, { port: 0, host });
    },
  );
  register('inbound smtp', smtp.close);

  const api = `http://localhost:${config.port}`;
  const lines = [
    '',
    `Caseflow is running (database: ${database.kind}, Temporal: ${config.temporal.connect.address}, namespace ${config.temporal.namespace})`,
    local
      ? `  Console        ${config.peopleSignIn.publicUrl}/   (dev mode: pick a demo persona; signs in through the local OpenID provider ${local.issuer})`
      : `  Console        ${config.peopleSignIn.publicUrl}/   (sign in with ${config.peopleSignIn.providers.map((p) => p.label).join(' or ') || 'a bearer token'})`,
    `  API            ${api}   (try: curl ${api}/ready)`,
    `  OpenAPI        ${api}/openapi.json`,
    `  Mail in (SMTP) smtp://localhost:${smtp.port}   (replies to case+<caseId>.<token>@${inboundMail.reply.domain}; also POST ${api}/v1/inbound-mail)`,
    uiUrl ? `  Temporal UI    ${uiUrl}` : `  Temporal UI    (external cluster: use its own UI)`,
    mailAt,
    jaeger
      ? `  Traces (Jaeger) ${jaeger.queryUrl.replace('127.0.0.1', 'localhost')}/api/traces?service=${config.tracing!.serviceName}&limit=20   (query API: every request, workflow, activity and mail)`
      : config.tracing
        ? `  Traces         sent over OTLP to ${config.tracing.endpoint}`
        : `  Traces         off (npm start -- --traces runs Jaeger)`,
    ...demo.describe(),
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
