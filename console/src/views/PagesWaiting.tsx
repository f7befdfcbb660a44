/**
 * Severity 1 pages nobody has acknowledged yet (GET /v1/queue?awaiting=page), most urgent first, each with
 * who holds it along the escalation chain and the countdown to the next step; acknowledged from here
 * (POST /v1/cases/{id}/page-acknowledgement). Whether an acknowledgement fits, the workflow says.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, qs } from '../server-api/client';
import type { PageView, QueueItem, QueuePage } from '../server-api/types';
import { Countdown } from '../components/Countdown';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatInstant } from '../format';
import { levelLabel, useI18n, type I18n } from '../i18n';

/** The chain's recipient ids (notices.pageChain) in words: "oncall:EMEA:fallback" -> "the fallback on-call engineer of EMEA". */
function pageHolder(recipient: string, { t, f }: I18n): string {
  const [who, rest = '', step] = recipient.split(':');
  if (who === 'oncall') return f(step ? t.holderOncallFallback : t.holderOncall, { region: rest });
  if (who === 'manager') return rest === 'duty' ? t.holderDutyManager : f(t.holderManager, { region: rest });
  return recipient;
}

/** Where a page stands, for the case page: with whom and until when, or who acknowledged it. */
export function PageStatus({ page }: { page: PageView }) {
  const i18n = useI18n();
  const { t, f, lang } = i18n;
  if (page.acknowledgedAt)
    return (
      <span data-page="acknowledged">
        {f(t.pageAcknowledgedBy, { who: page.acknowledgedBy ?? '', at: formatInstant(page.acknowledgedAt, lang) })}
      </span>
    );
  if (page.withdrawnAt) return <span data-page="withdrawn">{t.pageWithdrawn}</span>;
  return (
    <span data-page="waiting">
      {f(t.pageWaitingWith, { holder: pageHolder(page.recipient, i18n) })}
      {page.escalatesAt ? (
        <>
          , {t.nextEscalation} <Countdown dueAt={page.escalatesAt} />
        </>
      ) : null}
    </span>
  );
}

function PageRow({ c, page }: { c: QueueItem; page: PageView }) {
  const i18n = useI18n();
  const { t, f, lang } = i18n;
  const client = useQueryClient();
  const ack = useMutation({
    mutationFn: () => api(`/v1/cases/${c.id}/page-acknowledgement`, { method: 'POST', body: {} }),
    onSettled: () => void client.invalidateQueries({ queryKey: ['queue'] }),
  });
  return (
    <li data-page-case={c.id}>
      <Link to={`/cases/${c.id}`}>
        #{c.number} {c.title}
      </Link>{' '}
      {levelLabel(c.levelLabel, i18n)}, {c.customer.name}
      <br />
      <span className="muted">
        {f(t.pageSince, { kind: page.kind, at: formatInstant(page.pagedAt, lang), holder: pageHolder(page.recipient, i18n) })}
      </span>{' '}
      ·{' '}
      {page.escalatesAt ? (
        <>
          {t.nextEscalation} <Countdown dueAt={page.escalatesAt} />
        </>
      ) : (
        <strong>{t.lastStep}</strong>
      )}{' '}
      <button
        type="button"
        className="small"
        disabled={ack.isPending}
        onClick={() => ack.mutate()}
        aria-label={f(t.acknowledgePageOf, { number: c.number ?? '' })}
      >
        {t.acknowledge}
      </button>
      <ProblemAlert error={ack.error} />
    </li>
  );
}

export function PagesWaiting({ scope }: { scope: 'all' | 'region' }) {
  const { t } = useI18n();
  const params = { scope, awaiting: 'page', pageSize: 20 };
  const data = useQuery({ queryKey: ['queue', params], queryFn: () => api<QueuePage>(`/v1/queue${qs(params)}`) });
  return (
    <section className="card" data-testid="pages-waiting" aria-labelledby="pages-h">
      <h2 id="pages-h">
        {t.pagesWaiting} <span className="muted">({data.data?.total ?? '…'})</span>
      </h2>
      <ProblemAlert error={data.error} />
      {data.data?.total === 0 && <p className="muted">{t.noneWaiting}</p>}
      <ul className="plain">{data.data?.items.map((c) => c.page && <PageRow key={c.id} c={c} page={c.page} />)}</ul>
    </section>
  );
}
