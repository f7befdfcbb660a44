/** Time left to (or past) a due instant, ticking every second: "59m 04s left", "30m overdue", translated. */
import { countdown } from '../format';
import { useI18n } from '../i18n';
import { useNow } from './useNow';

export function Countdown({ dueAt }: { dueAt: string | null }) {
  const now = useNow();
  const { text, overdue } = countdown(dueAt, now, useI18n());
  return (
    <span className={overdue ? 'countdown overdue' : 'countdown'} data-due={dueAt ?? ''} data-overdue={overdue}>
      {text}
    </span>
  );
}
