/** zod with `.openapi()` metadata: every schema the handlers validate with also describes the OpenAPI document. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
