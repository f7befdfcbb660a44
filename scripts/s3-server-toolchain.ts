/** `npm run s3:install` / .ci/run: builds (once) and caches the pinned S3 server (gofakes3) into .tools/bin, timed. */
import { ensureS3Server, S3_SERVER_VERSION } from '../runtime/s3-server-toolchain';

const started = Date.now();
ensureS3Server((m) => console.log(m))
  .then((r) => {
    if (!r.path) {
      console.error(`S3 server (gofakes3 ${S3_SERVER_VERSION}) not available: ${r.reason}`);
      process.exit(1);
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`gofakes3:              ${r.path} (${r.built ? `built in ${secs} s` : 'cached'})`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
