#!/usr/bin/env node
// The corpus on other targets: every @compile function of the given corpus files (default: all of tests/corpus)
// built for wasm32 and linux-arm64 (or --targets a,b) and verified against CPython there (Node's WASI, QEMU
// user-mode). Prints one line per file and target and a summary; exit 1 when a case does not match.
//   node scripts/corpus-cross.mjs [--targets wasm32,linux-arm64] [--cases N] [FILE...]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { buildTargets } = await import('../src-compiler/targets/build.ts');

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const targets = opt('--targets', 'wasm32,linux-arm64').split(',');
const maxCases = Number(opt('--cases', '24'));
const corpus = path.join(ROOT, 'tests/corpus');
const files = argv.length ? argv.map((f) => path.resolve(f)) : fs.readdirSync(corpus).filter((f) => f.endsWith('.py')).sort().map((f) => path.join(corpus, f));

const started = Date.now();
let functions = 0, cases = 0, matched = 0, failed = 0;
for (const file of files) {
  const results = await buildTargets(file, { targets, jobs: 2, maxCases });
  for (const r of results) {
    const fns = r.verification?.functions ?? [];
    const c = fns.reduce((n, f) => n + f.cases.length, 0);
    const m = fns.reduce((n, f) => n + f.counts.match + f.counts.limit + f.counts['python-timeout'], 0);
    const bad = fns.filter((f) => !f.ok);
    if (r.target === targets[0]) functions += fns.length;
    cases += c;
    matched += m;
    if (r.status !== 'verified') failed++;
    console.log(`${path.relative(ROOT, file).padEnd(40)} ${r.target.padEnd(12)} ${r.status.padEnd(20)} ${fns.length} functions, ${m}/${c} cases${bad.length ? `  FAILED: ${bad.map((f) => f.name).join(', ')} ${r.firstLine ?? ''}` : ''}`);
  }
}
console.log(`\n${files.length} files, ${functions} functions, ${matched}/${cases} cases agree with CPython on ${targets.join(' and ')}; ${failed} file/target pairs not verified; ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
