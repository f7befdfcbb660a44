/**
 * The console's API types are generated from the OpenAPI document the API serves (scripts/console-types.ts,
 * `npm run console:types`). Regenerated here in memory (the script with --stdout, in its own process:
 * openapi-typescript's dependencies are ES modules jest's CommonJS runtime cannot load): a checked-in
 * console/src/server-api/openapi.d.ts that differs from what the current API's document gives fails the
 * build, so a schema change cannot drift from the console unnoticed.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..');
const TYPES = resolve(ROOT, 'console/src/server-api/openapi.d.ts');

describe('console types from the OpenAPI document', () => {
  test('console/src/server-api/openapi.d.ts is what `npm run console:types` generates now', async () => {
    const { stdout: generated } = await promisify(execFile)(
      resolve(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/console-types.ts', '--stdout'],
      {
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    // The document the app serves, with what the console reads from it.
    expect(generated).toContain("CaseDetail: components['schemas']['Case'] & {");
    expect(generated).toMatch(/actions\?: \(\s*\| 'engineerResponse'/);
    const checkedIn = readFileSync(TYPES, 'utf8');
    if (checkedIn !== generated) {
      // A pointer to the first difference instead of a 10,000-line diff.
      const [had, now] = [checkedIn.split('\n'), generated.split('\n')];
      const at = had.findIndex((line, i) => line !== now[i]);
      throw new Error(
        'console/src/server-api/openapi.d.ts is stale: run `npm run console:types` and commit it. ' +
          `First difference at line ${at + 1}:\n  checked in: ${had[at]}\n  generated:  ${now[at]}`,
      );
    }
  }, 120_000);
});
