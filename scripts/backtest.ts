/**
 * `npm run backtest -- [options]`: what a candidate policy would have done to the recorded cases, as a table.
 * Runs in this process against the configured database (DATABASE_URL, or the local PGlite data).
 *
 *   --patch '<json>' | --patch-file f.json   changes to the version in force (PolicyPatch)
 *   --document-file f.json                   a full PolicyDocument
 *   --version N                              a published version
 *   --from ISO --to ISO                      opened in [from, to)
 *   --org id (repeatable) --program id (repeatable)
 *   --json                                   the report as JSON
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { applyPatch, POLICY_V1, policyProblems, type DeepPartial, type PolicyDocument } from '../policy';
import { formatReport } from '../backtest/engine/format';
import { runLocal } from '../backtest/run-local';
import { createBacktestPool } from '../backtest/parallel';
import { listVersions, versionAt } from '../api/policy/versions-store';
import { PolicyDocumentSchema, PolicyPatchSchema } from '../api/schemas/policy-versions';
import { loadConfig } from '../runtime/config';
import { openConfiguredDatabase } from '../runtime/database';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      patch: { type: 'string' },
      'patch-file': { type: 'string' },
      'document-file': { type: 'string' },
      version: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      org: { type: 'string', multiple: true },
      program: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
  });
  const config = loadConfig();
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true }); // a first run before `npm start`
  const database = await openConfiguredDatabase(config);
  try {
    const db = database.db;
    const now = new Date();
    const versions = await listVersions(db);
    const base = await versionAt(db, now);
    let document: PolicyDocument;
    if (values['document-file'])
      document = PolicyDocumentSchema.parse(JSON.parse(readFileSync(values['document-file'], 'utf8'))) as PolicyDocument;
    else if (values.version) {
      const v = versions.find((x) => x.version === Number(values.version));
      if (!v) throw new Error(`no policy version ${values.version}`);
      document = v.document;
    } else {
      const raw = values['patch-file'] ? readFileSync(values['patch-file'], 'utf8') : (values.patch ?? '{}');
      document = applyPatch(base.document, PolicyPatchSchema.parse(JSON.parse(raw)) as DeepPartial<PolicyDocument>);
    }
    const problems = policyProblems(document);
    if (problems.length > 0) throw new Error(`invalid candidate: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`);
    const candidate = { key: 'candidate', document };
    const documents = new Map([[POLICY_V1.key, POLICY_V1.document], ...versions.map((v) => [v.key, v.document] as const)]);
    // One worker thread per core (BACKTEST_THREADS=1: none); the report is the one a single thread makes.
    const pool = createBacktestPool({ candidate, documents });
    const report = await runLocal(db, {
      candidate,
      range: { openedFrom: values.from, openedTo: values.to, orgIds: values.org, programs: values.program },
      asOf: now.getTime(),
      documents,
      pool,
    }).finally(() => pool.close());
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
    if (report.withoutInput > 0)
      process.stdout.write(`(${report.withoutInput} cases in range were opened before inputs were kept and are not replayed)\n`);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
