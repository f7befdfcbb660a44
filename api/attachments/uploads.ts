/**
 * Resumable uploads per case: the tus 1.0 protocol (creation, termination, expiration) at
 * `/v1/cases/{id}/uploads`, served by @tus/server on the backend's tus store (files, or S3 multipart).
 *
 * Why tus and not S3 multipart with presigned parts: one protocol for both backends (the embedded one has
 * no S3 to presign for), resumable from whatever the store holds after a dropped connection or a restart
 * of the API (HEAD tells the offset), every chunk streamed through to the store (memory stays flat), and
 * the bytes pass the API, which hashes them on the way: the SHA-256 is computed once, while streaming,
 * not by reading 5 GB back. (When the hash kept in memory is lost, e.g. an API restart mid-upload, the
 * finished file is read back once to hash it.) The client never holds store credentials or URLs.
 *
 * Before tus sees a request: the bearer token is checked (/v1), the case loaded with loadCase (so the
 * case is visible exactly as it is for reading it), the role must be one that may reply or note, and an
 * existing upload must be the caller's own on that case. A new upload is checked here, so refusals are
 * problem+json naming the field or limit: Upload-Length required, > 0, <= the per-file limit and within
 * the case quota (413); metadata `filename` a plain file name, `filetype` a media type, optional
 * `sha256` (hex) checked when the last byte arrives (422, upload discarded).
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { Server } from '@tus/server';
import { DataStore, type Upload } from '@tus/utils';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CUSTOMER_ROLES, STAFF_ROLES, type Role } from '../../contract/roles';
import { attachments } from '../../db/schema';
import { loadCase } from '../cases/load-case';
import { forbidden, invalid, notFound, Problem } from '../problem';
import type { AttachmentService, Via } from './attachments';
import { fileNameProblem, safeContentType } from './file-name';

/** Who may upload: whoever may reply (customer side) or write an internal note (staff). */
export const UPLOAD_ROLES: readonly Role[] = [...CUSTOMER_ROLES, ...STAFF_ROLES];

interface UploadCtx {
  caseId: string;
  orgId: string;
  principalId: string;
  name: string;
  contentType: string;
  declaredSha256: string | null;
  via: Via;
}

declare module 'express-serve-static-core' {
  interface Request {
    caseflowUpload?: UploadCtx;
  }
}

/** The Express request behind tus's web Request (srvx keeps it at runtime.node.req). */
const nodeReq = (req: unknown): Request => (req as { runtime: { node: { req: Request } } }).runtime.node.req;

/** tus Upload-Metadata: `key base64,key2 base64`. */
export function parseUploadMetadata(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (header ?? '').split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key) out[key] = value ? Buffer.from(value, 'base64').toString('utf8') : '';
  }
  return out;
}

/**
 * A tus store that hashes what it writes: the SHA-256 of an upload is built chunk by chunk while the bytes
 * stream to the inner store. A write that fails (or starts where the hash does not) forgets the hash; the
 * finish then reads the file back once.
 */
class HashingStore extends DataStore {
  private readonly hashes = new Map<string, { hash: Hash; bytes: number }>();

  constructor(private readonly inner: DataStore) {
    super();
    this.extensions = inner.extensions;
  }

  override create(file: Upload) {
    this.hashes.set(file.id, { hash: createHash('sha256'), bytes: 0 });
    return this.inner.create(file);
  }
  override remove(id: string) {
    this.hashes.delete(id);
    return this.inner.remove(id);
  }
  override getUpload(id: string) {
    return this.inner.getUpload(id);
  }
  override declareUploadLength(id: string, length: number) {
    return this.inner.declareUploadLength(id, length);
  }
  override deleteExpired() {
    return this.inner.deleteExpired();
  }
  override getExpiration() {
    return this.inner.getExpiration();
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const state = this.hashes.get(id);
    const valid = state !== undefined && state.bytes === offset;
    if (!valid) this.hashes.delete(id);
    let seen = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        if (valid) state.hash.update(chunk);
        seen += chunk.length;
        done(null, chunk);
      },
    });
    stream.on('error', (err) => tap.destroy(err));
    stream.pipe(tap);
    try {
      const written = await this.inner.write(tap, id, offset);
      if (valid && written === offset + seen) state.bytes = written;
      else this.hashes.delete(id);
      return written;
    } catch (err) {
      this.hashes.delete(id);
      throw err;
    }
  }

  /** The hash of a finished upload, when every byte went through this process in order. */
  takeDigest(id: string, size: number): string | null {
    const state = this.hashes.get(id);
    this.hashes.delete(id);
    return state && state.bytes === size ? state.hash.digest('hex') : null;
  }
}

async function hashStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const problemBody = (status: number, slug: string, detail: string) =>
  JSON.stringify({ type: `https://caseflow.dev/problems/${slug}`, title: 'Upload refused', status, detail });

export function uploadHandler(svc: AttachmentService, apiPrefix: string): RequestHandler {
  const store = new HashingStore(svc.store.staging);
  const options: ConstructorParameters<typeof Server>[0] = {
    path: `${apiPrefix}/uploads`,
    datastore: store,
    maxSize: svc.options.limits.maxFileBytes,
    relativeLocation: true,
    exposedHeaders: ['Attachment-Id', 'Attachment-Sha256'],
    namingFunction: () => randomUUID(),
    generateUrl: (req, { id }) => `${apiPrefix}/cases/${nodeReq(req).caseflowUpload!.caseId}/uploads/${id}`,
    getFileIdFromRequest: (req) => {
      const id = nodeReq(req).params.uploadId;
      return typeof id === 'string' ? id : undefined;
    },
    onUploadCreate: async (req, upload) => {
      const ctx = nodeReq(req).caseflowUpload!;
      await svc.db.insert(attachments).values({
        id: upload.id,
        caseId: ctx.caseId,
        orgId: ctx.orgId,
        status: 'uploading',
        name: ctx.name,
        contentType: ctx.contentType,
        size: upload.size ?? 0,
        declaredSha256: ctx.declaredSha256,
        via: ctx.via,
        uploadedBy: ctx.principalId,
      });
      return {};
    },
    onUploadFinish: async (_req, upload): Promise<{ status_code?: number; body?: string; headers?: Record<string, string> }> => {
      const size = upload.size ?? upload.offset;
      const sha256 = store.takeDigest(upload.id, size) ?? (await hashStream(await svc.store.readUpload(upload.id)));
      try {
        const row = await svc.finishUpload(upload.id, sha256, size);
        return { headers: { 'Attachment-Id': row.id, 'Attachment-Sha256': sha256 } };
      } catch (err) {
        if (!(err instanceof Problem)) throw err;
        return {
          status_code: err.status,
          body: problemBody(err.status, err.slug, err.message),
          headers: { 'Content-Type': 'application/problem+json' },
        };
      }
    },
  };
  const tus = new Server(options);

  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const principal = req.principal;
      if (!principal) throw new Problem(401, 'unauthorized', 'authentication required');
      if (!UPLOAD_ROLES.includes(principal.role)) throw forbidden(`role ${principal.role} may not upload attachments`);
      await svc.init();
      const row = await loadCase(svc.db, principal, String(req.params.id));
      const uploadId = req.params.uploadId;
      if (uploadId !== undefined) {
        const upload = await svc.get(row.id, String(uploadId));
        if (!upload || upload.uploadedBy !== principal.id) throw notFound('upload');
        if (req.method === 'DELETE') {
          if (upload.status === 'linked') throw new Problem(409, 'conflict', 'the file is attached to a reply or note');
          await svc.discard(upload.id);
          res.set('Tus-Resumable', '1.0.0').status(204).end();
          return;
        }
        if (upload.status !== 'uploading') {
          // Finished: the staged upload is gone, the answer is the whole file.
          if (req.method === 'HEAD') {
            res
              .set({
                'Tus-Resumable': '1.0.0',
                'Upload-Offset': String(upload.size),
                'Upload-Length': String(upload.size),
                'Cache-Control': 'no-store',
              })
              .set({ 'Attachment-Id': upload.id, 'Attachment-Sha256': upload.sha256 ?? '' })
              .status(200)
              .end();
            return;
          }
          throw new Problem(409, 'conflict', 'the upload is already complete');
        }
      } else if (req.method === 'POST') {
        req.caseflowUpload = checkNewUpload(req, row.id, row.orgId, principal.id);
        await svc.checkRoom(row.id, Number(req.get('upload-length')));
      } else if (req.method !== 'OPTIONS') {
        throw new Problem(405, 'method-not-allowed', `${req.method} is not allowed here; allowed: POST, OPTIONS`);
      }
      await tus.handle(req, res);
    })().catch(next);
  };
}

function checkNewUpload(req: Request, caseId: string, orgId: string, principalId: string): UploadCtx {
  const errors: { field: string; in: 'header'; reason: string }[] = [];
  const lengthHeader = req.get('upload-length');
  if (req.get('upload-defer-length') !== undefined || lengthHeader === undefined)
    errors.push({ field: 'Upload-Length', in: 'header', reason: 'required: declare the file size' });
  else if (!/^[0-9]{1,16}$/.test(lengthHeader)) errors.push({ field: 'Upload-Length', in: 'header', reason: 'a byte count' });
  else if (Number(lengthHeader) === 0)
    errors.push({ field: 'Upload-Length', in: 'header', reason: 'the file is empty (0 bytes): nothing to attach' });
  const meta = parseUploadMetadata(req.get('upload-metadata'));
  const name = meta.filename ?? meta.name ?? '';
  const nameProblem = fileNameProblem(name);
  if (nameProblem) errors.push({ field: 'Upload-Metadata.filename', in: 'header', reason: nameProblem });
  const declared = meta.sha256?.toLowerCase() ?? null;
  if (declared !== null && !/^[0-9a-f]{64}$/.test(declared))
    errors.push({ field: 'Upload-Metadata.sha256', in: 'header', reason: 'the SHA-256 of the file, 64 hex digits' });
  if (errors.length > 0) throw invalid(errors);
  const via = meta.via === 'console' ? 'console' : 'api';
  return { caseId, orgId, principalId, name, contentType: safeContentType(meta.filetype ?? meta.type), declaredSha256: declared, via };
}
