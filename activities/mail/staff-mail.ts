/**
 * Staff mail, in English: one composer per staff notice kind (contract/notices.ts), so a kind without its
 * text fails to compile. Each names the case, links to it in the console (the configured public URL) and
 * writes instants as the reader reads them: in the reader's zone when known, with the customer's local time
 * beside it, since staff work across regions.
 */
import type { StaffNoticeKind } from '../../contract/notices';
import type { CaseFacts } from './case-facts';
import type { ComposedMail } from './customer-mail';
import { render, type Block } from './layout';
import { formatInstant } from './translate';

const CLOCKS: Record<string, string> = {
  firstResponse: 'first response',
  sev1Update: 'Severity 1 customer update',
  managerAck: 'manager acknowledgement',
};

export interface StaffReader {
  name: string;
  /** The reader's IANA zone; null = UTC. */
  zone: string | null;
}

interface Ctx {
  ref: string;
  facts: CaseFacts;
  payload: Record<string, unknown>;
  at: (iso: unknown) => string;
  clock: string;
  level: string;
  /** The console's public URL (links). */
  consoleUrl: string;
}

type Composer = (c: Ctx) => { subject: string; lines: Block[] };

const text = (v: unknown, fallback = ''): string => (typeof v === 'string' && v ? v : fallback);

const bytes = (n: number): string =>
  n >= 1024 ** 3
    ? `${(n / 1024 ** 3).toFixed(1)} GB`
    : n >= 1024 ** 2
      ? `${(n / 1024 ** 2).toFixed(1)} MB`
      : n >= 1024
        ? `${Math.round(n / 1024)} KB`
        : `${n} bytes`;

/** The files that came with a reply, each named with a link to it on the case page (downloads need sign-in). */
function attachmentLines(value: unknown, caseLink: string): Block[] {
  const files = (Array.isArray(value) ? value : []) as { id?: string; name?: string; size?: number; contentType?: string }[];
  if (files.length === 0) return [];
  return [
    { p: `${files.length === 1 ? 'One file' : `${files.length} files`} attached:` },
    ...files.map((f): Block =>
      f.id
        ? {
            link: {
              href: `${caseLink}?attachment=${encodeURIComponent(f.id)}`,
              text: `${text(f.name, 'attachment')} (${bytes(Number(f.size ?? 0))}, ${text(f.contentType, 'file')})`,
            },
          }
        : { p: `${text(f.name, 'attachment')} (${bytes(Number(f.size ?? 0))}; not kept)` },
    ),
  ];
}

const COMPOSERS: { readonly [K in StaffNoticeKind]: Composer } = {
  sla_warning: ({ ref, facts, payload, at, clock, level }) => ({
    subject: `[Case ${ref}] SLA warning: ${clock} ${Math.round(Number(payload.threshold) * 100)}% elapsed`,
    lines: [
      {
        p: `The ${clock} clock of case ${ref} (${level}, ${facts.orgName}) has used ${Math.round(Number(payload.threshold) * 100)}% of its target. It is due ${at(payload.dueAt)}.`,
      },
    ],
  }),
  policy_migrated: ({ ref, facts, payload, at, level }) => {
    const clocks = Array.isArray(payload.clocks) ? (payload.clocks as Array<Record<string, unknown>>) : [];
    return {
      subject: `[Case ${ref}] Moved to policy ${text(payload.to)}: a due time is earlier`,
      lines: [
        { p: `Case ${ref} (${level}, ${facts.orgName}) now follows policy version ${text(payload.to)} instead of ${text(payload.from)}.` },
        ...clocks.map((c) => ({
          p: c.breachesAtOnce
            ? `The ${CLOCKS[text(c.clock)] ?? text(c.clock)} clock had already used more coverage time than the new target (${text(c.newTarget)}) allows, so it is breached as of the migration.`
            : `The ${CLOCKS[text(c.clock)] ?? text(c.clock)} clock is now due ${at(c.newDueAt)} (was ${at(c.oldDueAt)}; target ${text(c.newTarget)}).`,
        })),
      ],
    };
  },
  sla_breach: ({ ref, facts, payload, at, clock, level }) => ({
    subject: `[Case ${ref}] SLA breached: ${clock}`,
    lines: [{ p: `The ${clock} clock of case ${ref} (${level}, ${facts.orgName}) was due ${at(payload.dueAt)} and is now breached.` }],
  }),
  page: ({ ref, facts, payload }) => ({
    subject: `[Case ${ref}] Severity 1 page (${String(payload.region)}): ${facts.title}`,
    lines: [
      {
        p: `Case ${ref} from ${facts.orgName} is Severity 1 on a 24/7 program and is worked around the clock. You are on call for ${String(payload.region)}: take it now and acknowledge the page on the case page.`,
      },
    ],
  }),
  handoff: ({ ref, facts, payload, level }) => ({
    subject: `[Case ${ref}] Follow-the-sun hand-off ${String(payload.from)} -> ${String(payload.to)}: ${facts.title}`,
    lines: [
      {
        p: `Case ${ref} (${level}, ${facts.orgName}) passes from ${String(payload.from)} to ${String(payload.to)}. Previous owner: ${String(payload.previousOwner ?? 'none')}. Take it by name to own it.`,
      },
    ],
  }),
  page_escalation: ({ ref, facts, payload, at }) => ({
    subject: `[Case ${ref}] Unacknowledged Severity 1 page escalated to you (${String(payload.region)}): ${facts.title}`,
    lines: [
      {
        p: `Nobody acknowledged the ${String(payload.kind ?? 'page')} for case ${ref} (${facts.orgName}) within ${String(payload.unacknowledgedMinutes)} minutes of ${at(payload.pagedAt)}. It now comes to you: take the case and acknowledge the page on the case page (link below).`,
      },
    ],
  }),
  manager_escalation: ({ ref, facts, payload, at }) => ({
    subject: `[Case ${ref}] Manager request (level ${String(payload.level)}): ${facts.title}`,
    lines: [
      {
        p: `A talk-to-a-manager request on case ${ref} (${facts.orgName}) waits for a level ${String(payload.level)} manager. Acknowledge it by ${at(payload.ackDueAt)}, or it escalates.`,
      },
    ],
  }),
  sam_severity1: ({ ref, facts }) => ({
    subject: `[Case ${ref}] Severity 1 at your account ${facts.orgName}: ${facts.title}`,
    lines: [{ p: `Your Premier account ${facts.orgName} has a Severity 1 case, ${ref}, being worked around the clock.` }],
  }),
  rca_required: ({ ref, facts, level }) => ({
    subject: `[Case ${ref}] Root-cause analysis required: ${facts.title}`,
    lines: [
      {
        p: `Case ${ref} (${facts.orgName}) was resolved at ${level || 'a critical level'}: its program includes a root-cause analysis. Deliver it to close the case for good.`,
      },
    ],
  }),
  customer_reply: ({ ref, facts, payload, consoleUrl }) => ({
    subject: `[Case ${ref}] Customer replied${payload.reopened ? ' (case reopened)' : ''}: ${facts.title}`,
    lines: [
      {
        p: payload.reopened
          ? `The customer replied on resolved case ${ref} (${facts.orgName}), which reopens it:`
          : `The customer replied on case ${ref} (${facts.orgName}):`,
      },
      { quote: text(payload.message, '(no message)') },
      ...attachmentLines(payload.attachments, `${consoleUrl}/cases/${facts.number}`),
    ],
  }),
  resolution_rejected: ({ ref, facts, payload }) => ({
    subject: `[Case ${ref}] Resolution rejected, case reopened: ${facts.title}`,
    lines: [
      { p: `The customer rejected the proposed resolution of case ${ref} (${facts.orgName}); the case is open again.` },
      { quote: text(payload.comment, '(no comment)') },
    ],
  }),
  case_assigned: ({ ref, facts, payload, level }) => {
    const by = (payload.by ?? {}) as { id?: string };
    return {
      subject: `[Case ${ref}] Assigned to you: ${facts.title}`,
      lines: [
        {
          p: `${text(by.id, 'Someone')} assigned case ${ref} (${level}, ${facts.orgName}) to you${payload.from ? `; it was owned by ${String(payload.from)}` : ''}.`,
        },
      ],
    };
  },
};

export function composeStaffMail(
  kind: string,
  payload: Record<string, unknown>,
  facts: CaseFacts,
  reader: StaffReader,
  consoleUrl: string,
): ComposedMail {
  const ref = `#${facts.number}`;
  const zone = reader.zone ?? 'UTC';
  const at = (iso: unknown) =>
    typeof iso === 'string' && iso ? `${formatInstant(iso, 'en', zone)} (customer time: ${formatInstant(iso, 'en', facts.zone)})` : 'n/a';
  const clock = CLOCKS[String(payload.clock)] ?? String(payload.clock ?? '');
  const level = payload.level !== undefined ? `Severity ${String(payload.level)}` : '';
  const composer = COMPOSERS[kind as StaffNoticeKind] as Composer | undefined;
  // A row of a kind this build has no text for (written by a newer worker): plain facts, never dropped.
  const { subject, lines } = composer
    ? composer({ ref, facts, payload, at, clock, level, consoleUrl })
    : {
        subject: `[Case ${ref}] ${kind.replace(/_/g, ' ')}: ${facts.title}`,
        lines: [{ p: `Notice ${kind} on case ${ref} (${facts.orgName}).` }],
      };
  const blocks: Block[] = [
    { p: `Hello ${reader.name},` },
    ...lines,
    { p: `Case ${ref}: ${facts.title}\nStatus: ${facts.view.status}, owner: ${facts.view.ownerId ?? 'none'}` },
    { link: { href: `${consoleUrl}/cases/${facts.number}`, text: `Open case ${ref} in the console` } },
    { p: 'Caseflow' },
  ];
  return { subject, ...render(blocks, { lang: 'en', title: subject }) };
}
