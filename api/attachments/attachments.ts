/**
 * The attachment service: resumable uploads (tus, api/attachments/uploads.ts), mail attachments, linking
 * to a reply or internal note, listing, reading and the sweep of what was abandoned.
 *
 * Lifecycle of a row (db/schema.ts attachments): `uploading` (its declared size counts against the quota
 * at once) -> `stored` (every byte in the blob store, SHA-256 computed while the bytes streamed through
 * and checked against the declared hash) -> `linked` (the reply or note carrying its identity was
 * accepted by the case workflow). The workflow records id, name, type, size and SHA-256, never the bytes.
 * The same bytes are kept once (the blob key is looked up by hash). An upload not finished, or a stored
 * file never linked, is removed after the expiry, unless a recorded event names it (then it is linked:
 * a crash between the workflow's answer and the link write loses nothing).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { and, asc, count, eq, inArray, lt, ne, sql, sum } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { attachments, caseEvents } from '../../db/schema';
import type { ReplyAttachment } from '../../contract/case';
import { Problem, unprocessable } from '../problem';
import { createBlobStore, type BlobStore } from './blob-store';
import { safeContentType, safeMailFileName } from './file-name';
import type { AttachmentOptions } from './options';

export type AttachmentRow = typeof attachments.$inferSelect;
export type Via = 'email' | 'console' | 'api';

/** How an attachment appears on the case and in its list. */
export interface AttachmentView {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  via: Via;
  internal: boolean;
  /** The reply or note it came with: its event type and request id. */
  linkedTo: { type: string; requestId: string } | null;
}

export const toView = (r: AttachmentRow): AttachmentView => ({
  id: r.id,
  name: r.name,
  contentType: r.contentType,
  size: r.size,
  sha256: r.sha256 ?? '',
  uploadedBy: r.uploadedBy,
  uploadedAt: (r.storedAt ?? r.createdAt).toISOString(),
  via: r.via as Via,
  internal: r.internal,
  linkedTo: r.linkedEventType && r.linkedRequestId ? { type: r.linkedEventType, requestId: r.linkedRequestId } : null,
});

export const identityOf = (r: AttachmentRow): Required<ReplyAttachment> => ({
  id: r.id,
  name: r.name,
  contentType: r.contentType,
  size: r.size,
  sha256: r.sha256 ?? '',
});

const gib = (n: number) => (n >= 1024 ** 3 ? `${+(n / 1024 ** 3).toFixed(2)} GiB` : `${n} bytes`);

export class AttachmentService {
  readonly store: BlobStore;

  constructor(
    readonly db: Db,
    readonly options: AttachmentOptions,
    readonly logger: Logger,
    store?: BlobStore,
  ) {
    this.store = store ?? createBlobStore(options.storage, options.limits.uploadExpiryMs);
  }

  private ready: Promise<void> | undefined;
  init(): Promise<void> {
    this.ready ??= this.store.init();
    return this.ready;
  }

  /** 413 naming the limit when a new file of `size` bytes does not fit the case. */
  async checkRoom(caseId: string, size: number): Promise<void> {
    const { maxFileBytes, caseQuotaBytes, maxFilesPerCase } = this.options.limits;
    if (size > maxFileBytes)
      throw new Problem(
        413,
        'attachment-too-large',
        `the file is ${gib(size)}; the limit per file is ${gib(maxFileBytes)} (ATTACHMENT_MAX_BYTES)`,
      );
    const [used] = await this.db
      .select({ files: count(), bytes: sum(attachments.size) })
      .from(attachments)
      .where(eq(attachments.caseId, caseId));
    const files = Number(used?.files ?? 0);
    const bytes = Number(used?.bytes ?? 0);
    if (files >= maxFilesPerCase)
      throw new Problem(
        413,
        'attachment-quota',
        `the case has ${files} files; the limit is ${maxFilesPerCase} per case (ATTACHMENT_MAX_FILES_PER_CASE)`,
      );
    if (bytes + size > caseQuotaBytes)
      throw new Problem(
        413,
        'attachment-quota',
        `the case holds ${gib(bytes)}; with this file it would exceed its quota of ${gib(caseQuotaBytes)} (ATTACHMENT_CASE_QUOTA_BYTES)`,
      );
  }

  async get(caseId: string, id: string): Promise<AttachmentRow | null> {
    const [row] = await this.db
      .select()
      .from(attachments)
      .where(and(eq(attachments.id, id), eq(attachments.caseId, caseId)));
    return row ?? null;
  }

  /** A finished upload: bytes committed (or dropped for the same bytes already stored), the row `stored`. */
  async finishUpload(id: string, sha256: string, size: number): Promise<AttachmentRow> {
    const [row] = await this.db.select().from(attachments).where(eq(attachments.id, id));
    if (!row) throw new Problem(404, 'not-found', 'upload not found');
    if (row.declaredSha256 && row.declaredSha256 !== sha256) {
      await this.store.discardUpload(id);
      await this.db.delete(attachments).where(eq(attachments.id, id));
      throw unprocessable(
        'sha256',
        `the bytes received hash to ${sha256}, not the declared ${row.declaredSha256}; the upload is discarded`,
        'header',
      );
    }
    const key = await this.keyFor(
      sha256,
      () => this.store.commitUpload(id, sha256),
      () => this.store.discardUpload(id),
    );
    const [stored] = await this.db
      .update(attachments)
      .set({ status: 'stored', sha256, size, storageKey: key, storedAt: new Date() })
      .where(eq(attachments.id, id))
      .returning();
    return stored!;
  }

  /** The key of the blob with this hash: an existing one (and `drop` the new copy), else `commit` it. */
  private async keyFor(sha256: string, commit: () => Promise<string>, drop: () => Promise<void>): Promise<string> {
    const [existing] = await this.db
      .select({ key: attachments.storageKey })
      .from(attachments)
      .where(and(eq(attachments.sha256, sha256), ne(attachments.status, 'uploading')))
      .limit(1);
    if (existing?.key && (await this.store.size(existing.key)) !== null) {
      await drop();
      return existing.key;
    }
    return commit();
  }

  /**
   * A mail attachment: stored (temporary name, then renamed / one PUT) and recorded `stored`, with an id
   * derived from the message and its position, so the same message delivered twice stores nothing twice.
   */
  async storeMailAttachment(
    c: { caseId: string; orgId: string; principalId: string; messageKey: string; index: number },
    a: { filename?: string; contentType?: string; content: Buffer },
  ): Promise<AttachmentRow | null> {
    await this.init();
    if (a.content.length === 0) return null; // nothing to keep: the name alone is listed on the reply
    const id = `mail-${randomUUIDFrom(`${c.caseId}:${c.messageKey}:${c.index}`)}`;
    const [already] = await this.db.select().from(attachments).where(eq(attachments.id, id));
    if (already) return already;
    const blob = await this.store.putBuffer(a.content);
    const [row] = await this.db
      .insert(attachments)
      .values({
        id,
        caseId: c.caseId,
        orgId: c.orgId,
        status: 'stored',
        name: safeMailFileName(a.filename),
        contentType: safeContentType(a.contentType),
        size: blob.size,
        sha256: blob.sha256,
        storageKey: blob.key,
        via: 'email',
        uploadedBy: c.principalId,
        storedAt: new Date(),
      })
      .onConflictDoNothing()
      .returning();
    return row ?? (await this.db.select().from(attachments).where(eq(attachments.id, id)))[0] ?? null;
  }

  /**
   * The identities to send with a reply or note: each id a stored (or already linked to this same request)
   * attachment of this case uploaded by this principal. 422 naming the first that is not.
   */
  async forLink(caseId: string, principalId: string, ids: string[], requestId: string): Promise<AttachmentRow[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const rows = await this.db
      .select()
      .from(attachments)
      .where(and(eq(attachments.caseId, caseId), inArray(attachments.id, unique)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of unique) {
      const r = byId.get(id);
      if (!r || r.uploadedBy !== principalId) throw unprocessable('attachmentIds', `${id}: no such upload of yours on this case`);
      if (r.status === 'uploading') throw unprocessable('attachmentIds', `${id}: the upload is not finished`);
      if (r.status === 'linked' && r.linkedRequestId !== requestId)
        throw unprocessable('attachmentIds', `${id}: already attached to another reply or note`);
    }
    return unique.map((id) => byId.get(id)!);
  }

  async markLinked(ids: string[], requestId: string, eventType: 'customer_reply' | 'internal_note'): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(attachments)
      .set({
        status: 'linked',
        linkedRequestId: requestId,
        linkedEventType: eventType,
        internal: eventType === 'internal_note',
        linkedAt: new Date(),
      })
      .where(inArray(attachments.id, ids));
  }

  /** The case's attachments `audience` may see, oldest first (files on internal notes only for staff). */
  async list(caseId: string, audience: 'staff' | 'customer'): Promise<AttachmentRow[]> {
    return this.db
      .select()
      .from(attachments)
      .where(
        and(
          eq(attachments.caseId, caseId),
          eq(attachments.status, 'linked'),
          audience === 'customer' ? eq(attachments.internal, false) : undefined,
        ),
      )
      .orderBy(asc(attachments.createdAt), asc(attachments.id));
  }

  open(row: AttachmentRow): Promise<Readable> {
    if (!row.storageKey) throw new Problem(404, 'not-found', 'attachment not found');
    return this.store.open(row.storageKey);
  }

  /** Discards an unfinished upload and its row (tus termination, or a refused one). */
  async discard(id: string): Promise<void> {
    await this.store.discardUpload(id);
    await this.db.delete(attachments).where(and(eq(attachments.id, id), ne(attachments.status, 'linked')));
  }

  /**
   * Removes what was abandoned: uploads never finished and stored files never linked, older than the
   * expiry. A stored file that a recorded reply or note names is linked instead (the link write was lost).
   * A blob goes only when no other row uses it.
   */
  async sweep(now = Date.now()): Promise<{ removed: number; relinked: number }> {
    const before = new Date(now - this.options.limits.uploadExpiryMs);
    const stale = await this.db
      .select()
      .from(attachments)
      .where(and(ne(attachments.status, 'linked'), lt(attachments.createdAt, before)))
      .limit(500);
    let removed = 0;
    let relinked = 0;
    for (const row of stale) {
      const [named] = await this.db
        .select({ type: caseEvents.type, eventKey: caseEvents.eventKey, data: caseEvents.data })
        .from(caseEvents)
        .where(and(eq(caseEvents.caseId, row.caseId), sql`${caseEvents.data}->'attachments' @> ${JSON.stringify([{ id: row.id }])}::jsonb`))
        .limit(1);
      if (named && row.status === 'stored') {
        await this.db
          .update(attachments)
          .set({ status: 'linked', linkedEventType: named.type, internal: named.type === 'internal_note', linkedAt: new Date() })
          .where(eq(attachments.id, row.id));
        relinked++;
        continue;
      }
      if (row.status === 'uploading') await this.store.discardUpload(row.id).catch(() => undefined);
      await this.db.delete(attachments).where(eq(attachments.id, row.id));
      if (row.storageKey) {
        const [other] = await this.db
          .select({ id: attachments.id })
          .from(attachments)
          .where(eq(attachments.storageKey, row.storageKey))
          .limit(1);
        if (!other) await this.store.delete(row.storageKey).catch(() => undefined);
      }
      removed++;
    }
    await this.store.deleteExpiredUploads().catch((err: unknown) => this.logger.warn({ err }, 'expired upload cleanup failed'));
    return { removed, relinked };
  }

  /** Bytes stored per organisation (stored and linked files), for the storage metric. */
  async usageByOrg(): Promise<{ orgId: string; bytes: number; files: number }[]> {
    const rows = await this.db
      .select({ orgId: attachments.orgId, bytes: sum(attachments.size), files: count() })
      .from(attachments)
      .where(ne(attachments.status, 'uploading'))
      .groupBy(attachments.orgId);
    return rows.map((r) => ({ orgId: r.orgId, bytes: Number(r.bytes ?? 0), files: Number(r.files) }));
  }
}

/** A UUID-shaped id derived from a string (stable across deliveries of the same message). */
function randomUUIDFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const newUploadId = (): string => randomUUID();
