/** Ordered graceful shutdown on SIGINT/SIGTERM: steps run in reverse order of registration. */
import type { Logger } from 'pino';

export function onShutdown(logger: Logger): (name: string, step: () => Promise<void>) => void {
  const steps: Array<{ name: string; step: () => Promise<void> }> = [];
  let shuttingDown = false;
  const run = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    for (const { name, step } of steps.reverse()) {
      try {
        await step();
      } catch (err) {
        logger.error({ err: (err as Error).message, step: name }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void run('SIGINT'));
  process.once('SIGTERM', () => void run('SIGTERM'));
  return (name, step) => steps.push({ name, step });
}
