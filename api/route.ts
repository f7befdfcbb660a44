/**
 * One declaration per endpoint: the zod schemas it validates with, the roles it admits and its responses.
 * The same declaration registers the OpenAPI path, so the document cannot drift from the handlers.
 */
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Request, Response, Router } from 'express';
import type { Role } from '../contract/case';
import type { Principal } from './principal';
import { fieldErrors, forbidden, invalid, Problem } from './problem';
import { ProblemSchema } from './schemas/common';
import { z } from './zod';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type Shape = z.ZodType | undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<B extends Shape, Q extends Shape, P extends Shape> {
  method: Method;
  /** Express path, e.g. /cases/:id (mounted under /v1). */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Roles admitted; others get 403. */
  roles: readonly Role[];
  body?: B;
  query?: Q;
  params?: P;
  /** A non-JSON request body taken as raw bytes (`req.body` is a Buffer); other content types get 415. */
  rawBody?: { contentType: string; description: string };
  /** Documented request headers (e.g. Idempotency-Key). */
  headers?: z.ZodObject;
  /** `headers`: what the success answer sends besides the headers every answer sends (responseHeaders). */
  response: { status: number; description: string; schema?: z.ZodType; headers?: HeadersObject };
  /** Problem statuses this endpoint documents besides 400/401/403/429. */
  problems?: number[];
}

/** OpenAPI response headers, by name. */
export type HeadersObject = Record<string, { description: string; schema: Record<string, unknown>; required?: boolean }>;

const RATE_LIMIT_HEADERS: HeadersObject = {
  RateLimit: {
    description:
      'The token\'s request budget in this window (IETF draft-ietf-httpapi-ratelimit-headers-08), e.g. `"600-in-1min"; r=599; t=60`',
    schema: { type: 'string' },
  },
  'RateLimit-Policy': { description: 'The request quota and its window, e.g. `"600-in-1min"; q=600; w=60`', schema: { type: 'string' } },
};

/**
 * The headers an answer of `status` sends on every /v1 operation: X-Request-Id always; the rate-limit
 * headers once the token is authenticated (not on a 401); WWW-Authenticate on a 401; Retry-After on a 429.
 * `extra`: the operation's own (Location, Idempotent-Replayed).
 */
export function responseHeaders(status: number, extra: HeadersObject = {}): HeadersObject {
  const headers: HeadersObject = {
    'X-Request-Id': {
      description: "The request's id (the client's own X-Request-Id when it sent a valid one), as in the server's log line",
      schema: { type: 'string' },
      required: true,
    },
  };
  if (status === 401) {
    headers['WWW-Authenticate'] = {
      description: 'The Bearer challenge (RFC 6750): `Bearer realm="caseflow"`, with `error="invalid_token"` for a token that was refused',
      schema: { type: 'string' },
      required: true,
    };
  } else Object.assign(headers, RATE_LIMIT_HEADERS);
  if (status === 429) {
    headers['Retry-After'] = {
      description: 'Seconds until the limit or the block ends',
      schema: { type: 'integer', minimum: 1 },
      required: true,
    };
  }
  return { ...headers, ...extra };
}

export interface Ctx<B extends Shape, Q extends Shape, P extends Shape> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  principal: Principal;
  req: Request;
  res: Response;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Api {
  router: Router;
  registry: OpenAPIRegistry;
  prefix: string;
  /** Declared methods per Express path, for 405 answers (filled by defineRoute). */
  methods?: Map<string, Set<Method>>;
}

function parse<S extends Shape>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): Out<S> {
  if (!schema) return undefined as Out<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(fieldErrors(result.error, where));
  return result.data as Out<S>;
}

const hasBody = (req: Request): boolean => Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;

export function defineRoute<B extends Shape = undefined, Q extends Shape = undefined, P extends Shape = undefined>(
  api: Api,
  spec: RouteSpec<B, Q, P>,
  handler: (ctx: Ctx<B, Q, P>) => Promise<Reply>,
): void {
  api.registry.registerPath(openApiPath(api.prefix, spec));
  api.methods ??= new Map();
  if (!api.methods.has(spec.path)) api.methods.set(spec.path, new Set());
  api.methods.get(spec.path)!.add(spec.method);
  api.router[spec.method](spec.path, async (req, res) => {
    const principal = req.principal;
    if (!principal) throw new Problem(401, 'unauthorized', 'authentication required');
    if (!spec.roles.includes(principal.role)) throw forbidden(`role ${principal.role} may not ${spec.summary.toLowerCase()}`);
    if (spec.body && hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
      throw new Problem(415, 'unsupported-media-type', 'send the body as application/json');
    }
    if (spec.rawBody && !(req.is(spec.rawBody.contentType) && Buffer.isBuffer(req.body))) {
      throw new Problem(415, 'unsupported-media-type', `send the body as ${spec.rawBody.contentType}`);
    }
    const ctx: Ctx<B, Q, P> = {
      params: parse(spec.params as P, req.params, 'path'),
      query: parse(spec.query as Q, req.query, 'query'),
      body: parse(spec.body as B, req.body ?? {}, 'body'),
      principal,
      req,
      res,
    };
    const reply = await handler(ctx);
    if (reply.headers) res.set(reply.headers);
    res.status(reply.status ?? spec.response.status);
    if (reply.body === undefined) res.end();
    else res.json(reply.body);
  });
}

/**
 * Call after every route is defined: any other method on a declared path is a 405 naming the allowed ones
 * (RFC 9110 section 15.5.6), OPTIONS a 204 with the same Allow. GET implies HEAD, as Express serves it.
 */
export function answerUndeclaredMethods(api: Api): void {
  for (const [path, declared] of api.methods ?? []) {
    const allow = [...declared].flatMap((m) => (m === 'get' ? ['GET', 'HEAD'] : [m.toUpperCase()]));
    const header = [...allow, 'OPTIONS'].join(', ');
    api.router.all(path, (req, res) => {
      res.set('Allow', header);
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      throw new Problem(405, 'method-not-allowed', `${req.method} is not allowed here; allowed: ${header}`);
    });
  }
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });

/** The problems every operation may answer (401, 429, 503; 403 where roles are checked). */
function standardProblems(roles?: readonly Role[]): NonNullable<RouteConfig['responses']> {
  return {
    401: problem('Missing, unknown or revoked bearer token'),
    ...(roles ? { 403: problem(`Role not admitted (admitted: ${roles.join(', ')})`) } : {}),
    429: problem(
      'Rate limit for this token exceeded, or (invalid tokens only) too many failed authentications with this token or from this address',
    ),
    503: problem('The database or Temporal is unavailable, or the case workflow did not answer in time; retry'),
  };
}

/**
 * A hand-declared operation's responses (tus uploads, binary downloads) with what every operation documents:
 * the standard problems and, on each answer, the headers every answer sends (its own headers kept).
 */
export function documentedResponses(own: NonNullable<RouteConfig['responses']>): NonNullable<RouteConfig['responses']> {
  const responses: NonNullable<RouteConfig['responses']> = { ...standardProblems(), ...own };
  for (const [status, response] of Object.entries(responses))
    if (!('$ref' in response)) response.headers = { ...responseHeaders(Number(status)), ...(response.headers ?? {}) };
  return responses;
}

function openApiPath(prefix: string, spec: RouteSpec<Shape, Shape, Shape>): RouteConfig {
  const responses: RouteConfig['responses'] = {
    [spec.response.status]: spec.response.schema
      ? { description: spec.response.description, content: { 'application/json': { schema: spec.response.schema } } }
      : { description: spec.response.description },
    ...standardProblems(spec.roles),
  };
  // Every endpoint: the text guard reads any query string, even where no parameter is declared.
  responses[400] = problem('Invalid input (or text a database cannot store); `errors` names each field and reason');
  if (spec.body) {
    responses[413] = problem('Request body too large');
    responses[415] = problem('The body is not JSON (or not in UTF-8)');
  }
  if (spec.rawBody) {
    responses[413] = problem('Request body too large');
    responses[415] = problem(`The body is not ${spec.rawBody.contentType}`);
  }
  const descriptions: Record<number, string> = {
    404: 'Not found, or not visible to this principal',
    409: 'Conflicts with the current state (or an Idempotency-Key reused with another body)',
    413: 'Request body too large',
    415: 'Unsupported media type',
    422: 'Well-formed but not acceptable (e.g. Support ID mismatch)',
  };
  for (const status of spec.problems ?? []) responses[status] = problem(descriptions[status] ?? 'Error');
  for (const [status, response] of Object.entries(responses)) {
    if ('$ref' in response) continue;
    const extra = Number(status) === spec.response.status ? spec.response.headers : undefined;
    response.headers = responseHeaders(Number(status), extra);
  }
  const request: RouteConfig['request'] = {};
  // A missing body is read as {}: it is optional exactly where {} is a valid body (e.g. an empty PATCH).
  if (spec.body) request.body = { required: !spec.body.safeParse({}).success, content: { 'application/json': { schema: spec.body } } };
  if (spec.rawBody) {
    request.body = {
      required: true,
      description: spec.rawBody.description,
      content: { [spec.rawBody.contentType]: { schema: z.string().openapi({ format: 'binary' }) } },
    };
  }
  if (spec.query) request.query = spec.query as z.ZodObject;
  if (spec.params) request.params = spec.params as z.ZodObject;
  if (spec.headers) request.headers = spec.headers;
  return {
    method: spec.method,
    path: prefix + spec.path.replace(/:([A-Za-z]+)/g, '{$1}'),
    summary: spec.summary,
    description: spec.description,
    tags: [spec.tag],
    security: [{ bearer: [] }, { session: [] }],
    request,
    responses,
  };
}
