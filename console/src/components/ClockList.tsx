/** Every SLA clock with its due time (in the viewer's zone) and the workflow's explanation. */
import type { Clock } from '../server-api/types';
import { formatInstant, humanize } from '../format';
import { Countdown } from './Countdown';

const CLOCK_NAMES: Record<string, string> = {
  firstResponse: 'First response',
  sev1Update: 'Severity 1 update',
  managerAck: 'Manager acknowledgement',
  resolutionConfirmation: 'Resolution confirmation',
};

export function ClockList({ clocks, locale, timeZone }: { clocks: Record<string, Clock>; locale: string; timeZone?: string }) {
  const list = Object.values(clocks);
  if (list.length === 0) return <p>No clocks.</p>;
  return (
    <ul className="clocks">
      {list.map((c) => (
        <li key={c.name} className={`clock clock-${c.state}`}>
          <div className="clock-head">
            <strong>{CLOCK_NAMES[c.name] ?? humanize(c.name)}</strong>{' '}
            <span className={`badge clock-state-${c.state}`}>{humanize(c.state)}</span>{' '}
            {c.target && <span className="muted">target {c.target}</span>}
          </div>
          <div>
            due {formatInstant(c.dueAt, locale, timeZone)}
            {c.state === 'running' && c.dueAt && (
              <>
                {' · '}
                <Countdown dueAt={c.dueAt} />
              </>
            )}
          </div>
          <p className="explanation">{c.explanation}</p>
        </li>
      ))}
    </ul>
  );
}
