/**
 * The Temporal SDK runtime of a process: its logs go into our JSON log, and, when
 * WORKER_METRICS_ADDRESS is set (e.g. 0.0.0.0:9464), its worker metrics (task latencies, schedule-to-start,
 * sticky cache, activity failures) are served for Prometheus at /metrics. Install once, before any worker.
 */
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from 'pino';

const SDK_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

export function installTemporalRuntime(logger: Logger, opts: { metricsBindAddress?: string } = {}): void {
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry: LogEntry) => sdk[SDK_LEVELS[entry.level]]({ ...entry.meta }, entry.message)),
    telemetryOptions: opts.metricsBindAddress ? { metrics: { prometheus: { bindAddress: opts.metricsBindAddress } } } : undefined,
  });
}
