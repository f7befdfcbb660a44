/**
 * Text a database cannot store is refused at the door. PostgreSQL's text and jsonb reject U+0000, and
 * jsonb rejects a lone UTF-16 surrogate (`\ud800` without its pair); such a string reaching a case would
 * fail every read-model write of that case. So every string of the body and the query, keys included, is
 * checked once here for every endpoint, and the first offenders are named in a 400.
 */
import type { RequestHandler } from 'express';
import { unstorableText } from '../db/storable-text';
import { invalid, type FieldError } from './problem';

const MAX_REPORTED = 10;

function collect(value: unknown, path: string, where: FieldError['in'], out: FieldError[], depth = 0): void {
  if (out.length >= MAX_REPORTED || depth > 64) return;
  if (typeof value === 'string') {
    const reason = unstorableText(value);
    if (reason) out.push({ field: path || '(root)', in: where, reason });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collect(item, `${path}[${i}]`, where, out, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      const keyReason = unstorableText(key);
      if (keyReason) out.push({ field, in: where, reason: `property name ${keyReason}` });
      collect(item, field, where, out, depth + 1);
    }
  }
}

export const rejectUnstorableText: RequestHandler = (req, _res, next) => {
  const errors: FieldError[] = [];
  collect(req.query, '', 'query', errors);
  collect(req.body, '', 'body', errors);
  if (errors.length > 0) throw invalid(errors);
  next();
};
