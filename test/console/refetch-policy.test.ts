/**
 * Issue 20 item 7 (the console): which cached queries a live change concerns. Before, every change refetched
 * every list and report on screen: the manager view made about 6 requests per change, 720 a minute at 2
 * changes a second on cases it did not show, and hit the 600-per-token rate limit.
 */
import { concernOf, queueConcern } from '../../console/src/live/refetch-policy';
import type { CaseChange, QueuePage } from '../../console/src/server-api/types';

const change = (over: Partial<CaseChange> = {}): CaseChange => ({
  id: 100,
  caseId: 'other-case',
  caseNumber: 77,
  orgId: 'acme-premier',
  type: 'engineer_response',
  occurredAt: '2026-12-04T12:00:00.000Z',
  status: 'in_progress',
  slaState: 'on_track',
  nextDueAt: '2026-12-05T12:00:00.000Z',
  ...over,
});

const page = (ids: string[], total: number, pageSize = 20, lastDue = '2026-12-04T13:00:00.000Z'): QueuePage =>
  ({
    items: ids.map((id) => ({ id, nextDueAt: lastDue, overdueSince: null })),
    page: 1,
    pageSize,
    total,
  }) as unknown as QueuePage;

test("a change to another case leaves that case's page, and reference data, alone", () => {
  expect(concernOf(['case', 'this-case'], undefined, change())).toBe('no');
  expect(concernOf(['case', '42'], undefined, change({ caseId: 'x', caseNumber: 42 }))).toBe('now');
  expect(concernOf(['case-events', 'other-case'], undefined, change())).toBe('now');
  for (const kind of ['me', 'policy', 'products', 'organisations', 'organisation'])
    expect(concernOf([kind, 'x'], undefined, change())).toBe('no');
  expect(concernOf(['cases', 'northwind'], undefined, change())).toBe('no');
  expect(concernOf(['cases', 'acme-premier'], undefined, change())).toBe('now');
});

test("the manager view's lists refetch for changes they show, their totals and the reports at most later", () => {
  const pages = page(['a', 'b'], 2);
  expect(queueConcern({ awaiting: 'page' }, pages, change())).toBe('no');
  expect(queueConcern({ awaiting: 'page' }, pages, change({ type: 'page_escalated' }))).toBe('now');
  expect(queueConcern({ awaiting: 'page' }, pages, change({ caseId: 'a' }))).toBe('now');
  expect(queueConcern({ runningClock: 'managerAck' }, pages, change())).toBe('no');
  expect(queueConcern({ runningClock: 'managerAck' }, pages, change({ type: 'manager_requested' }))).toBe('now');
  // Breached now: 20 shown of 300; an on-track change elsewhere may only have moved the total.
  const breached = page(['a'], 300);
  expect(queueConcern({ slaState: 'breached' }, breached, change())).toBe('later');
  expect(queueConcern({ slaState: 'breached' }, page(['a'], 1), change())).toBe('no');
  expect(queueConcern({ slaState: 'breached' }, breached, change({ slaState: 'breached' }))).toBe('now');
  expect(concernOf(['report', { from: 'x' }], undefined, change())).toBe('later');
});

test("the queue refetches now when the change may enter its page, not when it sorts after the page's last row", () => {
  const full = page(
    Array.from({ length: 50 }, (_, i) => `c${i}`),
    500,
    50,
    '2026-12-04T13:00:00.000Z',
  );
  expect(queueConcern({ scope: 'all' }, full, change({ nextDueAt: '2026-12-04T12:30:00.000Z' }))).toBe('now');
  expect(queueConcern({ scope: 'all' }, full, change())).toBe('no');
  expect(queueConcern({ scope: 'all' }, full, change({ slaState: 'breached' }))).toBe('now');
  expect(queueConcern({ scope: 'all' }, full, change({ type: 'opened' }))).toBe('later');
  expect(queueConcern({ scope: 'all' }, page(['c1'], 1, 50), change())).toBe('now');
  expect(queueConcern({ scope: 'all', page: 2 }, full, change())).toBe('now');
});
