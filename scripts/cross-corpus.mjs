#!/usr/bin/env node
// The corpus on other targets: every @compile function of the given corpus files (default: those of values whose
// type depends on the path, None and inferred array ranks) built for wasm32 and linux-arm64 (or --targets a,b) and
// verified against CPython under Node's WASI and qemu-user. Prints one line per file and target, and exits 1 on
// any mismatch or failure. `npm test` runs a fixed sample (tests/targets/unions-cross.test.ts); this is the sweep.
//   node scripts/cross-corpus.mjs [--targets wasm32,linux-arm64] [FILE.py ...]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { buildTargets } = await import('../src-compiler/targets/build.ts');

const args = process.argv.slice(2);
let targets = ['wasm32', 'linux-arm64'];
const t = args.indexOf('--targets');
if (t >= 0) {
  targets = args[t + 1].split(',');
  args.splice(t, 2);
}
const files = args.length ? args : ['unions_numbers.py', 'unions_ops.py', 'optional_search.py', 'arrays_ranks.py'].map((f) => path.join(ROOT, 'tests/corpus', f));
let failed = 0;
const started = Date.now();
for (const file of files) {
  const results = await buildTargets(path.resolve(file), { targets });
  for (const r of results) {
    const fns = r.verification?.functions ?? [];
    const cases = fns.reduce((n, f) => n + f.cases.length, 0);
    const match = fns.reduce((n, f) => n + f.counts.match, 0);
    const limit = fns.reduce((n, f) => n + f.counts.limit, 0);
    const bad = fns.reduce((n, f) => n + f.counts.mismatch + f.counts.crash, 0);
    if (r.status !== 'verified' || bad) failed++;
    process.stdout.write(`${path.basename(file).padEnd(24)} ${r.target.padEnd(12)} ${r.status.padEnd(10)} ${fns.length} functions, ${cases} cases: ${match} match, ${limit} at documented limits, ${bad} mismatch/crash${r.status !== 'verified' ? `  (${r.firstLine})` : ''}\n`);
  }
}
process.stdout.write(`${failed ? `${failed} FAILED` : 'all verified'} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
process.exit(failed ? 1 : 0);
