/** Shows the API's (often the workflow's) reason for a refusal, announced to screen readers; a 429 says when to retry. */
import { ApiError } from '../server-api/client';

/** "Try again in 42 s." from a Retry-After header (seconds or an HTTP date). */
export function retryAfterText(retryAfter: string | null | undefined): string {
  const seconds = !retryAfter ? NaN : /^\d+$/.test(retryAfter) ? Number(retryAfter) : (Date.parse(retryAfter) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? `Try again in ${Math.max(1, Math.ceil(seconds))} s.` : 'Try again in a minute.';
}

export function ProblemAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  return (
    <div role="alert" className="problem">
      <strong>{problem ? `${problem.title} (${problem.status})` : 'Error'}: </strong>
      <span className="problem-detail">{problem ? problem.detail : String(error)}</span>
      {problem?.status === 429 && (
        <span className="retry-after" data-testid="retry-after">
          {problem.detail.endsWith('.') ? ' ' : '. '}
          {retryAfterText(problem.retryAfter)}
        </span>
      )}
      {problem?.errors && (
        <ul>
          {problem.errors.map((e) => (
            <li key={`${e.in}-${e.field}`}>
              {e.field}: {e.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
