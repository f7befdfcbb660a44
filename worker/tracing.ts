/**
 * The worker's half of tracing: the Temporal SDK's OpenTelemetry interceptors. The workflow bundle always
 * carries the workflow interceptors (WORKFLOW_INTERCEPTOR_MODULES; one bundle, prebuilt or not, whatever the
 * configuration): they only add trace headers to the activities a workflow schedules, never a command, so
 * recorded histories replay unchanged (test/workflows/replay.test.ts runs this bundle). Their spans leave the
 * sandbox through the `exporter` sink, which every worker therefore injects: into the process's span
 * processor when tracing is on, nowhere when it is off.
 */
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type { OpenTelemetryWorkflowExporter } from '@temporalio/interceptors-opentelemetry';

export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];

/** What a worker needs of the process's tracing (runtime/tracing.ts). */
export interface WorkerTracing {
  spanProcessor: SpanProcessor;
  resource: Resource;
}

/** The sink the workflow interceptors export through; without tracing it drops their spans. */
export function workflowSpanSinks(tracing: WorkerTracing | null | undefined): InjectedSinks<{ exporter: OpenTelemetryWorkflowExporter }> {
  if (tracing) return { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
  return { exporter: { export: { fn: () => undefined } } };
}

/** Activities (local ones too) run in a span that continues the workflow's trace. */
export function activityTracingInterceptors(tracing: WorkerTracing | null | undefined): WorkerInterceptors {
  return tracing ? { activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) })] } : {};
}
