/**
 * The system of record: what people search, list and report on, and the audit trail.
 * Case lifecycle tables (cases, case_events, sla_clocks, contact_attempts, notifications) are written only
 * by workflow activities, idempotently: every row has a natural key, so a retried activity writes nothing new.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

export const organisations = pgTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  supportId: text('support_id').notNull().unique(),
  entitlement: text('entitlement').notNull(), // policy EntitlementId
  marketRegion: text('market_region').notNull(), // US | CA | EMEA | APAC | LATAM
  country: text('country').notNull(), // ISO 3166-1 alpha-2, for public holidays
  subdivision: text('subdivision'), // state / region code for regional holidays
  timeZone: text('time_zone').notNull(), // IANA
  language: text('language').notNull(),
  businessHours: jsonb('business_hours'), // WeeklyWindow[] overriding Mon-Fri 08:00-17:00
  closedDates: jsonb('closed_dates')
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const principals = pgTable(
  'principals',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').references(() => organisations.id), // null for vendor staff
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    role: text('role').notNull(), // contract Role
    homeRegion: text('home_region'), // engineers: APAC | EMEA | AMERICAS
    managerLevel: integer('manager_level'), // managers: 1 = duty manager, 2.. = escalation levels
    /** IANA zone staff mail writes times in (null: UTC). */
    timeZone: text('time_zone'),
    /** Customers and partners: the number staff call them on (E.164, e.g. +49 89 1234567). */
    phone: text('phone'),
    disabledAt: ts('disabled_at'),
    createdAt: createdAt(),
  },
  (t) => [index('principals_org_idx').on(t.orgId)],
);

/** Support partners act on behalf of the customer organisations they are linked to. */
export const partnerLinks = pgTable(
  'partner_links',
  {
    partnerId: text('partner_id')
      .notNull()
      .references(() => principals.id),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.orgId] })],
);

/** Bearer tokens, stored as SHA-256 hashes only. */
export const apiTokens = pgTable('api_tokens', {
  id: text('id').primaryKey(),
  principalId: text('principal_id')
    .notNull()
    .references(() => principals.id),
  tokenHash: text('token_hash').notNull().unique(),
  label: text('label'),
  createdAt: createdAt(),
  revokedAt: ts('revoked_at'),
  lastUsedAt: ts('last_used_at'),
});

export const products = pgTable('products', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const productVersions = pgTable(
  'product_versions',
  {
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    version: text('version').notNull(),
    lifecycle: text('lifecycle').notNull(), // current | limited | discontinued
    latestBuild: text('latest_build').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.version] })],
);

/** Read model of each case: the workflow's newest snapshot plus searchable columns. */
export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    number: bigserial('number', { mode: 'number' }).notNull().unique(), // human case number, used on the phone
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    openedBy: text('opened_by').notNull(),
    type: text('type').notNull(),
    entitlement: text('entitlement').notNull(),
    level: integer('level').notNull(),
    productId: text('product_id'),
    productVersion: text('product_version'),
    build: text('build'),
    title: text('title').notNull(),
    description: text('description').notNull(),
    language: text('language').notNull(),
    relatedCaseId: text('related_case_id'),
    status: text('status').notNull(),
    closeReason: text('close_reason'),
    ownerId: text('owner_id'),
    slaState: text('sla_state').notNull(),
    firstResponseDueAt: ts('first_response_due_at'),
    /** The earliest due instant of a running clock not yet breached (the view's nextDueAt). */
    nextDueAt: ts('next_due_at'),
    /** Which clock next_due_at belongs to (firstResponse, sev1Update, managerAck, ...); null without one. */
    nextDueClock: text('next_due_clock'),
    /**
     * The earliest breached due instant among clocks still not met (breached and neither stopped nor
     * retired): how long the case has been overdue. Null when nothing is overdue. The queue sorts by it first.
     */
    overdueSince: ts('overdue_since'),
    openedAt: ts('opened_at').notNull(),
    firstResponseAt: ts('first_response_at'),
    closedAt: ts('closed_at'),
    policyVersion: text('policy_version').notNull(),
    workflowId: text('workflow_id').notNull().unique(),
    snapshot: jsonb('snapshot').notNull(), // CaseView
    snapshotVersion: integer('snapshot_version').notNull(), // only newer snapshots overwrite
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('cases_org_status_idx').on(t.orgId, t.status),
    index('cases_opened_idx').on(t.openedAt, t.id),
    index('cases_sla_idx').on(t.slaState),
    // The engineers' queue: open cases by next due instant (console, GET /v1/queue).
    index('cases_open_due_idx')
      .on(t.nextDueAt, t.id)
      .where(sql`${t.status} <> 'closed'`),
    // Urgency first (GET /v1/queue): overdue cases, most overdue first, then by next due instant.
    index('cases_open_urgency_idx')
      .on(t.overdueSince, t.nextDueAt, t.id)
      .where(sql`${t.status} <> 'closed'`),
  ],
);

/** Append-only audit trail. event_key makes every write idempotent. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: text('case_id').notNull(),
    eventKey: text('event_key').notNull(),
    type: text('type').notNull(),
    actorId: text('actor_id').notNull(),
    data: jsonb('data').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('case_events_key_idx').on(t.caseId, t.eventKey), index('case_events_case_idx').on(t.caseId, t.id)],
);

export const slaClocks = pgTable(
  'sla_clocks',
  {
    caseId: text('case_id').notNull(),
    clock: text('clock').notNull(), // firstResponse, sev1Update, managerAck, ...
    state: text('state').notNull(),
    target: text('target'),
    level: integer('level'), // the case's level at the latest write
    /**
     * The case's level when this clock stopped (met, breached, closed, retired), kept through later severity
     * changes: the SLA report attributes a first response to the level its clock ended at. Null while it runs.
     */
    stoppedLevel: integer('stopped_level'),
    entitlement: text('entitlement'),
    startedAt: ts('started_at'),
    dueAt: ts('due_at'),
    stoppedAt: ts('stopped_at'),
    breachedAt: ts('breached_at'),
    latenessMs: bigint('lateness_ms', { mode: 'number' }),
    /** Clock start -> the instant it measures (first response: the response); null when it has none (closed unanswered). */
    elapsedMs: bigint('elapsed_ms', { mode: 'number' }),
    explanation: text('explanation'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.clock] }), index('sla_clocks_report_idx').on(t.clock, t.startedAt)],
);

export const contactAttempts = pgTable(
  'contact_attempts',
  {
    caseId: text('case_id').notNull(),
    round: integer('round').notNull(),
    attempt: integer('attempt').notNull(),
    businessDate: text('business_date').notNull(),
    scheduledAt: ts('scheduled_at').notNull(),
    madeAt: ts('made_at'),
    status: text('status').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.round, t.attempt] })],
);

/** Outbox: one row per notification, keyed so a retried activity never queues it twice. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    caseId: text('case_id'),
    kind: text('kind').notNull(), // sla_warning, sla_breach, page, contact_attempt, manager_escalation, ...
    recipient: text('recipient').notNull(),
    channel: text('channel').notNull(), // email | webhook | page
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    deliveredAt: ts('delivered_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('notifications_pending_idx').on(t.deliveredAt, t.id)],
);

/** Idempotency-Key records for POST requests (scoped by principal). */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    principalId: text('principal_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    resourceId: text('resource_id').notNull(),
    completed: boolean('completed').notNull().default(false),
    response: jsonb('response'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.principalId, t.key] })],
);

/** Phone calls routed for an existing case: which queue and language, and whom we tried to reconnect with. */
export const phoneSessions = pgTable(
  'phone_sessions',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    principalId: text('principal_id').notNull(),
    queue: text('queue').notNull(),
    language: text('language').notNull(),
    preferredEngineerId: text('preferred_engineer_id'),
    createdAt: createdAt(),
  },
  (t) => [index('phone_sessions_case_idx').on(t.caseId)],
);

/**
 * Read-model writes that failed for a reason no retry can fix (db/errors.ts isPermanentDataError). The
 * workflow's step is kept here whole, so nothing is lost, and the case goes on: `sanitized` = written
 * again with unstorable text replaced, `skipped` = not written at all. Operators list them through
 * GET /v1/admin/quarantined-writes. batch_hash makes a retried activity record one row.
 */
export const quarantinedWrites = pgTable(
  'quarantined_writes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: text('case_id').notNull(),
    batchHash: text('batch_hash').notNull(),
    snapshotVersion: integer('snapshot_version').notNull(),
    action: text('action').notNull(), // sanitized | skipped
    sqlState: text('sql_state'),
    reason: text('reason').notNull(),
    batch: text('batch').notNull(), // the step as JSON text, unstorable characters escaped
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('quarantined_writes_batch_idx').on(t.caseId, t.batchHash), index('quarantined_writes_created_idx').on(t.createdAt)],
);

/**
 * Published policy versions (version 1, the shipped policy, is built in and not stored). A case pins the
 * version in force when it opens; `effective_at` orders them. The document is policy/versions PolicyDocument.
 */
export const policyVersions = pgTable(
  'policy_versions',
  {
    version: integer('version').primaryKey(),
    key: text('key').notNull().unique(), // what cases pin as policy_version
    effectiveAt: ts('effective_at').notNull(),
    document: jsonb('document').notNull(),
    note: text('note').notNull(),
    publishedBy: text('published_by').notNull(),
    publishedAt: createdAt(),
  },
  (t) => [index('policy_versions_effective_idx').on(t.effectiveAt)],
);

/**
 * What each case's workflow was started with (calendars, settings, pinned policy), written once with the
 * case's first read-model write: the back-test replays a case from exactly these inputs and its case_events.
 */
export const caseInputs = pgTable('case_inputs', {
  caseId: text('case_id').primaryKey(),
  policyVersion: text('policy_version').notNull(),
  input: jsonb('input').notNull(), // CaseWorkflowInput without `carried`
  recordedAt: createdAt(),
});

/**
 * Back-test runs: the request, progress and the kept result. The batch activity advances `cursor` and
 * merges its cases into `partial` in one transaction, only when the cursor it read from is still the stored
 * one, so a retried batch counts nothing twice. `result` is the finished report.
 */
export const policyBacktests = pgTable(
  'policy_backtests',
  {
    id: text('id').primaryKey(),
    requestedBy: text('requested_by').notNull(),
    request: jsonb('request').notNull(),
    status: text('status').notNull(), // running | completed | cancelled | failed
    total: integer('total'),
    processed: integer('processed').notNull().default(0),
    withoutInput: integer('without_input').notNull().default(0),
    cursor: jsonb('cursor'), // { openedAt, id } of the last case processed
    partial: jsonb('partial'), // report accumulator while running
    result: jsonb('result'),
    error: text('error'),
    createdAt: createdAt(),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('policy_backtests_created_idx').on(t.createdAt)],
);

/**
 * Who at a customer organisation hears about its cases besides the opener: name, address, language
 * (null = the case's language) and the customer notice kinds they want (null = all of them).
 */
export const notificationContacts = pgTable(
  'notification_contacts',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    email: text('email').notNull(),
    language: text('language'),
    kinds: jsonb('kinds').$type<string[]>(),
    /** The number staff call this contact on (E.164, e.g. +49 89 1234567); null = none given. */
    phone: text('phone'),
    /** The last permanent delivery failure reported for this address (a DSN to the reply address): staff see it. */
    bouncedAt: ts('bounced_at'),
    bounceStatus: text('bounce_status'), // the DSN's status code, e.g. 5.1.1
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('notification_contacts_org_email_idx').on(t.orgId, t.email)],
);

/**
 * On-call rota per follow-the-sun region (APAC, EMEA, AMERICAS): who is primary, and the fallback, from one
 * instant to the next (valid_to null = until further notice). "Who is on call" is looked up at delivery time.
 */
export const oncallShifts = pgTable(
  'oncall_shifts',
  {
    id: text('id').primaryKey(),
    region: text('region').notNull(),
    primaryId: text('primary_id')
      .notNull()
      .references(() => principals.id),
    fallbackId: text('fallback_id').references(() => principals.id),
    validFrom: ts('valid_from').notNull(),
    validTo: ts('valid_to'),
    createdAt: createdAt(),
  },
  (t) => [index('oncall_shifts_region_idx').on(t.region, t.validFrom)],
);

/** The Premier Support Account Manager of an organisation (one per organisation). */
export const accountManagers = pgTable('account_managers', {
  orgId: text('org_id')
    .primaryKey()
    .references(() => organisations.id),
  principalId: text('principal_id')
    .notNull()
    .references(() => principals.id),
  createdAt: createdAt(),
});

/**
 * One row per (outbox notification, channel, address): the recipients resolved at the first delivery
 * attempt and what happened to each. pending -> sent (server answer, Message-ID) | failed (retried) | bounced.
 * A retried delivery skips rows already sent, so nobody gets the same mail twice from a retry.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    notificationId: bigint('notification_id', { mode: 'number' })
      .notNull()
      .references(() => notifications.id),
    caseId: text('case_id'),
    channel: text('channel').notNull(), // email | webhook
    address: text('address').notNull(), // mail address, or the webhook URL
    name: text('name'),
    principalId: text('principal_id'),
    audience: text('audience').notNull(), // customer | staff
    language: text('language').notNull(),
    status: text('status').notNull().default('pending'), // pending | sent | failed | bounced
    messageId: text('message_id'),
    response: text('response'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: ts('sent_at'),
    /** A delivery status notification received after the server took the mail: status code and diagnostic. */
    bounceStatus: text('bounce_status'),
    bounceDiagnostic: text('bounce_diagnostic'),
    bouncedAt: ts('bounced_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    /** Webhook deliveries (issue 23): the subscription, the receiver's last HTTP status, its latency, when it is tried again. */
    subscriptionId: text('subscription_id'),
    responseCode: integer('response_code'),
    latencyMs: integer('latency_ms'),
    nextAttemptAt: ts('next_attempt_at'),
  },
  (t) => [
    index('notification_deliveries_subscription_idx').on(t.subscriptionId, t.id),
    uniqueIndex('notification_deliveries_key_idx').on(t.notificationId, t.channel, t.address),
    index('notification_deliveries_case_idx').on(t.caseId),
    index('notification_deliveries_message_idx').on(t.messageId),
  ],
);

/**
 * Every message that reached the inbound mail path (SMTP listener or POST /v1/inbound-mail), with what
 * became of it. One row per delivery: a redelivered message gets its own row (status `duplicate`), and the
 * partial unique index keeps one `accepted` row per message and case, so a reply is applied once.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Message-ID without angle brackets, or `sha256:<hex>` of the raw message when it has none. */
    messageKey: text('message_key').notNull(),
    caseId: text('case_id'), // from a valid reply address; null when no recipient named a case
    via: text('via').notNull(), // smtp | http
    status: text('status').notNull(), // accepted | duplicate | refused | ignored (automatic or empty: changes nothing)
    reason: text('reason'), // refusal reason (bad_token, unknown_sender, case_closed, ...)
    /** Why an `ignored` message changed nothing: auto_reply | list | bulk | null_sender | delivery_report | empty_reply. */
    classification: text('classification'),
    /** What decided the classification (the header), and for a delivery report what it reported and matched. */
    detail: jsonb('detail'),
    sender: text('sender'), // From address
    envelopeSender: text('envelope_sender'),
    recipient: text('recipient'), // the reply address used, or the first recipient
    subject: text('subject'),
    principalId: text('principal_id'), // the customer-side principal the sender was matched to
    requestId: text('request_id'), // the customerReply update's request id
    attachments: jsonb('attachments').$type<{ name: string; contentType: string; size: number }[]>(),
    sizeBytes: integer('size_bytes').notNull(),
    /** The answer to the sender (bounce or closed-case notice): sent | skipped:<why> | failed:<error> | none. */
    answer: text('answer'),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    index('inbound_messages_key_idx').on(t.messageKey),
    index('inbound_messages_case_idx').on(t.caseId, t.id),
    uniqueIndex('inbound_messages_accepted_idx')
      .on(t.messageKey, t.caseId)
      .where(sql`status = 'accepted'`),
    // Automatic and empty mail is recorded once per message and case, however often it is delivered.
    uniqueIndex('inbound_messages_ignored_idx')
      .on(t.messageKey, t.caseId)
      .where(sql`status = 'ignored'`),
  ],
);

/**
 * Counters of the API's limits (requests per token, failed authentications per client address) shared by
 * every API instance on PostgreSQL: rate-limiter-flexible's RateLimiterDrizzle owns the rows (key =
 * `<limit>:<token id or address>`, points counted in the window that ends at `expire`). PGlite runs one
 * process and keeps these counters in memory instead.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    points: integer('points').notNull(),
    expire: ts('expire'),
  },
  (t) => [index('rate_limits_expire_idx').on(t.expire)],
);

/**
 * People's sign-in (OpenID Connect): an identity at a provider (issuer + subject) belongs to one principal.
 * The row is written on the first sign-in, which links by the provider's verified email to a principal an
 * administrator created; later sign-ins find the principal by issuer + subject only (an email changed at the
 * provider moves nobody to another principal).
 */
export const identities = pgTable(
  'identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    principalId: text('principal_id')
      .notNull()
      .references(() => principals.id),
    /** The verified email the identity was linked by (kept for the audit of the link). */
    linkedEmail: text('linked_email').notNull(),
    createdAt: createdAt(),
    lastLoginAt: ts('last_login_at'),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), index('identities_principal_idx').on(t.principalId)],
);

/**
 * Server-side sessions of people signed in through OpenID Connect. The cookie carries a 256-bit random value;
 * only its SHA-256 is stored (id). A session ends at idle expiry (last_seen_at + idle), at its absolute expiry
 * (expires_at), when revoked (logout, an administrator) or when its principal is disabled. The CSRF token is
 * the synchronizer token that cookie-authenticated state changes must send back in X-CSRF-Token.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    principalId: text('principal_id')
      .notNull()
      .references(() => principals.id),
    /** The provider (configured id) and issuer the session was signed in through. */
    provider: text('provider').notNull(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    /** For RP-initiated logout (id_token_hint); never sent to the browser. */
    idToken: text('id_token').notNull(),
    /** The provider's refresh token (when it issued one): the session is re-checked with it at the provider, so
     * an account disabled there ends the session here (provider_checked_at: the last successful check). */
    refreshToken: text('refresh_token'),
    providerCheckedAt: ts('provider_checked_at').notNull().defaultNow(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('sessions_principal_idx').on(t.principalId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Authorization requests under way (state -> PKCE verifier, nonce, where to return): any API instance can
 * finish a sign-in another one started. A row is used once (deleted by the callback) and expires in minutes.
 */
export const oidcLogins = pgTable(
  'oidc_logins',
  {
    state: text('state').primaryKey(),
    provider: text('provider').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    nonce: text('nonce').notNull(),
    returnTo: text('return_to').notNull(),
    /** SHA-256 of the browser-binding cookie set with the redirect: a callback from another browser is refused. */
    browserBinding: text('browser_binding').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('oidc_logins_created_idx').on(t.createdAt)],
);

/**
 * Files attached to a case (issue 18). A row is born when an upload starts (`uploading`, its declared size
 * counts against the case's quota at once), becomes `stored` when every byte is in the blob store with its
 * SHA-256 checked, and `linked` once the reply or internal note that carries it is accepted by the case
 * workflow (which records only id, name, type, size and hash). Rows still `uploading` or `stored` after the
 * expiry are swept with their bytes; `internal` ones (on an internal note) are staff only on every path.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: text('id').primaryKey(), // the tus upload id, or a UUID for mail
    caseId: text('case_id').notNull(),
    orgId: text('org_id').notNull(), // the case's organisation: storage used per organisation
    status: text('status').notNull(), // uploading | stored | linked
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    /** Bytes: the declared Upload-Length while uploading, the stored size after. */
    size: bigint('size', { mode: 'number' }).notNull(),
    /** Lower-case hex SHA-256 of the content (null while uploading), and what the client declared, if it did. */
    sha256: text('sha256'),
    declaredSha256: text('declared_sha256'),
    /** Where the bytes are in the blob store (content-addressed by sha256: the same bytes twice are stored once). */
    storageKey: text('storage_key'),
    via: text('via').notNull(), // email | console | api
    uploadedBy: text('uploaded_by').notNull(), // principal id
    /** Staff only (attached to an internal note). */
    internal: boolean('internal').notNull().default(false),
    /** The request id of the reply or note that carries it (null until linked). */
    linkedRequestId: text('linked_request_id'),
    linkedEventType: text('linked_event_type'), // customer_reply | internal_note
    createdAt: createdAt(),
    storedAt: ts('stored_at'),
    linkedAt: ts('linked_at'),
  },
  (t) => [
    index('attachments_case_idx').on(t.caseId, t.createdAt),
    index('attachments_sha_idx').on(t.sha256),
    index('attachments_pending_idx')
      .on(t.createdAt)
      .where(sql`status <> 'linked'`),
  ],
);

/**
 * Webhook subscriptions (Standard Webhooks, issue 23): who owns it, where it goes, which notice kinds and
 * cases it wants. org_id set = an organisation's own subscription (its case admin's): only its cases, only
 * customer notices. Two secrets during a rotation: deliveries are signed with both until the previous one
 * expires. source 'env' = the one NOTIFY_WEBHOOK_URL maps to (kept in step with the environment).
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(), // principal id, or 'system' for the environment's subscription
    orgId: text('org_id').references(() => organisations.id),
    url: text('url').notNull(),
    description: text('description'),
    secret: text('secret').notNull(), // whsec_<base64>
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    /** Notice kinds wanted (contract/notices.ts); null = every kind the owner may receive. */
    kinds: jsonb('kinds').$type<string[] | null>(),
    filterOrgIds: jsonb('filter_org_ids').$type<string[] | null>(),
    filterPrograms: jsonb('filter_programs').$type<string[] | null>(),
    filterSeverities: jsonb('filter_severities').$type<number[] | null>(),
    source: text('source').notNull().default('api'), // api | env
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    disabledAt: ts('disabled_at'),
    disabledReason: text('disabled_reason'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('webhook_subscriptions_org_idx').on(t.orgId),
    uniqueIndex('webhook_subscriptions_env_idx')
      .on(t.source)
      .where(sql`source = 'env'`),
  ],
);

/** Secret iCalendar feed URLs of the on-call rota (issue 23): per region or per engineer; only the SHA-256 of the token is kept. */
export const calendarFeeds = pgTable('calendar_feeds', {
  id: text('id').primaryKey(),
  tokenHash: text('token_hash').notNull().unique(),
  scope: text('scope').notNull(), // region | engineer
  region: text('region'),
  engineerId: text('engineer_id').references(() => principals.id),
  label: text('label'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  revokedAt: ts('revoked_at'),
});

/**
 * Office closures imported from iCalendar (issue 23), versioned per organisation: a new import is a new
 * version; a case pins the closed dates of the version in force when it opens (into its calendars), so a
 * later import never moves a running case's deadline.
 */
export const closureImports = pgTable(
  'closure_imports',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organisations.id),
    version: integer('version').notNull(),
    source: text('source').notNull(), // file | url
    url: text('url'),
    /** Local dates YYYY-MM-DD in the organisation's zone, sorted. */
    dates: jsonb('dates').$type<string[]>().notNull(),
    /** Each closure as read: summary, first and last local date. */
    closures: jsonb('closures').$type<{ summary: string; from: string; to: string }[]>().notNull(),
    importedBy: text('imported_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.version] })],
);
