/**
 * A refusal or error in the reader's language, announced to screen readers: the API's `code` (a case
 * refusal's code, else the problem type's slug) translated with its `params`; the server's English `detail`
 * only for a code the catalogs do not know. Validation problems list each field once, by its translated
 * name. A 429 says when to retry.
 */
import { ApiError, type Problem } from '../server-api/client';
import { useI18n, type I18n } from '../i18n';

/** "Try again in 42 seconds." from a Retry-After header (seconds or an HTTP date). */
export function retryAfterText(retryAfter: string | null | undefined, { t, f }: I18n): string {
  const seconds = !retryAfter ? NaN : /^\d+$/.test(retryAfter) ? Number(retryAfter) : (Date.parse(retryAfter) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? f(t.retryIn, { seconds: Math.max(1, Math.ceil(seconds)) }) : t.retryInAMinute;
}

/** The problem's reason in words, and whether it came translated (false: the server's English detail). */
export function problemReason(problem: Problem, { t, f }: I18n): { text: string; translated: boolean } {
  const code = problem.code ?? problem.type.split('/').pop() ?? '';
  const refusal = (t.refusals as Record<string, string>)[code];
  if (refusal) return { text: f(refusal, problem.params ?? {}), translated: true };
  const known = (t.problems as Record<string, string>)[code];
  if (known) return { text: known, translated: true };
  return { text: problem.detail, translated: false };
}

const fieldName = (field: string, t: I18n['t']): string => t.fields[field] ?? t.fields[field.split('.').pop() ?? ''] ?? field;

export function ProblemAlert({ error }: { error: unknown }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  if (!problem)
    return (
      <div role="alert" className="problem">
        <strong>{t.error}: </strong>
        <span className="problem-detail">{String(error)}</span>
      </div>
    );
  const reason = problemReason(problem, i18n);
  const fields = problem.errors ?? [];
  const title = t.problemTitles[problem.status] ?? t.error;
  return (
    <div role="alert" className="problem" data-code={problem.code ?? ''}>
      <strong>{`${title} (${problem.status})`}: </strong>
      {/* A validation problem's detail repeats its fields: they are listed once, below. */}
      {fields.length === 0 && (
        <span className="problem-detail" lang={reason.translated ? undefined : 'en'}>
          {reason.text}
        </span>
      )}
      {problem.status === 429 && (
        <span className="retry-after" data-testid="retry-after">
          {' '}
          {retryAfterText(problem.retryAfter, i18n)}
        </span>
      )}
      {fields.length > 0 && (
        <ul>
          {fields.map((e) => (
            <li key={`${e.in}-${e.field}`} data-field={e.field}>
              {fieldName(e.field, t)}: <span lang="en">{e.reason}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
