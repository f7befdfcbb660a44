/** Engineers' queue: open cases by next due instant, filters and search, paged on the server, live. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, qs } from '../server-api/client';
import type { QueuePage } from '../server-api/types';
import { Countdown } from '../components/Countdown';
import { ProblemAlert } from '../components/ProblemAlert';
import { SlaBadge } from '../components/SlaBadge';
import { useNow } from '../components/useNow';
import { humanize, localTime } from '../format';
import { labelCells } from '../components/cellLabels';

const SLA_STATES = ['on_track', 'at_risk', 'breached', 'paused', 'met', 'no_target', 'best_effort', 'not_available'];
const PROGRAMS = [
  'premier',
  'production',
  'basic',
  'evaluation',
  'free',
  'vcsp_production',
  'plan_premium',
  'plan_basic',
  'plan_evaluation',
];
const PAGE_SIZE = 50;

export function QueueView() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const filters = {
    scope: params.get('scope') ?? 'region',
    severity: params.get('severity') ?? '',
    slaState: params.get('slaState') ?? '',
    program: params.get('program') ?? '',
    q: params.get('q') ?? '',
    page: Number(params.get('page') ?? '1'),
  };
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };
  const queue = useQuery({
    queryKey: ['queue', filters],
    queryFn: () => api<QueuePage>(`/v1/queue${qs({ ...filters, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
  const now = useNow(30_000);
  const pages = queue.data ? Math.max(1, Math.ceil(queue.data.total / PAGE_SIZE)) : 1;

  return (
    <section aria-labelledby={`${id}-h`}>
      <h1 id={`${id}-h`}>Queue</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={`${id}-scope`}>Show</label>
          <select id={`${id}-scope`} value={filters.scope} onChange={(e) => set('scope', e.target.value)}>
            <option value="region">My region and mine</option>
            <option value="mine">Mine</option>
            <option value="all">All open cases</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-sev`}>Severity</label>
          <select id={`${id}-sev`} value={filters.severity} onChange={(e) => set('severity', e.target.value)}>
            <option value="">any</option>
            {[1, 2, 3, 4].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-sla`}>SLA state</label>
          <select id={`${id}-sla`} value={filters.slaState} onChange={(e) => set('slaState', e.target.value)}>
            <option value="">any</option>
            {SLA_STATES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-prog`}>Program</label>
          <select id={`${id}-prog`} value={filters.program} onChange={(e) => set('program', e.target.value)}>
            <option value="">any</option>
            {PROGRAMS.map((p) => (
              <option key={p} value={p}>
                {humanize(p)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-q`}>Search</label>
          <input
            id={`${id}-q`}
            type="search"
            placeholder="number, title, customer"
            value={filters.q}
            onChange={(e) => set('q', e.target.value)}
          />
        </div>
      </form>
      <ProblemAlert error={queue.error} />
      <p className="muted" role="status" data-testid="queue-total">
        {queue.data ? `${queue.data.total} open cases · page ${filters.page} of ${pages}` : 'Loading…'}
      </p>
      <table className="queue list-table" ref={labelCells}>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Next due</th>
            <th scope="col">SLA</th>
            <th scope="col">Level</th>
            <th scope="col">Program</th>
            <th scope="col">Customer</th>
            <th scope="col">Their time</th>
            <th scope="col">Status</th>
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          {queue.data?.items.map((c) => (
            <tr key={c.id} data-case={c.id}>
              <td>
                <Link to={`/cases/${c.id}`}>
                  #{c.number} {c.title}
                </Link>
              </td>
              <td>
                <Countdown dueAt={c.nextDueAt} />
              </td>
              <td>
                <SlaBadge state={c.slaState} />
              </td>
              <td>{c.levelLabel}</td>
              <td>{humanize(c.program)}</td>
              <td>{c.customer.name}</td>
              <td>{localTime(c.customer.timeZone, now)}</td>
              <td>{humanize(c.status)}</td>
              <td>{c.ownerId ?? <span className="muted">unassigned</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pager" aria-label="Queue pages">
        <button type="button" disabled={filters.page <= 1} onClick={() => set('page', String(filters.page - 1))}>
          Previous
        </button>
        <button type="button" disabled={filters.page >= pages} onClick={() => set('page', String(filters.page + 1))}>
          Next
        </button>
      </nav>
    </section>
  );
}
