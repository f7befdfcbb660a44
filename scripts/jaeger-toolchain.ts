/** `npm run jaeger:install` / .ci/run: builds (once) and caches the pinned Jaeger into .tools/bin, timed. */
import { ensureJaeger, JAEGER_VERSION } from '../runtime/jaeger';

const started = Date.now();
ensureJaeger((m) => console.log(m))
  .then((r) => {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`jaeger ${JAEGER_VERSION}:       ${r.path} (${r.built ? `built in ${secs} s` : 'cached'})`);
  })
  .catch((err: unknown) => {
    console.error(`Jaeger ${JAEGER_VERSION} not available: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
