/**
 * Managers: Severity 1 pages and manager requests waiting for acknowledgement with countdowns, breached and at-risk cases now, and the
 * SLA report as charts (achievement by program and severity, first response p50/p90 per day, breaches per
 * day); a bar opens the cases behind it.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, qs } from '../server-api/client';
import type { QueuePage, SlaDay, SlaReportCase, SlaReportRow } from '../server-api/types';
import { Countdown } from '../components/Countdown';
import { ProblemAlert } from '../components/ProblemAlert';
import { SlaBadge } from '../components/SlaBadge';
import { durationMs, word } from '../format';
import { levelLabel, useI18n } from '../i18n';
import { PagesWaiting } from './PagesWaiting';
import { labelCells } from '../components/cellLabels';

const DAYS = 30;

function CaseList({ title, query, testId }: { title: string; query: Record<string, string>; testId: string }) {
  // Keyed ['queue', its GET /v1/queue parameters]: the live refetch policy reads them (live/refetch-policy.ts).
  const i18n = useI18n();
  const params = { scope: 'all', pageSize: 20, ...query };
  const data = useQuery({ queryKey: ['queue', params], queryFn: () => api<QueuePage>(`/v1/queue${qs(params)}`) });
  return (
    <section className="card" data-testid={testId}>
      <h2>
        {title} <span className="muted">({data.data?.total ?? '…'})</span>
      </h2>
      <ProblemAlert error={data.error} />
      {data.data?.total === 0 && <p className="muted">{i18n.t.noneWaiting}</p>}
      <ul className="plain">
        {data.data?.items.map((c) => (
          <li key={c.id}>
            <Link to={`/cases/${c.id}`}>
              #{c.number} {c.title}
            </Link>{' '}
            <SlaBadge state={c.slaState} /> {levelLabel(c.levelLabel, i18n)}, {c.customer.name} ·{' '}
            <Countdown dueAt={query.runningClock ? (c.sla[query.runningClock]?.dueAt ?? null) : c.nextDueAt} />
          </li>
        ))}
      </ul>
    </section>
  );
}

interface Drill {
  program: string;
  severity: number;
  label: string;
}

export function ManagerView() {
  const i18n = useI18n();
  const { t, f, lang } = i18n;
  const [period] = useState(() => {
    const to = new Date(Date.now() + 60_000);
    return { from: new Date(to.getTime() - DAYS * 86_400_000).toISOString(), to: to.toISOString() };
  });
  const [drill, setDrill] = useState<Drill | null>(null);
  const report = useQuery({ queryKey: ['report', period], queryFn: () => api<{ rows: SlaReportRow[] }>(`/v1/reports/sla${qs(period)}`) });
  const daily = useQuery({
    queryKey: ['report-daily', period],
    queryFn: () => api<{ days: SlaDay[] }>(`/v1/reports/sla/daily${qs(period)}`),
  });
  const drillCases = useQuery({
    queryKey: ['report-cases', period, drill],
    enabled: !!drill,
    queryFn: () =>
      api<{ items: SlaReportCase[] }>(`/v1/reports/sla/cases${qs({ ...period, program: drill?.program, severity: drill?.severity })}`),
  });
  const rows = (report.data?.rows ?? []).map((r) => ({
    ...r,
    name: `${word(t.programs, r.program)} · ${levelLabel(r.levelLabel, i18n)}`,
    achievementPct: r.achievement === null ? 0 : Math.round(r.achievement * 100),
  }));
  const days = (daily.data?.days ?? []).map((d) => ({
    ...d,
    p50: d.medianFirstResponseMs === null ? null : Math.round(d.medianFirstResponseMs / 6_000) / 10,
    p90: d.p90FirstResponseMs === null ? null : Math.round(d.p90FirstResponseMs / 6_000) / 10,
  }));

  return (
    <div className="manager">
      <h1>{t.managerView}</h1>
      <div className="columns halves">
        <PagesWaiting scope="all" />
        <CaseList title={t.managerRequests} query={{ runningClock: 'managerAck' }} testId="manager-requests" />
      </div>
      <div className="columns halves">
        <CaseList title={t.breachedNow} query={{ slaState: 'breached' }} testId="breached" />
        <CaseList title={t.atRiskNow} query={{ slaState: 'at_risk' }} testId="at-risk" />
      </div>
      <ProblemAlert error={report.error ?? daily.error} />
      <section className="card" aria-labelledby="ach-h">
        <h2 id="ach-h">{f(t.achievementTitle, { days: DAYS })}</h2>
        <p className="muted">{t.selectBar}</p>
        <div className="chart" role="figure" aria-label={t.achievementChart}>
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={rows} margin={{ left: 8, right: 8 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" tick={{ fontSize: 12 }} />
              <YAxis unit="%" domain={[0, 100]} />
              <Tooltip />
              <Bar
                isAnimationActive={false}
                dataKey="achievementPct"
                maxBarSize={72}
                name={t.achievementPercent}
                fill="#1d5fa8"
                onClick={(d: { payload?: SlaReportRow & { name: string } }) =>
                  d.payload && setDrill({ program: d.payload.program, severity: d.payload.severity, label: d.payload.name })
                }
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <table data-testid="report-table" className="list-table compact" ref={labelCells}>
          <caption className="sr-only">{t.slaReport}</caption>
          <thead>
            <tr>
              <th scope="col">{t.programLevel}</th>
              <th scope="col">{t.cases}</th>
              <th scope="col">{t.met}</th>
              <th scope="col">{t.breached}</th>
              <th scope="col">{t.open}</th>
              <th scope="col">{t.achievement}</th>
              <th scope="col">p50</th>
              <th scope="col">p90</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <th scope="row">
                  <button
                    type="button"
                    className="link"
                    onClick={() => setDrill({ program: r.program, severity: r.severity, label: r.name })}
                  >
                    {r.name}
                  </button>
                </th>
                <td>{r.cases}</td>
                <td>{r.met}</td>
                <td>{r.breached}</td>
                <td>{r.open}</td>
                <td>
                  {r.achievement === null
                    ? '—'
                    : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(r.achievementPct / 100)}
                </td>
                <td>{durationMs(r.medianFirstResponseMs, lang)}</td>
                <td>{durationMs(r.p90FirstResponseMs, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {drill && (
          <div className="drill" data-testid="drill">
            <h3>{f(t.casesOf, { label: drill.label })}</h3>
            <ul className="plain">
              {drillCases.data?.items.map((c) => (
                <li key={c.caseId}>
                  <Link to={`/cases/${c.caseId}`}>
                    #{c.number} {c.title}
                  </Link>{' '}
                  {word(t.slaStates, c.state)} · {durationMs(c.elapsedMs, lang)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <div className="columns">
        <section className="card" aria-labelledby="p-h">
          <h2 id="p-h">{t.responsePerDay}</h2>
          <div className="chart">
            <ResponsiveContainer width="100%" height={220}>
              <LineChart data={days}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" tick={{ fontSize: 12 }} />
                <YAxis />
                <Tooltip />
                <Legend />
                <Line isAnimationActive={false} dataKey="p50" name="p50" stroke="#1d5fa8" />
                <Line isAnimationActive={false} dataKey="p90" name="p90" stroke="#a3431d" />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </section>
        <section className="card" aria-labelledby="b-h">
          <h2 id="b-h">{t.breachesPerDay}</h2>
          <div className="chart">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={days}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" tick={{ fontSize: 12 }} />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Bar isAnimationActive={false} dataKey="breached" name={t.breachesSeries} fill="#b3261e" maxBarSize={48} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </section>
      </div>
    </div>
  );
}
