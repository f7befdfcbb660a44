/** The back-test report as a plain-text table (CLI). */
import type { Report, SideSummary } from './report';

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const mins = (x: number | null) => (x === null ? '-' : x >= 120 ? `${(x / 60).toFixed(1)} h` : `${x} min`);

function cells(s: SideSummary): string[] {
  return [String(s.met), String(s.breached), pct(s.achievement), mins(s.firstResponseP50Minutes), mins(s.firstResponseP90Minutes)];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

export function formatReport(r: Report): string {
  const header = [
    'program',
    'level',
    'cases',
    'met',
    'breached',
    'achiev.',
    'p50',
    'p90',
    '->',
    'met',
    'breached',
    'achiev.',
    'p50',
    'p90',
  ];
  const rows = r.rows.map((x) => [x.program, String(x.level), String(x.cases), ...cells(x.before), '->', ...cells(x.after)]);
  const lines = [
    `${r.cases} cases back-tested (before = recorded policy, after = candidate; first response p50/p90 on the clock's calendar)`,
    '',
    table([header, ...rows]),
    '',
    `contact-attempt closures: ${r.before.contactClosures} -> ${r.after.contactClosures}`,
    `warnings: ${r.before.warnings} -> ${r.after.warnings}    breaches (all clocks): ${r.before.breaches} -> ${r.after.breaches}`,
    `commands the candidate refuses (case already closed): ${r.after.refusedCommands}`,
    '',
    `${r.flipsTotal} case${r.flipsTotal === 1 ? '' : 's'} flip${r.flipsTotal === 1 ? 's' : ''}${r.flipsTotal > r.flips.length ? ` (first ${r.flips.length} listed)` : ''}:`,
    ...(r.movesTotal === undefined
      ? []
      : [
          `${r.movesTotal} case${r.movesTotal === 1 ? '' : 's'} with a first-response due instant that moves (listed in the report's moves)`,
        ]),
    ...r.flips.map(
      (f) =>
        `  ${f.caseId} ${f.program} L${f.level} opened ${f.openedAt}: ${f.before.state}${f.before.closeReason ? `/${f.before.closeReason}` : ''} -> ${f.after.state}${f.after.closeReason ? `/${f.after.closeReason}` : ''}\n    ${f.after.explanation}`,
    ),
  ];
  return lines.join('\n');
}
