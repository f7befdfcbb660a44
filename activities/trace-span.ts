/**
 * One span around an async step of delivery (OpenTelemetry; a no-op tracer unless the process traces,
 * runtime/tracing.ts). It is a child of whatever span is active: the recordCaseChange local activity's when
 * the outbox relay is kicked from there, none (a trace of its own) for the relay's sweep.
 */
import { SpanStatusCode, trace, type Attributes, type Span, type SpanKind } from '@opentelemetry/api';

const tracer = trace.getTracer('caseflow-delivery');

export function inSpan<T>(name: string, opts: { kind?: SpanKind; attributes?: Attributes }, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, opts, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
