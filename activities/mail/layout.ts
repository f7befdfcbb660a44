/** One message body as blocks, rendered twice: plain text and a small, escaped HTML version. */
export type Block = { p: string } | { quote: string };

export interface Rendered {
  text: string;
  html: string;
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function render(blocks: Block[]): Rendered {
  const text = blocks
    .map((b) =>
      'p' in b
        ? b.p
        : b.quote
            .split('\n')
            .map((l) => `> ${l}`)
            .join('\n'),
    )
    .join('\n\n');
  const body = blocks
    .map((b) =>
      'p' in b
        ? `<p>${escape(b.p).replace(/\n/g, '<br>')}</p>`
        : `<blockquote style="margin:0 0 1em;padding-left:1em;border-left:3px solid #ccc;color:#333">${escape(b.quote).replace(/\n/g, '<br>')}</blockquote>`,
    )
    .join('\n');
  const html = `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5">\n${body}\n</body></html>\n`;
  return { text: `${text}\n`, html };
}
