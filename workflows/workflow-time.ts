/**
 * Workflow time. Inside the workflow sandbox `Date.now()` is the instant of the current workflow task, the
 * same on every replay; this is the one place that reads it, so the determinism lint can forbid the call
 * everywhere else in workflows/ and policy/ (where it would read the wall clock).
 */
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-syntax -- the sandbox's Date.now() is deterministic workflow time
  return Date.now();
}
