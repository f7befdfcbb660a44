/** One message body as blocks, rendered twice: plain text and a small, escaped HTML version. */
export type Block = { p: string } | { quote: string } | { link: { href: string; text: string } };

export interface Rendered {
  text: string;
  html: string;
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `lang` is the reader's language (BCP 47) and `title` the subject: screen readers and mail clients use both. */
export function render(blocks: Block[], meta: { lang: string; title: string } = { lang: 'en', title: '' }): Rendered {
  const text = blocks
    .map((b) => {
      if ('p' in b) return b.p;
      if ('link' in b) return `${b.link.text}: ${b.link.href}`;
      return b.quote
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    })
    .join('\n\n');
  const body = blocks
    .map((b) => {
      if ('p' in b) return `<p>${escape(b.p).replace(/\n/g, '<br>')}</p>`;
      if ('link' in b) return `<p><a href="${escape(b.link.href)}">${escape(b.link.text)}</a></p>`;
      return `<blockquote style="margin:0 0 1em;padding-left:1em;border-left:3px solid #ccc;color:#333">${escape(b.quote).replace(/\n/g, '<br>')}</blockquote>`;
    })
    .join('\n');
  const html =
    `<!doctype html><html lang="${escape(meta.lang)}"><head><meta charset="utf-8"><title>${escape(meta.title)}</title></head>` +
    `<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5">\n${body}\n</body></html>\n`;
  return { text: `${text}\n`, html };
}
