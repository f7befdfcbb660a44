/**
 * An organisation's imported office closures (closure_imports): the newest version is in force. A case
 * opening now pins its dates into its calendars together with the holiday library's (api/cases/calendars.ts),
 * so a later import never moves a running case's deadline.
 */
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { closureImports, type organisations } from '../../db/schema';

type OrgRow = typeof organisations.$inferSelect;

export async function importedClosures(db: Db, orgId: string): Promise<{ version: number; dates: string[] } | null> {
  const [row] = await db
    .select({ version: closureImports.version, dates: closureImports.dates })
    .from(closureImports)
    .where(eq(closureImports.orgId, orgId))
    .orderBy(desc(closureImports.version))
    .limit(1);
  return row ?? null;
}

/** The organisation with the imported closures in force added to its own closed dates. */
export async function withImportedClosures(db: Db, org: OrgRow): Promise<OrgRow> {
  const imported = await importedClosures(db, org.id);
  if (!imported || imported.dates.length === 0) return org;
  return { ...org, closedDates: [...new Set([...org.closedDates, ...imported.dates])].sort() };
}
