/**
 * A delivery status notification (RFC 3464: `multipart/report; report-type=delivery-status`), reduced to
 * what marks one of our deliveries bounced: the per-recipient fields (Final-Recipient, Original-Recipient,
 * Action, Status, Diagnostic-Code) and every Message-ID that can name the mail it reports on (the returned
 * message or its headers, Original-Envelope-Id, X-Original-Message-ID, In-Reply-To, References).
 *
 * mailparser folds the machine-readable part into the text, so the report is read from the raw MIME here:
 * the top-level parts of the report and their headers, nothing more. Pure.
 */

export interface DsnRecipient {
  finalRecipient: string | null;
  originalRecipient: string | null;
  /** failed | delayed | delivered | relayed | expanded */
  action: string;
  /** The status code, e.g. 5.1.1. */
  status: string;
  diagnostic: string | null;
}

export interface DeliveryReport {
  recipients: DsnRecipient[];
  /** Candidate Message-IDs of the reported mail, with angle brackets, most specific first. */
  messageIds: string[];
}

interface Part {
  headers: Map<string, string[]>;
  body: string;
}

export function parseDeliveryReport(raw: Buffer): DeliveryReport | null {
  const top = splitEntity(raw.toString('latin1'));
  const type = first(top.headers, 'content-type') ?? '';
  if (!/^multipart\/report\b/i.test(type)) return null;
  const parts = multipartParts(top.body, boundaryOf(type));
  const status = parts.find((p) => /^message\/(global-)?delivery-status\b/i.test(first(p.headers, 'content-type') ?? ''));
  if (!status) return null;

  // The delivery-status body is one block of per-message fields, then one block per recipient (RFC 3464 2.1).
  const blocks = decodeBody(status)
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((b) => fields(b))
    .filter((f) => f.size > 0);
  const perMessage = blocks[0] ?? new Map<string, string[]>();
  const recipients = blocks
    .filter((b) => b.has('action') || b.has('final-recipient'))
    .map((b) => ({
      finalRecipient: addressField(first(b, 'final-recipient')),
      originalRecipient: addressField(first(b, 'original-recipient')),
      action: (first(b, 'action') ?? '').toLowerCase(),
      status: /\d\.\d{1,3}\.\d{1,3}/.exec(first(b, 'status') ?? '')?.[0] ?? '',
      diagnostic: first(b, 'diagnostic-code')?.replace(/\s+/g, ' ').slice(0, 1000) ?? null,
    }));

  const returned = parts.find((p) => /^(message\/(global|rfc822)|text\/rfc822-headers)\b/i.test(first(p.headers, 'content-type') ?? ''));
  const returnedHeaders = returned ? splitEntity(decodeBody(returned)).headers : new Map<string, string[]>();
  const ids = [
    ...idsIn(first(returnedHeaders, 'message-id')),
    ...idsIn(first(perMessage, 'original-envelope-id')),
    ...idsIn(first(perMessage, 'x-original-message-id')),
    ...idsIn(first(top.headers, 'in-reply-to')),
    ...idsIn(first(top.headers, 'references')),
  ];
  return { recipients, messageIds: [...new Set(ids)] };
}

function splitEntity(text: string): Part {
  const normalised = text.replace(/\r\n/g, '\n');
  const end = normalised.indexOf('\n\n');
  const head = end < 0 ? normalised : normalised.slice(0, end);
  return { headers: fields(head), body: end < 0 ? '' : normalised.slice(end + 2) };
}

/** RFC 5322 header fields (unfolded), by lower-case name. */
function fields(block: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of block
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]+/g, ' ')
    .split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    out.set(name, [...(out.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return out;
}

function first(headers: Map<string, string[]>, name: string): string | null {
  return headers.get(name)?.[0] ?? null;
}

function boundaryOf(contentType: string): string | null {
  return /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)?.slice(1).find(Boolean) ?? null;
}

function multipartParts(body: string, boundary: string | null): Part[] {
  if (!boundary) return [];
  const delimiter = `--${boundary}`;
  const parts: Part[] = [];
  const chunks = body.split('\n');
  let current: string[] | null = null;
  for (const line of chunks) {
    const trimmed = line.trimEnd();
    if (trimmed === delimiter || trimmed === `${delimiter}--`) {
      if (current) parts.push(splitEntity(current.join('\n')));
      current = trimmed === delimiter ? [] : null;
      if (trimmed !== delimiter) break;
      continue;
    }
    current?.push(line);
  }
  return parts;
}

function decodeBody(part: Part): string {
  const encoding = (first(part.headers, 'content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('latin1');
  if (encoding === 'quoted-printable') {
    return part.body.replace(/=\n/g, '').replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return part.body;
}

/** `rfc822; anna@acme.example` -> `anna@acme.example` (lower case). */
function addressField(value: string | null): string | null {
  if (!value) return null;
  const address = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  return address.trim().replace(/^<|>$/g, '').toLowerCase() || null;
}

function idsIn(value: string | null): string[] {
  if (!value) return [];
  const angled = value.match(/<[^<>\s]+>/g);
  if (angled) return angled;
  return /^[^\s<>]+@[^\s<>]+$/.test(value.trim()) ? [`<${value.trim()}>`] : [];
}
