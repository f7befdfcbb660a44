/**
 * The one inbound mail path, shared by the SMTP listener and POST /v1/inbound-mail: parse -> verify (a
 * reply address with a valid HMAC token, a sender on the customer side of that case) -> classify (automatic
 * mail, a delivery report, a reply with nothing new) -> apply (exactly the `customerReply` update an API
 * reply sends) -> record. The update's request id is derived from the Message-ID, so the same message
 * delivered twice (or through both paths) is one reply.
 *
 * What changes nothing is recorded and changes nothing: automatic mail (automatic-mail.ts) and a quote-only
 * reply become an `ignored` row of inbound_messages with their classification, once per message and case; a
 * delivery report marks the delivery it reports on bounced (delivery-report.ts). A refusal is recorded; on
 * a case named by a valid token it is also audited there. A forged or unknown reply address writes nothing on
 * any case. Only a verified customer is ever answered by mail (answers.ts), at most a few times an hour.
 */
import { createHash } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { and, desc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Db } from '../../db/client';
import { caseEvents, cases, inboundMessages, notificationContacts, notificationDeliveries } from '../../db/schema';
import { parseReplyAddress, type ReplyAddressConfig } from '../../activities/mail/reply-address';
import type { MailTransport } from '../../activities/mail/transport';
import { identityOf, type AttachmentService } from '../attachments/attachments';
import { customerReplyUpdate, type Actor, type CaseStatus } from '../../contract/case';
import { answerSuppressed, customerAnswer, refusalText, sendAnswer, type RefusalReason } from './answers';
import type { AutomaticKind } from './automatic-mail';
import { customerSideActor } from './customer-side';
import { parseDeliveryReport, type DeliveryReport, type DsnRecipient } from './delivery-report';
import { parseInboundMessage, type Envelope, type InboundMessage } from './message';

export interface InboundMailDeps {
  db: Db;
  temporal: Client;
  reply: ReplyAddressConfig;
  /** Where answers to verified customers go out; null = recorded as `skipped:no_smtp`. */
  transport: MailTransport | null;
  logger: Logger;
  /** Bounds the Temporal call (the API's deadline); default: none beyond the client's own. */
  withDeadline?: <T>(fn: () => Promise<T>) => Promise<T>;
  /**
   * Counts the answers mailed per answered address and per case in an hour (api/shared-state
   * limitCounter, shared by every instance on PostgreSQL); default: one counter in this process.
   */
  answerCounter?: RateLimiterAbstract;
  /** Answers per hour to one address, and about one case (default 5 and 20). */
  answersPerHour?: { perAddress: number; perCase: number };
  /** Where attachments are stored (issue 18); unset: only their names, types and sizes are listed on the reply. */
  attachments?: AttachmentService;
}

/** What an ignored message was: automatic mail of some kind, or a reply with nothing new in it. */
export type Classification = AutomaticKind | 'empty_reply';

export type InboundOutcome =
  | { status: 'accepted'; caseId: string; caseNumber: number; requestId: string; caseStatus: CaseStatus }
  | { status: 'duplicate'; caseId: string; caseNumber: number; requestId: string }
  | { status: 'ignored'; classification: Classification; caseId: string | null; caseNumber: number | null; bounced?: number }
  | { status: 'refused'; reason: RefusalReason; detail: string; caseId: string | null; caseNumber: number | null; answer: string };

export type Via = 'smtp' | 'http';

export async function receiveMail(deps: InboundMailDeps, raw: Buffer, via: Via, envelope: Envelope = {}): Promise<InboundOutcome> {
  const m = await parseInboundMessage(raw, envelope);
  return new Delivery(deps, m, raw, via).run();
}

/** The update's request id: stable per message, bounded in length whatever the Message-ID looks like. */
export function mailRequestId(messageKey: string): string {
  return `email:${createHash('sha256').update(messageKey).digest('hex').slice(0, 32)}`;
}

type CaseRow = Pick<typeof cases.$inferSelect, 'id' | 'number' | 'orgId' | 'title' | 'status' | 'closeReason' | 'workflowId' | 'language'>;

/** The case row of a case id, or null. */
export async function caseRow(db: Db, id: string): Promise<CaseRow | null> {
  const [row] = await db
    .select({
      id: cases.id,
      number: cases.number,
      orgId: cases.orgId,
      title: cases.title,
      status: cases.status,
      closeReason: cases.closeReason,
      workflowId: cases.workflowId,
      language: cases.language,
    })
    .from(cases)
    .where(eq(cases.id, id));
  return row ?? null;
}

const defaultAnswerCounters = new WeakMap<Db, RateLimiterAbstract>();

class Delivery {
  private readonly requestId: string;
  private recipient: string | null = null;
  private actor: Actor | null = null;

  constructor(
    private readonly deps: InboundMailDeps,
    private readonly m: InboundMessage,
    private readonly raw: Buffer,
    private readonly via: Via,
  ) {
    this.requestId = mailRequestId(m.messageKey);
  }

  async run(): Promise<InboundOutcome> {
    const { db } = this.deps;
    const m = this.m;

    // 1. A recipient must be a reply address we minted for a case (envelope recipients first).
    let forged: string | null = null;
    let caseId: string | null = null;
    for (const address of m.recipients) {
      const parsed = parseReplyAddress(this.deps.reply, address);
      if (parsed.ok) {
        caseId = parsed.caseId;
        this.recipient = address;
        break;
      }
      if (parsed.reason === 'bad_token') forged ??= address;
    }

    // A delivery report is about a mail we sent: it may come to a case's reply address or to the bounce mailbox.
    if (m.automatic?.kind === 'delivery_report') {
      this.recipient ??= m.recipients[0] ?? null;
      return this.deliveryReport(caseId ? await caseRow(db, caseId) : null);
    }

    if (!caseId) {
      this.recipient = forged ?? m.recipients[0] ?? null;
      // A forged token names a case it has no right to: nothing is written on that case, or on any.
      return this.refuse(forged ? 'bad_token' : 'no_reply_address', null);
    }

    const row = await caseRow(db, caseId);
    if (!row) return this.refuse('unknown_case', null);

    // 2. The sender (From, and the envelope sender when it differs) must be on the customer side. A BATV tag
    //    or an SRS rewriting of the envelope sender is undone first (message.ts envelopeAddress).
    if (!m.from) return this.refuse('no_sender', row);
    this.actor = await customerSideActor(db, row.orgId, m.from);
    if (!this.actor) return this.refuse('unknown_sender', row);
    const envelope = m.envelopeAddress;
    if (envelope && envelope !== m.from && !(await customerSideActor(db, row.orgId, envelope))) {
      return this.refuse('sender_mismatch', row);
    }

    // 3. Already applied? Then this delivery is a repeat (the workflow would also drop it by request id).
    const [done] = await db
      .select({ id: inboundMessages.id })
      .from(inboundMessages)
      .where(and(eq(inboundMessages.messageKey, m.messageKey), eq(inboundMessages.caseId, row.id), eq(inboundMessages.status, 'accepted')))
      .limit(1);
    if (done) return this.duplicate(row);

    // 4. Automatic mail (an out-of-office, list or bulk mail, the null sender) is not the customer's answer.
    if (m.automatic) return this.ignore(row, m.automatic.kind, { why: m.automatic.why });

    if (row.status === 'closed') return this.refuse('case_closed', row);

    // 5. Nothing new written (the quote alone): not an answer either.
    if (m.quoteOnly && m.attachments.length === 0) return this.ignore(row, 'empty_reply', { why: 'only the quoted previous mail' });

    // 6. Store every attachment (ids derived from the message: a redelivery stores nothing twice), then
    // apply: the same update as POST /v1/cases/:id/replies, idempotent by request id and update id.
    const stored = await this.storeFiles(row);
    const input = {
      requestId: this.requestId,
      actor: this.actor,
      message: m.text,
      via: 'email' as const,
      messageId: m.messageId ?? m.messageKey,
      attachments: stored.attachments,
    };
    let caseStatus: CaseStatus;
    try {
      const handle = this.deps.temporal.workflow.getHandle(row.workflowId);
      const call = () =>
        handle.executeUpdate(customerReplyUpdate, { args: [input], updateId: `${customerReplyUpdate.name}-${this.requestId}` });
      const view = await (this.deps.withDeadline ? this.deps.withDeadline(call) : call());
      caseStatus = view.status;
    } catch (err) {
      // A finished workflow, or one that says the case is closed, takes no reply; anything else (the
      // cluster unreachable, a timeout) is temporary and propagates: SMTP answers 451, HTTP 503.
      if (err instanceof WorkflowNotFoundError) return this.refuse('case_closed', row);
      if (err instanceof WorkflowUpdateFailedError) {
        const why = err.cause instanceof Error ? err.cause.message : err.message;
        return this.refuse(/closed/i.test(why) ? 'case_closed' : 'rejected_by_case', row, why);
      }
      throw err;
    }

    await this.deps.attachments?.markLinked(stored.ids, this.requestId, 'customer_reply');
    const inserted = await db
      .insert(inboundMessages)
      .values({ ...this.base(), caseId: row.id, status: 'accepted', principalId: this.actor.id, requestId: this.requestId, answer: 'none' })
      .onConflictDoNothing()
      .returning({ id: inboundMessages.id });
    if (inserted.length === 0) return this.duplicate(row); // the other delivery of this message won the race
    this.deps.logger.info(
      { caseId: row.id, messageKey: m.messageKey, via: this.via, sender: m.from },
      'inbound mail applied as a customer reply',
    );
    return { status: 'accepted', caseId: row.id, caseNumber: row.number, requestId: this.requestId, caseStatus };
  }

  /** The reply's attachments, each stored when a store is configured (an empty file is listed, not stored). */
  private async storeFiles(row: CaseRow): Promise<{ attachments: InboundMessage['attachments']; ids: string[] }> {
    const store = this.deps.attachments;
    if (!store) return { attachments: this.m.attachments, ids: [] };
    const ids: string[] = [];
    const attachments = [];
    for (const [index, file] of this.m.files.entries()) {
      const kept = await store.storeMailAttachment(
        { caseId: row.id, orgId: row.orgId, principalId: this.actor!.id, messageKey: this.m.messageKey, index },
        file,
      );
      if (kept) ids.push(kept.id);
      attachments.push(kept ? identityOf(kept) : this.m.attachments[index]!);
    }
    return { attachments, ids };
  }

  /** Recorded once per message and case; nothing about the case changes and nobody is answered. */
  private async ignore(row: CaseRow | null, classification: Classification, detail: Record<string, unknown>): Promise<InboundOutcome> {
    await this.deps.db
      .insert(inboundMessages)
      .values({
        ...this.base(),
        caseId: row?.id ?? null,
        status: 'ignored',
        classification,
        detail,
        principalId: this.actor?.id,
        answer: 'none',
      })
      .onConflictDoNothing();
    this.deps.logger.info(
      { caseId: row?.id, messageKey: this.m.messageKey, via: this.via, classification },
      'inbound mail recorded, not applied',
    );
    const bounced = typeof detail.bounced === 'number' ? detail.bounced : undefined;
    return { status: 'ignored', classification, caseId: row?.id ?? null, caseNumber: row?.number ?? null, bounced };
  }

  /**
   * A delivery report: each failed recipient it names marks our delivery of that message to that address
   * bounced (status code, diagnostic) and flags the notification contact with that address. The report must
   * name a Message-ID we sent and the address it went to (and, at a case's reply address, that case's mail);
   * anything else is recorded as unmatched and changes nothing.
   */
  private async deliveryReport(row: CaseRow | null): Promise<InboundOutcome> {
    const { db } = this.deps;
    const report: DeliveryReport = parseDeliveryReport(this.raw) ?? { recipients: [], messageIds: [] };
    const candidates =
      report.messageIds.length === 0
        ? []
        : await db
            .select({
              id: notificationDeliveries.id,
              caseId: notificationDeliveries.caseId,
              address: notificationDeliveries.address,
              messageId: notificationDeliveries.messageId,
            })
            .from(notificationDeliveries)
            .where(and(inArray(notificationDeliveries.messageId, report.messageIds), eq(notificationDeliveries.channel, 'email')));
    const matched: { deliveryId: number; address: string; status: string; action: string; bounced: boolean }[] = [];
    let reportCase = row;
    for (const r of report.recipients) {
      const names = [r.finalRecipient, r.originalRecipient].filter((a): a is string => a !== null);
      const d = candidates.find((c) => names.includes(c.address.toLowerCase()) && (!row || c.caseId === row.id));
      if (!d) continue;
      matched.push({ deliveryId: d.id, address: d.address, status: r.status, action: r.action, bounced: permanentFailure(r) });
      if (!reportCase && d.caseId) reportCase = await caseRow(db, d.caseId);
      if (permanentFailure(r)) await this.markBounced(d.id, d.address, reportCase?.orgId ?? null, r);
    }
    const bounced = matched.filter((x) => x.bounced).length;
    return this.ignore(matched.length > 0 ? reportCase : null, 'delivery_report', {
      why: this.m.automatic?.why ?? '',
      matched,
      bounced,
      reported: report.recipients.map((r) => ({
        recipient: r.finalRecipient,
        action: r.action,
        status: r.status,
        diagnostic: r.diagnostic,
      })),
    });
  }

  private async markBounced(deliveryId: number, address: string, orgId: string | null, r: DsnRecipient): Promise<void> {
    const { db } = this.deps;
    const now = new Date();
    await db
      .update(notificationDeliveries)
      .set({
        status: 'bounced',
        bounceStatus: r.status,
        bounceDiagnostic: r.diagnostic,
        bouncedAt: now,
        response: `DSN ${r.action} ${r.status}${r.diagnostic ? `: ${r.diagnostic}` : ''}`.slice(0, 1000),
        updatedAt: now,
      })
      .where(eq(notificationDeliveries.id, deliveryId));
    if (orgId) {
      await db
        .update(notificationContacts)
        .set({ bouncedAt: now, bounceStatus: r.status, updatedAt: now })
        .where(and(eq(notificationContacts.orgId, orgId), sql`lower(${notificationContacts.email}) = ${address.toLowerCase()}`));
    }
    this.deps.logger.info({ deliveryId, status: r.status }, 'delivery report: delivery marked bounced');
  }

  private async duplicate(row: CaseRow): Promise<InboundOutcome> {
    await this.deps.db.insert(inboundMessages).values({
      ...this.base(),
      caseId: row.id,
      status: 'duplicate',
      principalId: this.actor?.id,
      requestId: this.requestId,
      answer: 'none',
    });
    return { status: 'duplicate', caseId: row.id, caseNumber: row.number, requestId: this.requestId };
  }

  /** `row` is the case a valid token named (null: none did, or it does not exist): only then is the refusal on a case. */
  private async refuse(reason: RefusalReason, row: CaseRow | null, detail?: string): Promise<InboundOutcome> {
    const { db, logger } = this.deps;
    const m = this.m;
    const answer = row ? await this.answer(reason, row) : 'none';
    await db.insert(inboundMessages).values({
      ...this.base(),
      caseId: row?.id ?? null,
      status: 'refused',
      reason,
      principalId: this.actor?.id,
      answer,
    });
    if (row) {
      // The audit trail of the case: keyed by message, so a redelivery adds no second event. Written here,
      // not by the workflow, because nothing about the case changes (and a closed case's workflow is gone).
      await db
        .insert(caseEvents)
        .values({
          caseId: row.id,
          eventKey: `inbound_mail_refused:${this.requestId}`,
          type: 'inbound_mail_refused',
          actorId: 'system',
          data: {
            reason,
            sender: m.from,
            envelopeSender: m.envelopeSender,
            subject: m.subject,
            messageId: m.messageId,
            via: this.via,
            answer,
          },
          occurredAt: new Date(),
        })
        .onConflictDoNothing({ target: [caseEvents.caseId, caseEvents.eventKey] });
    }
    logger.info({ reason, caseId: row?.id, messageKey: m.messageKey, via: this.via, answer }, 'inbound mail refused');
    const text = reason === 'case_closed' && row ? `case #${row.number} is closed; open a new case with relatedCaseId ${row.id}` : '';
    return {
      status: 'refused',
      reason,
      detail: text || refusalText(reason, detail),
      caseId: row?.id ?? null,
      caseNumber: row?.number ?? null,
      answer,
    };
  }

  /**
   * Mails a verified customer why the case did not take the message, in the case's language: once per
   * message, and at most a few times an hour per address and per case. Nobody else is ever answered.
   */
  private async answer(reason: RefusalReason, row: CaseRow): Promise<string> {
    const { db, transport, reply } = this.deps;
    if ((reason !== 'case_closed' && reason !== 'rejected_by_case') || !this.actor) return 'none';
    const ourDomains = [reply.domain.toLowerCase(), ...(transport ? [domainOf(transport.from)] : [])];
    const suppressed = answerSuppressed(this.m, ourDomains, transport);
    if (suppressed) return `skipped:${suppressed}`;
    const [earlier] = await db
      .select({ id: inboundMessages.id })
      .from(inboundMessages)
      .where(
        and(
          eq(inboundMessages.messageKey, this.m.messageKey),
          eq(inboundMessages.status, 'refused'),
          like(inboundMessages.answer, 'sent%'),
        ),
      )
      .orderBy(desc(inboundMessages.id))
      .limit(1);
    if (earlier) return 'skipped:already_answered';
    if (await this.overAnswerLimit(this.m.answerTo!, row.id)) return 'skipped:rate_limited';
    return sendAnswer(transport!, this.m, customerAnswer(this.m, reason, row));
  }

  private async overAnswerLimit(address: string, caseId: string): Promise<boolean> {
    const { db } = this.deps;
    let counter = this.deps.answerCounter ?? defaultAnswerCounters.get(db);
    if (!counter) {
      counter = new RateLimiterMemory({ keyPrefix: 'inbound-answers', points: Number.MAX_SAFE_INTEGER, duration: 3600 });
      defaultAnswerCounters.set(db, counter);
    }
    const limits = this.deps.answersPerHour ?? { perAddress: 5, perCase: 20 };
    const [toAddress, aboutCase] = await Promise.all([
      counter.consume(`answer-to:${address.toLowerCase()}`, 1),
      counter.consume(`answer-case:${caseId}`, 1),
    ]);
    return toAddress.consumedPoints > limits.perAddress || aboutCase.consumedPoints > limits.perCase;
  }

  private base() {
    const m = this.m;
    return {
      messageKey: m.messageKey,
      via: this.via,
      sender: m.from,
      envelopeSender: m.envelopeSender,
      recipient: this.recipient,
      subject: m.subject.slice(0, 1000),
      attachments: m.attachments,
      sizeBytes: m.sizeBytes,
    };
  }
}

/** Failed with a permanent status (5.x.x): a delayed (4.x.x) or delivered report marks nothing. */
function permanentFailure(r: DsnRecipient): boolean {
  return r.action === 'failed' && r.status.startsWith('5');
}

function domainOf(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address
    .slice(address.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
}
