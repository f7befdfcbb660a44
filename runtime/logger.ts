/** Structured JSON logs (pino) for every process, including the Temporal SDK's own worker and core logs. */
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import pino, { type Logger } from 'pino';

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'caseflow' }, timestamp: pino.stdTimeFunctions.isoTime });
}

const SDK_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** Routes the SDK's logs (worker state, workflow/activity logs, core) into our JSON log. Call once, first. */
export function installTemporalLogging(logger: Logger): void {
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry: LogEntry) => sdk[SDK_LEVELS[entry.level]]({ ...entry.meta }, entry.message)),
  });
}

export type { Logger };
