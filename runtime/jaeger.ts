/**
 * A real trace viewer for development and the trace test: Jaeger (github.com/jaegertracing/jaeger, Apache-2.0),
 * its all-in-one `jaeger` binary (Jaeger v2: an OpenTelemetry Collector distribution with Jaeger's storage
 * and query extensions). It takes OTLP over HTTP and keeps traces in memory (gone at its exit: a viewer,
 * not a trace store); its query API (GET /api/traces?service=..., /api/services) answers on one port.
 *
 * Built from the Go module proxy once (runtime/go-build.ts; its go.mod replaces Shopify/sarama, so `go
 * install` refuses it and the throwaway module repeats the replace) and cached in `.tools/bin/`. Cold build
 * time: JAEGER_BUILD_NOTE.
 * Resolution: JAEGER_PATH -> cached pinned binary -> build.
 *
 * The module proxy's source has no UI assets: Jaeger's release builds embed jaeger-ui, built from its own
 * repository, which no registry reachable here serves. A build from the module serves the query API and a
 * placeholder page where the UI would be; any Jaeger UI (or Grafana's Jaeger data source) pointed at the
 * query API shows the traces.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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

export interface JaegerPorts {
  /** Query API (and the UI's place; Jaeger's default 16686). */
  uiPort: number;
  /** OTLP over HTTP (the OpenTelemetry default 4318). */
  otlpPort: number;
  /** The query service's gRPC API (default 16685; nothing here uses it, but it always listens). */
  queryGrpcPort?: number;
}

/**
 * The collector configuration: OTLP/HTTP in, memory storage, query API; every listener on 127.0.0.1, and no
 * self-telemetry listener (the collector's own metrics port, 8888 by default, would collide between runs).
 */
export function jaegerConfig(ports: JaegerPorts): string {
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
  /** The query API's base URL (GET /api/traces?service=..., /api/traces/<id>). */
  queryUrl: string;
  /** Where a process sends its spans (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). */
  otlpTracesEndpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts Jaeger with its config in `dir` and waits until its query API answers (up to 30 s). */
export async function startJaeger(binary: string, dir: string, ports: JaegerPorts): Promise<Jaeger> {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'jaeger.yaml');
  writeFileSync(configFile, jaegerConfig(ports));
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
  const queryUrl = `http://127.0.0.1:${ports.uiPort}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`jaeger exited with ${child.exitCode}: ${log.trim()}`);
    const res = await fetch(`${queryUrl}/api/services`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jaeger did not answer within 30 s: ${log.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { queryUrl, otlpTracesEndpoint: `http://127.0.0.1:${ports.otlpPort}/v1/traces`, pid: child.pid!, stop };
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
