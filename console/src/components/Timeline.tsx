/**
 * What happened and what is scheduled: the audit trail (GET /v1/cases/{id}/events), contact attempts past
 * and scheduled, and notices with their delivery state.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../server-api/client';
import type { CaseDetail, CaseEvent } from '../server-api/types';
import { formatInstant, humanize } from '../format';

function summary(data: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ['message', 'reason', 'summary', 'resolutionType', 'ownerId', 'from', 'to', 'accepted', 'comment', 'note']) {
    const v = data[key];
    if (v !== undefined && v !== null && typeof v !== 'object') parts.push(`${key}: ${String(v)}`);
  }
  return parts.join(' · ');
}

export function Timeline({ detail, locale }: { detail: CaseDetail; locale: string }) {
  const events = useQuery({
    queryKey: ['case-events', detail.id],
    queryFn: async () => {
      // Oldest first, a page at a time; a long-lived case has hundreds of events.
      const items: CaseEvent[] = [];
      let after: string | null = null;
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
      <h3>Notices</h3>
      <p className="muted" data-testid="notices-placeholder">
        Notices sent and their delivery state appear here once the API serves GET /v1/cases/{'{id}'}/notifications (branch mail).
      </p>
    </div>
  );
}
