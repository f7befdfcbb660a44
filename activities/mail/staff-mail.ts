/**
 * Staff mail, in English: warnings, breaches, Severity 1 pages, hand-offs, manager requests, SAM notices,
 * RCA and customer replies. Instants in UTC and in the customer's zone, since staff work across regions.
 */
import type { CaseFacts } from './case-facts';
import type { ComposedMail } from './customer-mail';
import { render, type Block } from './layout';
import { formatInstant } from './translate';

const CLOCKS: Record<string, string> = {
  firstResponse: 'first response',
  sev1Update: 'Severity 1 customer update',
  managerAck: 'manager acknowledgement',
};

export function composeStaffMail(kind: string, payload: Record<string, unknown>, facts: CaseFacts, readerName: string): ComposedMail {
  const ref = `#${facts.number}`;
  const at = (iso: unknown) =>
    typeof iso === 'string' && iso ? `${iso.replace(/\.\d+Z$/, 'Z')} (${formatInstant(iso, 'en', facts.zone)} customer time)` : 'n/a';
  const clock = CLOCKS[String(payload.clock)] ?? String(payload.clock ?? '');
  const level = payload.level !== undefined ? `Severity ${String(payload.level)}` : '';
  const lines: Block[] = [];
  let subject: string;
  switch (kind) {
    case 'sla_warning':
      subject = `[Case ${ref}] SLA warning: ${clock} ${Math.round(Number(payload.threshold) * 100)}% elapsed`;
      lines.push({
        p: `The ${clock} clock of case ${ref} (${level}, ${facts.orgName}) has used ${Math.round(Number(payload.threshold) * 100)}% of its target. It is due ${at(payload.dueAt)}.`,
      });
      break;
    case 'sla_breach':
      subject = `[Case ${ref}] SLA breached: ${clock}`;
      lines.push({ p: `The ${clock} clock of case ${ref} (${level}, ${facts.orgName}) was due ${at(payload.dueAt)} and is now breached.` });
      break;
    case 'page':
      subject = `[Case ${ref}] Severity 1 page (${String(payload.region)}): ${facts.title}`;
      lines.push({
        p: `Case ${ref} from ${facts.orgName} is Severity 1 on a 24/7 program and is worked around the clock. You are on call for ${String(payload.region)}: take it now.`,
      });
      break;
    case 'handoff':
      subject = `[Case ${ref}] Follow-the-sun hand-off ${String(payload.from)} -> ${String(payload.to)}: ${facts.title}`;
      lines.push({
        p: `Case ${ref} (${level}, ${facts.orgName}) passes from ${String(payload.from)} to ${String(payload.to)}. Previous owner: ${String(payload.previousOwner ?? 'none')}. Take it by name to own it.`,
      });
      break;
    case 'page_escalation':
      subject = `[Case ${ref}] Unacknowledged Severity 1 page escalated to you (${String(payload.region)}): ${facts.title}`;
      lines.push({
        p: `Nobody acknowledged the ${String(payload.kind ?? 'page')} for case ${ref} (${facts.orgName}) within ${String(payload.unacknowledgedMinutes)} minutes of ${at(payload.pagedAt)}. It now comes to you: take the case and acknowledge the page (POST /v1/cases/{id}/page-acknowledgement).`,
      });
      break;
    case 'manager_escalation':
      subject = `[Case ${ref}] Manager request (level ${String(payload.level)}): ${facts.title}`;
      lines.push({
        p: `A talk-to-a-manager request on case ${ref} (${facts.orgName}) waits for a level ${String(payload.level)} manager. Acknowledge it by ${at(payload.ackDueAt)}, or it escalates.`,
      });
      break;
    case 'sam_severity1':
      subject = `[Case ${ref}] Severity 1 at your account ${facts.orgName}: ${facts.title}`;
      lines.push({ p: `Your Premier account ${facts.orgName} has a Severity 1 case, ${ref}, being worked around the clock.` });
      break;
    case 'rca_required':
      subject = `[Case ${ref}] Root-cause analysis required: ${facts.title}`;
      lines.push({
        p: `Case ${ref} (${facts.orgName}) was resolved at ${level || 'a critical level'}: its program includes a root-cause analysis. Deliver it to close the case for good.`,
      });
      break;
    case 'customer_reply':
      subject = `[Case ${ref}] Customer replied: ${facts.title}`;
      lines.push(
        { p: `The customer replied on case ${ref} (${facts.orgName}):` },
        { quote: typeof payload.message === 'string' ? payload.message : '(no message)' },
      );
      break;
    default:
      subject = `[Case ${ref}] ${kind.replace(/_/g, ' ')}: ${facts.title}`;
      lines.push({ p: `Notice ${kind} on case ${ref} (${facts.orgName}):` }, { quote: JSON.stringify(payload, null, 2) });
  }
  const blocks: Block[] = [
    { p: `Hello ${readerName},` },
    ...lines,
    { p: `Case ${ref}: ${facts.title}\nStatus: ${facts.view.status}, owner: ${facts.view.ownerId ?? 'none'}` },
    { p: 'Caseflow' },
  ];
  return { subject, ...render(blocks) };
}
