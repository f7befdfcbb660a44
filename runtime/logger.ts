/** Structured JSON logs (pino) for every process. */
import pino, { type Logger } from 'pino';

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'caseflow' }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
