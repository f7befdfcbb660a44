/** `npm run mailpit:install`: builds and caches the pinned Mailpit ahead of time (CI, Docker-less dev machines). */
import { ensureMailpit } from '../runtime/mailpit-toolchain';

ensureMailpit((m) => console.log(m))
  .then((r) => {
    if (!r.path) {
      console.error(`Mailpit not available: ${r.reason}`);
      process.exit(1);
    }
    console.log(`mailpit:               ${r.path}`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
