/**
 * Where a webhook may go. A subscription URL is http(s) only, and every address its host resolves to must
 * be public: link-local (169.254/16, fe80::/10, which holds cloud metadata services such as 169.254.169.254)
 * is refused always; loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), carrier-grade NAT
 * (100.64/10), unspecified, multicast and broadcast unless the operator allows private networks
 * (WEBHOOK_ALLOW_PRIVATE_NETWORKS, for a receiver on the same machine or network). The same check runs at
 * connect time (guardedLookup), so a name that resolves differently later (DNS rebinding) is refused too.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

export class UnsafeAddressError extends Error {}

export interface AddressPolicy {
  allowPrivateNetworks: boolean;
}

function v4(address: string): number[] | null {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : null;
}

/** Why this address is refused, or null when it is a public one. */
export function addressProblem(address: string, policy: AddressPolicy): string | null {
  let a = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) a = mapped[1]!;
  const four = v4(a);
  let linkLocal: boolean;
  let privateish: boolean;
  if (four) {
    const [x, y] = four as [number, number, number, number];
    linkLocal = x === 169 && y === 254;
    privateish =
      x === 0 ||
      x === 10 ||
      x === 127 ||
      (x === 172 && y >= 16 && y <= 31) ||
      (x === 192 && y === 168) ||
      (x === 100 && y >= 64 && y <= 127) ||
      x >= 224;
  } else if (isIP(a) === 6) {
    linkLocal = /^fe[89ab]/.test(a);
    privateish = a === '::1' || a === '::' || /^f[cd]/.test(a) || /^ff/.test(a) || a.startsWith('fec0');
    // The AWS metadata service's IPv6 address (fd00:ec2::254) is in fc00::/7: a metadata address.
    if (a.startsWith('fd00:ec2:')) linkLocal = true;
  } else {
    return `'${address}' is not an IP address`;
  }
  if (linkLocal) return `${address} is a link-local (metadata) address`;
  if (privateish && !policy.allowPrivateNetworks) return `${address} is a loopback, private or reserved address`;
  return null;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolvePromise, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolvePromise(addresses))),
  );
}

/** Why this URL may not be a webhook target (scheme, credentials, host and every address it resolves to), or null. */
export async function urlProblem(raw: string, policy: AddressPolicy, timeoutMs = 3000): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be http or https (is ${url.protocol.replace(':', '')})`;
  if (url.username || url.password) return 'must not carry credentials (use the signing secret)';
  if (raw.length > 2000) return 'must be at most 2000 characters';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return addressProblem(host, policy);
  let addresses: LookupAddress[];
  try {
    addresses = await Promise.race([
      resolveAll(host),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('DNS lookup timed out')), timeoutMs).unref()),
    ]);
  } catch (err) {
    return `host ${host} does not resolve (${err instanceof Error ? err.message : String(err)})`;
  }
  for (const { address } of addresses) {
    const problem = addressProblem(address, policy);
    if (problem) return `host ${host} resolves to ${problem}`;
  }
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http(s).request that refuses to connect to an address the policy forbids. */
export function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '');
      for (const { address } of addresses) {
        const problem = addressProblem(address, policy);
        if (problem) return callback(new UnsafeAddressError(`refused to connect: ${problem}`), '');
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Does the URL redirect? One HEAD request (address checked at connect time, 3 s): a 3xx answer is refused
 * with where it points, since deliveries never follow redirects (and a redirect towards a link-local or
 * private address must not look like a working subscription). No answer, or any other status, is no problem
 * here: the receiver may be down while it is being set up.
 */
export function redirectProblem(url: string, policy: AddressPolicy, timeoutMs = 3000): Promise<string | null> {
  return new Promise((resolvePromise) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: 'HEAD', lookup: guardedLookup(policy) as never }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if (status < 300 || status >= 400) return resolvePromise(null);
      const raw = typeof res.headers.location === 'string' ? res.headers.location : '';
      let location = raw;
      try {
        location = new URL(raw, target).toString();
      } catch {
        /* keep it as sent */
      }
      void urlProblem(location, policy).then((problem) =>
        resolvePromise(
          problem
            ? `redirects (${status}) to ${location}, which ${problem.replace(/^host /, 'has host ')}`
            : `redirects (${status}) to ${location}; redirects are not followed: subscribe the final URL`,
        ),
      );
    });
    const timer = setTimeout(() => req.destroy(), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', () => resolvePromise(null));
    req.end();
  });
}
