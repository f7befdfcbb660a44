/** PostgreSQL error codes as thrown by postgres.js or PGlite, possibly wrapped by drizzle. */
function pgCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export const isUniqueViolation = (err: unknown): boolean => pgCode(err) === '23505';

/**
 * The database is unreachable or going away (connection refused/reset, SQLSTATE class 08, admin shutdown,
 * cannot connect now): a temporary condition the client should retry, not a server bug.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = pgCode(err);
  if (!code) return false;
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'CONNECTION_CLOSED',
      'CONNECTION_ENDED',
      'CONNECTION_DESTROYED',
      'CONNECT_TIMEOUT',
    ].includes(code) ||
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03'
  );
}

/**
 * The statement can never succeed as written, so retrying it only repeats the failure: a data exception
 * (class 22: untranslatable character, invalid JSON text, value out of range), an integrity violation
 * (class 23) or a program limit (class 54, e.g. an index row too large). Everything else (connection loss,
 * serialization failure, a lock timeout, a missing table during a deploy) is worth retrying.
 */
export function isPermanentDataError(err: unknown): boolean {
  const code = pgCode(err);
  return code !== undefined && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

/** The SQLSTATE of a database error (postgres.js or PGlite, possibly wrapped by drizzle). */
export const sqlState = (err: unknown): string | undefined => pgCode(err);
