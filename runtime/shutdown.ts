/** Ordered graceful shutdown on SIGINT/SIGTERM: steps run in reverse order of registration. */
import type { Logger } from 'pino';

export function onShutdown(logger: Logger): (name: string, step: () => Promise<void>) => void {
  const steps: Array<{ name: string; step: () => Promise<void> }> = [];
  let shuttingDown = false;
  const run = async (signal: string) => {
    if (shuttingDown) return logger.info({ signal }, 'already shutting down');
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
  // `on`, not `once`: Ctrl-C reaches npm, tsx and this process together and tsx relays it again, so a second
  // signal must not cut the shutdown short (it would orphan the dev server).
  process.on('SIGINT', () => void run('SIGINT'));
  process.on('SIGTERM', () => void run('SIGTERM'));
  return (name, step) => steps.push({ name, step });
}
