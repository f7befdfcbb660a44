/** Time left to (or past) a due instant, ticking every second. */
import { countdown } from '../format';
import { useNow } from './useNow';

export function Countdown({ dueAt }: { dueAt: string | null }) {
  const now = useNow();
  const { text, overdue } = countdown(dueAt, now);
  return (
    <span className={overdue ? 'countdown overdue' : 'countdown'} data-due={dueAt ?? ''}>
      {text}
    </span>
  );
}
