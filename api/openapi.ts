/** The OpenAPI 3.1 document, generated from the registry every route declaration fills. */
import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

export function buildOpenApiDocument(registry: OpenAPIRegistry) {
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token issued by an administrator (POST /v1/principals/{id}/tokens); stored server-side as SHA-256.',
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Caseflow API',
      version: '1.0.0',
      description:
        'Support cases as durable Temporal workflows. Errors are application/problem+json (RFC 9457). ' +
        'POST /v1/cases accepts an Idempotency-Key header: the same key and body give the same case.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
  });
}
