/** axe-core injected into the page: the serious and critical accessibility violations of what is on screen. */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

// Evaluated rather than added as a <script>: the console's Content-Security-Policy (script-src 'self')
// stays in force during the test and would block an injected inline script.
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  const violations = (await page.evaluate(
    'window.axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({ target: n.target })) })))',
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
