/**
 * Stable mail identities. A notice's Message-ID is a hash of the outbox dedupe key and the recipient, so a
 * redelivery of the same notice to the same person carries the same id (mail systems and clients drop or
 * group the repeat). Every mail of a case points at one thread root id, so a case is one conversation.
 */
import { createHash } from 'node:crypto';

export function messageIdFor(dedupeKey: string, address: string, domain: string): string {
  const hash = createHash('sha256').update(`${dedupeKey}\n${address.toLowerCase()}`).digest('hex').slice(0, 32);
  return `<${hash}@${domain}>`;
}

export function threadRootId(caseId: string, domain: string): string {
  return `<case-${caseId}@${domain}>`;
}

/** The domain part of a From header such as `Support <support@example.com>`. */
export function domainOf(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'caseflow.localhost';
}
