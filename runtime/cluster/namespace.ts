/**
 * What a fresh cluster lacks and the dev server sets up by itself: the `default` namespace and Caseflow's
 * custom search attributes. Both are idempotent (existing ones are left alone), so every start runs them.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTE_TYPES } from '../../workflows/search-attributes';

/** temporal.api.enums.v1.IndexedValueType (the proto package is a dev dependency only). */
const TYPE_OF = { Keyword: 2, Int: 3, Datetime: 6 } as const;

/** Retention of closed cases' histories (the read model keeps the audit trail for good). */
const RETENTION = '30 days';

export async function ensureNamespace(address: string, namespace: string): Promise<{ created: boolean; searchAttributesAdded: string[] }> {
  const connection = await Connection.connect({ address });
  try {
    let created = false;
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch (err) {
      if ((err as { code?: number }).code !== 5) throw err; // 5 = NOT_FOUND
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(RETENTION) });
      created = true;
      // A new namespace reaches the frontend's cache a few seconds later; until then calls on it say NOT_FOUND.
      // (the operator service's view, which the search attributes below go through, lags behind describeNamespace).
      await until(() => connection.operatorService.listSearchAttributes({ namespace }).then(() => true));
    }
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.entries(SEARCH_ATTRIBUTE_TYPES).filter(([name]) => !(name in (customAttributes ?? {})));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, TYPE_OF[type]])),
      });
    }
    // Workflows upserting an attribute the server does not know yet would fail their tasks: wait until it does.
    await until(async () => {
      const listed = await connection.operatorService.listSearchAttributes({ namespace });
      return missing.every(([name]) => name in (listed.customAttributes ?? {}));
    });
    return { created, searchAttributesAdded: missing.map(([name]) => name) };
  } finally {
    await connection.close();
  }
}

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Temporal namespace setup not visible after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
