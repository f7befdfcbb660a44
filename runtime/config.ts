/**
 * Process configuration, from the environment only. Defaults run everything embedded on one machine;
 * TEMPORAL_ADDRESS and DATABASE_URL switch to external services (see README "Configuration").
 */
import { resolve } from 'node:path';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { createHash } from 'node:crypto';
import { DEV_REPLY_SECRET, replyConfigFromEnv } from '../activities/mail/reply-config';
import type { ReplyAddressConfig } from '../activities/mail/reply-address';
import { DEFAULT_MAIL_FROM } from '../activities/mail/transport';
import { DEFAULT_INBOUND_MAIL_MAX_BYTES } from '../api/app';
import type { Role } from '../contract/case';
import { DEFAULT_SESSION_LIFETIMES, type OidcProviderSettings, type PeopleSignIn } from '../api/oidc/types';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentOptions, type StorageConfig } from '../api/attachments/options';
import { webhookSettingsFromEnv, type WebhookSettings } from '../activities/webhooks/subscriptions';

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
  /**
   * Memory the worker may spend on its sticky cache of cases (WORKER_CACHE_MB, default 512): the cache holds
   * this budget divided by the measured size of one cached case (worker/create-worker.ts, CACHED_CASE_KB).
   */
  workerCacheMb: number;
  mail: {
    /** SMTP_URL; unset under `npm start` means: start the local mail server and point this at it. */
    smtpUrl: string | undefined;
    /** MAIL_FROM: the sender of case mail. */
    from: string;
    /**
     * MAIL_REPLY_SECRET / MAIL_REPLY_DOMAIN: the HMAC key and domain of case reply addresses; null in
     * production without a key (a process that mints or checks reply addresses then refuses to start).
     */
    reply: ReplyAddressConfig | null;
    /** PUBLIC_URL: where people open the console; every mail links there. */
    consoleUrl: string;
    /** MAIL_INBOUND_MAX_BYTES: the largest inbound message taken (default 10 MiB). */
    inboundMaxBytes: number;
    /** Mails in flight at once per SMTP server, and the pool's connections (MAIL_CONCURRENCY, default 10). */
    concurrency: number;
    /** Ports of the local mail server `npm start` runs when SMTP_URL is unset. */
    localSmtpPort: number;
    localUiPort: number;
  };
  /** Inbound SMTP listener (MAIL_INBOUND_SMTP_PORT / _HOST); unset port = the API process runs none (npm start: 2525). */
  mailInbound: { smtpPort: number | undefined; smtpHost: string };
  /** Attachments (issue 18): the blob store (ATTACHMENT_STORAGE=fs|s3, S3_*), the limits, the download-link key. */
  attachments: AttachmentOptions;
  /** Webhook subscriptions (issue 23): WEBHOOK_TIMEOUT_MS, WEBHOOK_CONCURRENCY, WEBHOOK_DISABLE_AFTER_FAILURES, WEBHOOK_ALLOW_PRIVATE_NETWORKS, NOTIFY_WEBHOOK_URL/SECRET. */
  webhooks: WebhookSettings;
  /**
   * People's sign-in (OpenID Connect, server-side sessions): PUBLIC_URL, the configured providers
   * (OIDC_STAFF_*, OIDC_CUSTOMER_*) and SESSION_*; see peopleSignInFromEnv.
   */
  peopleSignIn: PeopleSignIn;
  /** npm start's embedded OpenID provider (dev only: no provider configured, not production): its loopback port; null = none. */
  localOidc: { port: number } | null;
  /**
   * OpenTelemetry traces (issue 23): null = off (the default). OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or
   * OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, turns them on (OTLP over HTTP/protobuf); OTEL_SERVICE_NAME
   * (default caseflow); OTEL_SDK_DISABLED=true turns them off again. npm start's CASEFLOW_TRACES=jaeger
   * (or --traces) runs a local Jaeger and points the endpoint at it.
   */
  tracing: TracingSettings | null;
  /** CASEFLOW_TRACES=jaeger: npm start runs Jaeger on these loopback ports (JAEGER_UI_PORT 16686, JAEGER_OTLP_PORT 4318). */
  localJaeger: { uiPort: number; otlpPort: number } | null;
  temporal: {
    /** true when TEMPORAL_ADDRESS (or a config-file profile) points at an existing cluster. */
    external: boolean;
    namespace: string;
    connect: ClientConnectConfig['connectionOptions'];
    devServerPort: number;
    uiPort: number;
  };
}

export interface TracingSettings {
  /** Where spans are POSTed (OTLP/HTTP protobuf), e.g. http://127.0.0.1:4318/v1/traces. */
  endpoint: string;
  serviceName: string;
}

/** The OTel SDK's own variable names (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/). */
export function tracingFromEnv(env: NodeJS.ProcessEnv): TracingSettings | null {
  if (env.OTEL_SDK_DISABLED === 'true') return null;
  const [name, raw] = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT]
    : ['OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT];
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be an http(s) URL, got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL, got '${raw}'`);
  // The base endpoint is the collector's root; the signal path is appended, as the SDK specification says.
  const endpoint = name === 'OTEL_EXPORTER_OTLP_ENDPOINT' ? `${raw.replace(/\/+$/, '')}/v1/traces` : raw;
  return { endpoint, serviceName: env.OTEL_SERVICE_NAME || 'caseflow' };
}

function localJaegerFromEnv(env: NodeJS.ProcessEnv): Config['localJaeger'] {
  const wanted = env.CASEFLOW_TRACES;
  if (wanted === undefined || wanted === '' || wanted === 'off') return null;
  if (wanted !== 'jaeger') throw new Error(`CASEFLOW_TRACES must be jaeger or off, got '${wanted}'`);
  return { uiPort: intFromEnv(env, 'JAEGER_UI_PORT', 16686), otlpPort: intFromEnv(env, 'JAEGER_OTLP_PORT', 4318) };
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

function bytesFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (bytes), got '${raw}'`);
  return value;
}

/**
 * The blob store: ATTACHMENT_STORAGE=fs (default; files under ATTACHMENT_DIR, default <DATA_DIR>/attachments)
 * or s3 (S3_BUCKET required; S3_ENDPOINT, S3_REGION default us-east-1, S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY
 * or the AWS SDK's own AWS_* variables, S3_FORCE_PATH_STYLE default true when an endpoint is set).
 */
export function storageConfigFromEnv(env: NodeJS.ProcessEnv, dataDir: string): StorageConfig {
  const backend = env.ATTACHMENT_STORAGE || (env.S3_BUCKET ? 's3' : 'fs');
  const dir = resolve(env.ATTACHMENT_DIR || resolve(dataDir, 'attachments'));
  if (backend === 'fs') return { backend, dir };
  if (backend !== 's3') throw new Error(`ATTACHMENT_STORAGE must be fs or s3, got '${backend}'`);
  if (!env.S3_BUCKET) throw new Error('ATTACHMENT_STORAGE=s3 needs S3_BUCKET');
  const endpoint = env.S3_ENDPOINT || undefined;
  const pathStyle = env.S3_FORCE_PATH_STYLE;
  if (pathStyle !== undefined && pathStyle !== '' && pathStyle !== 'true' && pathStyle !== 'false')
    throw new Error(`S3_FORCE_PATH_STYLE must be true or false, got '${pathStyle}'`);
  return {
    backend,
    dir,
    s3: {
      endpoint,
      bucket: env.S3_BUCKET,
      region: env.S3_REGION || env.AWS_REGION || 'us-east-1',
      accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
      forcePathStyle: pathStyle ? pathStyle === 'true' : endpoint !== undefined,
    },
  };
}

/** Attachments: the store, ATTACHMENT_MAX_BYTES, ATTACHMENT_CASE_QUOTA_BYTES, ATTACHMENT_MAX_FILES_PER_CASE, ATTACHMENT_UPLOAD_EXPIRY_HOURS, ATTACHMENT_URL_SECRET. */
export function attachmentOptionsFromEnv(env: NodeJS.ProcessEnv, dataDir: string): AttachmentOptions {
  const d = DEFAULT_ATTACHMENT_LIMITS;
  const urlSecret =
    env.ATTACHMENT_URL_SECRET ||
    createHash('sha256')
      .update(`caseflow-attachment-links:${env.MAIL_REPLY_SECRET || DEV_REPLY_SECRET}`)
      .digest('hex');
  return {
    storage: storageConfigFromEnv(env, dataDir),
    limits: {
      maxFileBytes: bytesFromEnv(env, 'ATTACHMENT_MAX_BYTES', d.maxFileBytes),
      caseQuotaBytes: bytesFromEnv(env, 'ATTACHMENT_CASE_QUOTA_BYTES', d.caseQuotaBytes),
      maxFilesPerCase: intFromEnv(env, 'ATTACHMENT_MAX_FILES_PER_CASE', d.maxFilesPerCase, 1_000_000),
      uploadExpiryMs: intFromEnv(env, 'ATTACHMENT_UPLOAD_EXPIRY_HOURS', d.uploadExpiryMs / 3600_000, 24 * 365) * 3600_000,
    },
    urlSecret,
    urlTtlMs: 5 * 60_000,
  };
}

const STAFF_ROLE_NAMES: Role[] = ['engineer', 'manager', 'admin'];

/** OIDC_STAFF_ROLES: `group=role` pairs, comma-separated (roles: engineer, manager, admin). */
export function roleMapFromEnv(raw: string | undefined): Record<string, Role> | undefined {
  if (!raw) return undefined;
  const map: Record<string, Role> = {};
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = pair.lastIndexOf('=');
    const group = pair.slice(0, eq).trim();
    const role = pair.slice(eq + 1).trim() as Role;
    if (eq <= 0 || !STAFF_ROLE_NAMES.includes(role))
      throw new Error(`OIDC_STAFF_ROLES must be group=role pairs with roles ${STAFF_ROLE_NAMES.join(', ')}, got '${pair}'`);
    map[group] = role;
  }
  return map;
}

function providerFromEnv(env: NodeJS.ProcessEnv, prefix: 'OIDC_STAFF' | 'OIDC_CUSTOMER'): OidcProviderSettings | null {
  const issuer = env[`${prefix}_ISSUER`];
  if (!issuer) return null;
  const clientId = env[`${prefix}_CLIENT_ID`];
  const clientSecret = env[`${prefix}_CLIENT_SECRET`];
  if (!clientId || !clientSecret)
    throw new Error(`${prefix}_ISSUER is set: ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET are required (a confidential client)`);
  try {
    new URL(issuer);
  } catch {
    throw new Error(`${prefix}_ISSUER must be the provider's issuer URL, got '${issuer}'`);
  }
  const staff = prefix === 'OIDC_STAFF';
  return {
    id: staff ? 'staff' : 'customers',
    label: env[`${prefix}_LABEL`] || (staff ? 'Staff sign-in' : 'Customer sign-in'),
    issuer,
    clientId,
    clientSecret,
    audience: staff ? 'staff' : 'customers',
    ...(staff ? { roleClaim: env.OIDC_STAFF_ROLE_CLAIM || 'groups', roleMap: roleMapFromEnv(env.OIDC_STAFF_ROLES) } : {}),
  };
}

/**
 * PUBLIC_URL (default http://localhost:PORT): the redirect URI is PUBLIC_URL/auth/callback; the session cookie
 * is Secure (and __Host-) unless it is plain HTTP on the loopback. Staff (OIDC_STAFF_ISSUER, _CLIENT_ID,
 * _CLIENT_SECRET, _LABEL, _ROLE_CLAIM default groups, _ROLES group=role,...) and customers (OIDC_CUSTOMER_ISSUER,
 * _CLIENT_ID, _CLIENT_SECRET, _LABEL) may use different providers. SESSION_IDLE_MINUTES (30), SESSION_MAX_HOURS
 * (12), SESSION_PROVIDER_CHECK_SECONDS (300).
 */
export function peopleSignInFromEnv(env: NodeJS.ProcessEnv): PeopleSignIn {
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/+$/, '');
  const providers = [providerFromEnv(env, 'OIDC_STAFF'), providerFromEnv(env, 'OIDC_CUSTOMER')].filter((p) => p !== null);
  const d = DEFAULT_SESSION_LIFETIMES;
  return {
    publicUrl,
    providers,
    idleMs: intFromEnv(env, 'SESSION_IDLE_MINUTES', d.idleMs / 60_000, 7 * 24 * 60) * 60_000,
    absoluteMs: intFromEnv(env, 'SESSION_MAX_HOURS', d.absoluteMs / 3_600_000, 24 * 90) * 3_600_000,
    providerCheckMs: intFromEnv(env, 'SESSION_PROVIDER_CHECK_SECONDS', d.providerCheckMs / 1000, 24 * 3600) * 1000,
  };
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
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  const peopleSignIn = peopleSignInFromEnv(env);
  return {
    production: env.NODE_ENV === 'production',
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimitPerMinute: intFromEnv(env, 'RATE_LIMIT_PER_MINUTE', 600, 1_000_000_000),
    authFailuresPerMinute: intFromEnv(env, 'AUTH_FAILURES_PER_MINUTE', 30, 1_000_000_000),
    authFailuresPerAddressPerMinute: intFromEnv(env, 'AUTH_FAILURES_PER_ADDRESS_PER_MINUTE', 300, 1_000_000_000),
    eventStreamsPerPrincipal: intFromEnv(env, 'EVENT_STREAMS_PER_PRINCIPAL', 10, 1_000_000),
    trustProxy: trustProxyFromEnv(env.TRUST_PROXY),
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'cases',
    workerMetricsAddress: env.WORKER_METRICS_ADDRESS || undefined,
    workerCacheMb: intFromEnv(env, 'WORKER_CACHE_MB', 512, 1_000_000),
    mail: {
      smtpUrl: env.SMTP_URL || undefined,
      from: env.MAIL_FROM || DEFAULT_MAIL_FROM,
      reply: env.MAIL_REPLY_SECRET || env.NODE_ENV !== 'production' ? replyConfigFromEnv(env) : null,
      consoleUrl: peopleSignIn.publicUrl,
      inboundMaxBytes: intFromEnv(env, 'MAIL_INBOUND_MAX_BYTES', DEFAULT_INBOUND_MAIL_MAX_BYTES, 1024 * 1024 * 1024),
      concurrency: intFromEnv(env, 'MAIL_CONCURRENCY', 10, 1000),
      localSmtpPort: intFromEnv(env, 'MAILPIT_SMTP_PORT', 1025),
      localUiPort: intFromEnv(env, 'MAILPIT_UI_PORT', 8025),
    },
    mailInbound: {
      smtpPort: env.MAIL_INBOUND_SMTP_PORT ? intFromEnv(env, 'MAIL_INBOUND_SMTP_PORT', 2525) : undefined,
      smtpHost: env.MAIL_INBOUND_SMTP_HOST || env.HOST || '0.0.0.0',
    },
    attachments: attachmentOptionsFromEnv(env, dataDir),
    webhooks: webhookSettingsFromEnv(env),
    peopleSignIn,
    localOidc:
      env.NODE_ENV === 'production' || peopleSignIn.providers.length > 0 || env.LOCAL_OIDC === 'off'
        ? null
        : { port: intFromEnv(env, 'LOCAL_OIDC_PORT', 3900) },
    tracing: tracingFromEnv(env),
    localJaeger: localJaegerFromEnv(env),
    temporal: {
      external,
      namespace: loaded.namespace ?? env.TEMPORAL_NAMESPACE ?? 'default',
      connect,
      devServerPort,
      uiPort: intFromEnv(env, 'TEMPORAL_UI_PORT', 8233),
    },
  };
}
