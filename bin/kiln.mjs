#!/usr/bin/env node
// The `kiln` command. TypeScript sources run through tsx, so there is no build step for the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-compiler/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
