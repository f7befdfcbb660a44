/**
 * What the attachment paths are configured with (runtime/config.ts parses it from the environment and
 * passes it down): where the bytes go and the limits. No defaults are read from the environment here.
 */

export interface S3StorageConfig {
  /** S3_ENDPOINT, e.g. http://127.0.0.1:8333 (unset: the AWS endpoint of the region). */
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** S3_FORCE_PATH_STYLE: bucket in the path (most self-hosted stores), not in the host name. */
  forcePathStyle: boolean;
}

export type StorageConfig =
  { backend: 'fs'; dir: string } | { backend: 's3'; s3: S3StorageConfig; /** local scratch space for upload parts */ dir: string };

export interface AttachmentLimits {
  /** Largest file (ATTACHMENT_MAX_BYTES, default 5 GiB). */
  maxFileBytes: number;
  /** Bytes per case, all files together, uploads in progress included (ATTACHMENT_CASE_QUOTA_BYTES, default 50 GiB). */
  caseQuotaBytes: number;
  /** Files per case (ATTACHMENT_MAX_FILES_PER_CASE, default 1000). */
  maxFilesPerCase: number;
  /** An upload not finished, or a stored file not attached to a reply or note, is removed after this (ATTACHMENT_UPLOAD_EXPIRY_HOURS, default 24). */
  uploadExpiryMs: number;
}

export interface AttachmentOptions {
  storage: StorageConfig;
  limits: AttachmentLimits;
  /** Key for short-lived signed download links (ATTACHMENT_URL_SECRET; default: derived from MAIL_REPLY_SECRET). */
  urlSecret: string;
  /** How long a signed download link stays valid (default 5 minutes). */
  urlTtlMs: number;
}

export const GIB = 1024 ** 3;

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxFileBytes: 5 * GIB,
  caseQuotaBytes: 50 * GIB,
  maxFilesPerCase: 1000,
  uploadExpiryMs: 24 * 3600_000,
};
