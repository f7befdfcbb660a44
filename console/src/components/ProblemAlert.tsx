/** Shows the API's (often the workflow's) reason for a refusal, announced to screen readers. */
import { ApiError } from '../server-api/client';

export function ProblemAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  return (
    <div role="alert" className="problem">
      <strong>{problem ? `${problem.title} (${problem.status})` : 'Error'}: </strong>
      <span className="problem-detail">{problem ? problem.detail : String(error)}</span>
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
