/**
 * Once before all tests: build the studio's renderer, so that end-to-end test files running in parallel
 * never start two electron-vite builds into the same folder (`kiln serve` builds it when missing or stale).
 */
import { ensureRendererBuilt } from '../../src-compiler/cli/serve.ts';

export default async function setup() {
  await ensureRendererBuilt((s) => process.stderr.write(`${s}\n`));
}
