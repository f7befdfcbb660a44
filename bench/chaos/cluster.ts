/**
 * `--topology cluster` for the chaos run: the Temporal server of `npm run cluster` (runtime/cluster/) instead
 * of the dev server, persisted in the chaos run's PostgreSQL (databases temporal and temporal_visibility
 * beside the application's), so a PostgreSQL kill takes Temporal's persistence down too, as in production.
 */
import { join } from 'node:path';
import { ensureNamespace } from '../../runtime/cluster/namespace';
import { defaultClusterPorts, type ClusterPorts } from '../../runtime/cluster/ports';
import { writeTemporalConfig } from '../../runtime/cluster/temporal-config';
import { migrateTemporalSchemas } from '../../runtime/cluster/temporal-schema';
import { temporalServerSpec, temporalServing } from '../../runtime/cluster/temporal-server';
import { ensureTemporalServer } from '../../runtime/temporal-server-toolchain';
import { createServer } from 'node:net';
import { freePort, GroupProcess } from './processes';

export interface ClusterTemporal {
  process: GroupProcess;
  address: string;
  /** Once, after PostgreSQL is up and before the first start: schemas. */
  prepare(): Promise<void>;
  /** Once, after the first start: namespace and search attributes. */
  register(): Promise<void>;
}

export async function clusterTemporal(runDir: string, pgPort: number): Promise<ClusterTemporal> {
  const tools = await ensureTemporalServer((m) => console.log(m));
  const [frontend, frontendHttp, history, matching, temporalWorker, temporalMetrics, pprof] = await Promise.all(
    Array.from({ length: 7 }, () => freePort()),
  );
  // Temporal keeps membership ports in a smallint column (cluster_membership.rpc_port): they must be below
  // 32768, where the kernel's ephemeral ports (freePort) never are.
  const [m1, m2, m3, m4] = await freeLowPorts(4);
  const ports: ClusterPorts = {
    ...defaultClusterPorts(),
    frontend: frontend!,
    frontendHttp: frontendHttp!,
    history: history!,
    matching: matching!,
    temporalWorker: temporalWorker!,
    temporalMetrics: temporalMetrics!,
    pprof: pprof!,
    membership: { frontend: m1!, history: m2!, matching: m3!, temporalWorker: m4! },
  };
  const root = join(runDir, 'temporal');
  const address = `127.0.0.1:${ports.frontend}`;
  const spec = temporalServerSpec(tools, root, join(runDir, 'logs', 'temporal.log'));
  return {
    process: new GroupProcess({
      name: 'temporal',
      command: spec.command,
      args: spec.args,
      logFile: spec.logFile,
      readyCheck: () => temporalServing(address),
    }),
    address,
    prepare: async () => {
      await migrateTemporalSchemas(tools, `postgres://postgres@127.0.0.1:${pgPort}`, pgPort);
      writeTemporalConfig(tools.configTemplate, root, ports, pgPort);
    },
    register: async () => {
      await ensureNamespace(address, 'default');
    },
  };
}

async function freeLowPorts(n: number): Promise<number[]> {
  const found: number[] = [];
  while (found.length < n) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (found.includes(port)) continue;
    const free = await new Promise<boolean>((res) => {
      const server = createServer();
      server.once('error', () => res(false));
      server.listen(port, '127.0.0.1', () => server.close(() => res(true)));
    });
    if (free) found.push(port);
  }
  return found;
}
