/**
 * POST /v1/inbound-mail: a raw RFC 822 message, as hosted inbound-mail services deliver it (and as an MTA
 * pipe can). The same path as the SMTP listener: a verified reply becomes the case's customerReply update;
 * a refusal is recorded, answered to the sender, and named in the 4xx problem.
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
    status: z.enum(['accepted', 'duplicate']).openapi({ description: 'duplicate: this message was already applied; nothing changed' }),
    caseId: z.string(),
    caseNumber: z.number().int(),
    requestId: z.string().openapi({ description: 'request id of the customerReply update, derived from the Message-ID' }),
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
        'Refused mail is recorded and answered to the sender: 422 `mail-refused` names the reason (`errors[0].reason`); a closed',
        'case is 409 `case-closed`, and the sender is told how to open a related case.',
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
      return { body: outcome };
    },
  );
}
