/**
 * Products and their versions: the catalogue a case names, each version's lifecycle and its latest public
 * build (which decides hotfix eligibility of the cases opened afterwards).
 */
import { and, asc, eq } from 'drizzle-orm';
import { products, productVersions } from '../../../db/schema';
import { conflict, notFound } from '../../problem';
import { defineRoute } from '../../route';
import { CreateProductBody, CreateVersionBody, ProductSchema, UpdateVersionBody } from '../../schemas/admin';
import { IdSchema } from '../../schemas/common';
import type { Services } from '../../services';
import { z } from '../../zod';
import { ADMIN, clearCachesOnWrite, EVERYONE, IdParams } from './shared';

export function registerProductRoutes({ api, db, caches }: Services): void {
  const write = clearCachesOnWrite(caches);
  defineRoute(
    api,
    {
      method: 'post',
      path: '/products',
      tag: 'Products',
      summary: 'Register a product',
      roles: ADMIN,
      body: CreateProductBody,
      response: { status: 201, description: 'Registered', schema: ProductSchema },
      problems: [409],
    },
    async ({ body }) => {
      const [row] = await db.insert(products).values(body).onConflictDoNothing().returning();
      if (!row) throw conflict('a product with this id exists');
      return write({ body: { id: row.id, name: row.name, versions: [] } });
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/products',
      tag: 'Products',
      summary: 'List products and their versions',
      roles: EVERYONE,
      response: { status: 200, description: 'Products', schema: z.object({ items: z.array(ProductSchema) }) },
    },
    async () => {
      const rows = await db.select().from(products).orderBy(asc(products.name));
      const versions = await db.select().from(productVersions).orderBy(asc(productVersions.productId), asc(productVersions.version));
      return {
        body: {
          items: rows.map((p) => ({
            id: p.id,
            name: p.name,
            versions: versions
              .filter((v) => v.productId === p.id)
              .map((v) => ({ version: v.version, lifecycle: v.lifecycle, latestBuild: v.latestBuild })),
          })),
        },
      };
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/products/:id/versions',
      tag: 'Products',
      summary: 'Register a product version',
      roles: ADMIN,
      params: IdParams,
      body: CreateVersionBody,
      response: { status: 201, description: 'Registered', schema: ProductSchema.shape.versions.element },
      problems: [404, 409],
    },
    async ({ params, body }) => {
      const [product] = await db.select({ id: products.id }).from(products).where(eq(products.id, params.id));
      if (!product) throw notFound('product');
      const [row] = await db
        .insert(productVersions)
        .values({ productId: product.id, ...body })
        .onConflictDoNothing()
        .returning();
      if (!row) throw conflict(`version ${body.version} exists`);
      return write({ body: { version: row.version, lifecycle: row.lifecycle, latestBuild: row.latestBuild } });
    },
  );

  defineRoute(
    api,
    {
      method: 'patch',
      path: '/products/:id/versions/:version',
      tag: 'Products',
      summary: 'Update a version (lifecycle, latest public build)',
      description: 'A new latest build changes hotfix eligibility of cases opened afterwards.',
      roles: ADMIN,
      params: z.strictObject({ id: IdSchema, version: CreateVersionBody.shape.version }),
      body: UpdateVersionBody,
      response: { status: 200, description: 'Updated', schema: ProductSchema.shape.versions.element },
      problems: [404],
    },
    async ({ params, body }) => {
      const where = and(eq(productVersions.productId, params.id), eq(productVersions.version, params.version));
      const [row] =
        Object.keys(body).length > 0
          ? await db.update(productVersions).set(body).where(where).returning()
          : await db.select().from(productVersions).where(where);
      if (!row) throw notFound('product version');
      return write({ body: { version: row.version, lifecycle: row.lifecycle, latestBuild: row.latestBuild } });
    },
  );
}
