/** `npm run keycloak:install`: fetches the pinned Keycloak for the identity suite ahead of time (runtime/keycloak-toolchain.ts). */
import { ensureKeycloak, KEYCLOAK_VERSION } from '../runtime/keycloak-toolchain';

const started = Date.now();
console.log(`keycloak ${KEYCLOAK_VERSION}: ${ensureKeycloak()} (${Math.round((Date.now() - started) / 1000)} s)`);
