/** A case's policy migrations, from its audit trail (the policy_migrated events, oldest first). */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { caseEvents } from '../../db/schema';
import type { MigratedClock } from '../../contract/policy-runs';

export interface CaseMigration {
  at: string;
  actorId: string;
  from: string;
  to: string;
  /** The migration run (POST /v1/policy/migrations/{id}/apply) that sent it; null for a single-case migration. */
  migrationId: string | null;
  clocks: Array<
    Pick<MigratedClock, 'clock' | 'oldState' | 'state' | 'oldDueAt' | 'newDueAt' | 'oldTarget' | 'newTarget' | 'breachesAtOnce'>
  >;
}

export async function policyMigrationsOf(db: Db, caseId: string): Promise<CaseMigration[]> {
  const rows = await db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'policy_migrated')))
    .orderBy(asc(caseEvents.id));
  return rows.map((e) => {
    const d = e.data as { from: string; to: string; migrationId?: string | null; clocks?: MigratedClock[] };
    return {
      at: e.occurredAt.toISOString(),
      actorId: e.actorId,
      from: d.from,
      to: d.to,
      migrationId: d.migrationId ?? null,
      clocks: (d.clocks ?? []).map((c) => ({
        clock: c.clock,
        oldState: c.oldState,
        state: c.state,
        oldDueAt: c.oldDueAt,
        newDueAt: c.newDueAt,
        oldTarget: c.oldTarget,
        newTarget: c.newTarget,
        breachesAtOnce: c.breachesAtOnce,
      })),
    };
  });
}
