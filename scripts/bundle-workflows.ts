/** `npm run bundle:workflows [path]`: prebuilds the workflow bundle for CASEFLOW_WORKFLOW_BUNDLE (default dist/workflow-bundle.js). */
import { resolve } from 'node:path';
import { writeWorkflowBundle } from '../worker/create-worker';

const target = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
writeWorkflowBundle(target)
  .then(() => console.log(`workflow bundle written to ${target} (set CASEFLOW_WORKFLOW_BUNDLE=${target})`))
  .catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
