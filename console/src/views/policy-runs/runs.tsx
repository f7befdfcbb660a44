/** A run of the back-test machinery (back-test, preview, apply): polled while it runs, with progress and cancel. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, authHeaders } from '../../server-api/client';
import type { Policy } from '../../server-api/types';
import { humanize } from '../../format';
import { ProblemAlert } from '../../components/ProblemAlert';
import { fill, usePolicyText, wordOf } from '../../i18n/policy-view';

interface Run {
  id: string;
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  progress: { total: number | null; processed: number; withoutInput: number };
  error: string | null;
}

/** GET `path` every second while the run is running; keyed by its path. */
export function useRun<R extends Run>(path: string | null) {
  return useQuery({
    queryKey: ['policy-run', path],
    queryFn: () => api<R>(path!),
    enabled: path !== null,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 1000 : false),
  });
}

export function RunProgress({ run, path, label, mayCancel }: { run: Run; path: string; label: string; mayCancel: boolean }) {
  const { t } = usePolicyText();
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => api<Run>(`${path}/cancel`, { method: 'POST', body: {} }),
    onSuccess: (r) => client.setQueryData(['policy-run', path], r),
  });
  const { total, processed } = run.progress;
  return (
    <div className="run-progress" data-testid="run-progress" data-status={run.status}>
      <label>
        {label}: <strong>{wordOf(t.statuses, run.status)}</strong>{' '}
        <progress max={total ?? undefined} value={total === null ? undefined : processed} />{' '}
        <span className="muted">{fill(t.processedOf, { processed, total: total ?? '…' })}</span>
      </label>{' '}
      {run.status === 'running' && mayCancel && (
        <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
          {t.cancel}
        </button>
      )}
      {run.error && (
        <div role="alert" className="problem">
          {run.error}
        </div>
      )}
      <ProblemAlert error={cancel.error} />
    </div>
  );
}

/** Saves what GET `path` answers as a file: fetched with the caller's credentials, which a plain link would not carry. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: authHeaders() });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A program's name as the policy in force gives it (GET /v1/policy), its id until that answers. */
export function useProgramName(): (id: string) => string {
  const policy = useQuery({ queryKey: ['policy'], queryFn: () => api<Policy>('/v1/policy'), staleTime: Infinity });
  return (id) => policy.data?.entitlements.find((e) => e.id === id)?.name ?? humanize(id);
}
