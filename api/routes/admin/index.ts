/**
 * Administration endpoints, one module per resource: organisations, principals and their tokens, partner
 * links, products and their versions, quarantined read-model writes. Registered in this order (it is the order of the OpenAPI paths).
 */
import type { Services } from '../../services';
import { registerOrganisationRoutes } from './organisations';
import { registerPartnerLinkRoutes } from './partner-links';
import { registerPrincipalRoutes } from './principals';
import { registerProductRoutes } from './products';
import { registerQuarantinedWriteRoutes } from './quarantined-writes';

export function registerAdminRoutes(services: Services): void {
  registerOrganisationRoutes(services);
  registerPrincipalRoutes(services);
  registerPartnerLinkRoutes(services);
  registerProductRoutes(services);
  registerQuarantinedWriteRoutes(services);
}
