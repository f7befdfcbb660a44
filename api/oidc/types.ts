/**
 * People's sign-in, as configured (runtime/config.ts parses the environment once and passes this down):
 * the OpenID providers, the console's public URL (redirect and logout targets, the cookie's Secure flag, the
 * origin CSRF checks compare with) and the session lifetimes.
 */
import type { Role } from '../../contract/case';

/** Which principals a provider's identities may sign in as. */
export type ProviderAudience = 'staff' | 'customers' | 'all';

export interface OidcProviderSettings {
  /** Short id in URLs and sessions: `staff`, `customers`, `local`. */
  id: string;
  /** What the sign-in page's button says. */
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  audience: ProviderAudience;
  /**
   * Staff providers: the claim carrying the user's groups (e.g. `groups`) and which group grants which staff
   * role. With a mapping, a staff principal's role follows the directory at every sign-in (the highest role
   * of its groups; none of them: refused); customer-side principals are never given a role by a claim.
   */
  roleClaim?: string;
  roleMap?: Record<string, Role>;
  /** Personas the sign-in page offers with a login hint (the embedded development provider only). */
  loginHints?: boolean;
}

export interface PeopleSignIn {
  /** Where the console is reached (PUBLIC_URL), without a trailing slash. */
  publicUrl: string;
  providers: OidcProviderSettings[];
  /** A session unused this long ends (SESSION_IDLE_MINUTES, default 30 min). */
  idleMs: number;
  /** A session ends this long after sign-in whatever happens (SESSION_MAX_HOURS, default 12 h). */
  absoluteMs: number;
  /** How often a session with a refresh token is re-checked at its provider (SESSION_PROVIDER_CHECK_SECONDS, default 300 s). */
  providerCheckMs: number;
}

export const DEFAULT_SESSION_LIFETIMES = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000, providerCheckMs: 300_000 };
