/** `npm run temporal:install`: fetches the pinned Temporal CLI and test server ahead of time (runtime/temporal-toolchain.ts). */
import { ensureTemporalCli, ensureTestServer } from '../runtime/temporal-toolchain';

console.log(`temporal CLI:          ${ensureTemporalCli()}`);
console.log(`temporal test server:  ${ensureTestServer()}`);
