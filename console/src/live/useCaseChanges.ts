/**
 * Live case changes: GET /v1/events read with fetch (so the bearer token travels in the Authorization
 * header, never in a URL), parsed as server-sent events, resumed with Last-Event-ID after a drop. Each
 * change refetches the queries on screen it concerns (refetch-policy.ts), so every view shows what changed
 * within a second without refetching for changes to cases it does not show. A resumed
 * stream may repeat a change; a repeat only costs one more refetch. A 401 (the token was revoked) stops the
 * stream for good and ends the session (reportUnauthorized): no retry loop with a dead token.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { getToken, hasCookieSession, reportUnauthorized } from '../server-api/client';
import type { CaseChange } from '../server-api/types';
import { noteChangedEvent } from './changed-events';
import { refetchScheduler } from './refetch-policy';
import { afterStreamFailure, StreamRefused } from './stream-retry';

export type LiveState = 'connecting' | 'live' | 'offline' | 'stopped';

async function readStream(
  token: string | null,
  signal: AbortSignal,
  lastId: { value: string | null },
  onEvent: (event: string, data: string) => void,
  onOpen: () => void,
) {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (token) headers.Authorization = `Bearer ${token}`; // otherwise the session cookie signs the request
  if (lastId.value) headers['Last-Event-ID'] = lastId.value;
  const res = await fetch('/v1/events', { headers, signal, cache: 'no-store' });
  if (!res.ok || !res.body) {
    const problem = (await res.json().catch(() => null)) as { detail?: string } | null;
    throw new StreamRefused(res.status, res.headers.get('retry-after'), problem?.detail ?? null);
  }
  onOpen();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) lastId.value = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) onEvent(event, data.join('\n'));
    }
  }
}

export function useCaseChanges(enabled: boolean): { state: LiveState; last: CaseChange | null } {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  const [last, setLast] = useState<CaseChange | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    const lastId = { value: null as string | null };
    // Only the queries a change concerns refetch, bursts coalesced (refetch-policy.ts).
    const refetch = refetchScheduler(client);
    const invalidate = (change: CaseChange) => {
      // Only for a timeline on screen (or cached): it refetches from this event on.
      if (client.getQueryData(['case-events', change.caseId])) noteChangedEvent(change.caseId, change.id);
      refetch.note(change);
    };
    void (async () => {
      const token = getToken();
      if (!token && !hasCookieSession()) return;
      let failures = 0;
      while (!abort.signal.aborted) {
        let refused: StreamRefused | null = null;
        try {
          await readStream(
            token,
            abort.signal,
            lastId,
            (event, data) => {
              if (event !== 'case') return;
              const change = JSON.parse(data) as CaseChange;
              setLast(change);
              invalidate(change);
            },
            () => {
              failures = 0;
              setState('live');
            },
          );
        } catch (err) {
          if (abort.signal.aborted) return;
          if (err instanceof StreamRefused) refused = err;
        }
        failures += 1;
        const next = afterStreamFailure(refused?.status ?? null, refused?.retryAfter ?? null, failures);
        if ('stop' in next) {
          setState('stopped');
          if (next.stop === 'unauthorized' && getToken() === token) {
            reportUnauthorized({
              type: 'https://caseflow.dev/problems/unauthorized',
              title: 'Authentication required',
              status: 401,
              detail: refused?.detail ?? 'the token was refused',
            });
          }
          return;
        }
        setState('offline');
        await new Promise((r) => setTimeout(r, next.retryInMs));
      }
    })();
    return () => {
      abort.abort();
      refetch.stop();
    };
  }, [enabled, client]);

  return { state, last };
}
