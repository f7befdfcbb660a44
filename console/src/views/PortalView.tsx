/** Customer portal: my organisation's cases (partners switch organisation), deadlines in my zone, live. */
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link } from 'react-router';
import { api, qs } from '../server-api/client';
import type { CaseSummary } from '../server-api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { SlaBadge } from '../components/SlaBadge';
import { formatInstant, viewerZone, word } from '../format';
import { i18nFor, I18nContext, levelLabel } from '../i18n';
import { useOrganisations } from './useOrganisations';
import { labelCells } from '../components/cellLabels';

export function PortalView() {
  const id = useId();
  const { orgs, org, choose, error } = useOrganisations();
  const cases = useQuery({
    queryKey: ['cases', org?.id],
    queryFn: () => api<{ items: CaseSummary[] }>(`/v1/cases${qs({ orgId: org?.id, limit: 100 })}`),
    enabled: !!org,
  });
  const i18n = i18nFor(org?.language);
  const { lang, t } = i18n;
  return (
    <I18nContext.Provider value={i18n}>
      <section lang={lang} aria-labelledby={`${id}-h`}>
        <h1 id={`${id}-h`}>
          {t.myCases}
          {org ? ` — ${org.name}` : ''}
        </h1>
        <ProblemAlert error={error ?? cases.error} />
        <div className="toolbar">
          {orgs.length > 1 && (
            <div className="field">
              <label htmlFor={`${id}-org`}>{t.organisation}</label>
              <select id={`${id}-org`} value={org?.id} onChange={(e) => choose(e.target.value)}>
                {orgs.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {org && (
            <Link className="button" to={`/portal/new?org=${org.id}`}>
              {t.openCase}
            </Link>
          )}
          <span className="muted">
            {t.datesIn} {viewerZone()}
          </span>
        </div>
        {cases.data && cases.data.items.length === 0 && <p>{t.noCases}</p>}
        {cases.data && cases.data.items.length > 0 && (
          <table className="list-table" ref={labelCells}>
            <thead>
              <tr>
                <th scope="col">{t.case}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.severity}</th>
                <th scope="col">{t.sla}</th>
                <th scope="col">{t.nextDeadline}</th>
              </tr>
            </thead>
            <tbody>
              {cases.data.items.map((c) => (
                <tr key={c.id} data-case={c.id}>
                  <td>
                    <Link to={`/cases/${c.id}`}>
                      #{c.number} {c.title}
                    </Link>
                  </td>
                  <td>{word(t.statuses, c.status)}</td>
                  <td>{levelLabel(c.levelLabel, i18n)}</td>
                  <td>
                    <SlaBadge state={c.slaState} />
                  </td>
                  <td>{formatInstant(c.nextDueAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </I18nContext.Provider>
  );
}
