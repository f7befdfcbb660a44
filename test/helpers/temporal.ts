/**
 * Real Temporal servers for tests, from the project's cached binaries (scripts/temporal-toolchain.ts).
 * One environment per test file; always `await env.teardown()` in afterAll.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTemporalCli, ensureTestServer } from '../../scripts/temporal-toolchain';

import { CaseProgram, CaseRegion, CaseSeverity, CaseStatus, NextDueAt, SlaState, SupportId } from '../../workflows/search-attributes';

/** Time-skipping test server: timers fire as soon as the workflow is blocked on them. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTestServer() } },
  });
}

/** The real dev server (in memory), with the project's custom search attributes registered. */
export function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ensureTemporalCli() },
      searchAttributes: [CaseSeverity, CaseProgram, CaseStatus, SlaState, NextDueAt, CaseRegion, SupportId],
    },
  });
}


