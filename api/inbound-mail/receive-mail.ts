/**
 * The one inbound mail path, shared by the SMTP listener and POST /v1/inbound-mail: parse -> verify (a
 * reply address with a valid HMAC token, a sender on the customer side of that case) -> apply (exactly the
 * `customerReply` update an API reply sends) -> record. Refusals are recorded, audited on the case when
 * the case is known, and answered to the sender. The update's request id is derived from the Message-ID,
 * so the same message delivered twice (or through both paths) is one reply.
 */
import { createHash } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { and, desc, eq, like } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { caseEvents, cases, inboundMessages } from '../../db/schema';
import { parseReplyAddress, type ReplyAddressConfig } from '../../activities/mail/reply-address';
import type { MailTransport } from '../../activities/mail/transport';
import { customerReplyUpdate, type Actor, type CaseStatus } from '../../contract/case';
import { answerSuppressed, bounce, closedCaseAnswer, refusalText, sendAnswer, type Answer, type RefusalReason } from './answers';
import { customerSideActor } from './customer-side';
import { parseInboundMessage, type Envelope, type InboundMessage } from './message';

export interface InboundMailDeps {
  db: Db;
  temporal: Client;
  reply: ReplyAddressConfig;
  /** Where bounces and closed-case answers go out; null = recorded as `skipped:no_smtp`. */
  transport: MailTransport | null;
  logger: Logger;
  /** Bounds the Temporal call (the API's deadline); default: none beyond the client's own. */
  withDeadline?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export type InboundOutcome =
  | { status: 'accepted'; caseId: string; caseNumber: number; requestId: string; caseStatus: CaseStatus }
  | { status: 'duplicate'; caseId: string; caseNumber: number; requestId: string }
  | { status: 'refused'; reason: RefusalReason; detail: string; caseId: string | null; caseNumber: number | null; answer: string };

export type Via = 'smtp' | 'http';

export async function receiveMail(deps: InboundMailDeps, raw: Buffer, via: Via, envelope: Envelope = {}): Promise<InboundOutcome> {
  const m = await parseInboundMessage(raw, envelope);
  return new Delivery(deps, m, via).run();
}

/** The update's request id: stable per message, bounded in length whatever the Message-ID looks like. */
export function mailRequestId(messageKey: string): string {
  return `email:${createHash('sha256').update(messageKey).digest('hex').slice(0, 32)}`;
}

type CaseRow = Pick<typeof cases.$inferSelect, 'id' | 'number' | 'orgId' | 'title' | 'status' | 'closeReason' | 'workflowId'>;

class Delivery {
  private readonly requestId: string;
  private recipient: string | null = null;
  private actor: Actor | null = null;

  constructor(
    private readonly deps: InboundMailDeps,
    private readonly m: InboundMessage,
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
    if (!caseId) {
      this.recipient = forged ?? m.recipients[0] ?? null;
      // A forged token may still name a real case: audit it there, but never act on it.
      return this.refuse(forged ? 'bad_token' : 'no_reply_address', await this.caseNamedBy(forged));
    }

    const row = await this.caseRow(caseId);
    if (!row) return this.refuse('unknown_case', null);

    // 2. The sender (From, and the envelope sender when it differs) must be on the customer side.
    if (!m.from) return this.refuse('no_sender', row);
    this.actor = await customerSideActor(db, row.orgId, m.from);
    if (!this.actor) return this.refuse('unknown_sender', row);
    if (m.envelopeSender && m.envelopeSender !== m.from && !(await customerSideActor(db, row.orgId, m.envelopeSender))) {
      return this.refuse('sender_mismatch', row);
    }

    // 3. Already applied? Then this delivery is a repeat (the workflow would also drop it by request id).
    const [done] = await db
      .select({ id: inboundMessages.id })
      .from(inboundMessages)
      .where(and(eq(inboundMessages.messageKey, m.messageKey), eq(inboundMessages.caseId, row.id), eq(inboundMessages.status, 'accepted')))
      .limit(1);
    if (done) return this.duplicate(row);

    if (row.status === 'closed') return this.refuse('case_closed', row);

    // 4. Apply: the same update as POST /v1/cases/:id/replies, idempotent by request id and update id.
    const input = {
      requestId: this.requestId,
      actor: this.actor,
      message: m.text,
      via: 'email' as const,
      messageId: m.messageId ?? m.messageKey,
      attachments: m.attachments,
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

  private async refuse(reason: RefusalReason, row: CaseRow | null, detail?: string): Promise<InboundOutcome> {
    const { db, logger } = this.deps;
    const m = this.m;
    const answer = await this.answer(reason, row, detail);
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
    logger.info({ reason, caseId: row?.id, messageKey: m.messageKey, sender: m.from, via: this.via, answer }, 'inbound mail refused');
    const text = reason === 'case_closed' && row ? `case #${row.number} is closed; open a new case with relatedCaseId ${row.id}` : '';
    return {
      status: 'refused',
      reason,
      detail: text || refusalText(reason, m, detail),
      caseId: row?.id ?? null,
      caseNumber: row?.number ?? null,
      answer,
    };
  }

  /** Sends the bounce (or the closed-case answer) once per message: a redelivery is not answered again. */
  private async answer(reason: RefusalReason, row: CaseRow | null, detail?: string): Promise<string> {
    const { db, transport, reply } = this.deps;
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
    const answer: Answer =
      reason === 'case_closed' && row
        ? closedCaseAnswer(this.m, { id: row.id, number: row.number, title: row.title, closeReason: row.closeReason })
        : bounce(this.m, reason, this.recipient, detail);
    return sendAnswer(transport!, this.m, answer);
  }

  private async caseNamedBy(address: string | null): Promise<CaseRow | null> {
    const match = address ? /\+(.+)\.[0-9a-f]+@/i.exec(address) : null;
    if (!match) return null;
    return this.caseRow(match[1]!.toLowerCase());
  }

  private async caseRow(id: string): Promise<CaseRow | null> {
    const [row] = await this.deps.db
      .select({
        id: cases.id,
        number: cases.number,
        orgId: cases.orgId,
        title: cases.title,
        status: cases.status,
        closeReason: cases.closeReason,
        workflowId: cases.workflowId,
      })
      .from(cases)
      .where(eq(cases.id, id));
    return row ?? null;
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

function domainOf(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address
    .slice(address.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
}
