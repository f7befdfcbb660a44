/**
 * Every SLA clock with its due time (in the viewer's zone) and the workflow's explanation (the server's
 * English sentence, marked as such). A running clock counts down; a breached clock not yet answered shows how
 * long it is overdue, never time left.
 */
import type { Clock } from '../server-api/types';
import { formatInstant, spanText, targetText, word } from '../format';
import { useI18n } from '../i18n';
import { Countdown } from './Countdown';

export function ClockList({ clocks, timeZone }: { clocks: Record<string, Clock>; timeZone?: string }) {
  const i18n = useI18n();
  const { t, f, lang } = i18n;
  const list = Object.values(clocks);
  if (list.length === 0) return <p>{t.noClocks}</p>;
  return (
    <ul className="clocks">
      {list.map((c) => {
        const overdue = c.state === 'breached' && !c.stoppedAt && c.dueAt;
        return (
          <li key={c.name} className={`clock clock-${c.state}`} data-clock={c.name}>
            <div className="clock-head">
              <strong>{word(t.clocks, c.name)}</strong>{' '}
              <span className={`badge clock-state-${c.state}`} data-state={c.state}>
                {word(t.slaStates, c.state)}
              </span>{' '}
              {c.target && <span className="muted">{f(t.clockTarget, { target: targetText(c.target, i18n) })}</span>}
            </div>
            <div>
              {f(t.clockDue, { at: formatInstant(c.dueAt, lang, timeZone) })}
              {(c.state === 'running' || overdue) && c.dueAt && (
                <>
                  {' · '}
                  <Countdown dueAt={c.dueAt} />
                </>
              )}
              {c.state === 'breached' && c.stoppedAt && c.latenessMs !== null && c.latenessMs > 0 && (
                <> · {f(t.timeLate, { time: spanText(c.latenessMs, lang) })}</>
              )}
            </div>
            <p className="explanation" lang="en">
              {c.explanation}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
