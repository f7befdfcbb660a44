/** The SLA state as the workflow reported it, as text plus colour (never colour alone). */
import { word } from '../format';
import { useI18n } from '../i18n';

export function SlaBadge({ state }: { state: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge sla-${state}`} data-state={state}>
      {word(t.slaStates, state)}
    </span>
  );
}
