/**
 * POST /v1/inbound-mail: a raw RFC 822 message, as hosted inbound-mail services deliver it (and as an MTA
 * pipe can). The same path as the SMTP listener: a verified reply becomes the case's customerReply update;
 * automatic mail and delivery reports are recorded without changing the case; a refusal is recorded and named in the 4xx problem.
 */
import type { Role } from '../../contract/case';
import { receiveMail } from '../inbound-mail/receive-mail';
import { Problem } from '../problem';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { z } from '../zod';

/** A dedicated gateway role (a token that can do nothing else), or an administrator. */
const GATEWAYS: Role[] = ['mail_gateway', 'admin'];

const EnvelopeQuery = z.strictObject({
  sender: z
    .string()
    .max(320)
    .optional()
    .openapi({ description: "envelope sender (MAIL FROM) if the service reports it; '' or <> = null sender" }),
  recipient: z.email().max(320).optional().openapi({ description: 'envelope recipient (RCPT TO) if the service reports it' }),
});

const InboundMailResult = z
  .object({
    status: z.enum(['accepted', 'duplicate', 'ignored']).openapi({
      description:
        'duplicate: this message was already applied; ignored: automatic mail, a delivery report or a reply with nothing new, recorded (see classification) without changing the case',
    }),
    classification: z
      .enum(['auto_reply', 'list', 'bulk', 'null_sender', 'delivery_report', 'empty_reply'])
      .optional()
      .openapi({ description: 'why an ignored message changed nothing (ignored only)' }),
    caseId: z.string().nullable().openapi({ description: 'null: an ignored delivery report that matched none of our mail' }),
    caseNumber: z.number().int().nullable(),
    requestId: z.string().optional().openapi({ description: 'request id of the customerReply update, derived from the Message-ID' }),
    caseStatus: z.string().optional().openapi({ description: 'the case status after the reply (accepted only)' }),
  })
  .openapi('InboundMailResult');

export function registerInboundMailRoutes(svc: Services): void {
  defineRoute(
    svc.api,
    {
      method: 'post',
      path: '/inbound-mail',
      tag: 'Inbound mail',
      summary: 'Deliver an email reply to a case',
      description: [
        'The body is the raw message (`Content-Type: message/rfc822`). A recipient must be the reply address of a case',
        '(`case+<caseId>.<token>@<MAIL_REPLY_DOMAIN>`, token checked) and the sender a case or license administrator of the',
        "case's organisation or a support partner linked to it. The text (quoted history and signature trimmed) and the list",
        'of attachments become a customer reply, exactly as POST /v1/cases/{id}/replies. The same Message-ID twice is one reply.',
        'Automatic mail (RFC 3834 auto-replies, list and bulk mail, the null sender) and a reply that only quotes the previous',
        'mail change nothing: 200 `ignored` with the classification. A delivery status notification (RFC 3464) marks the',
        'delivery it reports on bounced. Refused mail is recorded and never answered by mail, except to a verified customer:',
        '422 `mail-refused` names the reason (`errors[0].reason`); a closed case is 409 `case-closed`, and the customer is told,',
        "in the case's language, how to open a related case.",
      ].join(' '),
      roles: GATEWAYS,
      query: EnvelopeQuery,
      rawBody: { contentType: 'message/rfc822', description: 'the message exactly as received, headers and body' },
      response: { status: 200, description: 'Applied to the case (or already applied)', schema: InboundMailResult },
      problems: [409, 413, 415, 422],
    },
    async ({ req, query }) => {
      const envelope = {
        mailFrom: query.sender === undefined ? undefined : query.sender.replace(/^<|>$/g, ''),
        rcptTo: query.recipient ? [query.recipient] : undefined,
      };
      const outcome = await receiveMail(svc.inboundMail, req.body as Buffer, 'http', envelope);
      if (outcome.status === 'refused') {
        const answered = `answer to the sender: ${outcome.answer}`;
        if (outcome.reason === 'case_closed') throw new Problem(409, 'case-closed', `${outcome.detail} (${answered})`);
        throw new Problem(422, 'mail-refused', `${outcome.reason}: ${outcome.detail} (${answered})`, [
          { field: 'message', in: 'body', reason: outcome.reason },
        ]);
      }
      if (outcome.status === 'ignored') {
        const { status, classification, caseId, caseNumber } = outcome;
        return { body: { status, classification, caseId, caseNumber } };
      }
      return { body: outcome };
    },
  );
}
