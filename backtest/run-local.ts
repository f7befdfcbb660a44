/**
 * A back-test in this process, page by page over the read model (the CLI, and a check on the workflow): the
 * same engine and report as the back-test workflow, without durability.
 */
import type { Db } from '../db/client';
import type { PolicyDocument } from '../policy';
import { backtestCase, type Candidate } from './engine/backtest';
import type { BacktestPool } from './parallel';
import { addPair, emptyAccumulator, finishReport, type Report } from './engine/report';
import { rangeAsOf, readCasePage, type CaseRange, type Cursor } from './read-model';

export async function runLocal(
  db: Db,
  opts: {
    candidate: Candidate;
    range: CaseRange;
    asOf: number;
    documents: Map<string, PolicyDocument>;
    pageSize?: number;
    /** Worker threads for the replays (backtest/parallel.ts, made for this candidate and documents); the report is the same. */
    pool?: BacktestPool;
  },
): Promise<Report & { withoutInput: number }> {
  const acc = emptyAccumulator();
  let cursor: Cursor | null = null;
  let withoutInput = 0;
  for (;;) {
    const page = await readCasePage(db, rangeAsOf(opts.range, new Date(opts.asOf).toISOString()), cursor, opts.pageSize ?? 1000);
    withoutInput += page.withoutInput;
    if (opts.pool) {
      for (const pair of await opts.pool.run(page.cases, { until: opts.asOf, roles: page.roles })) addPair(acc, pair);
      if (!page.next) break;
      cursor = page.next;
      continue;
    }
    for (const c of page.cases)
      addPair(
        acc,
        backtestCase(
          c,
          opts.candidate,
          opts.asOf,
          (k) => opts.documents.get(k),
          (id) => page.roles[id],
        ),
      );
    if (!page.next) break;
    cursor = page.next;
  }
  return { ...finishReport(acc), withoutInput };
}
