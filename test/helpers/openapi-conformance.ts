/**
 * Every response an API test sees is checked against the published OpenAPI 3.1 document (GET /openapi.json):
 * the status must be documented for the operation, the media type must be one the document names, and the
 * body must match its schema. OpenAPI 3.1 schemas are JSON Schema 2020-12, so Ajv's 2020 dialect compiles
 * them straight from the document (refs to #/components resolve inside it). A violation fails the request
 * in the test that made it, naming the operation and the schema errors: the contract cannot drift silently.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

interface DeclaredResponse {
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, unknown>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, DeclaredResponse> }>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface ObservedResponse {
  method: string;
  /** Absolute URL or path with query. */
  url: string;
  status: number;
  contentType: string | undefined;
  body: unknown;
  /** Response headers (lower-case names, as Node gives them); when given, the API's own headers must be declared. */
  headers?: Record<string, unknown>;
}

/** Headers the API itself sends (helmet's security headers and HTTP framing aside): each must be declared where sent. */
export const API_HEADERS = [
  'location',
  'idempotent-replayed',
  'ratelimit',
  'ratelimit-policy',
  'x-request-id',
  'www-authenticate',
  'retry-after',
];

const DOC_ID = 'openapi.json';
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export class OpenApiConformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: Array<{ template: string; pattern: RegExp }>;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema(doc as object, DOC_ID);
    // Literal segments win over templated ones (fewer parameters first).
    this.routes = Object.keys(doc.paths)
      .map((template) => ({
        template,
        params: (template.match(/\{/g) ?? []).length,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      }))
      .sort((a, b) => a.params - b.params);
  }

  private validator(ref: string): ValidateFunction {
    let fn = this.compiled.get(ref);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${DOC_ID}#/${ref}` });
      this.compiled.set(ref, fn);
    }
    return fn;
  }

  /** The violations of one response; empty when it conforms. */
  check(r: ObservedResponse): string[] {
    const method = r.method.toLowerCase();
    if (method === 'head' || method === 'options') return [];
    const path = new URL(r.url, 'http://localhost').pathname;
    const mediaType = r.contentType?.split(';')[0].trim().toLowerCase();
    const what = `${r.method.toUpperCase()} ${path} -> ${r.status}`;
    const route = this.routes.find((candidate) => candidate.pattern.test(path));
    const operation = route ? this.doc.paths[route.template][method] : undefined;
    if (!operation) {
      // Outside the document (unknown path, undeclared method, /health): errors must still be problems.
      if (r.status >= 400 && mediaType !== 'application/json' && this.doc.components?.schemas?.Problem) {
        if (mediaType !== 'application/problem+json') return [`${what}: error answered as ${mediaType ?? 'no body'}, not problem+json`];
        return this.validate(pointer('components', 'schemas', 'Problem'), r.body, what);
      }
      return [];
    }
    const declared = operation.responses?.[String(r.status)] ?? operation.responses?.default;
    if (!declared) return [`${what}: status ${r.status} is not documented for ${method.toUpperCase()} ${route!.template}`];
    const headerViolations = this.undeclaredHeaders(declared, r, what);
    if (headerViolations.length > 0) return headerViolations;
    if (!declared.content) return [];
    if (!mediaType || !declared.content[mediaType]) {
      return [`${what}: media type ${mediaType ?? '(none)'} is not documented (${Object.keys(declared.content).join(', ')})`];
    }
    if (declared.content[mediaType].schema === undefined) return [];
    const ref = pointer('paths', route!.template, method, 'responses', String(r.status), 'content', mediaType, 'schema');
    return this.validate(ref, r.body, what);
  }

  private undeclaredHeaders(declared: DeclaredResponse, r: ObservedResponse, what: string): string[] {
    if (!r.headers) return [];
    const names = new Set(Object.keys(declared.headers ?? {}).map((n) => n.toLowerCase()));
    return API_HEADERS.filter((h) => r.headers![h] !== undefined && !names.has(h)).map(
      (h) => `${what}: header ${h} is sent but not declared`,
    );
  }

  private validate(ref: string, body: unknown, what: string): string[] {
    const fn = this.validator(ref);
    if (fn(body)) return [];
    return (fn.errors ?? []).slice(0, 5).map((e) => `${what}: body${e.instancePath} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`);
  }
}
