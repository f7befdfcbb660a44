/** Liveness and readiness: ready only when both Temporal and the database answer within a short deadline. */
import type { Client } from '@temporalio/client';
import type { Request, Response } from 'express';
import type { Database } from '../db/client';

const DEADLINE_MS = 2000;
// The gRPC deadline ends Temporal's own retries; the race is a backstop slightly later.
const BACKSTOP_MS = DEADLINE_MS + 500;

interface Check {
  ok: boolean;
  ms: number;
  error?: string;
}

async function check(probe: () => Promise<unknown>): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${BACKSTOP_MS} ms`)), BACKSTOP_MS);
      }),
    ]);
    return { ok: true, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, ms: Date.now() - started, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Temporal is ready when our namespace answers (a server without it cannot run a single case). */
export function readinessHandler(database: Database, temporal: Client, namespace: string) {
  return async (_req: Request, res: Response): Promise<void> => {
    const [temporalCheck, databaseCheck] = await Promise.all([
      check(() => temporal.withDeadline(Date.now() + DEADLINE_MS, () => temporal.workflowService.describeNamespace({ namespace }))),
      check(() => database.ping()),
    ]);
    const ready = temporalCheck.ok && databaseCheck.ok;
    res.set('Cache-Control', 'no-store');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      checks: { temporal: temporalCheck, database: databaseCheck },
    });
  };
}

export function livenessHandler(_req: Request, res: Response): void {
  res.set('Cache-Control', 'no-store');
  res.json({ status: 'ok' });
}
