/**
 * Errors as RFC 9457 problem details (application/problem+json). Validation problems name each field,
 * where it was (body, query, path) and why it was rejected.
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { RefusalCode, RefusalParams } from '../contract/refusals';
import { isDatabaseUnavailable } from '../db/errors';

export interface FieldError {
  field: string;
  in: 'body' | 'query' | 'path' | 'header';
  reason: string;
}

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    detail: string,
    readonly errors?: FieldError[],
    /** A case's refusal (contract/refusals.ts); other problems answer their slug as `code`. */
    readonly refusal?: { code: RefusalCode; params?: RefusalParams },
  ) {
    super(detail);
  }
}

export const invalid = (errors: FieldError[]): Problem =>
  new Problem(400, 'invalid-request', errors.map((e) => `${e.field}: ${e.reason}`).join('; '), errors);
export const unprocessable = (field: string, reason: string, where: FieldError['in'] = 'body'): Problem =>
  new Problem(422, 'unprocessable', `${field}: ${reason}`, [{ field, in: where, reason }]);
export const notFound = (what: string): Problem => new Problem(404, 'not-found', `${what} not found`);
export const forbidden = (detail: string): Problem => new Problem(403, 'forbidden', detail);
export const conflict = (detail: string, slug = 'conflict'): Problem => new Problem(409, slug, detail);
export const unauthorized = (detail: string): Problem => new Problem(401, 'unauthorized', detail);

/** zod issues -> field errors; unknown keys become one error per key. */
export function fieldErrors(error: z.ZodError, where: FieldError['in']): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: base ? `${base}.${key}` : key, in: where, reason: 'unknown field' });
    } else {
      out.push({ field: base || '(root)', in: where, reason: issue.message });
    }
  }
  return out;
}

export function sendProblem(res: Response, problem: Problem, instance: string): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: `https://caseflow.dev/problems/${problem.slug}`,
      title: TITLES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problem.message,
      instance,
      // What clients translate: the refusal's code, else the problem type's slug; `detail` stays English.
      code: problem.refusal?.code ?? problem.slug,
      ...(problem.refusal?.params ? { params: problem.refusal.params } : {}),
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}

/** Body-parser failures are client errors; a database outage is a 503; anything unexpected is logged and answered as a bare 500. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let problem: Problem;
    if (err instanceof Problem) problem = err;
    else if (err?.type === 'entity.too.large') problem = new Problem(413, 'body-too-large', `request body exceeds ${err.limit} bytes`);
    else if (err?.type === 'entity.parse.failed') problem = invalid([{ field: '(body)', in: 'body', reason: 'malformed JSON' }]);
    else if (err?.type === 'charset.unsupported' || err?.type === 'encoding.unsupported')
      problem = new Problem(415, 'unsupported-media-type', err.message);
    else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500)
      problem = new Problem(err.status, 'bad-request', String(err.message));
    else if (isDatabaseUnavailable(err)) {
      (req.log ?? logger).warn({ err }, 'database unavailable');
      problem = new Problem(
        503,
        'database-unavailable',
        'the database is unavailable; retry shortly (with the same Idempotency-Key for creates)',
      );
    } else {
      (req.log ?? logger).error({ err }, 'unhandled error');
      problem = new Problem(500, 'internal', 'an unexpected error occurred');
    }
    if (res.headersSent) return;
    sendProblem(res, problem, req.originalUrl);
  };
}
