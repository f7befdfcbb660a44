/**
 * Failed authentications, limited without locking anybody out. Two counts per minute, both of refused
 * authentications (401) only: per presented credential (a hash of the token; `perCredential`, default 30),
 * which stops one client retrying a dead token, and per client address (`perAddress`, much higher, default
 * 300), which stops token guessing from one address. Either over its limit turns further refusals into 429s
 * (Retry-After: the seconds left in the minute). The limit is applied only once a credential has been found
 * invalid: a valid token is never refused because of failures, its own earlier ones or anyone else's behind
 * the same NAT or proxy (a token guesser learns nothing from that: a guessed valid token is valid anyway).
 * Failures are recorded before their answer leaves (the client's next request already sees them); good
 * requests count nothing. The counters are shared by every API instance on the database
 * (shared-state/limit-counters.ts).
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { Problem } from './problem';

export interface FailedAuthenticationLimits {
  /** Refused authentications of one credential per minute before its refusals become 429s. */
  perCredential: number;
  /** Refused authentications from one client address per minute before its refusals become 429s. */
  perAddress: number;
}

export const DEFAULT_AUTH_FAILURE_LIMITS: FailedAuthenticationLimits = { perCredential: 30, perAddress: 300 };

/**
 * Counts one refused authentication of `req` (`token`: the presented bearer token, null when none was
 * readable) and throws a 429 problem when the credential or the address is over its limit; returns when the
 * caller should answer its 401.
 */
export type RecordRefusal = (req: Request, token: string | null) => Promise<void>;

/** The key a credential is counted under: not the stored token hash, so the counter table holds no lookup key. */
const credentialKey = (token: string) =>
  `credential:${createHash('sha256').update(`auth-failure\n${token}`).digest('base64url').slice(0, 32)}`;

export function limitFailedAuthentications(
  counter: RateLimiterAbstract,
  limits: FailedAuthenticationLimits,
  logger: Logger,
): RecordRefusal {
  const count = async (key: string): Promise<RateLimiterRes | null> => {
    try {
      return await counter.consume(key, 1);
    } catch (err) {
      // Counting must not turn the 401 into a 5xx; the in-memory insurance counter makes this rare.
      logger.warn({ err }, 'failed authentication not counted');
      return null;
    }
  };
  return async (req, token) => {
    const [byCredential, byAddress] = await Promise.all([
      token === null ? null : count(credentialKey(token)),
      count(`address:${req.ip ?? ''}`),
    ]);
    // The request just counted is the one over the limit: `limit` refusals are 401s, the next ones 429s.
    const over: Array<{ what: string; res: RateLimiterRes }> = [];
    if (byCredential && byCredential.consumedPoints > limits.perCredential) over.push({ what: 'with this token', res: byCredential });
    if (byAddress && byAddress.consumedPoints > limits.perAddress) over.push({ what: 'from this address', res: byAddress });
    if (over.length === 0) return;
    const seconds = Math.max(1, ...over.map((o) => Math.ceil(o.res.msBeforeNext / 1000)));
    req.res?.set('Retry-After', String(seconds));
    throw new Problem(
      429,
      'rate-limited',
      `too many failed authentications ${over.map((o) => o.what).join(' and ')} ` +
        `(limits: ${limits.perCredential} per token, ${limits.perAddress} per address, per minute): ` +
        `invalid tokens are refused for ${seconds} more second${seconds === 1 ? '' : 's'} (Retry-After); valid tokens are not affected`,
    );
  };
}
