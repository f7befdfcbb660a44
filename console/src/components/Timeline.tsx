/**
 * What happened and what is scheduled: the audit trail (GET /v1/cases/{id}/events), contact attempts past
 * and scheduled, and notices with their delivery state.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { takeLowestChangedEvent } from '../live/changed-events';
import { api } from '../server-api/client';
import type { CaseDetail, CaseEvent, CaseNotice } from '../server-api/types';
import { formatInstant, word } from '../format';
import { useI18n, type I18n } from '../i18n';
import { EventAttachments } from './AttachmentList';

const SUMMARY_FIELDS = ['message', 'reason', 'summary', 'resolutionType', 'ownerId', 'from', 'to', 'accepted', 'comment', 'note'];

/** An event's facts with translated names; values people wrote stay as written, known vocabularies are translated. */
function summary(data: Record<string, unknown>, { t }: I18n): string {
  const parts: string[] = [];
  for (const key of SUMMARY_FIELDS) {
    const v = data[key];
    if (v === undefined || v === null || typeof v === 'object') continue;
    const value =
      typeof v === 'boolean'
        ? v
          ? t.yes
          : t.no
        : key === 'resolutionType'
          ? word(t.resolutionTypes, String(v))
          : (key === 'from' || key === 'to') && typeof v === 'string' && v in t.statuses
            ? word(t.statuses, v)
            : String(v);
    parts.push(`${word(t.eventFields, key)}: ${value}`);
  }
  return parts.join(' · ');
}

export function Timeline({ detail }: { detail: CaseDetail }) {
  const i18n = useI18n();
  const { t, f, lang: locale } = i18n;
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
      <ol className="events" aria-label={t.auditEvents}>
        {(events.data?.items ?? []).map((e) => (
          <li key={e.id} data-event={e.type}>
            <time dateTime={e.occurredAt}>{formatInstant(e.occurredAt, locale)}</time> <strong>{word(t.events, e.type)}</strong>{' '}
            <span className="muted">{f(t.byActor, { actor: e.actorId })}</span>
            {summary(e.data, i18n) && <div className="event-data">{summary(e.data, i18n)}</div>}
            <EventAttachments caseId={detail.id} data={e.data} />
          </li>
        ))}
      </ol>
      {detail.contactAttempts.length > 0 && (
        <>
          <h3>{t.contactAttempts}</h3>
          <ul>
            {detail.contactAttempts.map((a) => (
              <li key={`${a.round}-${a.attempt}`} data-attempt-status={a.status}>
                {f(t.contactAttempt, {
                  round: a.round,
                  attempt: a.attempt,
                  date: a.businessDate,
                  status: word(t.attemptStatuses, a.status),
                })}{' '}
                {formatInstant(a.madeAt ?? a.scheduledAt, locale)}
              </li>
            ))}
          </ul>
        </>
      )}
      <Notices caseId={detail.id} />
    </div>
  );
}

const UNDER_WAY = new Set(['pending', 'sending', 'failed']);
/** Queued in the last five minutes and not yet sent to everyone (without a mail channel nothing ever is). */
const underWay = (n: CaseNotice): boolean =>
  Date.now() - Date.parse(n.createdAt) < 300_000 && (n.deliveries.length === 0 || n.deliveries.some((d) => UNDER_WAY.has(d.status)));

/** Notices of the case with the delivery state per recipient (GET /v1/cases/{id}/notifications). */
function Notices({ caseId }: { caseId: string }) {
  const { t, f, lang: locale } = useI18n();
  const notices = useQuery({
    queryKey: ['case-notifications', caseId],
    queryFn: () => api<{ items: CaseNotice[] }>(`/v1/cases/${caseId}/notifications`),
    // Delivery happens after the case change that queued the notice: look again while a recent one is under way.
    refetchInterval: (query) => (query.state.data?.items.some(underWay) ? 2000 : false),
  });
  const items = notices.data?.items ?? [];
  return (
    <>
      <h3>{t.notices}</h3>
      {items.length === 0 ? (
        <p className="muted">{notices.isLoading ? t.loading : t.noNotices}</p>
      ) : (
        <ul className="notices" aria-label={t.noticesLabel}>
          {items.map((n) => (
            <li key={n.id} data-notice={n.kind}>
              <time dateTime={n.createdAt}>{formatInstant(n.createdAt, locale)}</time> <strong>{word(t.noticeKinds, n.kind)}</strong>
              <ul>
                {n.deliveries.length === 0 && <li className="muted">{t.notDelivered}</li>}
                {n.deliveries.map((d) => (
                  <li key={`${d.channel}:${d.address}`} data-delivery={d.status}>
                    {f(t.deliveryTo, { channel: word(t.channels, d.channel), recipient: d.name ? `${d.name} <${d.address}>` : d.address })}:{' '}
                    <strong>{word(t.deliveryStatuses, d.status)}</strong>
                    {d.sentAt && <> {formatInstant(d.sentAt, locale)}</>}
                    {(d.lastError ?? d.response) && (
                      <div className="event-data" lang="en">
                        {d.lastError ?? d.response}
                      </div>
                    )}
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
