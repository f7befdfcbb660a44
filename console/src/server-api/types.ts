/**
 * Shapes of the API's answers and request bodies the console uses: names for parts of openapi.d.ts, which is
 * generated from the API's OpenAPI document (`npm run console:types`; a test fails when it is stale). Nothing
 * here is written by hand but the names.
 */
import type { components, paths } from './openapi';

type Schemas = components['schemas'];

export type Clock = Schemas['Clock'];
/** The latest Severity 1 page of a case and its acknowledgement. */
export type PageView = NonNullable<Schemas['Page']>;
export type Me = Schemas['Me'];
/** A case as lists show it (GET /v1/cases). */
export type CaseSummary = Schemas['CaseList']['items'][number];
/** A case of the engineers' queue, with its customer. */
export type QueueItem = Schemas['Queue']['items'][number];
export type QueuePage = Schemas['Queue'];
/** GET /v1/cases/{id}: the case, its resolution, history, contact attempts and the actions the caller may take now. */
export type CaseDetail = Schemas['CaseDetail'];
/** A command name the API offers in `actions`; each has one POST /v1/cases/{id}/<path> route. */
export type CaseAction = NonNullable<Schemas['Case']['actions']>[number];
export type Resolution = NonNullable<CaseDetail['resolution']>;
export type ResolutionType = Resolution['type'];
export type CaseEvent = Schemas['CaseEventList']['items'][number];
export type Organisation = Schemas['Organisation'];
export type NotificationContact = Schemas['NotificationContact'];
/** A customer organisation's own person or a partner acting for it (GET /v1/organisations/{id}/people). */
export type CustomerPerson = Schemas['CustomerPerson'];
export type AccountManager = Schemas['AccountManager'];
export type CaseNotice = Schemas['CaseNotification'];
export type Policy = Schemas['Policy'];
export type Product = Schemas['Product'];
export type CaseChange = Schemas['CaseChange'];
export type SlaReportRow = Schemas['SlaReport']['rows'][number];
export type SlaDay = Schemas['SlaReportDaily']['days'][number];
export type SlaReportCase = Schemas['SlaReportCases']['items'][number];
export type PhoneSession = Schemas['PhoneSession'];
export type CreateCase = Schemas['CreateCase'];
/** A file on a case (GET /v1/cases/{id}/attachments) and a signed download link for it. */
export type Attachment = Schemas['Attachment'];
export type AttachmentLink = Schemas['AttachmentLink'];

/** The JSON body of POST `path`. */
export type RequestBody<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { 'application/json': infer B } } } }
  ? B
  : never;
export type ResolveBody = RequestBody<'/v1/cases/{id}/resolution'>;
export type OutOfScopeCategory = NonNullable<ResolveBody['outOfScope']>;
