/**
 * Where replies to case mail go: MAIL_REPLY_SECRET (the HMAC key of reply addresses) and MAIL_REPLY_DOMAIN.
 * Development gets a fixed default secret so `npm start` needs no setup; production (NODE_ENV=production)
 * refuses to run without a real secret, since a known key would let anyone forge a reply to any case.
 */
import type { ReplyAddressConfig } from './reply-address';

export const DEV_REPLY_SECRET = 'caseflow-dev-reply-secret-not-for-production';
export const DEFAULT_REPLY_DOMAIN = 'reply.caseflow.localhost';

export function replyConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReplyAddressConfig {
  const secret = env.MAIL_REPLY_SECRET;
  if (!secret && env.NODE_ENV === 'production') {
    throw new Error('MAIL_REPLY_SECRET is missing: refusing to mint reply addresses with the development key in production');
  }
  return { secret: secret || DEV_REPLY_SECRET, domain: env.MAIL_REPLY_DOMAIN || DEFAULT_REPLY_DOMAIN };
}
