/** The OpenAPI 3.1 document, generated from the registry every route declaration fills. */
import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

/**
 * zod-to-openapi renders a nullable registered schema (`PersonRef.nullable()`) as
 * `allOf: [{ $ref }, { type: ['object', 'null'] }]`, which no null satisfies (the $ref admits objects only):
 * a field published as never-null that the server sends as null (OnCallShift.fallback). Rewritten, anywhere
 * in the document, to `anyOf: [{ $ref }, { type: 'null' }]`, which says what the schema meant.
 */
export function fixNullableRefs<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n: unknown) => fixNullableRefs(n)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = fixNullableRefs(v);
  const allOf = out.allOf;
  if (Array.isArray(allOf) && allOf.length === 2) {
    const [ref, nullable] = allOf as Array<Record<string, unknown>>;
    const types = nullable?.type;
    if (typeof ref?.$ref === 'string' && Array.isArray(types) && types.includes('null')) {
      // The second member only widens the type; what else it carries (a description) belongs to the property.
      const { type: _type, ...annotations } = nullable;
      delete out.allOf;
      Object.assign(out, annotations, { anyOf: [ref, { type: 'null' }] });
    }
  }
  return out as T;
}

export function buildOpenApiDocument(registry: OpenAPIRegistry) {
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token issued by an administrator (POST /v1/principals/{id}/tokens); stored server-side as SHA-256.',
  });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'caseflow_session',
    description:
      "A person's console session after OpenID Connect sign-in (GET /auth/login); HttpOnly, and named __Host-caseflow_session " +
      'outside plain-HTTP loopback. Used only without an Authorization header; state changes also need X-CSRF-Token (GET /auth/session).',
  });
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Caseflow API',
      version: '1.0.0',
      description:
        'Support cases as durable Temporal workflows. Errors are application/problem+json (RFC 9457). ' +
        'POST /v1/cases accepts an Idempotency-Key header: the same key and body give the same case.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
  });
  return fixNullableRefs(document);
}
