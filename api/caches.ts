/**
 * Per-request reference data, cached briefly. Every change, through any instance or none, empties the caches
 * of every instance (api/shared-state/reference-data.ts); administration writes also empty this instance's
 * caches before answering, so the writer reads its own write.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { organisations, productVersions } from '../db/schema';
import type { Principal } from './principal';
import { TtlCache } from './ttl-cache';

export type OrgRow = typeof organisations.$inferSelect;
export type VersionRow = typeof productVersions.$inferSelect;

export interface Caches {
  /** token hash -> active principal (null: unknown, revoked or disabled). */
  principals: TtlCache<Principal | null>;
  organisation(id: string): Promise<OrgRow | undefined>;
  productVersion(productId: string, version: string): Promise<VersionRow | undefined>;
  clear(): void;
}

export function createCaches(db: Db, ttlMs: number): Caches {
  const principals = new TtlCache<Principal | null>(ttlMs);
  const orgs = new TtlCache<OrgRow | undefined>(ttlMs);
  const versions = new TtlCache<VersionRow | undefined>(ttlMs);
  return {
    principals,
    organisation: (id) => orgs.get(id, async () => (await db.select().from(organisations).where(eq(organisations.id, id)))[0]),
    productVersion: (productId, version) =>
      versions.get(`${productId}\n${version}`, async () => {
        const where = and(eq(productVersions.productId, productId), eq(productVersions.version, version));
        return (await db.select().from(productVersions).where(where))[0];
      }),
    clear: () => {
      principals.clear();
      orgs.clear();
      versions.clear();
    },
  };
}
