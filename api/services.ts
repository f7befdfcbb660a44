/** What route modules share: the route registry, the database and the Temporal client. */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { AttachmentService } from './attachments/attachments';
import type { Caches } from './caches';
import type { InboundMailDeps } from './inbound-mail/receive-mail';
import type { Api } from './route';

export interface Services {
  api: Api;
  db: Db;
  temporal: Client;
  taskQueue: string;
  caches: Caches;
  /** Attachments: the blob store, uploads, links and limits (issue 18). */
  attachments: AttachmentService;
  /** The inbound mail path (POST /v1/inbound-mail; the SMTP listener uses the same). */
  inboundMail: InboundMailDeps;
  /** Runs Temporal calls under the API's deadline: a case that does not answer in time is a 503, never a hung request. */
  withDeadline<T>(fn: () => Promise<T>): Promise<T>;
}
