/**
 * Once before all tests: build the studio's renderer, so that end-to-end test files running in parallel
 * never start two electron-vite builds into the same folder (`kiln serve` builds it when missing or stale);
 * and the CLI bundle when a source changed since it was built, so the tests that start `bin/kiln.mjs` run
 * the JavaScript that ships.
 */
import { ensureRendererBuilt } from '../../src-compiler/cli/serve.ts';
import { buildCli, cliIsCurrent } from '../../scripts/build-cli.mjs';

export default async function setup() {
  if (!cliIsCurrent()) await buildCli({ quiet: true });
  await ensureRendererBuilt((s) => process.stderr.write(`${s}\n`));
}
