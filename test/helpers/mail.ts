/** Builds raw RFC 822 replies with nodemailer's own composer, so tests send what a mail client would. */
import MailComposer from 'nodemailer/lib/mail-composer';

export interface ReplyOptions {
  from: string;
  to: string;
  subject?: string;
  text: string;
  messageId: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: string; contentType: string }[];
}

export function composeReply(o: ReplyOptions): Promise<Buffer> {
  return new MailComposer({
    from: o.from,
    to: o.to,
    subject: o.subject ?? 'Re: [Case] Please upload the job logs',
    text: o.text,
    messageId: o.messageId,
    headers: o.headers,
    attachments: o.attachments,
  })
    .compile()
    .build();
}

/** A reply written above the quoted request, with a signature: what trimming must reduce to its first line. */
export const QUOTED_REPLY = [
  'The job logs are attached; the proxy runs 12.3.1.',
  '',
  '-- ',
  'Anna Schmidt',
  'Acme IT, +49 30 1234567',
  '',
  'On Tue, 1 Dec 2026 at 10:00, Caseflow Support <support@caseflow.localhost> wrote:',
  '> Please upload the job logs.',
  '> This is attempt 2 of 3.',
].join('\n');
