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

/** The chain's recipient ids (notices.pageChain) in words: "oncall:EMEA:fallback" -> "the fallback on-call of EMEA". */
function pageHolder(recipient: string): string {
  const [who, rest, step] = recipient.split(':');
  if (who === 'oncall') return step ? `the ${step} on-call of ${rest}` : `the on-call engineer of ${rest}`;
  if (who === 'manager') return rest === 'duty' ? 'the duty manager' : `the ${rest} manager`;
  return recipient;
}

/** Where a page stands, for the case page: with whom and until when, or who acknowledged it. */
export function PageStatus({ page }: { page: PageView }) {
  if (page.acknowledgedAt)
    return (
      <span data-page="acknowledged">
        acknowledged by {page.acknowledgedBy} ({formatInstant(page.acknowledgedAt, 'en')})
      </span>
    );
  if (page.withdrawnAt) return <span data-page="withdrawn">withdrawn: around-the-clock work ended</span>;
  return (
    <span data-page="waiting">
      waiting for acknowledgement, with {pageHolder(page.recipient)}
      {page.escalatesAt ? (
        <>
          , next escalation <Countdown dueAt={page.escalatesAt} />
        </>
      ) : null}
    </span>
  );
}

function PageRow({ c, page }: { c: QueueItem; page: PageView }) {
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
      {c.levelLabel}, {c.customer.name}
      <br />
      <span className="muted">
        {page.kind === 'handoff' ? 'Hand-off' : 'Page'} since {formatInstant(page.pagedAt, 'en')}, now with {pageHolder(page.recipient)}
      </span>{' '}
      ·{' '}
      {page.escalatesAt ? (
        <>
          next escalation <Countdown dueAt={page.escalatesAt} />
        </>
      ) : (
        <strong>last step: no further escalation</strong>
      )}{' '}
      <button
        type="button"
        className="small"
        disabled={ack.isPending}
        onClick={() => ack.mutate()}
        aria-label={`Acknowledge the page of case ${c.number}`}
      >
        Acknowledge
      </button>
      <ProblemAlert error={ack.error} />
    </li>
  );
}

export function PagesWaiting({ scope }: { scope: 'all' | 'region' }) {
  const params = { scope, awaiting: 'page', pageSize: 20 };
  const data = useQuery({ queryKey: ['queue', params], queryFn: () => api<QueuePage>(`/v1/queue${qs(params)}`) });
  return (
    <section className="card" data-testid="pages-waiting" aria-labelledby="pages-h">
      <h2 id="pages-h">
        Severity 1 pages waiting <span className="muted">({data.data?.total ?? '…'})</span>
      </h2>
      <ProblemAlert error={data.error} />
      {data.data?.total === 0 && <p className="muted">None.</p>}
      <ul className="plain">{data.data?.items.map((c) => c.page && <PageRow key={c.id} c={c} page={c.page} />)}</ul>
    </section>
  );
}
