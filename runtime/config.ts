/**
 * Process configuration, from the environment only. Defaults run everything embedded on one machine;
 * TEMPORAL_ADDRESS and DATABASE_URL switch to external services (see README "Configuration").
 */
import { resolve } from 'node:path';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { DEV_REPLY_SECRET } from '../activities/mail/reply-config';

export interface Config {
  /** NODE_ENV=production: secrets are checked (productionSecretProblems) and nothing dev-only is served. */
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  taskQueue: string;
  /** Requests per token per minute (RATE_LIMIT_PER_MINUTE, default 600). */
  rateLimitPerMinute: number;
  /** Failed authentications per presented token per minute before its refusals become 429s (AUTH_FAILURES_PER_MINUTE, default 30). */
  authFailuresPerMinute: number;
  /** The same per client address (AUTH_FAILURES_PER_ADDRESS_PER_MINUTE, default 300); valid tokens are never refused. */
  authFailuresPerAddressPerMinute: number;
  /** Open event streams per principal, across all API instances (EVENT_STREAMS_PER_PRINCIPAL, default 10). */
  eventStreamsPerPrincipal: number;
  /**
   * Express 'trust proxy' (TRUST_PROXY: true, a hop count, or addresses/subnets such as 'loopback, 10.0.0.0/8'):
   * behind a load balancer the failed-authentication limit must see clients, not the balancer. Unset = none.
   */
  trustProxy: boolean | number | string | undefined;
  /** host:port for the worker's Prometheus endpoint (the SDK's metrics); unset = off. */
  workerMetricsAddress: string | undefined;
  mail: {
    /** SMTP_URL; unset under `npm start` means: start the local mail server and point this at it. */
    smtpUrl: string | undefined;
    /** Mails in flight at once per SMTP server, and the pool's connections (MAIL_CONCURRENCY, default 10). */
    concurrency: number;
    /** Ports of the local mail server `npm start` runs when SMTP_URL is unset. */
    localSmtpPort: number;
    localUiPort: number;
  };
  /** Inbound SMTP listener (MAIL_INBOUND_SMTP_PORT / _HOST); unset port = the API process runs none (npm start: 2525). */
  mailInbound: { smtpPort: number | undefined; smtpHost: string };
  temporal: {
    /** true when TEMPORAL_ADDRESS (or a config-file profile) points at an existing cluster. */
    external: boolean;
    namespace: string;
    connect: ClientConnectConfig['connectionOptions'];
    devServerPort: number;
    uiPort: number;
  };
}

function trustProxyFromEnv(raw: string | undefined): boolean | number | string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return /^[0-9]+$/.test(raw) ? Number(raw) : raw;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, max = 65535): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > max) throw new Error(`${name} must be an integer 1-${max}, got '${raw}'`);
  return value;
}

/** Keys Caseflow itself signs with (HMAC): production needs them random and at least this long. */
export const SIGNING_SECRETS = ['MAIL_REPLY_SECRET', 'NOTIFY_WEBHOOK_SECRET'] as const;
export const MIN_SECRET_BYTES = 32;
/** Values shipped in this repository (defaults, examples, compose files) or commonly typed: never production secrets. */
export const KNOWN_DEVELOPMENT_SECRETS: readonly string[] = [
  DEV_REPLY_SECRET,
  'change-me-in-production',
  'change-me',
  'changeme',
  'caseflow',
  'postgres',
  'password',
  'secret',
];

const isKnownDefault = (value: string) => KNOWN_DEVELOPMENT_SECRETS.includes(value.trim().toLowerCase());

/**
 * What is wrong with the secrets for a production start (empty: nothing): a signing key (MAIL_REPLY_SECRET,
 * NOTIFY_WEBHOOK_SECRET) that is a known development default or shorter than 32 bytes, a password in
 * DATABASE_URL that is a known default (its length is the database's policy; a URL may carry none), and
 * SMTP_URL without MAIL_REPLY_SECRET. Each problem names its variable and never echoes a real secret.
 */
export function productionSecretProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  // Reply addresses are HMAC-signed: production mail needs a real key, never the development default.
  if (env.SMTP_URL && !env.MAIL_REPLY_SECRET) {
    problems.push('SMTP_URL is set but MAIL_REPLY_SECRET is missing: refusing to send case mail with forgeable reply addresses');
  }
  for (const name of SIGNING_SECRETS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (isKnownDefault(value))
      problems.push(`${name} is a known development default ('${value}'): set a random key of at least ${MIN_SECRET_BYTES} bytes`);
    else if (Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES)
      problems.push(
        `${name} is ${Buffer.byteLength(value, 'utf8')} bytes: production needs at least ${MIN_SECRET_BYTES} (e.g. openssl rand -hex 32)`,
      );
  }
  if (env.DATABASE_URL) {
    let password = '';
    try {
      password = decodeURIComponent(new URL(env.DATABASE_URL).password);
    } catch {
      // Not a URL: openDatabase names the problem.
    }
    if (password && isKnownDefault(password))
      problems.push(`DATABASE_URL carries a known development password ('${password}'): set a real one`);
  }
  return problems;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const devServerPort = intFromEnv(env, 'TEMPORAL_DEV_PORT', 7233);
  // An address or a config-file profile names an existing cluster; otherwise npm start runs a dev server.
  const external = Boolean(env.TEMPORAL_ADDRESS || env.TEMPORAL_PROFILE || env.TEMPORAL_CONFIG_FILE);
  // Temporal's own env-config conventions: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
  // TEMPORAL_TLS*, TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE.
  const loaded = loadClientConnectConfig({ overrideEnvVars: env as Record<string, string> });
  const connect = external ? loaded.connectionOptions : { ...loaded.connectionOptions, address: `127.0.0.1:${devServerPort}` };
  if (env.NODE_ENV === 'production') {
    const problems = productionSecretProblems(env);
    if (problems.length > 0) throw new Error(`refusing to start with NODE_ENV=production: ${problems.join('; ')}`);
  }
  return {
    production: env.NODE_ENV === 'production',
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimitPerMinute: intFromEnv(env, 'RATE_LIMIT_PER_MINUTE', 600, 1_000_000_000),
    authFailuresPerMinute: intFromEnv(env, 'AUTH_FAILURES_PER_MINUTE', 30, 1_000_000_000),
    authFailuresPerAddressPerMinute: intFromEnv(env, 'AUTH_FAILURES_PER_ADDRESS_PER_MINUTE', 300, 1_000_000_000),
    eventStreamsPerPrincipal: intFromEnv(env, 'EVENT_STREAMS_PER_PRINCIPAL', 10, 1_000_000),
    trustProxy: trustProxyFromEnv(env.TRUST_PROXY),
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'cases',
    workerMetricsAddress: env.WORKER_METRICS_ADDRESS || undefined,
    mail: {
      smtpUrl: env.SMTP_URL || undefined,
      concurrency: intFromEnv(env, 'MAIL_CONCURRENCY', 10, 1000),
      localSmtpPort: intFromEnv(env, 'MAILPIT_SMTP_PORT', 1025),
      localUiPort: intFromEnv(env, 'MAILPIT_UI_PORT', 8025),
    },
    mailInbound: {
      smtpPort: env.MAIL_INBOUND_SMTP_PORT ? intFromEnv(env, 'MAIL_INBOUND_SMTP_PORT', 2525) : undefined,
      smtpHost: env.MAIL_INBOUND_SMTP_HOST || env.HOST || '0.0.0.0',
    },
    temporal: {
      external,
      namespace: loaded.namespace ?? env.TEMPORAL_NAMESPACE ?? 'default',
      connect,
      devServerPort,
      uiPort: intFromEnv(env, 'TEMPORAL_UI_PORT', 8233),
    },
  };
}
