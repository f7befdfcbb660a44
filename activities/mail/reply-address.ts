/**
 * The reply address of a case: `<local>+<caseId>.<mac>@<domain>`. The MAC is HMAC-SHA256 of the case id
 * under the mail secret, so only Caseflow can mint an address that names a case: a reply to it is known to
 * answer that case, and a guessed or altered address is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ReplyAddressConfig {
  /** HMAC key (MAIL_REPLY_SECRET). */
  secret: string;
  /** Domain the inbound mail arrives at (MAIL_REPLY_DOMAIN), e.g. reply.support.example.com. */
  domain: string;
  /** Local part before the `+` (default `case`). */
  local?: string;
}

const MAC_CHARS = 20; // 80 bits of base32: unguessable, short enough for one mail-client line

function mac(secret: string, caseId: string): string {
  return createHmac('sha256', secret).update(`caseflow-reply:${caseId}`).digest('hex').slice(0, MAC_CHARS);
}

export function replyAddress(config: ReplyAddressConfig, caseId: string): string {
  return `${config.local ?? 'case'}+${caseId}.${mac(config.secret, caseId)}@${config.domain}`;
}

export type ParsedReplyAddress = { ok: true; caseId: string } | { ok: false; reason: 'not_a_reply_address' | 'bad_token' };

/** Finds the case an address names and checks its MAC (constant time). Case-insensitive, as mail systems are. */
export function parseReplyAddress(config: ReplyAddressConfig, address: string): ParsedReplyAddress {
  const local = config.local ?? 'case';
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== config.domain.toLowerCase()) return { ok: false, reason: 'not_a_reply_address' };
  const match = /^([^+]+)\+(.+)\.([0-9a-f]+)$/i.exec(address.slice(0, at));
  if (!match || match[1]!.toLowerCase() !== local.toLowerCase()) return { ok: false, reason: 'not_a_reply_address' };
  const caseId = match[2]!.toLowerCase();
  const given = Buffer.from(match[3]!.toLowerCase());
  const expected = Buffer.from(mac(config.secret, caseId));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_token' };
  return { ok: true, caseId };
}
