/** Operators' view of read-model writes the database refused for good (activities/quarantine.ts). */
import { and, desc, eq, lt } from 'drizzle-orm';
import { quarantinedWrites } from '../../../db/schema';
import { defineRoute } from '../../route';
import { IdSchema } from '../../schemas/common';
import type { Services } from '../../services';
import { z } from '../../zod';

const QuarantinedWriteSchema = z
  .object({
    id: z.number().int(),
    caseId: z.string(),
    snapshotVersion: z.number().int(),
    action: z.enum(['sanitized', 'skipped']).openapi({
      description: 'sanitized: written again with unstorable text replaced by U+FFFD; skipped: not written',
    }),
    sqlState: z.string().nullable().openapi({ description: 'PostgreSQL SQLSTATE of the refusal' }),
    reason: z.string(),
    createdAt: z.string(),
    batch: z.unknown().openapi({ description: 'the workflow step as it was refused: snapshot, audit events, notifications' }),
  })
  .openapi('QuarantinedWrite');

const ListQuery = z.strictObject({
  caseId: IdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  before: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .openapi({ description: 'nextBefore of the previous page' }),
});

export function registerQuarantinedWriteRoutes({ api, db }: Services): void {
  defineRoute(
    api,
    {
      method: 'get',
      path: '/admin/quarantined-writes',
      tag: 'Administration',
      summary: 'List quarantined read-model writes',
      description:
        'Workflow steps whose read-model write the database refused for a permanent reason (a data exception, an ' +
        'integrity violation, a program limit). The case went on; the step is kept here whole. Newest first.',
      roles: ['admin'],
      query: ListQuery,
      response: {
        status: 200,
        description: 'Quarantined writes',
        schema: z.object({ items: z.array(QuarantinedWriteSchema), nextBefore: z.number().int().nullable() }),
      },
    },
    async ({ query }) => {
      const rows = await db
        .select()
        .from(quarantinedWrites)
        .where(
          and(
            query.caseId ? eq(quarantinedWrites.caseId, query.caseId) : undefined,
            query.before ? lt(quarantinedWrites.id, query.before) : undefined,
          ),
        )
        .orderBy(desc(quarantinedWrites.id))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit);
      return {
        body: {
          items: page.map((r) => ({
            id: r.id,
            caseId: r.caseId,
            snapshotVersion: r.snapshotVersion,
            action: r.action as 'sanitized' | 'skipped',
            sqlState: r.sqlState,
            reason: r.reason,
            createdAt: r.createdAt.toISOString(),
            batch: JSON.parse(r.batch) as unknown,
          })),
          nextBefore: rows.length > query.limit ? page[page.length - 1]!.id : null,
        },
      };
    },
  );
}
