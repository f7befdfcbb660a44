/**
 * Caseflow's own processes in the cluster: two workers and two API instances, each `scripts/worker.ts` or
 * `scripts/api.ts` on its own, as a supervisor (systemd, Kubernetes) would run them. They share one
 * PostgreSQL, one Temporal namespace and one mail-reply key; only the first API instance listens for
 * inbound SMTP (mail's MX names one host; a second listener would be a second MX record, not needed here).
 * The API instances store attachments in the object store (ATTACHMENT_STORAGE=s3), as production does.
 */
import { join, resolve } from 'node:path';
import type { ServiceSpec } from './service';

const ROOT = resolve(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface AppEnv {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  smtpUrl?: string;
  mailReplySecret: string;
  workflowBundle?: string;
  logLevel?: string;
  /** The S3-compatible store the API instances keep attachments in (unset: files under their data folder). */
  attachments?: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string };
  /** Extra variables for every process (e.g. a webhook receiver in the chaos run). */
  extra?: NodeJS.ProcessEnv;
}

function common(env: AppEnv): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: env.databaseUrl,
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_NAMESPACE: env.namespace,
    MAIL_REPLY_SECRET: env.mailReplySecret,
    LOG_LEVEL: env.logLevel ?? 'info',
    ...(env.smtpUrl ? { SMTP_URL: env.smtpUrl } : {}),
    ...(env.workflowBundle ? { CASEFLOW_WORKFLOW_BUNDLE: env.workflowBundle } : {}),
    ...env.extra,
  };
}

export function workerSpec(n: number, env: AppEnv, logDir: string, metricsPort?: number): ServiceSpec {
  return {
    name: `worker-${n}`,
    command: TSX,
    args: ['scripts/worker.ts'],
    cwd: ROOT,
    env: { ...common(env), ...(metricsPort ? { WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}` } : {}) },
    logFile: join(logDir, `worker-${n}.log`),
    readyText: 'worker running',
  };
}

export function apiSpec(n: number, env: AppEnv, logDir: string, port: number, inboundSmtpPort?: number): ServiceSpec {
  return {
    name: `api-${n}`,
    command: TSX,
    args: ['scripts/api.ts'],
    cwd: ROOT,
    env: {
      ...common(env),
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(env.attachments
        ? {
            ATTACHMENT_STORAGE: 's3',
            S3_ENDPOINT: env.attachments.endpoint,
            S3_BUCKET: env.attachments.bucket,
            S3_REGION: 'us-east-1',
            S3_ACCESS_KEY_ID: env.attachments.accessKeyId,
            S3_SECRET_ACCESS_KEY: env.attachments.secretAccessKey,
            S3_FORCE_PATH_STYLE: 'true',
          }
        : {}),
      ...(inboundSmtpPort ? { MAIL_INBOUND_SMTP_PORT: String(inboundSmtpPort), MAIL_INBOUND_SMTP_HOST: '127.0.0.1' } : {}),
    },
    logFile: join(logDir, `api-${n}.log`),
  };
}

export async function apiReady(base: string): Promise<boolean> {
  return (await fetch(`${base}/ready`, { signal: AbortSignal.timeout(3000) })).status === 200;
}
