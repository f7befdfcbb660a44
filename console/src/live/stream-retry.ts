/**
 * What the live stream does after it failed or ended (pure, so it is unit-tested): a 401 means the token is
 * dead (revoked, its principal disabled): stop and end the session, never retry with it (retries would only
 * feed the server's failed-authentication count). A 403 will not change by retrying either. A 429 waits as
 * long as Retry-After says; anything else (a drop, a 5xx, the network) retries with a growing back-off.
 */
export type StreamOutcome = { stop: 'unauthorized' | 'forbidden' } | { retryInMs: number };

const MAX_BACKOFF_MS = 30_000;

/** `status`: the HTTP status of the failed attempt (null: the stream dropped or the network failed); `failures`: in a row, this one included. */
export function afterStreamFailure(status: number | null, retryAfter: string | null, failures: number): StreamOutcome {
  if (status === 401) return { stop: 'unauthorized' };
  if (status === 403) return { stop: 'forbidden' };
  const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failures - 1));
  if (status === 429) {
    const seconds = Number(retryAfter);
    return { retryInMs: Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 120) * 1000 : backoff };
  }
  return { retryInMs: backoff };
}

/** Thrown by the stream reader for an answer that is not the stream. */
export class StreamRefused extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: string | null,
    readonly detail: string | null,
  ) {
    super(`event stream: ${status}`);
  }
}
