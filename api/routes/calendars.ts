/**
 * iCalendar (issue 23): the on-call rota as subscribable feeds, and office closures imported from ICS.
 *
 * Feeds: a staff member creates a feed of a region's rota or of one engineer's shifts; its URL carries a
 * random secret (only its SHA-256 is stored) and needs no bearer token, since calendar clients cannot send
 * one; revoking it makes the URL a 404 at once. The feed is RFC 5545 from ical-generator: one VEVENT per shift
 * (30 days back to a year ahead), its UID stable so a client updates rather than duplicates.
 *
 * Closures: an admin, or the organisation's case admin, imports an ICS file (text/calendar body) or URL; each
 * import is a new version of the organisation's closures and cases opening from then on pin its dates.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import express, { type Request, type Response } from 'express';
import { and, asc, desc, eq, gte, isNull, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import ical from 'ical-generator';
import { calendarFeeds, closureImports, oncallShifts, organisations, principals } from '../../db/schema';
import type { Role } from '../../contract/case';
import { guardedLookup, urlProblem } from '../../activities/webhooks/address-guard';
import { closuresFromIcs } from '../calendars/ics-closures';
import { canSeeOrg, type Principal } from '../principal';
import { forbidden, notFound, Problem, unprocessable } from '../problem';
import { defineRoute } from '../route';
import { SUN_REGIONS } from '../schemas/admin';
import type { Services } from '../services';
import { z } from '../zod';

const STAFF: Role[] = ['admin', 'engineer', 'manager'];
const CLOSURE_ADMINS: Role[] = ['admin', 'case_admin'];
export const FEED_PATH = '/calendar-feeds';
/** Largest ICS accepted, as a body or fetched from a URL. */
export const MAX_ICS_BYTES = 2 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const FeedBody = z
  .strictObject({
    region: z.enum(SUN_REGIONS).optional().openapi({ description: "a region's rota" }),
    engineerId: z.string().min(1).max(100).optional().openapi({ description: "or one engineer's shifts (primary and fallback)" }),
    label: z.string().max(200).optional(),
  })
  .openapi('CreateCalendarFeed');
const FeedSchema = z
  .object({
    id: z.string(),
    region: z.string().nullable(),
    engineerId: z.string().nullable(),
    label: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('CalendarFeed');
const FeedWithUrl = FeedSchema.extend({
  url: z.string().openapi({ description: 'the secret feed URL (shown once); webcal clients subscribe to it' }),
}).openapi('CalendarFeedWithUrl');
const ClosureImportSchema = z
  .object({
    orgId: z.string(),
    version: z.number().int(),
    source: z.enum(['file', 'url']),
    url: z.string().nullable(),
    dates: z.array(z.string()),
    closures: z.array(z.object({ summary: z.string(), from: z.string(), to: z.string() })),
    importedBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('ClosureImport');

type FeedRow = typeof calendarFeeds.$inferSelect;
const feedView = (f: FeedRow) => ({
  id: f.id,
  region: f.region,
  engineerId: f.engineerId,
  label: f.label,
  createdBy: f.createdBy,
  createdAt: f.createdAt.toISOString(),
  revokedAt: f.revokedAt?.toISOString() ?? null,
});

/** GET /v1/calendar-feeds/{token}: mounted before authentication (the URL is the credential). */
export function calendarFeedHandler({ db }: Services) {
  const primary = alias(principals, 'primary_engineer');
  const fallback = alias(principals, 'fallback_engineer');
  return async (req: Request, res: Response): Promise<void> => {
    const token = String(req.params.token).replace(/\.ics$/, '');
    const [feed] = await db
      .select()
      .from(calendarFeeds)
      .where(and(eq(calendarFeeds.tokenHash, hashToken(token)), isNull(calendarFeeds.revokedAt)));
    if (!feed) throw new Problem(404, 'not-found', 'calendar feed unknown or revoked');
    const now = Date.now();
    const from = new Date(now - 30 * 86_400_000);
    const to = new Date(now + 366 * 86_400_000);
    const who = feed.engineerId
      ? or(eq(oncallShifts.primaryId, feed.engineerId), eq(oncallShifts.fallbackId, feed.engineerId))
      : eq(oncallShifts.region, feed.region!);
    const rows = await db
      .select({ shift: oncallShifts, primary, fallback })
      .from(oncallShifts)
      .innerJoin(primary, eq(primary.id, oncallShifts.primaryId))
      .leftJoin(fallback, eq(fallback.id, oncallShifts.fallbackId))
      .where(and(who, lte(oncallShifts.validFrom, to), or(isNull(oncallShifts.validTo), gte(oncallShifts.validTo, from))))
      .orderBy(asc(oncallShifts.validFrom))
      .limit(5000);
    const cal = ical({
      name: feed.engineerId ? `On call: ${feed.label ?? feed.engineerId}` : `On call ${feed.region}`,
      prodId: { company: 'caseflow', product: 'oncall-rota', language: 'EN' },
      ttl: 15 * 60,
    });
    for (const { shift, primary: p, fallback: f } of rows) {
      // An open-ended shift runs until the next one replaces it; the feed shows it to the end of its window.
      const end = shift.validTo ?? to;
      const role = feed.engineerId ? (shift.primaryId === feed.engineerId ? 'primary' : 'fallback') : null;
      cal.createEvent({
        id: `shift-${shift.id}@caseflow`,
        start: shift.validFrom,
        end,
        summary: role ? `On call ${shift.region} (${role})` : `On call ${shift.region}: ${p.name}`,
        description: [
          `Primary: ${p.name} <${p.email}>`,
          f ? `Fallback: ${f.name} <${f.email}>` : 'No fallback',
          shift.validTo ? '' : 'Open-ended: until the next shift',
        ]
          .filter(Boolean)
          .join('\n'),
        stamp: shift.createdAt,
      });
    }
    res.set('Content-Type', 'text/calendar; charset=utf-8').set('Cache-Control', 'private, max-age=300').send(cal.toString());
  };
}

/** GET over http(s), no redirect followed, the address checked at connect time, at most MAX_ICS_BYTES in FETCH_TIMEOUT_MS. */
function fetchIcs(url: string, allowPrivateNetworks: boolean): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const target = new URL(url);
    const get = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = get(
      target,
      { method: 'GET', headers: { accept: 'text/calendar' }, lookup: guardedLookup({ allowPrivateNetworks }) as never },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          res.resume();
          return reject(
            unprocessable('url', status >= 300 && status < 400 ? `answered ${status}: redirects are not followed` : `answered ${status}`),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ICS_BYTES) {
            req.destroy();
            return reject(new Problem(413, 'calendar-refused', `the calendar at url is larger than ${MAX_ICS_BYTES} bytes`));
          }
          chunks.push(c);
        });
        res.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${FETCH_TIMEOUT_MS} ms`)), FETCH_TIMEOUT_MS);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => reject(unprocessable('url', `could not be fetched: ${err.message}`)));
    req.end();
  });
}

export function registerCalendarRoutes(services: Services, opts: { allowPrivateNetworks: boolean }): void {
  const { api, db } = services;

  defineRoute(
    api,
    {
      method: 'post',
      path: '/oncall/feeds',
      tag: 'Notifications',
      summary: 'Create an on-call calendar feed',
      description:
        'A secret iCalendar URL of a region’s rota (`region`) or of one engineer’s shifts (`engineerId`). Admins and managers for anyone; an engineer for a region or themselves. The URL is shown once.',
      roles: STAFF,
      body: FeedBody,
      response: { status: 201, description: 'Created', schema: FeedWithUrl },
      problems: [422],
    },
    async ({ body, principal, req }) => {
      if ((body.region === undefined) === (body.engineerId === undefined))
        throw unprocessable('region', 'name exactly one of region and engineerId');
      if (body.engineerId) {
        if (principal.role === 'engineer' && body.engineerId !== principal.id)
          throw forbidden('an engineer may create a feed of their own shifts only');
        const [p] = await db.select({ role: principals.role }).from(principals).where(eq(principals.id, body.engineerId));
        if (!p || p.role !== 'engineer') throw unprocessable('engineerId', 'no such engineer');
      }
      const token = randomBytes(32).toString('base64url');
      const [row] = await db
        .insert(calendarFeeds)
        .values({
          id: randomUUID(),
          tokenHash: hashToken(token),
          scope: body.engineerId ? 'engineer' : 'region',
          region: body.region ?? null,
          engineerId: body.engineerId ?? null,
          label: body.label ?? null,
          createdBy: principal.id,
        })
        .returning();
      const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
      return { status: 201, body: { ...feedView(row!), url: `${base}/v1${FEED_PATH}/${token}.ics` } };
    },
  );

  const mayManageFeed = (p: Principal, f: FeedRow) => p.role === 'admin' || p.role === 'manager' || f.createdBy === p.id;

  defineRoute(
    api,
    {
      method: 'get',
      path: '/oncall/feeds',
      tag: 'Notifications',
      summary: 'List on-call calendar feeds',
      description: 'Admins and managers see every feed, engineers the feeds they created. The URLs are not shown again.',
      roles: STAFF,
      response: { status: 200, description: 'Feeds', schema: z.object({ items: z.array(FeedSchema) }) },
    },
    async ({ principal }) => {
      const rows = await db.select().from(calendarFeeds).orderBy(asc(calendarFeeds.createdAt));
      return { body: { items: rows.filter((f) => mayManageFeed(principal, f)).map(feedView) } };
    },
  );

  defineRoute(
    api,
    {
      method: 'delete',
      path: '/oncall/feeds/:id',
      tag: 'Notifications',
      summary: 'Revoke an on-call calendar feed',
      description: 'Its URL answers 404 from now on.',
      roles: STAFF,
      params: z.strictObject({ id: z.string().min(1).max(100) }),
      response: { status: 204, description: 'Revoked' },
      problems: [404],
    },
    async ({ params, principal }) => {
      const [f] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.id, params.id));
      if (!f || !mayManageFeed(principal, f)) throw notFound('calendar feed');
      await db
        .update(calendarFeeds)
        .set({ revokedAt: sql`coalesce(${calendarFeeds.revokedAt}, now())` })
        .where(eq(calendarFeeds.id, f.id));
      return { status: 204 };
    },
  );

  async function closureOrg(principal: Principal, orgId: string) {
    if (principal.role !== 'admin' && principal.orgId !== orgId) throw notFound('organisation');
    const [org] = await db.select().from(organisations).where(eq(organisations.id, orgId));
    if (!org || !canSeeOrg(principal, orgId)) throw notFound('organisation');
    return org;
  }

  async function record(principal: Principal, orgId: string, zone: string, text: string, source: 'file' | 'url', url: string | null) {
    const read = closuresFromIcs(text, zone);
    // A new version per import; two imports at once: the second retries on the primary key.
    for (let attempt = 0; ; attempt++) {
      const [last] = await db
        .select({ version: closureImports.version })
        .from(closureImports)
        .where(eq(closureImports.orgId, orgId))
        .orderBy(desc(closureImports.version))
        .limit(1);
      const inserted = await db
        .insert(closureImports)
        .values({
          orgId,
          version: (last?.version ?? 0) + 1,
          source,
          url,
          dates: read.dates,
          closures: read.closures,
          importedBy: principal.id,
        })
        .onConflictDoNothing()
        .returning();
      if (inserted[0]) return importView(inserted[0]);
      if (attempt >= 3) throw new Problem(409, 'conflict', 'concurrent imports: try again');
    }
  }

  const importView = (r: typeof closureImports.$inferSelect) => ({
    orgId: r.orgId,
    version: r.version,
    source: r.source as 'file' | 'url',
    url: r.url,
    dates: r.dates,
    closures: r.closures,
    importedBy: r.importedBy,
    createdAt: r.createdAt.toISOString(),
  });

  const OrgParams = z.strictObject({ id: z.string().min(1).max(100) });
  // The ICS body, up to its own limit (the JSON parser does not read text/calendar).
  api.router.post('/organisations/:id/closures', express.raw({ type: 'text/calendar', limit: MAX_ICS_BYTES }));

  defineRoute(
    api,
    {
      method: 'post',
      path: '/organisations/:id/closures',
      tag: 'Organisations',
      summary: 'Import office closures from an iCalendar file',
      description:
        'Every VEVENT closes the local dates it touches in the organisation’s zone (recurrences expanded from 30 days back to two years ahead). A new version of the organisation’s closures: cases opened from now on pin its dates; running cases keep theirs. Refused: not a calendar, more than 5000 events or 20000 occurrences, recurrence finer than daily, a closure over 366 days, over 2 MiB (413).',
      roles: CLOSURE_ADMINS,
      params: OrgParams,
      rawBody: { contentType: 'text/calendar', description: 'an RFC 5545 calendar' },
      response: { status: 201, description: 'Imported', schema: ClosureImportSchema },
      problems: [404, 413, 415, 422],
    },
    async ({ params, principal, req }) => {
      const org = await closureOrg(principal, params.id);
      return { status: 201, body: await record(principal, org.id, org.timeZone, (req.body as Buffer).toString('utf8'), 'file', null) };
    },
  );

  defineRoute(
    api,
    {
      method: 'post',
      path: '/organisations/:id/closures/fetch',
      tag: 'Organisations',
      summary: 'Import office closures from an iCalendar URL',
      description: 'As the file import, fetched once now from `url` (http(s), public addresses only, no redirects, 2 MiB, 10 s).',
      roles: CLOSURE_ADMINS,
      params: OrgParams,
      body: z.strictObject({ url: z.string().min(1).max(2000) }).openapi('ImportClosuresFromUrl'),
      response: { status: 201, description: 'Imported', schema: ClosureImportSchema },
      problems: [404, 413, 422],
    },
    async ({ params, principal, body }) => {
      const org = await closureOrg(principal, params.id);
      const problem = await urlProblem(body.url, { allowPrivateNetworks: opts.allowPrivateNetworks });
      if (problem) throw unprocessable('url', problem);
      const text = await fetchIcs(body.url, opts.allowPrivateNetworks);
      return { status: 201, body: await record(principal, org.id, org.timeZone, text, 'url', body.url) };
    },
  );

  defineRoute(
    api,
    {
      method: 'get',
      path: '/organisations/:id/closures',
      tag: 'Organisations',
      summary: 'Imported office closures, newest version first',
      description: 'The first item is in force: a case opened now pins its dates.',
      roles: [...CLOSURE_ADMINS, 'engineer', 'manager'],
      params: OrgParams,
      response: { status: 200, description: 'Versions', schema: z.object({ items: z.array(ClosureImportSchema) }) },
      problems: [404],
    },
    async ({ params, principal }) => {
      if (principal.role !== 'admin' && principal.role !== 'engineer' && principal.role !== 'manager' && principal.orgId !== params.id)
        throw notFound('organisation');
      const rows = await db
        .select()
        .from(closureImports)
        .where(eq(closureImports.orgId, params.id))
        .orderBy(desc(closureImports.version))
        .limit(50);
      return { body: { items: rows.map(importView) } };
    },
  );
}
