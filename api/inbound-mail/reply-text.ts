/**
 * The new text of an email reply: quoted history ("On ... wrote:", "> ..."), forwarded headers and the
 * signature trimmed by email-reply-parser (a maintained port of GitHub's EmailReplyParser with headers in
 * many languages). When the trimming leaves nothing (a reply written below the quote), the whole text stays.
 * A reply that is nothing but the quote (the mail client's Reply, sent without writing anything) is empty:
 * `isQuoteOnly`.
 */
import EmailReplyParser from 'email-reply-parser';

export function visibleReplyText(text: string): string {
  const normalised = text.replace(/\r\n/g, '\n');
  const visible = new EmailReplyParser().parseReply(normalised).trim();
  return visible.length > 0 ? visible : normalised.trim();
}

/** Outlook's separator before the quoted original ("-----Original Message-----" in the nine languages, or a rule). */
const ORIGINAL_MESSAGE =
  /^(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|исходное сообщение|mensagem original|元のメッセージ|原始邮件)\s*-{2,}|_{10,})$/i;
/** The first header line of a quoted original (From:) and the one that proves it is one (Sent:), per language. */
const QUOTED_FROM = /^\*?(?:from|von|de|da|от|差出人|发件人)\s*[:：]/i;
const QUOTED_SENT =
  /^\*?(?:sent|date|gesendet|datum|envoyé|enviado|fecha|inviato|data|отправлено|дата|送信日時|日付|发送时间|时间)\s*[:：]/i;

/** True when the text holds nothing new: only the quoted previous mail, its attribution line and blank lines. */
export function isQuoteOnly(text: string): boolean {
  const normalised = text.replace(/\r\n/g, '\n');
  if (normalised.trim() === '') return true;
  const fragments = new EmailReplyParser().read(normalised).getFragments();
  if (fragments.every((f) => f.isQuoted() || f.isSignature() || f.getContent().trim() === '')) return true;
  // Outlook quotes without ">": the first thing in the mail is the original's separator or header block.
  const lines = normalised.split('\n').map((l) => l.trim());
  const start = lines.findIndex((l) => l !== '');
  const head = lines[start]!;
  if (ORIGINAL_MESSAGE.test(head)) return true;
  return QUOTED_FROM.test(head) && lines.slice(start + 1, start + 5).some((l) => QUOTED_SENT.test(l));
}
