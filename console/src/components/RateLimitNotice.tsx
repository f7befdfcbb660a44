/**
 * A 429 never fails silently: when the API refuses a request for the token's rate limit (a query or an
 * action), this banner says so with the server's Retry-After, and once that has passed the refused queries
 * on screen are fetched again, once.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, type Problem } from '../server-api/client';
import { useI18n } from '../i18n';
import { problemReason, retryAfterText } from './ProblemAlert';

const tooMany = (error: unknown): Problem | null => (error instanceof ApiError && error.problem.status === 429 ? error.problem : null);

export function RateLimitNotice() {
  const client = useQueryClient();
  const i18n = useI18n();
  const [refused, setRefused] = useState<Problem | null>(null);

  useEffect(() => {
    const seen = (error: unknown) => {
      const problem = tooMany(error);
      if (problem) setRefused(problem);
    };
    const offQueries = client.getQueryCache().subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'error') seen(e.action.error);
    });
    const offMutations = client.getMutationCache().subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'error') seen(e.action.error);
    });
    return () => {
      offQueries();
      offMutations();
    };
  }, [client]);

  useEffect(() => {
    if (!refused) return;
    const seconds = Number(refused.retryAfter);
    const waitMs = (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 120) : 60) * 1000;
    const timer = setTimeout(() => {
      setRefused(null);
      void client.invalidateQueries({ predicate: (q) => tooMany(q.state.error) !== null });
    }, waitMs);
    return () => clearTimeout(timer);
  }, [refused, client]);

  if (!refused) return null;
  const reason = problemReason(refused, i18n);
  return (
    <div role="alert" className="problem rate-limited" data-testid="rate-limited">
      <strong>{i18n.t.problemTitles[429]} (429): </strong>
      <span lang={reason.translated ? undefined : 'en'}>{reason.text.replace(/\.?$/, reason.translated ? '' : '.')}</span>{' '}
      {retryAfterText(refused.retryAfter, i18n)}
    </div>
  );
}
