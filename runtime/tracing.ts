/**
 * OpenTelemetry traces for one process (issue 23): the Node SDK's tracer provider, registered globally with
 * its AsyncLocalStorage context manager (so a span started in an HTTP request is the parent of the Temporal
 * client call made while answering it), exporting over OTLP (HTTP/protobuf) in batches. Off unless the
 * configuration names an endpoint (runtime/config.ts, tracingFromEnv); off, nothing is registered and every
 * tracer in the process is the API's no-op one.
 */
import { diag, DiagLogLevel, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';
import type { WorkerTracing } from '../worker/tracing';
import type { TracingSettings } from './config';
import { version } from '../package.json';

export interface Tracing extends WorkerTracing {
  endpoint: string;
  /** Sends what is buffered (tests read the collector right after). */
  flush(): Promise<void>;
  /** Flushes and unregisters; the process's tracers are no-ops afterwards. */
  shutdown(): Promise<void>;
}

let active: Tracing | null = null;

/** Starts tracing for this process (once: a second call returns the running one). */
export function startTracing(settings: TracingSettings, logger: Logger): Tracing {
  if (active) return active;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: settings.serviceName, [ATTR_SERVICE_VERSION]: version });
  // A collector that is down must not fill the log: the exporter's failures go to one warn line each.
  diag.setLogger(
    {
      error: (m) => logger.warn({ component: 'tracing' }, m),
      warn: (m) => logger.warn({ component: 'tracing' }, m),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.endpoint }), { scheduledDelayMillis: 1000 });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  logger.info({ endpoint: settings.endpoint, service: settings.serviceName }, 'traces exported over OTLP');
  const tracing: Tracing = {
    endpoint: settings.endpoint,
    resource,
    spanProcessor,
    flush: () => provider.forceFlush(),
    async shutdown() {
      if (active !== tracing) return;
      active = null;
      await provider.shutdown();
      trace.disable();
    },
  };
  active = tracing;
  return tracing;
}

/** The running tracing of this process, if any (the worker supervisor hands it to each worker it builds). */
export function activeTracing(): Tracing | null {
  return active;
}

/**
 * The Temporal client's interceptors while the process traces: every start, update(-with-start), signal and
 * query is a client span whose context travels in the call's headers, so the workflow's spans join the
 * trace of the HTTP request that made the call.
 */
export function temporalClientInterceptors(): ClientInterceptors | undefined {
  return active ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}
