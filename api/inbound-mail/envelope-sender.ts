/**
 * The address behind a rewritten envelope sender. Two rewritings are common on the way from a customer:
 *
 *   BATV (Bounce Address Tag Validation; tagging gateways such as Proofpoint, Barracuda, Mimecast):
 *     prvs=<tag>=<local>@<domain>, also msprvs1=<tag>=<local>@<domain> and btv1==<tag>==<local>@<domain>;
 *     the address is <local>@<domain>.
 *   SRS (Sender Rewriting Scheme; forwarders keeping SPF valid):
 *     SRS0=<hash>=<timestamp>=<original domain>=<original local>@<forwarder>
 *     SRS1=<hash>=<first forwarder>==<hash>=<timestamp>=<original domain>=<original local>@<forwarder>
 *     (the separator after SRS0/SRS1 may also be + or -); the address is <original local>@<original domain>.
 *
 * Decoding is not trust: the tag and hash are the sending side's, which we cannot verify. The decoded
 * address only replaces the rewritten one in the sender check, where the decision rests on From and the
 * reply address's token. Pure.
 */

export interface DecodedSender {
  address: string;
  scheme: 'batv' | 'srs' | null;
}

export function decodeEnvelopeSender(address: string): DecodedSender {
  const at = address.lastIndexOf('@');
  if (at <= 0) return { address, scheme: null };
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);

  const srs0 = /^srs0[=+-][^=]+=[^=]+=([^=]+)=(.+)$/i.exec(local);
  if (srs0) return { address: `${srs0[2]}@${srs0[1]}`.toLowerCase(), scheme: 'srs' };
  const srs1 = /^srs1[=+-][^=]+=[^=]+==[^=]+=[^=]+=([^=]+)=(.+)$/i.exec(local);
  if (srs1) return { address: `${srs1[2]}@${srs1[1]}`.toLowerCase(), scheme: 'srs' };

  const batv = /^(?:prvs|msprvs\d*)=[0-9a-z]+=(.+)$/i.exec(local) ?? /^btv1==[0-9a-z]+==(.+)$/i.exec(local);
  if (batv) return { address: `${batv[1]}@${domain}`.toLowerCase(), scheme: 'batv' };
  return { address, scheme: null };
}
