/**
 * The Temporal server's static config for the cluster: the server module's own
 * development-postgres12.yaml template with our ports, our PostgreSQL and our dynamic config file put in.
 * Each replacement must hit exactly once, so a changed template fails loudly instead of silently keeping
 * a default port or database address.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterPorts } from './ports';

export interface TemporalConfigFiles {
  /** --root for temporal-server; the config is <root>/config/development.yaml. */
  root: string;
}

/** Dynamic config: the defaults of a single-host cluster, plus what Caseflow relies on. */
const DYNAMIC_CONFIG = `# Written by runtime/cluster/temporal-config.ts on every cluster start.
# Caseflow creates cases with update-with-start and acts on them with updates.
frontend.enableUpdateWorkflowExecution:
  - value: true
`;

export function writeTemporalConfig(template: string, root: string, ports: ClusterPorts, postgresPort: number): TemporalConfigFiles {
  let yaml = readFileSync(template, 'utf8');
  const replace = (pattern: RegExp, value: string) => {
    const hits = yaml.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
    if (hits === 0) throw new Error(`Temporal config template ${template} has no ${pattern.source}`);
    yaml = yaml.replace(new RegExp(pattern.source, 'gm'), value);
  };
  replace(/connectAddr: "127\.0\.0\.1:5432"/, `connectAddr: "127.0.0.1:${postgresPort}"`);
  replace(/user: "temporal"/, 'user: "postgres"');
  replace(/password: "temporal"/, 'password: ""');
  for (const [name, port, membership] of [
    ['7233', ports.frontend, ports.membership.frontend],
    ['7234', ports.history, ports.membership.history],
    ['7235', ports.matching, ports.membership.matching],
    ['7239', ports.temporalWorker, ports.membership.temporalWorker],
  ] as const) {
    replace(new RegExp(`grpcPort: ${name}$`), `grpcPort: ${port}`);
    replace(new RegExp(`membershipPort: ${Number(name) - 300}$`), `membershipPort: ${membership}`);
  }
  replace(/httpPort: 7243$/, `httpPort: ${ports.frontendHttp}`);
  replace(/rpcAddress: "localhost:7233"/, `rpcAddress: "127.0.0.1:${ports.frontend}"`);
  replace(/port: 7936$/, `port: ${ports.pprof}`);
  replace(/listenAddress: "127\.0\.0\.1:8000"/, `listenAddress: "127.0.0.1:${ports.temporalMetrics}"`);
  replace(/filepath: "config\/dynamicconfig\/development-sql\.yaml"/, `filepath: "${join(root, 'config', 'dynamicconfig.yaml')}"`);
  replace(/level: info$/, 'level: warn');
  mkdirSync(join(root, 'config'), { recursive: true });
  writeFileSync(join(root, 'config', 'development.yaml'), yaml);
  writeFileSync(join(root, 'config', 'dynamicconfig.yaml'), DYNAMIC_CONFIG);
  return { root };
}
