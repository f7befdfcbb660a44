/**
 * Policy versions in the database (version 1 is built in). Read on every case opening, never cached: a
 * version published through one API instance is in force on every instance at its effective instant.
 */
import { asc, desc, lte } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { policyVersions } from '../../db/schema';
import { POLICY_V1, versionKey, type PolicyDocument, type PolicyVersion } from '../../policy';

type Row = typeof policyVersions.$inferSelect;

const fromRow = (r: Row): PolicyVersion => ({
  version: r.version,
  key: r.key,
  effectiveAt: r.effectiveAt.getTime(),
  document: r.document as PolicyDocument,
  note: r.note,
  publishedBy: r.publishedBy,
});

/** Every version, oldest first, version 1 included. */
export async function listVersions(db: Db): Promise<PolicyVersion[]> {
  const rows = await db.select().from(policyVersions).orderBy(asc(policyVersions.version));
  return [POLICY_V1, ...rows.map(fromRow)];
}

/** The version in force at `at` (one indexed row). */
export async function versionAt(db: Db, at: Date): Promise<PolicyVersion> {
  const [row] = await db
    .select()
    .from(policyVersions)
    .where(lte(policyVersions.effectiveAt, at))
    .orderBy(desc(policyVersions.effectiveAt), desc(policyVersions.version))
    .limit(1);
  return row ? fromRow(row) : POLICY_V1;
}

export class PublishConflict extends Error {}

/**
 * Appends version n+1. Effective instants only move forward, so the versions' order is the order they take
 * effect in and a case's version is never decided retroactively. A concurrent publish loses on the key.
 */
export async function publishVersion(
  db: Db,
  v: { effectiveAt: Date; document: PolicyDocument; note: string; publishedBy: string },
  now: Date,
): Promise<PolicyVersion> {
  return db.transaction(async (tx) => {
    const [last] = await tx.select().from(policyVersions).orderBy(desc(policyVersions.version)).limit(1);
    const previous = last ? fromRow(last) : POLICY_V1;
    if (v.effectiveAt.getTime() < now.getTime())
      throw new PublishConflict('effectiveAt is in the past: cases already opened keep their version');
    if (v.effectiveAt.getTime() <= previous.effectiveAt)
      throw new PublishConflict(
        `effectiveAt must be after version ${previous.version}'s (${new Date(previous.effectiveAt).toISOString()})`,
      );
    const version = previous.version + 1;
    const [row] = await tx
      .insert(policyVersions)
      .values({
        version,
        key: versionKey(version),
        effectiveAt: v.effectiveAt,
        document: v.document,
        note: v.note,
        publishedBy: v.publishedBy,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new PublishConflict('another version was published at the same time; try again');
    return fromRow(row);
  });
}
