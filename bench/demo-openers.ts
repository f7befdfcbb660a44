/** Demo customers (runtime/demo-seed.ts) that benches open cases for, one per program or plan with a response target. */
export const OPENERS = [
  { principalId: 'acme-premier-anna', supportId: '01700001', level: { severity: 2 } },
  { principalId: 'northwind-production-nancy', supportId: '01700002', level: { severity: 1 } },
  { principalId: 'sakura-basic-haruto', supportId: '01700003', level: { severity: 3 } },
  { principalId: 'maple-evaluation-chloe', supportId: '01700004', level: { severity: 2 } },
  { principalId: 'cloudnine-vcsp-oliver', supportId: '01700006', level: { severity: 4 } },
  { principalId: 'koala-premium-charlotte', supportId: '01700007', level: { priority: 'P2' } },
  { principalId: 'ipe-plan-basic-joao', supportId: '01700008', level: { priority: 'P4' } },
] as const;

/** A technical case on the demo product's latest build, as benches open it through the API. */
export function demoCaseBody(opener: (typeof OPENERS)[number], title: string): string {
  return JSON.stringify({
    supportId: opener.supportId,
    type: 'technical',
    ...opener.level,
    product: 'backup-replication',
    version: '12.3',
    build: '12.3.1.1139',
    title,
    description: 'Backup job fails with error 0x80070005 on the proxy.',
  });
}
