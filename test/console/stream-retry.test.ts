/**
 * Issue 19, part A (the console): what the live stream does after a failed attempt. A revoked token (401)
 * stops it for good, and the session ends (console/src/session.tsx listens for reportUnauthorized); before,
 * the tab retried every second with the dead token (30 x 401 in 25 s) until the address was blocked.
 */
import { afterStreamFailure } from '../../console/src/live/stream-retry';

test('a 401 stops the stream: no retry with a dead token', () => {
  for (const failures of [1, 2, 10]) expect(afterStreamFailure(401, null, failures)).toEqual({ stop: 'unauthorized' });
  expect(afterStreamFailure(403, null, 1)).toEqual({ stop: 'forbidden' });
});

test('a 429 waits for Retry-After; a drop or a 5xx backs off, up to 30 s', () => {
  expect(afterStreamFailure(429, '17', 1)).toEqual({ retryInMs: 17_000 });
  expect(afterStreamFailure(429, 'soon', 1)).toEqual({ retryInMs: 1000 });
  expect(afterStreamFailure(429, '86400', 1)).toEqual({ retryInMs: 120_000 });
  expect([1, 2, 3, 4, 5, 6, 20].map((n) => afterStreamFailure(null, null, n))).toEqual(
    [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000].map((retryInMs) => ({ retryInMs })),
  );
  expect(afterStreamFailure(503, null, 2)).toEqual({ retryInMs: 2000 });
});
