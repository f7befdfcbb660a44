/**
 * Sixty days of workflow time: a Severity 1 case worked around the clock, handed off three times a day,
 * continues as new whenever its history passes the configured length, carrying every bit of state.
 */
import { engineerResponseUpdate, getCaseQuery } from '../../contract/case';
import { caseInput, engineer } from '../fixtures/cases';
import { rid, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('time-skipping');
});
afterAll(async () => {
  await h?.teardown();
});

const DAY = 24 * 3_600_000;

test('a case running for 60 days continues as new without losing a hand-off, a clock or a request id', async () => {
  const openedAt = await h.now();
  const { handle } = await h.open(
    caseInput({
      caseId: 'long-60d',
      openedAt,
      entitlement: 'production',
      level: 1,
      // Pages outlive a shift unescalated (each hand-off supersedes the last): 60 days of unacknowledged
      // escalations would push the early history out of the carried 500 entries (pages.test.ts tests them).
      settings: { maxHistoryLength: 300, sev1UpdateCadenceMinutes: 24 * 60, pageAckMinutes: 9 * 60 },
    }),
  );
  const firstRun = (await handle.describe()).runId;
  const firstRequest = rid();
  await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: firstRequest, actor: engineer, message: 'Day 0' }] });

  for (let day = 5; day <= 60; day += 5) {
    await h.sleepUntil(openedAt + day * DAY);
    await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer, message: `Day ${day}` }] });
  }

  const description = await handle.describe();
  expect(description.runId).not.toBe(firstRun);
  expect(description.status.name).toBe('RUNNING');

  // A request id from the first run still has exactly one effect.
  const replayed = await handle.executeUpdate(engineerResponseUpdate, {
    args: [{ requestId: firstRequest, actor: engineer, message: 'Day 0' }],
  });
  const view = await handle.query(getCaseQuery);
  expect(replayed.version).toBe(view.version);
  expect(view.history.filter((e) => e.type === 'engineer_response')).toHaveLength(13);
  expect(view.history[0]!.type).toBe('opened');
  expect(view.clocks.firstResponse!.state).toBe('met');
  expect(view.clocks.sev1Update!.state).toBe('running');
  // The page state travels through continue-as-new too: the latest hand-off's page, still open.
  expect(view.page).toMatchObject({ kind: 'handoff', region: view.ownerRegion, escalationLevel: 0, acknowledgedAt: null });

  // Every 8-hour follow-the-sun boundary in 60 days produced exactly one hand-off, across all runs.
  const rm = await h.readModel('long-60d');
  const handoffs = rm.events.filter((e) => e.type === 'handoff');
  const elapsed = (await h.now()) - openedAt;
  expect(Math.abs(handoffs.length - elapsed / (8 * 3_600_000))).toBeLessThanOrEqual(1);
  expect(new Set(handoffs.map((e) => e.eventKey)).size).toBe(handoffs.length);
  expect(rm.events.filter((e) => e.type === 'engineer_response')).toHaveLength(13);
  expect(rm.row!.snapshotVersion).toBe(view.version);
});
