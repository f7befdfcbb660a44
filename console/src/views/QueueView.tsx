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
import { localTime, word } from '../format';
import { levelLabel, useI18n } from '../i18n';
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
  const i18n = useI18n();
  const { t, f, lang } = i18n;
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
      <h1 id={`${id}-h`}>{t.queue}</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={`${id}-scope`}>{t.show}</label>
          <select id={`${id}-scope`} value={filters.scope} onChange={(e) => set('scope', e.target.value)}>
            <option value="region">{t.scopeRegion}</option>
            <option value="mine">{t.scopeMine}</option>
            <option value="all">{t.scopeAll}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-sev`}>{t.severity}</label>
          <select id={`${id}-sev`} value={filters.severity} onChange={(e) => set('severity', e.target.value)}>
            <option value="">{t.any}</option>
            {[1, 2, 3, 4].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-sla`}>{t.slaState}</label>
          <select id={`${id}-sla`} value={filters.slaState} onChange={(e) => set('slaState', e.target.value)}>
            <option value="">{t.any}</option>
            {SLA_STATES.map((s) => (
              <option key={s} value={s}>
                {word(t.slaStates, s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-prog`}>{t.program}</label>
          <select id={`${id}-prog`} value={filters.program} onChange={(e) => set('program', e.target.value)}>
            <option value="">{t.any}</option>
            {PROGRAMS.map((p) => (
              <option key={p} value={p}>
                {word(t.programs, p)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-q`}>{t.search}</label>
          <input
            id={`${id}-q`}
            type="search"
            placeholder={t.searchPlaceholder}
            value={filters.q}
            onChange={(e) => set('q', e.target.value)}
          />
        </div>
      </form>
      <ProblemAlert error={queue.error} />
      <p className="muted" role="status" data-testid="queue-total">
        {queue.data ? f(t.queueTotal, { count: queue.data.total, page: filters.page, pages }) : t.loading}
      </p>
      <table className="queue list-table" ref={labelCells}>
        <thead>
          <tr>
            <th scope="col">{t.case}</th>
            <th scope="col">{t.nextDue}</th>
            <th scope="col">{t.sla}</th>
            <th scope="col">{t.level}</th>
            <th scope="col">{t.program}</th>
            <th scope="col">{t.customer}</th>
            <th scope="col">{t.theirTime}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.owner}</th>
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
                {/* A breached clock is the most urgent: how long overdue, never the next clock's time left. */}
                <Countdown dueAt={c.overdueSince ?? c.nextDueAt} />
              </td>
              <td>
                <SlaBadge state={c.slaState} />
              </td>
              <td>{levelLabel(c.levelLabel, i18n)}</td>
              <td>{word(t.programs, c.program)}</td>
              <td>{c.customer.name}</td>
              <td>{localTime(c.customer.timeZone, now, lang)}</td>
              <td data-status={c.status}>{word(t.statuses, c.status)}</td>
              <td>{c.ownerId ?? <span className="muted">{t.unassigned}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pager" aria-label={t.queuePages}>
        <button type="button" disabled={filters.page <= 1} onClick={() => set('page', String(filters.page - 1))}>
          {t.previous}
        </button>
        <button type="button" disabled={filters.page >= pages} onClick={() => set('page', String(filters.page + 1))}>
          {t.next}
        </button>
      </nav>
    </section>
  );
}
