/**
 * Real Temporal servers for tests, from the project's cached binaries (runtime/temporal-toolchain.ts).
 * One environment per test file; always `await env.teardown()` in afterAll.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTemporalCli, ensureTestServer } from '../../runtime/temporal-toolchain';

import { temporal } from '@temporalio/proto';
import {
  CaseProgram,
  CaseRegion,
  CaseSeverity,
  CaseStatus,
  NextDueAt,
  SEARCH_ATTRIBUTE_TYPES,
  SlaState,
  SupportId,
} from '../../workflows/search-attributes';

/**
 * Time-skipping test server: timers fire as soon as the workflow is blocked on them. It rejects unknown
 * search attributes like a real server, so the case workflow's are registered first.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTestServer() } },
  });
  const { IndexedValueType } = temporal.api.enums.v1;
  const types = {
    Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
    Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  };
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_TYPES).map(([name, type]) => [name, types[type]])),
  });
  return env;
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
