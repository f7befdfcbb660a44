/**
 * The Temporal server of the cluster: all four services (frontend, history, matching, worker) in one
 * process on PostgreSQL, as `temporal-server start` runs them; a bigger installation runs each service as
 * its own process or pod with the same config (`--service`). Serving = the frontend answers GetSystemInfo.
 */
import { Connection } from '@temporalio/client';
import type { TemporalServerToolchain } from '../temporal-server-toolchain';
import type { ServiceSpec } from './service';

export function temporalServerSpec(tools: TemporalServerToolchain, root: string, logFile: string): ServiceSpec {
  return {
    name: 'temporal-server',
    command: tools.server,
    args: ['--root', root, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
    logFile,
  };
}

export async function temporalServing(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}
