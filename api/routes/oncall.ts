/**
 * The on-call rota per follow-the-sun region: shifts with a primary and a fallback engineer, valid from
 * one instant to the next. Who a page reaches is computed when it is delivered; GET /oncall shows who
 * that is right now. Administrators keep the rota; staff read it.
 */
import { randomUUID } from 'node:crypto';
import { STAFF_ROLES } from '../../contract/roles';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { oncallShifts, principals } from '../../db/schema';
import { onCall } from '../../activities/mail/recipients';
import type { Role } from '../../contract/case';
import { notFound, unprocessable } from '../problem';
import { defineRoute } from '../route';
import { SUN_REGIONS } from '../schemas/admin';
import { IdSchema } from '../schemas/common';
import { CreateShiftBody, OnCallNowSchema, ShiftSchema, SunRegion } from '../schemas/notifications';
import type { Services } from '../services';
import { z } from '../zod';

const STAFF: readonly Role[] = STAFF_ROLES;
const ADMIN: Role[] = ['admin'];

const person = (p: { id: string; name: string; email: string }) => ({ id: p.id, name: p.name, email: p.email });

export function registerOnCallRoutes({ api, db }: Services): void {
  const primary = alias(principals, 'primary_engineer');
  const fallback = alias(principals, 'fallback_engineer');

  async function shifts(where?: ReturnType<typeof eq>) {
    const rows = await db
      .select({ shift: oncallShifts, primary, fallback })
      .from(oncallShifts)
      .innerJoin(primary, eq(primary.id, oncallShifts.primaryId))
      .leftJoin(fallback, eq(fallback.id, oncallShifts.fallbackId))
      .where(where)
      .orderBy(asc(oncallShifts.region), asc(oncallShifts.validFrom));
    return rows.map((r) => ({
      id: r.shift.id,
      region: r.shift.region,
      primary: person(r.primary),
      fallback: r.fallback ? person(r.fallback) : null,
      validFrom: r.shift.validFrom.toISOString(),
      validTo: r.shift.validTo?.toISOString() ?? null,
    }));
  }

  async function activeEngineer(id: string, field: string): Promise<void> {
    const [p] = await db
      .select({ role: principals.role })
      .from(principals)
      .where(and(eq(principals.id, id), isNull(principals.disabledAt)));
    if (!p) throw unprocessable(field, 'no such active principal');
    if (p.role !== 'engineer') throw unprocessable(field, `must be an engineer (is ${p.role})`);
  }

  defineRoute(
    api,
    {
      method: 'get',
      path: '/oncall',
      tag: 'Notifications',
      summary: 'Who is on call now, per region',
      description:
        'The primary of the newest shift in force; its fallback when the primary is disabled; without a shift, the region’s engineers.',
      roles: STAFF,
      response: { status: 200, description: 'On call now', schema: z.object({ items: z.array(OnCallNowSchema) }) },
    },
    async () => {
      const at = new Date();
      const items = [];
      for (const region of SUN_REGIONS) {
        const reached = await onCall(db, region, at);
        const current = (await shifts(eq(oncallShifts.region, region))).filter(
          (s) => Date.parse(s.validFrom) <= at.getTime() && (!s.validTo || Date.parse(s.validTo) > at.getTime()),
        );
        const shift = current.at(-1) ?? null;
        const source =
          reached.length === 0
            ? 'nobody'
            : !shift
              ? 'home_region'
              : reached[0]!.principalId === shift.primary.id
                ? 'rota_primary'
                : 'rota_fallback';
        items.push({
          region,
          at: at.toISOString(),
          shiftId: shift?.id ?? null,
          reached: reached.map((p) => ({ id: p.principalId!, name: p.name, email: p.address })),
          source,
        });
      }
      return { body: { items } };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/oncall/shifts',
      tag: 'Notifications',
      summary: 'List on-call shifts',
      roles: STAFF,
      query: z.strictObject({ region: SunRegion.optional() }),
      response: { status: 200, description: 'Shifts', schema: z.object({ items: z.array(ShiftSchema) }) },
    },
    async ({ query }) => ({ body: { items: await shifts(query.region ? eq(oncallShifts.region, query.region) : undefined) } }),
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/oncall/shifts',
      tag: 'Notifications',
      summary: 'Add an on-call shift',
      roles: ADMIN,
      body: CreateShiftBody,
      response: { status: 201, description: 'Added', schema: ShiftSchema },
      problems: [422],
    },
    async ({ body }) => {
      await activeEngineer(body.primaryId, 'primaryId');
      if (body.fallbackId) {
        if (body.fallbackId === body.primaryId) throw unprocessable('fallbackId', 'must differ from primaryId');
        await activeEngineer(body.fallbackId, 'fallbackId');
      }
      const id = randomUUID();
      await db.insert(oncallShifts).values({
        id,
        region: body.region,
        primaryId: body.primaryId,
        fallbackId: body.fallbackId ?? null,
        validFrom: new Date(body.validFrom),
        validTo: body.validTo ? new Date(body.validTo) : null,
      });
      const [created] = await shifts(inArray(oncallShifts.id, [id]));
      return { body: created };
    },
  );

  defineRoute(
    api,
    {
      method: 'delete',
      path: '/oncall/shifts/:id',
      tag: 'Notifications',
      summary: 'Remove an on-call shift',
      roles: ADMIN,
      params: z.strictObject({ id: IdSchema }),
      response: { status: 204, description: 'Removed' },
      problems: [404],
    },
    async ({ params }) => {
      const removed = await db.delete(oncallShifts).where(eq(oncallShifts.id, params.id)).returning({ id: oncallShifts.id });
      if (removed.length === 0) throw notFound('shift');
      return { status: 204 };
    },
  );
}
