/**
 * What happened and what is scheduled: the audit trail (GET /v1/cases/{id}/events), contact attempts past
 * and scheduled, and notices with their delivery state.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { takeLowestChangedEvent } from '../live/changed-events';
import { api } from '../server-api/client';
import type { CaseDetail, CaseEvent, CaseNotice } from '../server-api/types';
import { formatInstant, humanize } from '../format';
import { EventAttachments } from './AttachmentList';

function summary(data: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ['message', 'reason', 'summary', 'resolutionType', 'ownerId', 'from', 'to', 'accepted', 'comment', 'note']) {
    const v = data[key];
    if (v !== undefined && v !== null && typeof v !== 'object') parts.push(`${key}: ${String(v)}`);
  }
  return parts.join(' · ');
}

export function Timeline({ detail, locale }: { detail: CaseDetail; locale: string }) {
  const client = useQueryClient();
  const events = useQuery({
    queryKey: ['case-events', detail.id],
    queryFn: async ({ queryKey }) => {
      // Oldest first, a page at a time; a long-lived case has hundreds of events. A refetch after a live
      // change reads only from the lowest event the stream announced (or after the last one it has).
      const known = client.getQueryData<{ items: CaseEvent[] }>(queryKey)?.items ?? [];
      const announced = takeLowestChangedEvent(detail.id);
      const last = known.length > 0 ? known[known.length - 1].id : null;
      const from = last === null ? null : Math.min(last, announced === undefined ? last : announced - 1);
      const items: CaseEvent[] = from === null ? [] : known.filter((e) => e.id <= from);
      let after: string | null = from === null ? null : String(from);
      do {
        const page: { items: CaseEvent[]; nextCursor: string | null } = await api(
          `/v1/cases/${detail.id}/events?limit=100${after ? `&after=${after}` : ''}`,
        );
        items.push(...page.items);
        after = page.nextCursor;
      } while (after && items.length < 2000);
      return { items };
    },
  });
  return (
    <div className="timeline">
      <ol className="events" aria-label="Audit events">
        {(events.data?.items ?? []).map((e) => (
          <li key={e.id} data-event={e.type}>
            <time dateTime={e.occurredAt}>{formatInstant(e.occurredAt, locale)}</time> <strong>{humanize(e.type)}</strong>{' '}
            <span className="muted">by {e.actorId}</span>
            {summary(e.data) && <div className="event-data">{summary(e.data)}</div>}
            <EventAttachments caseId={detail.id} data={e.data} />
          </li>
        ))}
      </ol>
      {detail.contactAttempts.length > 0 && (
        <>
          <h3>Contact attempts</h3>
          <ul>
            {detail.contactAttempts.map((a) => (
              <li key={`${a.round}-${a.attempt}`}>
                Round {a.round}, attempt {a.attempt} ({a.businessDate}): {humanize(a.status)}{' '}
                {formatInstant(a.madeAt ?? a.scheduledAt, locale)}
              </li>
            ))}
          </ul>
        </>
      )}
      <Notices caseId={detail.id} locale={locale} />
    </div>
  );
}

const UNDER_WAY = new Set(['pending', 'sending', 'failed']);
/** Queued in the last five minutes and not yet sent to everyone (without a mail channel nothing ever is). */
const underWay = (n: CaseNotice): boolean =>
  Date.now() - Date.parse(n.createdAt) < 300_000 && (n.deliveries.length === 0 || n.deliveries.some((d) => UNDER_WAY.has(d.status)));

/** Notices of the case with the delivery state per recipient (GET /v1/cases/{id}/notifications). */
function Notices({ caseId, locale }: { caseId: string; locale: string }) {
  const notices = useQuery({
    queryKey: ['case-notifications', caseId],
    queryFn: () => api<{ items: CaseNotice[] }>(`/v1/cases/${caseId}/notifications`),
    // Delivery happens after the case change that queued the notice: look again while a recent one is under way.
    refetchInterval: (query) => (query.state.data?.items.some(underWay) ? 2000 : false),
  });
  const items = notices.data?.items ?? [];
  return (
    <>
      <h3>Notices</h3>
      {items.length === 0 ? (
        <p className="muted">{notices.isLoading ? 'Loading…' : 'No notices yet.'}</p>
      ) : (
        <ul className="notices" aria-label="Notices and their delivery">
          {items.map((n) => (
            <li key={n.id} data-notice={n.kind}>
              <time dateTime={n.createdAt}>{formatInstant(n.createdAt, locale)}</time> <strong>{humanize(n.kind)}</strong>
              <ul>
                {n.deliveries.length === 0 && <li className="muted">not delivered yet</li>}
                {n.deliveries.map((d) => (
                  <li key={`${d.channel}:${d.address}`} data-delivery={d.status}>
                    {d.channel} to {d.name ? `${d.name} <${d.address}>` : d.address}: <strong>{humanize(d.status)}</strong>
                    {d.sentAt && <> {formatInstant(d.sentAt, locale)}</>}
                    {(d.lastError ?? d.response) && <div className="event-data">{d.lastError ?? d.response}</div>}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
