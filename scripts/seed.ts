/** `npm run seed`: demo organisations, people, products and tokens (printed once; stored hashed). */
import { seedDemo } from '../runtime/demo-seed';
import { loadConfig } from '../runtime/config';
import { openConfiguredDatabase } from '../runtime/database';

async function main(): Promise<void> {
  const database = await openConfiguredDatabase(loadConfig());
  try {
    const result = await seedDemo(database.db);
    if (!result.created) {
      process.stdout.write('Demo data already present; no tokens issued (an admin issues new ones: POST /v1/principals/{id}/tokens).\n');
      return;
    }
    process.stdout.write('Demo data created. Tokens (shown once, stored only as SHA-256):\n');
    for (const t of result.tokens) process.stdout.write(`  ${t.role.padEnd(16)} ${t.principalId.padEnd(28)} ${t.token}\n`);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
