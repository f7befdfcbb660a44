/**
 * Process configuration, from the environment only. Defaults run everything embedded on one machine;
 * TEMPORAL_ADDRESS and DATABASE_URL switch to external services (see README "Configuration").
 */
import { resolve } from 'node:path';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  taskQueue: string;
  /** Requests per token per minute (RATE_LIMIT_PER_MINUTE, default 600). */
  rateLimitPerMinute: number;
  /** Failed authentications per client address per minute before a block (AUTH_FAILURES_PER_MINUTE, default 30). */
  authFailuresPerMinute: number;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const devServerPort = intFromEnv(env, 'TEMPORAL_DEV_PORT', 7233);
  // An address or a config-file profile names an existing cluster; otherwise npm start runs a dev server.
  const external = Boolean(env.TEMPORAL_ADDRESS || env.TEMPORAL_PROFILE || env.TEMPORAL_CONFIG_FILE);
  // Temporal's own env-config conventions: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
  // TEMPORAL_TLS*, TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE.
  const loaded = loadClientConnectConfig({ overrideEnvVars: env as Record<string, string> });
  const connect = external ? loaded.connectionOptions : { ...loaded.connectionOptions, address: `127.0.0.1:${devServerPort}` };
  // Reply addresses are HMAC-signed: production mail needs a real key, never the development default.
  if (env.NODE_ENV === 'production' && env.SMTP_URL && !env.MAIL_REPLY_SECRET) {
    throw new Error('SMTP_URL is set but MAIL_REPLY_SECRET is missing: refusing to send case mail with forgeable reply addresses');
  }
  return {
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimitPerMinute: intFromEnv(env, 'RATE_LIMIT_PER_MINUTE', 600, 1_000_000_000),
    authFailuresPerMinute: intFromEnv(env, 'AUTH_FAILURES_PER_MINUTE', 30, 1_000_000_000),
    trustProxy: trustProxyFromEnv(env.TRUST_PROXY),
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'cases',
    workerMetricsAddress: env.WORKER_METRICS_ADDRESS || undefined,
    mail: {
      smtpUrl: env.SMTP_URL || undefined,
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
