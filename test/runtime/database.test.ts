import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';

test('database: migrations applied and queries run', async () => {
  const database = await createTestDatabase();
  try {
    const rows = await database.db.execute(sql`select count(*)::int as n from cases`);
    expect(Array.isArray(rows) ? rows[0] : (rows as { rows: unknown[] }).rows[0]).toEqual({ n: 0 });
  } finally {
    await database.close();
  }
});

// drizzle's contract on both engines: timestamps, dates and intervals come back as PostgreSQL text (its
// column mappers parse them), inside transactions too; PGlite's are set once on the instance.
test('database: timestamps, dates and intervals come back as text, in and out of transactions', async () => {
  const database = await createTestDatabase();
  const rowOf = (rows: unknown) => (Array.isArray(rows) ? rows[0] : (rows as { rows: unknown[] }).rows[0]) as Record<string, unknown>;
  const probe = sql`select timestamptz '2026-03-29 01:30:00+00' as tz, timestamp '2026-03-29 01:30:00' as ts, date '2026-03-29' as d, interval '90 minutes' as i, 7::int as n`;
  try {
    // timestamptz text is in the session's zone (UTC on PGlite, the server's setting on PostgreSQL).
    const expected = {
      tz: expect.stringMatching(/^2026-03-29 \d\d:30:00[+-]\d\d/),
      ts: '2026-03-29 01:30:00',
      d: '2026-03-29',
      i: '01:30:00',
      n: 7,
    };
    expect(rowOf(await database.db.execute(probe))).toEqual(expected);
    expect(rowOf(await database.db.transaction((tx) => tx.execute(probe)))).toEqual(expected);
  } finally {
    await database.close();
  }
});
