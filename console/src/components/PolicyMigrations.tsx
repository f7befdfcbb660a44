/** The case page's policy migrations (`policyMigrations` of GET /v1/cases/{id}): when, who, from and to, each running clock's due instants. */
import type { CaseDetail } from '../server-api/types';
import { formatInstant } from '../format';
import { fill, usePolicyText, wordOf } from '../i18n/policy-view';

export function PolicyMigrations({ migrations, locale }: { migrations: CaseDetail['policyMigrations']; locale: string }) {
  const { t } = usePolicyText();
  if (migrations.length === 0) return null;
  return (
    <section aria-labelledby="migrations-h" data-testid="case-migrations">
      <h2 id="migrations-h">{t.caseMigrations}</h2>
      <ul className="plain">
        {migrations.map((m) => (
          <li key={`${m.at}-${m.to}`} data-to={m.to}>
            <time dateTime={m.at}>{formatInstant(m.at, locale)}</time>:{' '}
            <strong>{fill(t.migratedFromTo, { from: m.from, to: m.to })}</strong>{' '}
            <span className="muted">
              {fill(t.migratedBy, { actor: m.actorId })}
              {m.migrationId && <>, {fill(t.migrationRun, { id: m.migrationId.slice(0, 8) })}</>}
            </span>
            <ul>
              {m.clocks.map((c) => (
                <li key={c.clock} data-clock={c.clock}>
                  {wordOf(t.clocks, c.clock)}: {c.oldTarget} → {c.newTarget}, {t.dueLower} {formatInstant(c.oldDueAt, locale)} →{' '}
                  {c.breachesAtOnce ? <strong>{t.breachesAtOnce}</strong> : formatInstant(c.newDueAt, locale)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
