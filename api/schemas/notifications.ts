/** Notification recipients (organisation contacts, on-call rota, account managers) and delivery state. */
import { CUSTOMER_NOTICE_KINDS } from '../../activities/mail/recipients';
import { LANGUAGES } from '../../activities/mail/catalogs';
import { IdSchema, IsoInstant, Phone } from './common';
import { SUN_REGIONS } from './admin';
import { z } from '../zod';

const Language = z
  .string()
  .refine((l) => LANGUAGES.includes(l), `one of ${LANGUAGES.join(', ')}`)
  .openapi({ example: 'de' });
const Kinds = z
  .array(z.enum(CUSTOMER_NOTICE_KINDS))
  .max(CUSTOMER_NOTICE_KINDS.length)
  .openapi({ description: 'customer notice kinds this contact wants; omitted or null = all' });

export const CreateContactBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    language: Language.nullable().optional().openapi({ description: "mail language; null = the case's language" }),
    kinds: Kinds.nullable().optional(),
    phone: Phone.nullable().optional().openapi({ description: 'the number staff call this contact on' }),
  })
  .openapi('CreateNotificationContact');

export const UpdateContactBody = CreateContactBody.partial()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change')
  .openapi('UpdateNotificationContact');

export const ContactSchema = z
  .object({
    id: z.string(),
    orgId: z.string(),
    name: z.string(),
    email: z.string(),
    language: z.string().nullable(),
    kinds: z.array(z.string()).nullable(),
    phone: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('NotificationContact');

export const OrgParams = z.strictObject({ id: IdSchema });
export const ContactParams = z.strictObject({ id: IdSchema, contactId: IdSchema });

export const SunRegion = z.enum(SUN_REGIONS);

export const CreateShiftBody = z
  .strictObject({
    region: SunRegion,
    primaryId: IdSchema.openapi({ description: 'engineer on call first' }),
    fallbackId: IdSchema.nullable().optional().openapi({ description: 'engineer paged when the primary is unavailable' }),
    validFrom: IsoInstant,
    validTo: IsoInstant.nullable().optional().openapi({ description: 'end of the shift (exclusive); null = until a later shift starts' }),
  })
  .refine((s) => !s.validTo || Date.parse(s.validTo) > Date.parse(s.validFrom), { message: 'must be after validFrom', path: ['validTo'] })
  .openapi('CreateOnCallShift');

const PersonRef = z.object({ id: z.string(), name: z.string(), email: z.string() }).openapi('PersonRef');

export const ShiftSchema = z
  .object({
    id: z.string(),
    region: z.string(),
    primary: PersonRef,
    fallback: PersonRef.nullable(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
  })
  .openapi('OnCallShift');

export const OnCallNowSchema = z
  .object({
    region: z.string(),
    at: z.string(),
    shiftId: z.string().nullable(),
    reached: z.array(PersonRef).openapi({ description: 'who a page to this region reaches now' }),
    source: z.enum(['rota_primary', 'rota_fallback', 'home_region', 'nobody']),
  })
  .openapi('OnCallNow');

export const AccountManagerBody = z.strictObject({ principalId: IdSchema }).openapi('SetAccountManager');
export const AccountManagerSchema = z.object({ orgId: z.string(), principal: PersonRef }).openapi('AccountManager');

export const DeliverySchema = z
  .object({
    channel: z.enum(['email', 'webhook']),
    address: z.string(),
    name: z.string().nullable(),
    audience: z.enum(['customer', 'staff']),
    language: z.string(),
    status: z.enum(['pending', 'sending', 'sent', 'failed', 'bounced', 'cancelled']),
    messageId: z.string().nullable(),
    response: z.string().nullable().openapi({ description: "the SMTP server's answer (or the bounce)" }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    sentAt: z.string().nullable(),
  })
  .openapi('NotificationDelivery');

export const CaseNotificationSchema = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    recipient: z.string(),
    channel: z.string(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    deliveries: z.array(DeliverySchema),
  })
  .openapi('CaseNotification');
