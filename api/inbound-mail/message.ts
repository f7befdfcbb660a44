/**
 * An inbound RFC 822 message, reduced to what the reply path decides on: who sent it, to which addresses,
 * its identity (Message-ID), the new text of the reply and the list of attachments. Parsed by mailparser.
 */
import { createHash } from 'node:crypto';
import { storableText } from '../../db/storable-text';
import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import type { ReplyAttachment } from '../../contract/case';
import { classifyAutomaticMail, type AutomaticMail } from './automatic-mail';
import { decodeEnvelopeSender } from './envelope-sender';
import { isQuoteOnly, visibleReplyText } from './reply-text';

/** What the SMTP conversation said, when there was one (HTTP deliveries usually have none). */
export interface Envelope {
  /** MAIL FROM; '' is the null sender `<>` (bounces and other automatic mail). */
  mailFrom?: string;
  rcptTo?: string[];
}

/** A non-inline attachment as it came: its declared name and type, and its bytes. */
export interface InboundFile {
  filename: string | undefined;
  contentType: string;
  content: Buffer;
}

export interface InboundMessage {
  /** Message-ID without angle brackets, or `sha256:<hex>` of the raw bytes when the message has none. */
  messageKey: string;
  messageId: string | null;
  from: string | null;
  fromName: string | null;
  /** Where an answer goes: the envelope sender, else Return-Path, else From; null for the null sender. */
  answerTo: string | null;
  envelopeSender: string | null;
  /** The envelope sender with a BATV tag or SRS rewriting undone (what the sender check compares with From). */
  envelopeAddress: string | null;
  /** Candidate reply addresses, most authoritative first: envelope RCPT, Delivered-To, X-Original-To, To, Cc. */
  recipients: string[];
  subject: string;
  /** The new text of the reply: quoted history and signature trimmed. */
  text: string;
  attachments: ReplyAttachment[];
  /** The content of each attachment in `attachments` (same order), to be stored (issue 18). */
  files: InboundFile[];
  /** Automatic mail (RFC 3834: auto-replies, list and bulk mail, the null sender, delivery reports): never answered, never applied. */
  automatic: AutomaticMail | null;
  /** Nothing new was written: the body is only the quoted previous mail (and its attribution line). */
  quoteOnly: boolean;
  sizeBytes: number;
}

const MAX_TEXT = 10_000; // the reply lives in the workflow's state and history: long quotes stay out

export async function parseInboundMessage(raw: Buffer, envelope: Envelope = {}): Promise<InboundMessage> {
  const mail = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
  const lines = (name: string): string[] =>
    mail.headerLines.filter((l) => l.key === name).map((l) => l.line.slice(l.line.indexOf(':') + 1).trim());

  const from = addresses(mail.from)[0] ?? null;
  // Return-Path is the envelope sender as the final MTA recorded it (HTTP deliveries): absent = unknown, `<>` = null sender.
  const returnPathLine = lines('return-path')[0];
  const returnPath = returnPathLine === undefined ? null : bareAddress(returnPathLine);
  const envelopeSender = envelope.mailFrom === undefined ? null : bareAddress(envelope.mailFrom);
  const nullSender = envelope.mailFrom !== undefined ? envelopeSender === '' : returnPath === '';
  const answerTo = nullSender ? null : envelopeSender || returnPath || from?.address || null;

  const recipients = unique([
    ...(envelope.rcptTo ?? []),
    ...lines('delivered-to').map(bareAddress),
    ...lines('x-original-to').map(bareAddress),
    ...addresses(mail.to).map((a) => a.address),
    ...addresses(mail.cc).map((a) => a.address),
  ]);

  const automatic = classifyAutomaticMail({ header: lines, nullSender });

  const messageId = mail.messageId ? storable(mail.messageId.trim().replace(/^<|>$/g, '')) : null;
  const body = mail.text ?? (typeof mail.html === 'string' ? htmlToText(mail.html) : '');
  const quoteOnly = isQuoteOnly(storable(body));
  let text = visibleReplyText(storable(body));
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}\n[... truncated: ${text.length - MAX_TEXT} more characters]`;

  // Inline images of an HTML signature are not attachments the customer sent.
  const customerFiles = mail.attachments.filter((a) => !a.related);

  return {
    messageKey: messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    messageId,
    from: from?.address ?? null,
    fromName: from?.name ? storable(from.name) : null,
    answerTo,
    envelopeSender,
    envelopeAddress: envelopeSender ? decodeEnvelopeSender(envelopeSender).address : null,
    recipients,
    subject: storable(mail.subject ?? ''),
    text,
    attachments: customerFiles.map((a) => ({
      name: storable(a.filename ?? '(unnamed)'),
      contentType: storable(a.contentType),
      size: a.size,
    })),
    files: customerFiles.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    automatic,
    quoteOnly,
    sizeBytes: raw.length,
  };
}

/** PostgreSQL text and jsonb take neither U+0000 nor a lone surrogate: mail may carry both, the case must not. */
function storable(value: string): string {
  return storableText(value, '');
}

function addresses(field: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const flat = (list: EmailAddress[]): EmailAddress[] => list.flatMap((a) => (a.group ? flat(a.group) : [a]));
  return objects
    .flatMap((o) => flat(o.value))
    .filter((a) => typeof a.address === 'string' && a.address.length > 0)
    .map((a) => ({ address: a.address!.toLowerCase(), name: a.name }));
}

/** `Name <a@b>`, `<a@b>` or `a@b` -> `a@b` (lower case); `<>` -> ''. */
function bareAddress(value: string): string {
  const angled = /<([^>]*)>/.exec(value);
  return (angled ? angled[1]! : value).trim().toLowerCase();
}

function unique(list: string[]): string[] {
  return [...new Set(list.filter((a) => a.length > 0))];
}

function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
