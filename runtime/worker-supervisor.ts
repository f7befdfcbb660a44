/**
 * Keeps a case worker running for the life of the process. If Temporal goes away long enough for the
 * worker to fail, it is rebuilt with backoff once Temporal answers again: timers and workflow state live in
 * Temporal, so nothing is lost while no worker runs, only delayed.
 */
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Database } from '../db/client';
import { caseMailer } from './mail';
import { cachedCasesFor, createCaseWorker } from '../worker/create-worker';
import type { Config } from './config';
import { connectWorker } from './temporal';
import { activeTracing } from './tracing';

export interface SupervisedWorker {
  stop(): Promise<void>;
}

export function superviseWorker(config: Config, database: Database, logger: Logger): SupervisedWorker {
  const opts = { namespace: config.temporal.namespace, taskQueue: config.taskQueue };
  const log = logger.child({ component: 'worker' });
  let stopping = false;
  let current: { worker: Worker; connection: NativeConnection } | undefined;
  let wake: (() => void) | undefined;
  // One SMTP pool for the life of the process (rebuilt workers reuse it); no SMTP_URL = no mail.
  const mailer = caseMailer(config.mail);
  if (mailer)
    log.info(
      { smtp: mailer.transport.describe, from: mailer.transport.from, concurrency: mailer.transport.concurrency },
      'case mail goes out over SMTP',
    );

  const loop = (async () => {
    let backoffMs = 1000;
    while (!stopping) {
      let connection: NativeConnection | undefined;
      try {
        connection = await connectWorker(config);
        const worker = await createCaseWorker({
          connection,
          namespace: opts.namespace,
          taskQueue: opts.taskQueue,
          database,
          mailer,
          webhooks: config.webhooks,
          cacheBudgetMb: config.workerCacheMb,
          tracing: activeTracing(),
        });
        current = { worker, connection };
        log.info(
          {
            taskQueue: opts.taskQueue,
            namespace: opts.namespace,
            cacheBudgetMb: config.workerCacheMb,
            maxCachedWorkflows: cachedCasesFor(config.workerCacheMb),
          },
          'worker running',
        );
        backoffMs = 1000;
        await worker.run();
        if (!stopping) log.error('worker stopped unexpectedly; restarting');
      } catch (err) {
        if (!stopping) log.error({ err: (err as Error).message, retryInMs: backoffMs }, 'worker failed; restarting');
      } finally {
        current = undefined;
        await connection?.close().catch(() => undefined);
      }
      if (stopping) break;
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, backoffMs);
      });
      backoffMs = Math.min(backoffMs * 2, 30_000);
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      if (current && current.worker.getState() === 'RUNNING') current.worker.shutdown();
      await loop;
      mailer?.transport.transporter.close();
    },
  };
}
