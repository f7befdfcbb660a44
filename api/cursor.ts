/**
 * Opaque list cursors: base64url JSON checked against a zod schema on the way back in. A cursor is client
 * input like any other; one that was forged or garbled (wrong shape, an instant the database cannot store,
 * text it cannot store) is a 400 naming the parameter, never a query the database refuses.
 */
import { unstorableText } from '../db/storable-text';
import { invalid } from './problem';
import type { z } from './zod';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string, field = 'cursor'): z.output<S> {
  const refuse = () => invalid([{ field, in: 'query', reason: 'not a cursor this API issued' }]);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  let decoded: unknown;
  try {
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    if (unstorableText(text)) throw refuse();
    decoded = JSON.parse(text);
  } catch {
    throw refuse();
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) throw refuse();
  return parsed.data as z.output<S>;
}
