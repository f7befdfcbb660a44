/** npm run seaweedfs:install / .ci/run: build (once) and cache the pinned SeaweedFS into .tools/bin. */
import { ensureSeaweedfs } from '../runtime/seaweedfs-toolchain';

void ensureSeaweedfs((m) => console.log(m)).then((r) => {
  if (!r.path) {
    console.error(`SeaweedFS unavailable: ${r.reason}`);
    process.exit(1);
  }
  console.log(r.path);
});
