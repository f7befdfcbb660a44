/**
 * The local Temporal dev server for `npm start`: the pinned CLI, a persistent SQLite file in the data
 * folder (cases and timers survive restarts), the Web UI, and our custom search attributes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { ensureTemporalCli } from './temporal-toolchain';
import { SEARCH_ATTRIBUTE_TYPES } from '../workflows/search-attributes';

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  logger: Logger;
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const cli = ensureTemporalCli();
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    join(opts.dataDir, 'temporal.sqlite'),
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--namespace',
    opts.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
    ...Object.entries(SEARCH_ATTRIBUTE_TYPES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Never leave a server behind if this process dies without a clean shutdown.
  process.once('exit', () => child.kill('SIGKILL'));
  const log = opts.logger.child({ component: 'temporal-dev-server' });
  child.stdout?.on('data', (chunk: Buffer) => log.debug(chunk.toString().trim()));
  let stopping = false; // the server's own shutdown chatter is expected noise
  child.stderr?.on('data', (chunk: Buffer) => (stopping ? log.debug : log.warn).call(log, chunk.toString().trim()));
  const address = `127.0.0.1:${opts.port}`;
  await waitUntilServing(child, address);
  return {
    address,
    uiUrl: `http://localhost:${opts.uiPort}`,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

async function waitUntilServing(child: ChildProcess, address: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  for (;;) {
    if (exited !== null) throw new Error(`temporal dev server exited with code ${exited} (is port ${address} in use?)`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`temporal dev server not serving on ${address} after ${timeoutMs} ms: ${(err as Error).message}`, {
          cause: err,
        });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
