#!/usr/bin/env node
// The `kiln` command. It runs the built CLI (dist/cli/, made by `npm install` or `npm run build:cli`) while
// that is newer than every source it was built from; otherwise (while developing) the TypeScript itself
// through tsx, which costs about half a second more at every start.
import { cliIsCurrent } from '../scripts/build-cli.mjs';

// `kiln ops | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
let main;
if (process.env.KILN_CLI_FROM_SOURCE !== '1' && cliIsCurrent()) {
  ({ main } = await import('../dist/cli/main.mjs'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src-compiler/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
