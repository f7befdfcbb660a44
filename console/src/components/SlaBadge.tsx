/** The SLA state as the workflow reported it, as text plus colour (never colour alone). */
import { humanize } from '../format';

export function SlaBadge({ state }: { state: string }) {
  return <span className={`badge sla-${state}`}>{humanize(state)}</span>;
}
