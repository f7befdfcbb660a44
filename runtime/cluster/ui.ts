/**
 * The Temporal Web UI of the cluster: Temporal's standalone UI server (github.com/temporalio/ui-server,
 * the program the dev server's CLI embeds; its web assets are embedded in the Go module), built from the
 * Go module proxy once and cached in `.tools/`, pointed at the cluster's frontend. Without Go or when the
 * build fails the cluster runs without a UI and says so: the UI is a window, not a part of the product.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { ensureGoBinary } from '../go-build';
import { startService, waitReady } from './service';

/** The newest release that builds with Go 1.26.8 (later ones require a newer Go than these machines have). */
export const TEMPORAL_UI_SERVER_VERSION = 'v2.55.0';

const BINARY = resolve(__dirname, '..', '..', '.tools', 'bin', `temporal-ui-server-${TEMPORAL_UI_SERVER_VERSION}`);

export async function ensureTemporalUiServer(onBuild?: (message: string) => void): Promise<string> {
  await ensureGoBinary(BINARY, { get: `github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_SERVER_VERSION}` }, () =>
    onBuild?.(`building the Temporal UI server ${TEMPORAL_UI_SERVER_VERSION} from the Go module proxy (first run only, a few minutes)`),
  );
  return BINARY;
}

export interface TemporalUiOptions {
  temporalAddress: string;
  port: number;
  /** Folder for the UI server's config (written on every start). */
  root: string;
  logFile: string;
  logger: Logger;
}

export async function startTemporalUi(opts: TemporalUiOptions): Promise<{ url: string; stop: () => Promise<void> } | null> {
  let binary: string;
  try {
    binary = await ensureTemporalUiServer((m) => opts.logger.info(m));
  } catch (err) {
    opts.logger.warn({ err: (err as Error).message }, 'Temporal UI server unavailable; the cluster runs without a Web UI');
    return null;
  }
  mkdirSync(join(opts.root, 'config'), { recursive: true });
  writeFileSync(join(opts.root, 'config', 'base.yaml'), '');
  writeFileSync(
    join(opts.root, 'config', 'cluster.yaml'),
    [
      `temporalGrpcAddress: ${opts.temporalAddress}`,
      'host: 127.0.0.1',
      `port: ${opts.port}`,
      'enableUi: true',
      'defaultNamespace: default',
      'distribution: server',
      'disableNewsFetch: true',
      'refreshInterval: 1m',
      '',
    ].join('\n'),
  );
  const ui = startService({
    name: 'temporal-ui',
    command: binary,
    args: ['--root', opts.root, '--config', 'config', '--env', 'cluster', 'start'],
    logFile: opts.logFile,
  });
  const url = `http://127.0.0.1:${opts.port}`;
  await waitReady(ui, 'temporal ui', async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok, 30_000);
  return { url, stop: () => ui.stop() };
}
