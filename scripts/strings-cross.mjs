#!/usr/bin/env node
// The whole string corpus (tests/corpus/strings_*.py; --corpus dicts: the dict corpus, dicts_*.py; --corpus generators: generators_*.py) on other targets: each file built for each target and
// verified against CPython there (wasm32 by Node's WASI, linux-arm64 and 32-bit linux-armv7 under qemu-user,
// the host natively), every case compared, exception messages included. Prints one line per file and target,
// then the totals; exits 1 on any mismatch, crash or differing message.
//   node scripts/strings-cross.mjs [--targets wasm32,linux-arm64,linux-armv7] [--jobs 2] [--corpus strings|dicts|generators]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { buildTargets } = await import('../src-compiler/targets/build.ts');

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const targets = arg('--targets', 'wasm32,linux-arm64,linux-armv7').split(',');
const jobs = Number(arg('--jobs', '2'));
const dir = path.join(ROOT, 'tests/corpus');
const corpus = arg('--corpus', 'strings');
const files = fs.readdirSync(dir).filter((f) => f.startsWith(`${corpus}_`) && f.endsWith('.py')).sort();
const started = Date.now();
const totals = Object.fromEntries(targets.map((t) => [t, { functions: 0, cases: 0, errors: 0, limits: 0, bad: 0 }]));
let failed = false;
for (const file of files) {
  const results = await buildTargets(path.join(dir, file), { targets, jobs });
  for (const r of results) {
    const fns = r.verification?.functions ?? [];
    const cases = fns.flatMap((f) => f.cases);
    const bad = cases.filter((c) => c.status === 'mismatch' || c.status === 'crash' || (c.note ?? '').startsWith('message differs'));
    const t = totals[r.target];
    t.functions += fns.length;
    t.cases += cases.length;
    t.errors += cases.filter((c) => /^\w+Error/.test(c.python)).length;
    t.limits += cases.filter((c) => c.status === 'limit').length;
    t.bad += bad.length;
    if (r.status !== 'verified' || bad.length) failed = true;
    console.log(`${file.padEnd(26)} ${r.target.padEnd(12)} ${r.status.padEnd(9)} ${fns.length} functions, ${cases.length} cases${bad.length ? `, ${bad.length} DIFFER: ${JSON.stringify(bad.slice(0, 2))}` : ''}${r.status !== 'verified' ? ` (${r.firstLine})` : ''}`);
  }
}
console.log('');
for (const [target, t] of Object.entries(totals)) {
  console.log(`${target}: ${t.functions} functions, ${t.cases} cases (${t.errors} where CPython raises, ${t.limits} at documented limits), ${t.bad} differences`);
}
console.log(`${files.length} files on ${targets.length} targets in ${((Date.now() - started) / 1000).toFixed(0)} s: ${failed ? 'FAILED' : 'every case agrees with CPython'}`);
process.exit(failed ? 1 : 0);
