/**
 * Where attachment bytes live, behind one interface with two real backends:
 *
 * - `fs` (the default for `npm start` and the tests): files under the data folder, content-addressed by
 *   SHA-256 (`blobs/ab/abcdef...`). A file is written under a temporary name (a tus upload in `uploads/`,
 *   a mail attachment in `tmp/`) and renamed into place, so a crash never leaves a half file visible.
 * - `s3`: any S3-compatible object store through the AWS SDK v3. Mail attachments are put at
 *   `blobs/<sha256>`; a tus upload is an S3 multipart upload (@tus/s3-store) whose finished object stays at
 *   its upload key (S3 has no rename and a server-side copy of 5 GB would read it all again); the database
 *   maps each SHA-256 to one key, so the same bytes uploaded twice are kept once (attachments.ts).
 *
 * Resumable uploads are staged in the backend's tus DataStore (`staging`), so an upload interrupted by a
 * crash of the API resumes from what the store holds.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import type { DataStore } from '@tus/utils';
import type { S3StorageConfig, StorageConfig } from './options';

export interface StoredBlob {
  key: string;
  sha256: string;
  size: number;
}

export interface BlobStore {
  readonly backend: 'fs' | 's3';
  /** The tus DataStore resumable uploads are staged in. */
  readonly staging: DataStore;
  /** Creates what the store needs (folders, the bucket). */
  init(): Promise<void>;
  /** A finished tus upload becomes a blob; returns its key. The staged upload is gone afterwards. */
  commitUpload(uploadId: string, sha256: string): Promise<string>;
  /** The bytes of a finished (not yet committed) tus upload, to hash them when the hash kept in memory was lost. */
  readUpload(uploadId: string): Promise<Readable>;
  /** Removes a staged upload (abandoned, refused, or a duplicate of a blob already stored); missing is fine. */
  discardUpload(uploadId: string): Promise<void>;
  /** Stores bytes already in memory (a mail attachment, bounded by the mail size limit). */
  putBuffer(bytes: Buffer): Promise<StoredBlob>;
  /** The bytes of a blob, as a stream. */
  open(key: string): Promise<Readable>;
  /** Size of a blob, or null when absent. */
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
  /** Staged uploads older than the expiry removed (the store's own bookkeeping; the sweeper also removes rows). */
  deleteExpiredUploads(): Promise<number>;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export function createBlobStore(config: StorageConfig, expiryMs: number): BlobStore {
  return config.backend === 'fs' ? new FsBlobStore(config.dir, expiryMs) : new S3BlobStore(config.s3, expiryMs);
}

// ---- files under the data folder ----------------------------------------------------------------------

export class FsBlobStore implements BlobStore {
  readonly backend = 'fs' as const;
  readonly staging: FileStore;
  private readonly uploads: string;

  constructor(
    readonly root: string,
    expiryMs: number,
  ) {
    this.uploads = join(root, 'uploads');
    this.staging = new FileStore({ directory: this.uploads, expirationPeriodInMilliseconds: expiryMs });
  }

  async init(): Promise<void> {
    for (const d of ['uploads', 'blobs', 'tmp']) await mkdir(join(this.root, d), { recursive: true });
  }

  /** blobs/ab/abcdef...: content-addressed (the key is the hash). */
  private path(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('not a blob key');
    return join(this.root, 'blobs', key.slice(0, 2), key);
  }

  async commitUpload(uploadId: string, sha256: string): Promise<string> {
    const target = this.path(sha256);
    await mkdir(dirname(target), { recursive: true });
    // rename(2) is atomic: the blob is either absent or whole. The same bytes again replace identical bytes.
    await rename(join(this.uploads, uploadId), target);
    await this.staging.configstore.delete(uploadId).catch(() => undefined);
    return sha256;
  }

  async readUpload(uploadId: string): Promise<Readable> {
    return createReadStream(join(this.uploads, uploadId));
  }

  async discardUpload(uploadId: string): Promise<void> {
    await rm(join(this.uploads, uploadId), { force: true });
    await this.staging.configstore.delete(uploadId).catch(() => undefined);
  }

  async putBuffer(bytes: Buffer): Promise<StoredBlob> {
    const sha256 = sha256Hex(bytes);
    const target = this.path(sha256);
    const tmp = join(this.root, 'tmp', randomUUID());
    await mkdir(dirname(target), { recursive: true });
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, target);
    return { key: sha256, sha256, size: bytes.length };
  }

  async open(key: string): Promise<Readable> {
    const path = this.path(key);
    await stat(path); // a missing blob is an error now, not a broken stream later
    return createReadStream(path);
  }

  async size(key: string): Promise<number | null> {
    return stat(this.path(key)).then(
      (s) => s.size,
      () => null,
    );
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  deleteExpiredUploads(): Promise<number> {
    return this.staging.deleteExpired();
  }
}

// ---- S3-compatible object storage ---------------------------------------------------------------------

export function s3ClientConfig(c: S3StorageConfig): S3ClientConfig {
  return {
    region: c.region,
    endpoint: c.endpoint,
    forcePathStyle: c.forcePathStyle,
    ...(c.accessKeyId && c.secretAccessKey ? { credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } } : {}),
    // Checksums the SDK adds by default (CRC32 trailers) are not understood by every S3-compatible store.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

export class S3BlobStore implements BlobStore {
  readonly backend = 's3' as const;
  readonly staging: S3Store;
  readonly client: S3Client;
  readonly bucket: string;

  constructor(config: S3StorageConfig, expiryMs: number) {
    const clientConfig = s3ClientConfig(config);
    this.client = new S3Client(clientConfig);
    this.bucket = config.bucket;
    this.staging = new S3Store({
      partSize: 16 * 1024 * 1024,
      expirationPeriodInMilliseconds: expiryMs,
      s3ClientConfig: { ...clientConfig, bucket: config.bucket },
    });
  }

  async init(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket })).catch((err: unknown) => {
        if (!/BucketAlready/.test(String((err as Error).name))) throw err;
      });
    }
  }

  async commitUpload(uploadId: string): Promise<string> {
    // The multipart upload is complete; its object stays where it is, the .info object goes.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: `${uploadId}.info` })).catch(() => undefined);
    return uploadId;
  }

  async readUpload(uploadId: string): Promise<Readable> {
    return this.open(uploadId);
  }

  async discardUpload(uploadId: string): Promise<void> {
    // Aborts an unfinished multipart upload, or deletes the finished object; both with the .info object.
    await this.staging.remove(uploadId).catch(async () => {
      await this.delete(uploadId);
      await this.delete(`${uploadId}.info`);
    });
  }

  async putBuffer(bytes: Buffer): Promise<StoredBlob> {
    const sha256 = sha256Hex(bytes);
    const key = `blobs/${sha256}`;
    // One PUT is atomic in S3: the object is either absent or whole.
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentLength: bytes.length }));
    return { key, sha256, size: bytes.length };
  }

  async open(key: string): Promise<Readable> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return out.Body as Readable;
  }

  async size(key: string): Promise<number | null> {
    return this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })).then(
      (h) => h.ContentLength ?? 0,
      () => null,
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  deleteExpiredUploads(): Promise<number> {
    return this.staging.deleteExpired();
  }
}
