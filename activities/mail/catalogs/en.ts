/** English: the reference catalog and the fallback. Every other catalog has exactly these keys and placeholders. */
export const en = {
  greeting: 'Hello {name},',
  signoff: 'Kind regards,',
  team: 'Your support team',
  replyHint: 'To answer, reply to this email and keep {ref} in the subject: your reply is added to the case.',
  'received.subject': 'Case {ref} received: {title}',
  'received.body': 'Thank you for contacting us. We have opened case {ref}, “{title}”.',
  'received.due':
    'Our first response is due by {dueWeekday, select, 1 {Monday} 2 {Tuesday} 3 {Wednesday} 4 {Thursday} 5 {Friday} 6 {Saturday} other {Sunday}}, {dueDate}: {target}.',
  'received.target':
    '{unit, select, minute {{amount, plural, one {# minute} other {# minutes}}} hour {{amount, plural, one {# hour} other {# hours}}} other {{amount, plural, one {# business day} other {# business days}}}} {clock, select, wall {around the clock} other {within your business hours}}',
  'received.noDue':
    '{kind, select, best_effort {Your support program is best effort: we answer as soon as we can, without a guaranteed response time.} other {This type of case has no response target: we answer as soon as we can.}}',
  'infoRequest.subject': 'Case {ref}: we need information from you',
  'infoRequest.body': 'To continue working on case {ref}, “{title}”, we need the following from you:',
  'infoRequest.schedule':
    'If we do not hear from you, we will contact you again on {of, plural, one {# business day} other {# separate business days}}; without an answer the case closes on {closesAt}.',
  'attempt.subject': 'Case {ref}: we are waiting for your answer (attempt {attempt} of {of})',
  'attempt.body': 'This is attempt {attempt} of {of} to reach you about case {ref}, “{title}”. We still need your answer to continue:',
  'attempt.remaining':
    '{remaining, plural, =0 {This is our last attempt.} one {We will try once more on the next business day.} other {We will try # more times, once per business day.}}',
  'attempt.closes': 'If we do not hear from you, the case will be closed on {closesAt}.',
  'resolved.subject': 'Case {ref} resolved: {title}',
  'resolved.body': 'We have proposed a resolution for case {ref}, “{title}”:',
  'resolved.confirm':
    'Please confirm that it solves your problem, or reply if it does not: a reply reopens the case. Without an answer the case closes on {autoCloseAt}.',
  'closed.subject': 'Case {ref} closed: {title}',
  'closed.body':
    '{reason, select, no_customer_response {We tried to reach you on {attempts, plural, one {# business day} other {# separate business days}} without an answer, so case {ref} is now closed.} confirmed {You confirmed the resolution, so case {ref} is now closed.} customer_request {Case {ref} is closed at your request.} resolution_timeout {We did not hear back after the proposed resolution, so case {ref} is now closed.} support {Our support team has closed case {ref}.} other {Case {ref} is now closed.}}',
  'closed.related':
    'Replies to this email are not added to a closed case. If the problem continues or comes back, open a new case in the support portal: the link below names {ref} as the related case, so we pick up where we left off.',
  'rca.subject': 'Case {ref}: root-cause analysis',
  'rca.body': 'The root-cause analysis for case {ref}, “{title}”, is ready:',
  'managerAck.subject': 'Case {ref}: your request to talk to a manager',
  'managerAck.body':
    'We have received your request to talk to a manager about case {ref}, “{title}”. A manager will contact you by {ackDueAt}.',
  'inboundClosed.subject': 'Case {ref} is closed: your message was not added',
  'inboundClosed.body': 'Case {ref}, “{title}”, is closed, so your message was not added to it.',
  'inboundRejected.subject': 'Case {ref}: your message was not added',
  'inboundRejected.body':
    'We could not add your message to case {ref}, “{title}”, at the moment. Please answer in the support portal or call us.',
  'inbound.automatic': 'This message was sent automatically.',
  'response.subject': 'Case {ref}: reply from our support team',
  'response.body':
    '{first, select, yes {Here is our first response on case {ref}, “{title}”:} other {Here is an update on case {ref}, “{title}”:}}',
  caseLink: 'View the case in the support portal',
  'closed.openRelated': 'Open a related case in the support portal',
  'explain.wall':
    'How we calculated this: {target}, from the moment you opened the case ({openedAt}); clock changes in {zone} add or remove no time.',
  'explain.business': 'How we calculated this: {target}, starting {startsAt}; only your coverage hours count ({hours}, {zone} time).',
  'explain.closedDays': 'These days are not counted (public holidays or closures): {days}.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;
