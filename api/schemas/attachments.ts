/** Attachments: the list, one attachment, a signed download link, and the ids a reply or note carries. */
import { PEOPLE, type Role } from '../../contract/roles';
import { CaseRefParams } from './cases';
import { z } from '../zod';

/** Everyone who may read a case (loadCase decides which cases). */
export const PEOPLE_ROLES: readonly Role[] = PEOPLE;

export const AttachmentParams = CaseRefParams.extend({
  attachmentId: z.string().regex(/^[A-Za-z0-9-]{1,80}$/, { message: 'an attachment id' }),
});

export const AttachmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    contentType: z.string(),
    size: z.int().openapi({ description: 'bytes' }),
    sha256: z.string().openapi({ description: 'SHA-256 of the content, hex' }),
    uploadedBy: z.string().openapi({ description: 'principal id' }),
    uploadedAt: z.string(),
    via: z.enum(['email', 'console', 'api']),
    internal: z.boolean().openapi({ description: 'on an internal note: staff only' }),
    linkedTo: z
      .object({ type: z.string(), requestId: z.string() })
      .nullable()
      .openapi({ description: 'the reply or note it came with (its event type and request id)' }),
  })
  .openapi('Attachment');

export const AttachmentListSchema = z.object({ items: z.array(AttachmentSchema) }).openapi('AttachmentList');

export const AttachmentLinkSchema = z
  .object({ url: z.string().openapi({ description: 'GET it without a bearer token' }), expiresAt: z.string() })
  .openapi('AttachmentLink');
