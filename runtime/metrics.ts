/**
 * Prometheus metrics for the API process (prom-client): Node process metrics and request latency by route
 * template, so cardinality stays bounded. Workers export the SDK's own metrics (runtime/temporal-runtime.ts).
 */
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  handler: (req: Request, res: Response) => Promise<void>;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'caseflow-api' });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'caseflow_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    registry,
    middleware: (req, res, next) => {
      const end = duration.startTimer();
      res.once('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        end({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    },
    handler: async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    },
  };
}

/**
 * caseflow_attachment_storage_bytes{org} and caseflow_attachment_files{org}: what each organisation's
 * attachments take in the blob store (stored and linked files), read from the database at each scrape,
 * so a disk filling up is seen per customer (issue 18).
 */
export function registerAttachmentStorageMetric(
  registry: Registry,
  usage: () => Promise<{ orgId: string; bytes: number; files: number }[]>,
): void {
  for (const [name, help, pick] of [
    ['caseflow_attachment_storage_bytes', 'Bytes of attachments stored per organisation', (r: { bytes: number }) => r.bytes],
    ['caseflow_attachment_files', 'Attachments stored per organisation', (r: { files: number }) => r.files],
  ] as const) {
    new Gauge({
      name,
      help,
      labelNames: ['org'] as const,
      registers: [registry],
      async collect() {
        const rows = await usage().catch(() => []);
        this.reset();
        for (const r of rows) this.set({ org: r.orgId }, pick(r));
      },
    });
  }
}
