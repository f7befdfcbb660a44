/**
 * Every port of the local cluster topology. Defaults sit beside npm start's (dev server 7233, API 3000,
 * Mailpit 1025/8025) without taking them, so both can run at once; CLUSTER_PORT_OFFSET shifts them all.
 */
export interface ClusterPorts {
  postgres: number;
  /** Temporal frontend gRPC (what clients and workers dial) and its HTTP API. */
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  temporalWorker: number;
  /** Membership (ringpop) port of each service (defaults: its gRPC port + 100). */
  membership: { frontend: number; history: number; matching: number; temporalWorker: number };
  temporalMetrics: number;
  pprof: number;
  ui: number;
  apis: [number, number];
  workerMetrics: [number, number];
  mailSmtp: number;
  mailUi: number;
  inboundSmtp: number;
  /** The S3-protocol server the API instances store attachments in (gofakes3). */
  s3: number;
}

export function defaultClusterPorts(offset = 0): ClusterPorts {
  const p = (n: number) => n + offset;
  return {
    postgres: p(55433),
    frontend: p(7433),
    frontendHttp: p(7443),
    history: p(7434),
    matching: p(7435),
    temporalWorker: p(7439),
    membership: { frontend: p(7533), history: p(7534), matching: p(7535), temporalWorker: p(7539) },
    temporalMetrics: p(7400),
    pprof: p(7436),
    ui: p(8433),
    apis: [p(3100), p(3101)],
    workerMetrics: [p(9471), p(9472)],
    mailSmtp: p(1125),
    mailUi: p(8125),
    inboundSmtp: p(2625),
    s3: p(9100),
  };
}

export function clusterPortsFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterPorts {
  const raw = env.CLUSTER_PORT_OFFSET ?? '0';
  const offset = Number(raw);
  if (!Number.isInteger(offset) || offset < -1000 || offset > 20000)
    throw new Error(`CLUSTER_PORT_OFFSET must be an integer -1000..20000, got '${raw}'`);
  return defaultClusterPorts(offset);
}
