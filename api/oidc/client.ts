/**
 * The relying party: openid-client (certified) discovers each provider lazily (a provider that is down at
 * start-up does not stop the API; the next sign-in tries again) and runs the Authorization Code flow with
 * PKCE (S256), state and nonce, as a confidential client (client_secret_basic).
 */
import * as oidc from 'openid-client';
import type { OidcProviderSettings } from './types';

/** Plain-HTTP issuers are accepted only on the loopback (the embedded development provider, test providers). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}

export interface Relying {
  settings: OidcProviderSettings;
  configuration(): Promise<oidc.Configuration>;
}

export function relyingParty(settings: OidcProviderSettings): Relying {
  let discovered: Promise<oidc.Configuration> | null = null;
  return {
    settings,
    configuration: () => {
      discovered ??= oidc
        .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, oidc.ClientSecretBasic(settings.clientSecret), {
          execute: isLoopbackUrl(settings.issuer) ? [oidc.allowInsecureRequests] : [],
          timeout: 10,
        })
        .catch((err: unknown) => {
          discovered = null; // try again on the next sign-in
          throw err;
        });
      return discovered;
    },
  };
}

export { oidc };
