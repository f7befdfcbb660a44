/** Cases: opening, listing, the case resource, its clocks and the case actions. */
import { IdSchema, IsoInstant, PageQuery } from './common';
import { BuildString, ENTITLEMENT_IDS, SUN_REGIONS, VersionString } from './admin';
import { OUT_OF_SCOPE_CATEGORIES } from '../../policy';
import { CASE_STATUSES, CLOCK_STATES, RESOLUTION_TYPES } from '../../contract/case';
import { COMMAND_NAMES, type CommandName } from '../../contract/commands';
import { CASE_TYPES } from '../../policy/types';
import { z } from '../zod';

export { CASE_STATUSES, CLOCK_STATES, RESOLUTION_TYPES } from '../../contract/case';
export { CASE_TYPES } from '../../policy/types';

const Severity = z.int().min(1).max(4).openapi({ description: 'programs: 1 (production down) .. 4 (how-to)' });
const Priority = z.enum(['P1', 'P2', 'P3', 'P4']).openapi({ description: 'plans with priorities (Kasten-style)' });
const Language = z.string().min(2).max(8).openapi({ example: 'en' });

export const CaseIdSchema = z.uuid({ message: 'a case id (UUID)' });
/** A case is addressed by its id or, as on the phone, by its number. */
export const CaseRefParams = z.strictObject({
  id: z.union([z.uuid(), z.string().regex(/^[1-9][0-9]{0,15}$/)], { message: 'a case id (UUID) or case number' }),
});

export const CreateCaseBody = z
  .strictObject({
    orgId: IdSchema.optional().openapi({ description: 'the customer organisation; required for support partners' }),
    supportId: z.string().min(1).max(32).openapi({ description: "must equal the organisation's Support ID", example: '01700001' }),
    type: z.enum(CASE_TYPES),
    severity: Severity.optional().openapi({ description: 'programs: severity 1-4 (general inquiries default to 4)' }),
    priority: Priority.optional().openapi({ description: 'plans: P1-P4 (general inquiries default to P4)' }),
    product: IdSchema.optional().openapi({ description: 'required for technical cases' }),
    version: VersionString.optional().openapi({ description: 'required with product' }),
    build: BuildString.optional().openapi({ description: 'required for technical cases: hotfixes need the latest public build' }),
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(20000),
    language: Language.optional().openapi({ description: "one of the region's support languages; default: the organisation's" }),
    relatedCaseId: CaseIdSchema.optional().openapi({ description: 'a closed case of the same organisation this one follows up' }),
    experimentalFeature: z.boolean().optional().openapi({
      description: 'technical cases: about a feature marked Experimental (supported with limitations: no hotfix)',
    }),
  })
  .openapi('CreateCase');

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .optional()
    .openapi({ description: 'retry-safe create: the same key and body always give the same case' }),
});

export const ClockSchema = z
  .object({
    name: z.string(),
    state: z.enum(CLOCK_STATES),
    dueAt: IsoInstant.nullable(),
    startedAt: IsoInstant.nullable(),
    stoppedAt: IsoInstant.nullable(),
    breachedAt: IsoInstant.nullable(),
    latenessMs: z.number().nullable(),
    target: z.string().nullable(),
    explanation: z.string(),
  })
  .openapi('Clock');

export const PageSchema = z
  .object({
    kind: z.enum(['page', 'handoff']),
    region: z.enum(SUN_REGIONS),
    pagedAt: IsoInstant,
    escalationLevel: z.number().int().openapi({ description: '0 = on-call engineer, 1 = fallback on-call, 2 = duty manager' }),
    recipient: z.string().openapi({ example: 'oncall:EMEA:fallback' }),
    escalatesAt: IsoInstant.nullable(),
    acknowledgedAt: IsoInstant.nullable(),
    acknowledgedBy: z.string().nullable(),
    withdrawnAt: IsoInstant.nullable(),
  })
  .openapi('Page');

export const CaseSchema = z
  .object({
    id: z.string(),
    number: z.number().int().nullable().openapi({ description: 'case number for phone support' }),
    orgId: z.string(),
    type: z.enum(CASE_TYPES),
    status: z.enum(CASE_STATUSES),
    closeReason: z.string().nullable(),
    program: z.enum(ENTITLEMENT_IDS),
    severity: z.number().int().openapi({ description: '1-4; for plans the priority number (P1 = 1)' }),
    priority: Priority.nullable(),
    levelLabel: z.string().openapi({ example: 'Severity 2' }),
    title: z.string(),
    description: z.string(),
    language: z.string(),
    product: z.object({ id: z.string(), version: z.string().nullable(), build: z.string().nullable() }).nullable(),
    relatedCaseId: z.string().nullable(),
    experimentalFeature: z.boolean().openapi({ description: 'the case is about a feature marked Experimental' }),
    supportLimitations: z
      .string()
      .nullable()
      .openapi({ description: 'what the customer is told about the limits of support on this case' }),
    ownerId: z.string().nullable(),
    ownerRegion: z.enum(SUN_REGIONS).nullable(),
    aroundTheClock: z.boolean(),
    customerAvailable: z.boolean(),
    openedAt: IsoInstant,
    firstResponseAt: IsoInstant.nullable(),
    resolvedAt: IsoInstant.nullable(),
    closedAt: IsoInstant.nullable(),
    slaState: z.string(),
    nextDueAt: IsoInstant.nullable(),
    sla: z.record(z.string(), ClockSchema).openapi({ description: 'every clock; firstResponse always present' }),
    policyVersion: z.string().openapi({
      description: 'the policy version the case follows now: the one it opened under, or the one its latest migration moved it to',
    }),
    source: z.enum(['workflow', 'read_model']).openapi({ description: 'live workflow state, or the stored snapshot' }),
    version: z.number().int(),
    page: PageSchema.nullable().openapi({ description: 'the latest Severity 1 page and its acknowledgement; null when none' }),
    actions: z.array(z.enum(COMMAND_NAMES)).optional().openapi({
      description:
        'the case actions the caller may take now (present on GET /v1/cases/{id} and on action answers): each names one POST /v1/cases/{id}/<action> route (see the Case actions tag)',
    }),
  })
  .openapi('Case');

export const CaseDetailSchema = CaseSchema.extend({
  resolution: z
    .object({
      type: z.enum(RESOLUTION_TYPES),
      summary: z.string(),
      referral: z
        .object({
          category: z.enum(OUT_OF_SCOPE_CATEGORIES),
          referredTo: z.enum(['sales_representative', 'documentation']),
          explanation: z.string().openapi({ description: "the policy's customer-facing reason" }),
        })
        .nullable()
        .openapi({ description: 'out_of_scope_referral: what the request was and where the policy sends it' }),
    })
    .nullable(),
  managerEscalation: z.object({ level: z.number(), requestedAt: z.string(), acknowledgedAt: z.string().nullable() }).nullable(),
  contactAttempts: z.array(
    z.object({
      round: z.number(),
      attempt: z.number(),
      businessDate: z.string(),
      scheduledAt: z.string(),
      madeAt: z.string().nullable(),
      status: z.string(),
    }),
  ),
  history: z.array(z.object({ at: z.string(), type: z.string(), actorId: z.string(), data: z.record(z.string(), z.unknown()) })),
  policyMigrations: z
    .array(
      z.object({
        at: IsoInstant,
        actorId: z.string(),
        from: z.string(),
        to: z.string(),
        migrationId: z.string().nullable().openapi({ description: 'the migration run that sent it; null for a single-case migration' }),
        clocks: z.array(
          z.object({
            clock: z.string(),
            oldState: z.string(),
            state: z.string(),
            oldDueAt: IsoInstant.nullable(),
            newDueAt: IsoInstant.nullable(),
            oldTarget: z.string(),
            newTarget: z.string(),
            breachesAtOnce: z.boolean(),
          }),
        ),
      }),
    )
    .openapi({
      description:
        "the case's moves to another policy version (its policy_migrated audit events, oldest first), each with every running clock's old and new due instant; policyVersion is the version of the last",
    }),
}).openapi('CaseDetail');

export const ListCasesQuery = z
  .strictObject({
    status: z.enum(CASE_STATUSES).optional(),
    severity: z.coerce.number().int().min(1).max(4).optional(),
    slaState: z
      .string()
      .regex(/^[a-z_]{1,32}$/)
      .optional()
      .openapi({ description: 'e.g. on_track, at_risk, breached, met, no_target' }),
    orgId: IdSchema.optional().openapi({ description: 'staff: any organisation; partners: a linked one' }),
    type: z.enum(CASE_TYPES).optional(),
    ...PageQuery,
  })
  .openapi('ListCasesQuery');

export const CaseListSchema = z
  .object({ items: z.array(CaseSchema.omit({ description: true })), nextCursor: z.string().nullable() })
  .openapi('CaseList');

export const SlaSchema = z
  .object({
    caseId: z.string(),
    program: z.enum(ENTITLEMENT_IDS),
    levelLabel: z.string(),
    slaState: z.string(),
    coverage: z.string().openapi({ description: 'when the response clock runs' }),
    clocks: z.array(ClockSchema),
    source: z.enum(['workflow', 'read_model']),
  })
  .openapi('CaseSla');

const Message = z.string().trim().min(1).max(20000);
/** On a reply or internal note: finished uploads of the caller on this case (issue 18). */
const AttachmentIds = z
  .array(z.string().regex(/^[A-Za-z0-9-]{1,80}$/))
  .min(1)
  .max(50)
  .openapi({ description: 'ids of finished uploads (POST /v1/cases/{id}/uploads, Attachment-Id) to attach; at most 50' });
/** The body of each command's route (contract/commands.ts names; the compiler refuses a missing one). */
export const ACTION_BODIES = {
  changeSeverity: z.strictObject({
    severity: Severity.optional(),
    priority: Priority.optional(),
    reason: z.string().trim().min(1).max(2000),
  }),
  engineerResponse: z.strictObject({ message: Message }),
  internalNote: z.strictObject({ message: Message, attachmentIds: AttachmentIds.optional() }),
  requestInfo: z.strictObject({ message: Message }),
  customerReply: z.strictObject({ message: Message.optional(), attachmentIds: AttachmentIds.optional() }),
  customerAvailability: z.strictObject({ available: z.boolean(), note: z.string().trim().max(2000).optional() }),
  talkToManager: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
  managerAck: z.strictObject({ note: z.string().trim().max(2000).optional() }),
  resolve: z
    .strictObject({
      resolutionType: z.enum(RESOLUTION_TYPES),
      summary: z.string().trim().min(1).max(20000),
      outOfScope: z
        .enum(OUT_OF_SCOPE_CATEGORIES)
        .optional()
        .openapi({ description: 'required with out_of_scope_referral (and only there): what kind of request Support does not take' }),
    })
    .refine((b) => (b.resolutionType === 'out_of_scope_referral') === (b.outOfScope !== undefined), {
      message: 'outOfScope is required with out_of_scope_referral, and only there',
      path: ['outOfScope'],
    }),
  confirmResolution: z.strictObject({ accepted: z.boolean(), comment: z.string().trim().max(20000).optional() }),
  closeCase: z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() }),
  assign: z.strictObject({ ownerId: IdSchema, region: z.enum(SUN_REGIONS).optional(), note: z.string().trim().max(2000).optional() }),
  rcaDelivered: z.strictObject({ summary: z.string().trim().min(1).max(20000) }),
  pageAck: z.strictObject({ note: z.string().trim().max(2000).optional() }),
  migratePolicy: z.strictObject({
    toVersion: z.number().int().min(1).openapi({ description: 'a published version number' }),
    expectedStateVersion: z
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ description: "the case's version as previewed: refused (409) when the case changed since" }),
  }),
} satisfies { [N in CommandName]: z.ZodType };

export const PhoneSessionBody = z
  .strictObject({ language: Language.optional().openapi({ description: "caller's language; default: the case's" }) })
  .openapi('OpenPhoneSession');

export const PhoneSessionSchema = z
  .object({
    id: z.string(),
    caseId: z.string(),
    caseNumber: z.number().int(),
    eligible: z.literal(true),
    reason: z.string(),
    queue: z.string().openapi({ example: 'EMEA-de' }),
    language: z.string(),
    preferredEngineer: z.object({ id: z.string(), name: z.string(), homeRegion: z.string().nullable() }).nullable(),
    createdAt: IsoInstant,
  })
  .openapi('PhoneSession');
