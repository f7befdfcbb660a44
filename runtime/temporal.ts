/** Connections to Temporal from the process configuration: a client for the API, a native one for workers. */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';
import { temporalClientInterceptors } from './tracing';

export async function connectClient(config: Config): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect(config.temporal.connect);
  const client = new Client({ connection, namespace: config.temporal.namespace, interceptors: temporalClientInterceptors() });
  return { client, close: () => connection.close() };
}

export function connectWorker(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(config.temporal.connect);
}
