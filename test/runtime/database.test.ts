

import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';


test('database: migrations applied and queries run', async () => {
  const database = await createTestDatabase();
  try {
    const rows = await database.db.execute(sql`select count(*)::int as n from cases`);
    expect(Array.isArray(rows) ? rows[0] : (rows as any).rows[0]).toEqual({ n: 0 });
  } finally {
    await database.close();
  }
});
