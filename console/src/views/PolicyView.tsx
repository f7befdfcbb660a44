/**
 * Managers and administrators: the published policy versions, a candidate's back-test, and the migration of
 * open cases to a published version (preview, apply). Each run's id stays in the URL (?backtest=, ?preview=,
 * ?apply=), so a reload or a shared link shows the same run.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../server-api/client';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatInstant } from '../format';
import { useSession } from '../session';
import { BacktestPanel } from './policy-runs/BacktestPanel';
import { MigrationPanel } from './policy-runs/MigrationPanel';
import { usePolicyText } from '../i18n/policy-view';
import type { PolicyVersion } from './policy-runs/types';

export function PolicyView() {
  const { t, lang } = usePolicyText();
  const { me } = useSession();
  const versions = useQuery({
    queryKey: ['policy-versions'],
    queryFn: () => api<{ items: PolicyVersion[] }>('/v1/policy/versions'),
  });
  const items = versions.data?.items ?? [];
  return (
    <div className="policy-view" lang={lang}>
      <h1>{t.heading}</h1>
      <p className="muted">{t.intro}</p>
      <ProblemAlert error={versions.error} />
      <section className="card" aria-labelledby="versions-h">
        <h2 id="versions-h">{t.versions}</h2>
        <table data-testid="policy-versions">
          <thead>
            <tr>
              <th scope="col">{t.versionCol}</th>
              <th scope="col">{t.keyCol}</th>
              <th scope="col">{t.effectiveCol}</th>
              <th scope="col">{t.noteCol}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((v) => (
              <tr key={v.version}>
                <td>
                  {v.version} {v.inForce && <span className="badge sla-on_track">{t.inForce}</span>}
                </td>
                <td>
                  <code>{v.key}</code>
                </td>
                <td>{Date.parse(v.effectiveAt) <= 0 ? t.fromTheStart : formatInstant(v.effectiveAt, lang)}</td>
                <td>{v.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {items.length > 0 && (
        <>
          <BacktestPanel versions={items} lang={lang} />
          <MigrationPanel versions={items} admin={me?.role === 'admin'} lang={lang} />
        </>
      )}
    </div>
  );
}
