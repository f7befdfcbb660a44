/**
 * The new text of an email reply: quoted history ("On ... wrote:", "> ..."), forwarded headers and the
 * signature trimmed by email-reply-parser (a maintained port of GitHub's EmailReplyParser with headers in
 * many languages). When the trimming leaves nothing (a reply written below the quote), the whole text stays.
 */
import EmailReplyParser from 'email-reply-parser';

export function visibleReplyText(text: string): string {
  const normalised = text.replace(/\r\n/g, '\n');
  const visible = new EmailReplyParser().parseReply(normalised).trim();
  return visible.length > 0 ? visible : normalised.trim();
}
