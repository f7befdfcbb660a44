/**
 * Records workflow histories for the replay test (test/workflows/replay.test.ts): runs a few representative
 * cases on the time-skipping server and writes each history to test/fixtures/histories/<name>.json.
 * Re-record only on purpose: a fixture is a promise that today's code replays yesterday's histories.
 * Any change that would make these fail needs `patched()` (docs/workflow.md, "Versioning").
 *
 *   npx tsx scripts/record-histories.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import {
  changeSeverityUpdate,
  customerAvailabilitySignal,
  customerReplyUpdate,
  engineerResponseUpdate,
  managerAckUpdate,
  requestInfoUpdate,
  resolveUpdate,
  confirmResolutionUpdate,
  talkToManagerUpdate,
} from '../workflows/contract';
import { caseInput, customer, engineer, localDate, manager, nextLocal, ORG } from '../test/fixtures/cases';
import { rid, startHarness, type Harness } from '../test/workflows/harness';

const OUT = join(__dirname, '..', 'test', 'fixtures', 'histories');
const HOUR = 3_600_000;

type Scenario = (h: Harness, name: string) => Promise<void>;

const scenarios: Record<string, Scenario> = {
  // Basic Sev 2 opened Friday evening: warnings and breach on Monday, a late response, resolved, confirmed.
  'basic-breach-resolved': async (h, name) => {
    const openedAt = nextLocal(await h.now(), ORG.zone, 5, '18:30');
    await h.sleepUntil(openedAt);
    const { handle, view } = await h.open(caseInput({ caseId: name, openedAt, entitlement: 'basic', level: 2 }));
    await h.sleepUntil(Date.parse(view.clocks.firstResponse!.dueAt!) + HOUR);
    await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer }] });
    await handle.executeUpdate(resolveUpdate, { args: [{ requestId: rid(), actor: engineer, resolutionType: 'workaround', summary: 'ok' }] });
    await handle.executeUpdate(confirmResolutionUpdate, { args: [{ requestId: rid(), actor: customer, accepted: true }] });
    await handle.result();
  },
  // Three contact attempts over a holiday and a weekend, then closed for no response.
  'contact-attempts-closed': async (h, name) => {
    const askedAt = nextLocal(await h.now(), ORG.zone, 4, '15:00');
    await h.sleepUntil(askedAt);
    const holiday = localDate(askedAt + 24 * HOUR, ORG.zone);
    const { handle } = await h.open(caseInput({ caseId: name, openedAt: askedAt, closedDates: [holiday] }));
    await handle.executeUpdate(requestInfoUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'logs please' }] });
    await handle.result();
  },
  // Severity 1 around the clock with the customer away for a while, a severity change and a manager escalation.
  'sev1-unavailable-escalated': async (h, name) => {
    const openedAt = nextLocal(await h.now(), 'UTC', 2, '07:00');
    await h.sleepUntil(openedAt);
    const { handle } = await h.open(caseInput({ caseId: name, openedAt, entitlement: 'production', level: 1 }));
    await h.env.sleep(30 * 60_000);
    await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer }] });
    await handle.executeUpdate(talkToManagerUpdate, { args: [{ requestId: rid(), actor: customer, reason: 'slow' }] });
    await h.env.sleep(HOUR);
    await handle.signal(customerAvailabilitySignal, { requestId: rid(), actor: customer, available: false });
    await h.env.sleep(6 * HOUR);
    await handle.signal(customerAvailabilitySignal, { requestId: rid(), actor: customer, available: true });
    await h.env.sleep(4 * HOUR);
    await handle.executeUpdate(managerAckUpdate, { args: [{ requestId: rid(), actor: manager }] });
    await handle.executeUpdate(changeSeverityUpdate, { args: [{ requestId: rid(), actor: engineer, level: 3, reason: 'restored' }] });
    await handle.executeUpdate(requestInfoUpdate, { args: [{ requestId: rid(), actor: engineer, message: 'confirm?' }] });
    await h.env.sleep(30 * HOUR);
    await handle.executeUpdate(customerReplyUpdate, { args: [{ requestId: rid(), actor: customer, message: 'fine' }] });
    await handle.executeUpdate(resolveUpdate, { args: [{ requestId: rid(), actor: engineer, resolutionType: 'upgrade', summary: 'v13' }] });
    await handle.result();
  },
  // Continue-as-new: a long Severity 1 case whose first run ends in continue-as-new.
  'continued-as-new': async (h, name) => {
    const openedAt = await h.now();
    const { handle } = await h.open(caseInput({ caseId: name, openedAt, entitlement: 'production', level: 1, settings: { maxHistoryLength: 150 } }));
    await h.env.sleep(3 * 24 * HOUR);
    await handle.executeUpdate(engineerResponseUpdate, { args: [{ requestId: rid(), actor: engineer }] });
    await h.env.sleep(3 * 24 * HOUR);
  },
};

async function main(): Promise<void> {
  const h = await startHarness('time-skipping');
  try {
    for (const [name, run] of Object.entries(scenarios)) {
      await run(h, name);
      // Record the first run of each case (for continued-as-new it ends in ContinueAsNew).
      const { raw, runId } = await h.env.client.workflow.getHandle(`case-${name}`).describe();
      const firstRunId = raw.workflowExecutionInfo?.firstRunId || runId;
      const history = await h.env.client.workflow.getHandle(`case-${name}`, firstRunId).fetchHistory();
      writeFileSync(join(OUT, `${name}.json`), historyToJSON(history) + '\n');
      console.log(`${name}: ${history.events?.length ?? 0} events`);
    }
  } finally {
    await h.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
