/** What route modules share: the route registry, the database and the Temporal client. */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { Caches } from './caches';
import type { Api } from './route';

export interface Services {
  api: Api;
  db: Db;
  temporal: Client;
  taskQueue: string;
  caches: Caches;
  /** Runs Temporal calls under the API's deadline: a case that does not answer in time is a 503, never a hung request. */
  withDeadline<T>(fn: () => Promise<T>): Promise<T>;
}
