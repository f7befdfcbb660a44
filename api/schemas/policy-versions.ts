/** The policy version document (policy/versions.ts PolicyDocument) as a zod schema: full or as a patch. */
import { z } from '../zod';
import { ENTITLEMENT_IDS } from './admin';
import { IsoInstant, WeeklyWindowSchema } from './common';

const HHmm = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'HH:mm');
const positiveMs = z
  .number()
  .int()
  .positive()
  .max(366 * 24 * 3_600_000);

export const TargetSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('wall'), ms: positiveMs }),
    z.strictObject({ kind: z.literal('business'), ms: positiveMs }),
    z.strictObject({ kind: z.literal('business_days'), days: z.number().int().min(1).max(60) }),
    z.strictObject({ kind: z.literal('not_available') }),
    z.strictObject({ kind: z.literal('best_effort') }),
  ])
  .openapi('PolicyTarget', { description: 'wall / business: milliseconds; business_days: days of Mon-Fri 08:00-17:00' });

// A union of single literals: one multi-value literal was published as enum [1] while accepting 1-4.
const Level = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).openapi({ type: 'integer', enum: [1, 2, 3, 4] });
const Targets = z.strictObject({ '1': TargetSchema, '2': TargetSchema, '3': TargetSchema, '4': TargetSchema });
const Windows = z.array(WeeklyWindowSchema).max(50);

const ProgramSchema = z.strictObject({
  targets: Targets,
  aroundTheClockCoverage: z.boolean().openapi({ description: 'true: the response clock counts wall time (24/7)' }),
  coverageWindows: Windows.nullable().openapi({ description: 'weekly coverage, local time; null = default business hours' }),
  aroundTheClockLevels: z.array(Level).max(4),
  supportAccountManager: z.boolean().optional().openapi({
    description:
      "a Support Account Manager comes with the program (told of Severity 1 in the customer's business hours); absent: version 1's rule",
  }),
});

const programIds = ENTITLEMENT_IDS;

const ContactAttempts = z.strictObject({ count: z.number().int().min(1).max(10), at: HHmm });
const Thresholds = z.array(z.number().gt(0).lt(1)).max(5);

export const PolicyDocumentSchema = z
  .strictObject({
    programs: z.strictObject(
      Object.fromEntries(programIds.map((id) => [id, ProgramSchema])) as Record<(typeof programIds)[number], typeof ProgramSchema>,
    ),
    defaultBusinessHours: Windows.min(1),
    contactAttempts: ContactAttempts,
    warningThresholds: Thresholds,
  })
  .openapi('PolicyDocument');

const ProgramPatch = z
  .strictObject({
    targets: z.strictObject({ '1': TargetSchema, '2': TargetSchema, '3': TargetSchema, '4': TargetSchema }).partial(),
    aroundTheClockCoverage: z.boolean(),
    coverageWindows: Windows.nullable(),
    aroundTheClockLevels: z.array(Level).max(4),
    supportAccountManager: z.boolean(),
  })
  .partial();

/** A patch on the version in force: objects merge key by key; arrays and targets replace whole. */
export const PolicyPatchSchema = z
  .strictObject({
    programs: z.strictObject(
      Object.fromEntries(programIds.map((id) => [id, ProgramPatch.optional()])) as Record<
        (typeof programIds)[number],
        z.ZodOptional<typeof ProgramPatch>
      >,
    ),
    defaultBusinessHours: Windows.min(1),
    contactAttempts: ContactAttempts.partial(),
    warningThresholds: Thresholds,
  })
  .partial()
  .openapi('PolicyPatch');

export const PublishVersionBody = z
  .strictObject({
    effectiveAt: IsoInstant.openapi({ description: 'when new cases start using it; not in the past' }),
    note: z.string().trim().min(1).max(500),
    document: PolicyDocumentSchema.optional(),
    patch: PolicyPatchSchema.optional().openapi({ description: 'changes to the version in force (instead of document)' }),
  })
  .refine((b) => (b.document === undefined) !== (b.patch === undefined), {
    message: 'send exactly one of document or patch',
    path: ['document'],
  })
  .openapi('PublishPolicyVersion');

export const PolicyVersionSchema = z
  .object({
    version: z.number().int(),
    key: z.string().openapi({ description: 'what cases opened under it pin as policyVersion' }),
    effectiveAt: z.string(),
    note: z.string(),
    publishedBy: z.string().nullable(),
    inForce: z.boolean(),
    document: PolicyDocumentSchema,
    changes: z
      .array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() }))
      .openapi({ description: 'differences to the previous version (empty for version 1)' }),
  })
  .openapi('PolicyVersion');
