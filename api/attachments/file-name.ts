/**
 * Attachment names and types: what a client declares is checked (an upload names a plain file, nothing
 * that could be read as a path or hide what it is), what mail brings is made safe, and what a download
 * sends is always `Content-Disposition: attachment` with an ASCII fallback and the RFC 5987 UTF-8 name.
 */

const MAX_NAME = 255;
// C0 and C1 controls (NUL included), and the bidirectional formatting characters that can make
// "evil\u202Efdp.exe" read as "evilexe.pdf" (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069).
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Why a declared file name is refused (null: fine). */
export function fileNameProblem(name: string): string | null {
  if (name.length === 0) return 'a file name is required';
  if (name.length > MAX_NAME) return `at most ${MAX_NAME} characters`;
  if (CONTROL.test(name)) return 'no control characters (NUL included)';
  if (BIDI.test(name)) return 'no bidirectional formatting characters';
  if (/[/\\]/.test(name)) return 'a file name, not a path: no / or \\';
  if (name === '.' || name === '..') return 'not a file name';
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name)) return 'not valid Unicode';
  return null;
}

/** A name from mail made safe instead of refused (the customer's mail client chose it): the last path segment, no controls. */
export function safeMailFileName(name: string | undefined): string {
  const last = (name ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .replace(new RegExp(CONTROL.source, 'g'), '')
    .replace(new RegExp(BIDI.source, 'g'), '')
    .replace(/[\ud800-\udfff]/g, '')
    .trim()
    .slice(0, MAX_NAME);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'attachment' : cleaned;
}

/** A media type as declared, or application/octet-stream when it is not one. */
export function safeContentType(value: string | null | undefined): string {
  const v = (value ?? '').trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(v) ? v : 'application/octet-stream';
}

/** `attachment; filename="ascii"; filename*=UTF-8''utf8`: always a download, never rendered in our origin. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;%]/g, '_') || 'attachment';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
