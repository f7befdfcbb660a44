/**
 * A real trace viewer for development and the trace test: Jaeger (github.com/jaegertracing/jaeger, Apache-2.0),
 * its all-in-one `jaeger` binary (Jaeger v2: an OpenTelemetry Collector distribution with Jaeger's storage
 * and query extensions). It takes OTLP over HTTP and keeps traces in memory (gone at its exit: a viewer,
 * not a trace store); its UI and query API (GET /api/traces?service=...) share one port.
 *
 * Built from the Go module proxy once (runtime/go-build.ts; its go.mod replaces Shopify/sarama, so `go
 * install` refuses it and the throwaway module repeats the replace) and cached in `.tools/bin/`. Cold build
 * time: JAEGER_BUILD_NOTE.
 * Resolution: JAEGER_PATH -> cached pinned binary -> build.
 *
 * The module proxy's source has no UI (Jaeger's release builds embed jaeger-ui, built with npm from its own
 * repository; a build from the module serves a placeholder page). The UI of the same release, built from
 * jaeger-ui v1.75.0 (vendor/jaeger-ui/README.md says how), is kept in vendor/ and unpacked beside the binary;
 * the query extension serves it (ui.assets_path).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureGoBinary } from './go-build';
import type { TracingSettings } from './config';

export const JAEGER_VERSION = 'v1.75.0';
const JAEGER_CMD = 'github.com/jaegertracing/jaeger/cmd/jaeger';
/** The replace directive of Jaeger's own go.mod at JAEGER_VERSION. */
const JAEGER_REPLACES = ['github.com/Shopify/sarama=github.com/Shopify/sarama@v1.33.0'];
/** Measured: 638 s cold on 2 cores (37 s go get, ~600 s compile; the Go module cache held other builds' modules, the machine busy with other work); 28 s with a warm Go build cache. */
export const JAEGER_BUILD_NOTE = 'first run only: about 11 minutes cold on 2 cores, well under a minute with a warm Go build cache';

export const cachedJaegerPath = (): string => resolve(__dirname, '..', '.tools', 'bin', `jaeger-${JAEGER_VERSION}`);

/** The Jaeger binary, built when needed; `built` says whether this call built it. */
export async function ensureJaeger(onBuild?: (message: string) => void): Promise<{ path: string; built: boolean }> {
  const override = process.env.JAEGER_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`JAEGER_PATH=${override} does not exist`);
    return { path: override, built: false };
  }
  const path = cachedJaegerPath();
  const built = await ensureGoBinary(path, { get: `${JAEGER_CMD}@${JAEGER_VERSION}`, replace: JAEGER_REPLACES }, () =>
    onBuild?.(`building Jaeger ${JAEGER_VERSION} from the Go module proxy (${JAEGER_BUILD_NOTE})`),
  );
  return { path, built };
}

const UI_ARCHIVE = resolve(__dirname, '..', 'vendor', 'jaeger-ui', `jaeger-ui-${JAEGER_VERSION}.tar.gz`);
/** SHA-256 of the vendored archive: a changed file is refused, not served. */
const UI_ARCHIVE_SHA256 = 'be2d1e95013426ecdb8a9e59503bf19d3635ec6f2ba696a710724b9ec654e9fa';

/** The UI's static files, unpacked once into .tools/ from the vendored archive (checked against its SHA-256). */
export function ensureJaegerUi(): string {
  const dir = resolve(__dirname, '..', '.tools', `jaeger-ui-${JAEGER_VERSION}`);
  if (existsSync(join(dir, 'index.html'))) return dir;
  const sha = createHash('sha256').update(readFileSync(UI_ARCHIVE)).digest('hex');
  if (sha !== UI_ARCHIVE_SHA256) throw new Error(`${UI_ARCHIVE} has SHA-256 ${sha}, expected ${UI_ARCHIVE_SHA256}`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync('tar', ['-xzf', UI_ARCHIVE, '-C', partial]);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir); // index.html appears only once everything is unpacked
  return dir;
}

export interface JaegerPorts {
  /** UI and query API (Jaeger's default 16686). */
  uiPort: number;
  /** OTLP over HTTP (the OpenTelemetry default 4318). */
  otlpPort: number;
  /** The query service's gRPC API (default 16685; nothing here uses it, but it always listens). */
  queryGrpcPort?: number;
}

/**
 * The collector configuration: OTLP/HTTP in, memory storage, query UI; every listener on 127.0.0.1, and no
 * self-telemetry listener (the collector's own metrics port, 8888 by default, would collide between runs).
 */
export function jaegerConfig(ports: JaegerPorts, uiAssets: string): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    ui:
      assets_path: ${JSON.stringify(uiAssets)}
    http:
      endpoint: 127.0.0.1:${ports.uiPort}
    grpc:
      endpoint: 127.0.0.1:${ports.queryGrpcPort ?? 16685}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlpPort}
processors:
  batch:
    timeout: 500ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

export interface Jaeger {
  uiUrl: string;
  /** Where a process sends its spans (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). */
  otlpTracesEndpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts Jaeger with its config in `dir` and waits until its query API answers (up to 30 s). */
export async function startJaeger(binary: string, dir: string, ports: JaegerPorts): Promise<Jaeger> {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'jaeger.yaml');
  writeFileSync(configFile, jaegerConfig(ports, ensureJaegerUi()));
  const child = spawn(binary, ['--config', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-8000)));
  const stop = () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once('exit', () => res());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  const uiUrl = `http://127.0.0.1:${ports.uiPort}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`jaeger exited with ${child.exitCode}: ${log.trim()}`);
    const res = await fetch(`${uiUrl}/api/services`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jaeger did not answer within 30 s: ${log.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { uiUrl, otlpTracesEndpoint: `http://127.0.0.1:${ports.otlpPort}/v1/traces`, pid: child.pid!, stop };
}

/**
 * npm start's CASEFLOW_TRACES=jaeger (or --traces): Jaeger on the configured loopback ports, and the
 * process's traces pointed at it (whatever OTEL_EXPORTER_OTLP_* said: asking for the local viewer wins).
 */
export async function startLocalJaeger(
  config: { dataDir: string; localJaeger: JaegerPorts | null; tracing: TracingSettings | null },
  onBuild: (message: string) => void,
): Promise<Jaeger | null> {
  if (!config.localJaeger) return null;
  const { path } = await ensureJaeger(onBuild);
  const jaeger = await startJaeger(path, join(config.dataDir, 'jaeger'), config.localJaeger);
  config.tracing = { endpoint: jaeger.otlpTracesEndpoint, serviceName: config.tracing?.serviceName ?? 'caseflow' };
  return jaeger;
}
