/**
 * Reading attachments: the case's list, one attachment's facts, its bytes (streamed with the bearer
 * token) and a short-lived signed link (for a browser download, which cannot send the token). Every path
 * first loads the case with loadCase, so who may download is exactly who may read the case (tenant
 * isolation, partner links); files on internal notes are staff only, absent (404) for anyone else. Bytes
 * always leave as `Content-Disposition: attachment` with `X-Content-Type-Options: nosniff` and a
 * sandboxing CSP, so an uploaded HTML or SVG file never renders in the console's origin.
 *
 * Uploads (tus) are mounted here too: api/attachments/uploads.ts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { eq } from 'drizzle-orm';
import { isStaffRole, type Role } from '../../contract/roles';
import { principals } from '../../db/schema';
import { toView, type AttachmentRow } from '../attachments/attachments';
import { contentDisposition } from '../attachments/file-name';
import { UPLOAD_ROLES, uploadHandler } from '../attachments/uploads';
import { loadCase } from '../cases/load-case';
import type { Principal } from '../principal';
import { notFound, Problem } from '../problem';
import { defineRoute, documentedResponses, responseHeaders } from '../route';
import { AttachmentLinkSchema, AttachmentListSchema, AttachmentParams, AttachmentSchema, PEOPLE_ROLES } from '../schemas/attachments';
import { CaseRefParams } from '../schemas/cases';
import type { Services } from '../services';
import { z } from '../zod';

const audienceOf = (p: Principal) => (isStaffRole(p.role) ? 'staff' : 'customer');

/** The attachment as this principal may see it: linked, of this case, and not internal for customers. */
async function visibleAttachment(svc: Services, principal: Principal, caseRef: string, id: string): Promise<AttachmentRow> {
  const row = await loadCase(svc.db, principal, caseRef);
  const a = await svc.attachments.get(row.id, id);
  if (!a || a.status !== 'linked' || (a.internal && audienceOf(principal) !== 'staff')) throw notFound('attachment');
  return a;
}

async function sendBytes(svc: Services, a: AttachmentRow, res: Response): Promise<void> {
  const body = await svc.attachments.open(a).catch(() => {
    throw new Problem(503, 'storage-unavailable', 'the attachment store did not answer; retry');
  });
  res.status(200).set({
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(a.size),
    'Content-Disposition': contentDisposition(a.name),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
    'X-Attachment-Sha256': a.sha256 ?? '',
  });
  await pipeline(body, res).catch(() => res.destroy());
}

// ---- signed links ------------------------------------------------------------------------------------

interface LinkClaims {
  a: string; // attachment id
  c: string; // case id
  p: string; // principal id
  e: number; // expiry, ms since epoch
}

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function signLink(secret: string, claims: LinkClaims): string {
  const payload = b64(JSON.stringify(claims));
  return `${payload}.${sign(secret, payload)}`;
}

export function verifyLink(secret: string, token: string, now = Date.now()): LinkClaims | null {
  const [payload, mac] = token.split('.');
  if (!payload || !mac) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
    return typeof claims.e === 'number' && claims.e > now ? claims : null;
  } catch {
    return null;
  }
}

export const DOWNLOAD_PATH = '/attachment-downloads';

/**
 * GET /v1/attachment-downloads/{token}: no bearer token (a browser navigation), the signed claims instead.
 * The link was signed after the same checks as the bearer download; the signer is read again (a disabled
 * one gets nothing) and a file on an internal note still needs a staff signer.
 */
export function signedDownloadHandler(svc: Services) {
  return async (req: Request, res: Response): Promise<void> => {
    const claims = verifyLink(svc.attachments.options.urlSecret, String(req.params.token));
    if (!claims) throw new Problem(404, 'not-found', 'download link unknown or expired');
    const [who] = await svc.db.select().from(principals).where(eq(principals.id, claims.p));
    if (!who || who.disabledAt) throw new Problem(404, 'not-found', 'download link unknown or expired');
    const a = await svc.attachments.get(claims.c, claims.a);
    if (!a || a.status !== 'linked' || (a.internal && !isStaffRole(who.role as Role))) throw notFound('attachment');
    await sendBytes(svc, a, res);
  };
}

export function registerAttachmentRoutes(svc: Services): void {
  const { api } = svc;

  defineRoute(
    api,
    {
      method: 'get',
      path: '/cases/:id/attachments',
      tag: 'Attachments',
      summary: "List the case's attachments",
      description:
        'Files on the case, oldest first: name, size, type, SHA-256, who, when, via (email, console, api) and the reply or note they came with. Files on internal notes only for staff.',
      roles: PEOPLE_ROLES,
      params: CaseRefParams,
      response: { status: 200, description: 'The attachments', schema: AttachmentListSchema },
      problems: [404],
    },
    async ({ params, principal }) => {
      const row = await loadCase(svc.db, principal, params.id);
      const items = await svc.attachments.list(row.id, audienceOf(principal));
      return { body: { items: items.map(toView) } };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/cases/:id/attachments/:attachmentId',
      tag: 'Attachments',
      summary: 'One attachment',
      roles: PEOPLE_ROLES,
      params: AttachmentParams,
      response: { status: 200, description: 'The attachment', schema: AttachmentSchema },
      problems: [404],
    },
    async ({ params, principal }) => ({ body: toView(await visibleAttachment(svc, principal, params.id, params.attachmentId)) }),
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/cases/:id/attachments/:attachmentId/links',
      tag: 'Attachments',
      summary: 'A short-lived download link',
      description: `A URL (${api.prefix}${DOWNLOAD_PATH}/{token}) that downloads the file without a bearer token for a few minutes; for browsers, which cannot send the token on a navigation.`,
      roles: PEOPLE_ROLES,
      params: AttachmentParams,
      response: { status: 201, description: 'The link', schema: AttachmentLinkSchema },
      problems: [404],
    },
    async ({ params, principal }) => {
      const a = await visibleAttachment(svc, principal, params.id, params.attachmentId);
      const expiresAt = Date.now() + svc.attachments.options.urlTtlMs;
      const token = signLink(svc.attachments.options.urlSecret, { a: a.id, c: a.caseId, p: principal.id, e: expiresAt });
      return { status: 201, body: { url: `${api.prefix}${DOWNLOAD_PATH}/${token}`, expiresAt: new Date(expiresAt).toISOString() } };
    },
  );

  // The bytes: streamed, so not a JSON route (the OpenAPI entry is registered by hand below).
  api.router.get('/cases/:id/attachments/:attachmentId/content', async (req, res) => {
    const principal = req.principal!;
    if (!PEOPLE_ROLES.includes(principal.role)) throw new Problem(403, 'forbidden', `role ${principal.role} may not download attachments`);
    const a = await visibleAttachment(svc, principal, String(req.params.id), String(req.params.attachmentId));
    await sendBytes(svc, a, res);
  });
  const binary = {
    description: 'The file, as a download',
    content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
    headers: responseHeaders(200, {
      'Content-Disposition': {
        description: 'Always `attachment`, with an ASCII and an RFC 5987 UTF-8 file name',
        schema: { type: 'string' },
        required: true,
      },
      'X-Content-Type-Options': { description: 'Always `nosniff`', schema: { type: 'string' }, required: true },
      'X-Attachment-Sha256': { description: 'The SHA-256 of the content (hex)', schema: { type: 'string' } },
    }),
  };
  api.registry.registerPath({
    method: 'get',
    path: `${api.prefix}/cases/{id}/attachments/{attachmentId}/content`,
    tags: ['Attachments'],
    summary: 'Download an attachment',
    security: [{ bearer: [] }],
    request: { params: AttachmentParams },
    responses: documentedResponses({ 200: binary, 404: { description: 'No such attachment on a case this principal may read' } }),
  });
  api.registry.registerPath({
    method: 'get',
    path: `${api.prefix}${DOWNLOAD_PATH}/{token}`,
    tags: ['Attachments'],
    summary: 'Download by a signed link (no bearer token)',
    security: [],
    request: { params: z.object({ token: z.string() }) },
    responses: documentedResponses({ 200: binary, 404: { description: 'Unknown or expired link' } }),
  });

  // tus uploads (creation, termination, expiration): POST creates, HEAD tells the offset, PATCH appends.
  const upload = uploadHandler(svc.attachments, api.prefix);
  api.router.all('/cases/:id/uploads', upload);
  api.router.all('/cases/:id/uploads/:uploadId', upload);
  const tusHeaders = {
    'Tus-Resumable': { description: '1.0.0', schema: { type: 'string' as const } },
  };
  api.registry.registerPath({
    method: 'post',
    path: `${api.prefix}/cases/{id}/uploads`,
    tags: ['Attachments'],
    summary: 'Start a resumable upload (tus 1.0 creation)',
    description: `For ${UPLOAD_ROLES.join(', ')} who may see the case. Headers: Tus-Resumable: 1.0.0, Upload-Length (bytes, > 0, at most the per-file limit), Upload-Metadata (filename, filetype, optional sha256 as hex; base64 values). 201 with Location; then PATCH the bytes (application/offset+octet-stream, Upload-Offset), HEAD to resume. The last PATCH answers Attachment-Id and Attachment-Sha256; send the id in attachmentIds of a reply or internal note.`,
    security: [{ bearer: [] }],
    request: { params: CaseRefParams },
    responses: documentedResponses({
      201: { description: 'Created', headers: { ...tusHeaders, Location: { description: 'The upload URL', schema: { type: 'string' } } } },
      400: { description: 'Upload-Length missing or 0, or a bad file name or sha256 in Upload-Metadata' },
      404: { description: 'No such case visible to this principal' },
      413: { description: 'Over the per-file limit, the per-case quota or the files-per-case limit (the problem names it)' },
    }),
  });
}
