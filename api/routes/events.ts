/**
 * GET /v1/events: a server-sent events stream of case changes the caller may see (the same visibility as
 * the case list). Each event's SSE id is a resume position (at most the change's case_events id, lower while
 * an earlier id may still commit late); reconnecting with Last-Event-ID (or ?after=) replays what was missed.
 * Browsers read it with fetch and the Authorization header, so the token never appears in a URL. A stream
 * ends within a second of its token's revocation (on any instance).
 */
import type { Request, Response } from 'express';
import { currentPrincipal } from '../auth';
import type { CaseChange, CaseFeed } from '../live/case-feed';
import { audienceOf, INTERNAL_EVENTS } from '../../contract/audit-events';
import { CASE_OPENERS, STAFF_ROLES, visibleOrgIds } from '../principal';
import { forbidden, invalid, Problem } from '../problem';
import { responseHeaders } from '../route';
import { ProblemSchema } from '../schemas/common';
import type { Services } from '../services';
import type { StreamSlots } from '../shared-state/stream-slots';
import { z } from '../zod';

export interface EventStreamOptions {
  /** Leases of open streams, shared by every instance on the database. */
  slots: StreamSlots;
  /** Open streams per principal, across instances (EVENT_STREAMS_PER_PRINCIPAL, default 10). */
  perPrincipal: number;
}

export const DEFAULT_EVENT_STREAMS_PER_PRINCIPAL = 10;

const READERS = [...CASE_OPENERS, ...STAFF_ROLES];
const HEARTBEAT_MS = 15_000;
const RECHECK_MS = 500;
const REPLAY_LIMIT = 1000;

const CaseChangeSchema = z
  .object({
    id: z
      .number()
      .int()
      .openapi({ description: 'case_events id: the change itself (a resumed stream may repeat a change; drop repeats by this id)' }),
    caseId: z.string(),
    caseNumber: z.number().int(),
    orgId: z.string(),
    type: z.string().openapi({ description: 'the audit event type, e.g. opened, engineer_response, resolved' }),
    occurredAt: z.string(),
    status: z.string().openapi({ description: "the case's status in the read model now" }),
    slaState: z.string(),
    nextDueAt: z.string().nullable(),
  })
  .openapi('CaseChange');

const ReadyDataSchema = z
  .object({})
  .strict()
  .openapi('StreamReady', { description: 'The data of the first event, `ready`: an empty object (its SSE id is the position)' });

const position = z
  .string()
  .regex(/^[0-9]+$/)
  .openapi({ description: 'the SSE id: a resume position for Last-Event-ID' });

/**
 * The stream as a sequence of server-sent events, each described by its SSE fields (`id`, `event`, and `data`
 * parsed as JSON): first one `ready`, then `case` events. Comment lines (keep-alives) carry no event.
 */
const StreamEventSchema = z
  .discriminatedUnion('event', [
    z.object({ id: position, event: z.literal('ready'), data: ReadyDataSchema }).openapi('StreamReadyEvent'),
    z.object({ id: position, event: z.literal('case'), data: CaseChangeSchema }).openapi('StreamCaseEvent'),
  ])
  .openapi('StreamEvent', {
    description:
      'One server-sent event of GET /v1/events, by its fields: `id`, `event` and `data` (JSON). The first is `ready` ' +
      '(data StreamReady), every later one `case` (data CaseChange).',
  });

function resumeFrom(req: Request): number | undefined {
  const raw = req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : undefined);
  if (raw === undefined || raw === '') return undefined;
  if (!/^[0-9]{1,15}$/.test(raw)) throw invalid([{ field: 'Last-Event-ID', in: 'header', reason: 'an event id from this stream' }]);
  return Number(raw);
}

export function registerEventRoutes({ api }: Services, feed: CaseFeed, streams: EventStreamOptions): void {
  api.registry.registerPath({
    method: 'get',
    path: `${api.prefix}/events`,
    tags: ['Cases'],
    summary: 'Live case changes (server-sent events)',
    description:
      'A `text/event-stream` of `case` events whose data is a CaseChange, for the cases the caller may see. The first ' +
      'event is `ready` (data `{}`) with the current position as its id; the schema describes each event by its SSE fields. ' +
      `At most ${streams.perPrincipal} streams per principal are open at once, across all API instances; one more is a 429. ` +
      'Each SSE id is a resume position: resume after a disconnect ' +
      'with the `Last-Event-ID` header (or `?after=`) and missed changes are replayed first (up to 1000), including changes ' +
      'whose transaction committed late, below a higher id already streamed; so a resumed stream may repeat a change it sent ' +
      'before (drop repeats by the data id). A comment line every 15 s keeps proxies from ' +
      'closing the connection. Send the bearer token in the Authorization header (read the stream with fetch).',
    security: [{ bearer: [] }],
    request: {
      query: z.object({ after: z.string().optional().openapi({ description: 'same as Last-Event-ID' }) }),
      headers: z.object({ 'last-event-id': z.string().optional().openapi({ description: 'id of the last event received' }) }),
    },
    responses: {
      200: { description: 'The stream', headers: responseHeaders(200), content: { 'text/event-stream': { schema: StreamEventSchema } } },
      400: {
        description: 'Last-Event-ID (or after) is not an event id',
        headers: responseHeaders(400),
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
      401: {
        description: 'Missing, unknown or revoked bearer token',
        headers: responseHeaders(401),
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
      403: {
        description: 'Role not admitted',
        headers: responseHeaders(403),
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
      429: {
        description:
          `The principal already has ${streams.perPrincipal} open streams, the rate limit for this token is exceeded, ` +
          'or (invalid tokens only) too many failed authentications',
        headers: responseHeaders(429),
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
      503: {
        description: 'The database is unavailable; retry',
        headers: responseHeaders(503),
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    },
  });

  // Other methods on this path answer 405 with Allow, like every declared route (answerUndeclaredMethods).
  api.methods ??= new Map();
  api.methods.set('/events', new Set(['get']));
  api.router.get('/events', async (req: Request, res: Response) => {
    const principal = req.principal;
    if (!principal) throw new Problem(401, 'unauthorized', 'authentication required');
    if (!READERS.includes(principal.role)) throw forbidden(`role ${principal.role} may not read case changes`);
    const orgIds = visibleOrgIds(principal);
    // Internal events (notes, refused mail) are staff only: the customer side never hears that they happened.
    const staff = audienceOf(principal.role) === 'staff';
    const visible = (c: CaseChange) => (orgIds === null || orgIds.includes(c.orgId)) && (staff || !INTERNAL_EVENTS.has(c.type));
    const resumedFrom = resumeFrom(req);
    const release = await streams.slots.acquire(principal.id, streams.perPrincipal);
    if (!release) {
      throw new Problem(
        429,
        'rate-limited',
        `at most ${streams.perPrincipal} event streams may be open per principal (EVENT_STREAMS_PER_PRINCIPAL), on all instances ` +
          'together: close one (each browser tab holds one) before opening another',
      );
    }

    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();

    // Changes can arrive out of id order (a late commit), so the stream remembers what it sent above its
    // resume position and names, as each event's SSE id, the position a reconnect may safely resume from.
    let floor = 0;
    let highest = 0;
    const sent = new Set<number>();
    const send = (c: CaseChange) => {
      if (c.id <= floor || sent.has(c.id)) return;
      sent.add(c.id);
      highest = Math.max(highest, c.id);
      const safe = feed.safePosition(highest);
      if (safe > floor) {
        floor = safe;
        for (const id of sent) if (id <= floor) sent.delete(id);
      }
      res.write(`id: ${floor}\nevent: case\ndata: ${JSON.stringify(c)}\n\n`);
    };

    // Subscribe first and hold live changes back until the replay has gone out, so nothing falls in between.
    let held: CaseChange[] | null = [];
    const unsubscribe = feed.subscribe((c) => {
      if (!visible(c)) return;
      if (held) held.push(c);
      else send(c);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    // A stream outlives its authentication: end it within about half a second of the token's revocation, the principal's
    // disabling or a change of what it may see (the client reconnects and is answered as it is now).
    const visibility = JSON.stringify(orgIds);
    const recheck = setInterval(() => {
      currentPrincipal(req).then(
        (now) => {
          if (!now || now.role !== principal.role || JSON.stringify(visibleOrgIds(now)) !== visibility) res.end();
        },
        () => undefined, // the database is briefly away: check again on the next tick
      );
    }, RECHECK_MS);
    const stop = () => {
      clearInterval(heartbeat);
      clearInterval(recheck);
      unsubscribe();
      release();
    };
    req.on('close', stop);
    res.on('close', stop);
    if (req.socket.destroyed) stop(); // gone while the slot was taken: its close has already passed

    try {
      if (resumedFrom === undefined) {
        // From now: what the poller has read is history; what it reads from here on (a late commit below
        // its head included) is streamed. The ready id sits below any id that may still commit late.
        const head = await feed.head();
        floor = head.safe;
        highest = head.last;
        res.write(`id: ${floor}\nevent: ready\ndata: {}\n\n`);
      } else {
        floor = highest = resumedFrom;
        res.write(`id: ${floor}\nevent: ready\ndata: {}\n\n`);
        for (const c of await feed.since(resumedFrom, orgIds, REPLAY_LIMIT)) if (visible(c)) send(c);
      }
      const pending: CaseChange[] = held;
      held = null;
      for (const c of pending) send(c);
    } catch (err) {
      req.log.warn({ err }, 'event stream replay failed');
      res.end();
    }
  });
}
