/**
 * Demo data for `npm start` on an empty database. Tokens are stored hashed, so their plaintext exists
 * only in the run that issued them: we keep a copy in DATA_DIR/demo-tokens.json (mode 0600, local demo
 * use only) and print it again on later starts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/client';
import { DEMO_ORGS, seedDemo, type DemoToken } from './demo-seed';

interface SavedToken extends DemoToken {
  supportId?: string;
}

export interface DemoInfo {
  tokens: SavedToken[];
  describe(): string[];
}

export async function loadOrSeedDemo(database: Database, dataDir: string): Promise<DemoInfo> {
  const file = join(dataDir, 'demo-tokens.json');
  const result = await seedDemo(database.db);
  let tokens: SavedToken[] = [];
  if (result.created) {
    tokens = result.tokens.map((t) => ({ ...t, supportId: DEMO_ORGS.find((o) => o.id === t.orgId)?.supportId }));
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ tokens }, null, 2) + '\n', { mode: 0o600 });
  } else if (existsSync(file)) {
    tokens = (JSON.parse(readFileSync(file, 'utf8')) as { tokens: SavedToken[] }).tokens;
  }
  return {
    tokens,
    describe: () =>
      tokens.length === 0
        ? ['  Demo tokens    none on file (an admin issues tokens: POST /v1/principals/{id}/tokens)']
        : [
            `  Demo tokens    (also in ${file})`,
            ...tokens.map(
              (t) => `    ${t.role.padEnd(16)} ${t.principalId.padEnd(30)} ${t.supportId ? `Support ID ${t.supportId}  ` : ''}${t.token}`,
            ),
          ],
  };
}
