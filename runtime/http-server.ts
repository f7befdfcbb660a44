/** Runs the Express app on the configured port and closes it gracefully (in-flight requests finish). */
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createApp } from '../api/app';
import type { Database } from '../db/client';
import type { Config } from './config';

export async function startHttpServer(
  config: Config,
  deps: { database: Database; temporal: Client; logger: Logger },
): Promise<{ server: Server; close: () => Promise<void> }> {
  const app = createApp({ ...deps, namespace: config.temporal.namespace, taskQueue: config.taskQueue });
  const server = await new Promise<Server>((resolveListen, reject) => {
    const s = app.listen(config.port, config.host, () => resolveListen(s));
    s.once('error', reject);
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeIdleConnections();
      }),
  };
}
