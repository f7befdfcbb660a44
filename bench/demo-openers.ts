/** Demo customers (db/seed.ts) that benches open cases for, one per program or plan with a response target. */
export const OPENERS = [
  { principalId: 'acme-premier-anna', supportId: '01700001', level: { severity: 2 } },
  { principalId: 'northwind-production-nancy', supportId: '01700002', level: { severity: 1 } },
  { principalId: 'sakura-basic-haruto', supportId: '01700003', level: { severity: 3 } },
  { principalId: 'maple-evaluation-chloe', supportId: '01700004', level: { severity: 2 } },
  { principalId: 'cloudnine-vcsp-oliver', supportId: '01700006', level: { severity: 4 } },
  { principalId: 'koala-premium-charlotte', supportId: '01700007', level: { priority: 'P2' } },
  { principalId: 'ipe-plan-basic-joao', supportId: '01700008', level: { priority: 'P4' } },
] as const;
