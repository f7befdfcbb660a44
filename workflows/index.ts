/** The workflow bundle's entry: every workflow type the case worker runs. */
export { caseWorkflow } from './case-workflow';
export { policyBacktestWorkflow } from './backtest-workflow';
export { policyMigrationWorkflow } from './policy-migration-workflow';
