#!/usr/bin/env node
// The `kiln` command. TypeScript sources run through tsx, so there is no build step for the CLI.
import { register } from 'tsx/esm/api';

register();
// `kiln ops | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const { main } = await import('../src-compiler/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
