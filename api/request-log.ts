/**
 * A request id (echoed as X-Request-Id), one structured log line per request, and the request's server span
 * (OpenTelemetry; a no-op unless the process traces, runtime/tracing.ts). The span continues a caller's W3C
 * `traceparent` and is the active context while the request is answered, so the Temporal client calls made
 * for it (an update-with-start of a case open) are its children. A span made here rather than by patching
 * Node's http module: it works the same under every runner (tsx, jest) and is named by the Express route.
 */
import { randomUUID } from 'node:crypto';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,128}$/;
const tracer = trace.getTracer('caseflow-api');

/** The route template that answered ('/v1/cases/:id'), not the path: span names stay few. */
function routeOf(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : undefined;
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': req.path, 'caseflow.request_id': req.id },
      },
      propagation.extract(context.active(), req.headers),
    );
    const traceId = span.isRecording() ? span.spanContext().traceId : undefined;
    req.log = logger.child({ reqId: req.id, ...(traceId ? { traceId } : {}) });
    res.set('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, path: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) req.log.error(line, 'request failed');
      else req.log.info(line, 'request');
      const route = routeOf(req);
      if (route) span.updateName(`${req.method} ${route}`).setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    });
    // 'close' follows 'finish', and also comes alone for a request the client aborted: the span ends once.
    res.on('close', () => span.end());
    context.with(trace.setSpan(context.active(), span), next);
  };
}
