/** Schemas shared by several endpoints. */
import { IANAZone } from 'luxon';
import { z } from '../zod';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://caseflow.dev/problems/invalid-request' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().openapi({
      description:
        'a stable, machine-readable reason to translate (`detail` is English): for an action the case refused (409 case-state-conflict, ' +
        '422 case-rejected-input) one of the refusal codes of contract/refusals.ts, e.g. `case-closed`, `level-unchanged`; ' +
        'otherwise the slug of `type`, e.g. `not-found`',
      example: 'case-closed',
    }),
    params: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .openapi({ description: 'values the refusal names (a status, a level, a version), e.g. {"status":"resolved"}' }),
    errors: z
      .array(
        z.object({
          field: z.string().openapi({ example: 'severity' }),
          in: z.enum(['body', 'query', 'path', 'header']),
          reason: z.string(),
        }),
      )
      .optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

export const IdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _ only, at most 64 characters');

export const IsoInstant = z.iso.datetime({ offset: true, message: 'an ISO 8601 instant with offset, e.g. 2026-05-01T09:00:00Z' });

/** Years 1-9999 UTC: what PostgreSQL's timestamptz, JavaScript's Date and ISO strings without a sign share. */
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
export const inInstantRange = (iso: string): boolean => {
  const t = Date.parse(iso);
  return Number.isFinite(t) && t >= FIRST_INSTANT && t <= LAST_INSTANT;
};
/** An instant a client sends: ISO 8601 with offset, and inside the range the database stores (else a 400, not a 500). */
export const InputInstant = IsoInstant.refine(inInstantRange, 'between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)');
/** A phone number staff can dial: E.164 with optional spaces, e.g. +49 89 1234567. */
export const Phone = z
  .string()
  .trim()
  .regex(/^\+[1-9][0-9 ]{5,22}$/, 'an international number: + then country code and digits, spaces allowed, e.g. +49 89 1234567')
  .refine((p) => p.replace(/ /g, '').length <= 16, 'at most 15 digits (E.164)')
  .openapi({ example: '+49 89 1234567' });
export const LocalDate = z.iso.date({ message: 'a YYYY-MM-DD date' });

export const TimeZone = z
  .string()
  .max(64)
  .refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone, e.g. Europe/Berlin')
  .openapi({ example: 'Europe/Berlin' });

const HHmm = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:mm, 00:00-24:00');

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export const WeeklyWindowSchema = z
  .strictObject({
    // zod-to-openapi renders a multi-value literal as its first value (`enum: [1]`): state the enum here.
    day: z.literal(DAYS).openapi({ type: 'integer', enum: [...DAYS], description: '1 = Monday .. 7 = Sunday' }),
    open: HHmm,
    close: HHmm,
  })
  .refine((w) => w.open < w.close, { message: 'open must be before close', path: ['close'] })
  .openapi('WeeklyWindow');

export const CalendarSchema = z
  .object({
    zone: z.string(),
    alwaysOpen: z.boolean().optional(),
    windows: z.array(WeeklyWindowSchema),
    closedDates: z.array(z.string()),
    label: z.string().optional(),
  })
  .openapi('Calendar');

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25).openapi({ description: 'page size, 1-100' }),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor of the previous page' }),
};
