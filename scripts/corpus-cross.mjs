#!/usr/bin/env node
// The corpus on other targets: every @compile function of the given corpus files (default: all of tests/corpus;
// --since "3 days ago": those changed in git since then) built for wasm32 and linux-arm64 (or --targets a,b) and
// verified against CPython there (Node's WASI, QEMU user-mode). Prints one line per file and target (cases that
// match, at documented limits, mismatch or crash), every case that does not agree, and a summary; exit 1 when a
// case does not agree or a build fails. `npm test` runs a fixed sample (tests/targets/unions-cross.test.ts).
// The whole corpus takes about an hour on two cores: run it under `nice -n 19` on a shared machine.
//   node scripts/corpus-cross.mjs [--targets wasm32,linux-arm64] [--cases N] [--since DATE] [FILE...]
import { execFileSync } from 'node:child_process';
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
const since = opt('--since', undefined);
const corpus = path.join(ROOT, 'tests/corpus');
const changedSince = (date) => execFileSync('git', ['log', `--since=${date}`, '--name-only', '--format=', '--', 'tests/corpus'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n').filter((f) => f.endsWith('.py') && fs.existsSync(path.join(ROOT, f))).map((f) => path.join(ROOT, f));
const files = argv.length ? argv.map((f) => path.resolve(f))
  : since ? [...new Set(changedSince(since))].sort()
    : fs.readdirSync(corpus).filter((f) => f.endsWith('.py')).sort().map((f) => path.join(corpus, f));

// Long results (lists of floats) differ in one item: show where, with a little context either side.
const firstDifference = (py, nat) => {
  if (py.length + nat.length < 400) return `CPython ${py}, native ${nat}`;
  let i = 0;
  while (i < py.length && py[i] === nat[i]) i++;
  const at = Math.max(0, py.lastIndexOf(',', Math.max(0, i - 60)));
  const cut = (s) => `${at ? '...' : ''}${s.slice(at, i + 80)}...`;
  return `CPython ${cut(py)}, native ${cut(nat)} (first difference at character ${i})`;
};

const started = Date.now();
let functions = 0, cases = 0, agreed = 0, failed = 0;
for (const file of files) {
  const t0 = Date.now();
  const results = await buildTargets(file, { targets, jobs: 2, maxCases });
  for (const r of results) {
    const fns = r.verification?.functions ?? [];
    const count = (k) => fns.reduce((n, f) => n + f.counts[k], 0);
    const c = fns.reduce((n, f) => n + f.cases.length, 0);
    const match = count('match'), limit = count('limit') + count('python-timeout'), bad = count('mismatch') + count('crash');
    if (r.target === targets[0]) functions += fns.length;
    cases += c;
    agreed += match + limit;
    if (r.status !== 'verified' || bad) failed++;
    console.log(`${path.relative(ROOT, file).padEnd(40)} ${r.target.padEnd(12)} ${r.status.padEnd(10)} ${fns.length} functions, ${c} cases: ${match} match, ${limit} at documented limits, ${bad} mismatch/crash  ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    if (r.status !== 'verified' && !fns.length) console.log(`    ${r.firstLine}`);
    for (const f of fns) {
      for (const k of f.cases.filter((k) => k.status === 'mismatch' || k.status === 'crash')) {
        console.log(`    ${k.status} ${f.name}(${k.args.join(', ')}): ${firstDifference(String(k.python), String(k.native))}${k.note ? ` (${k.note})` : ''}`);
      }
    }
  }
}
console.log(`\n${files.length} files, ${functions} functions, ${agreed}/${cases} cases agree with CPython on ${targets.join(' and ')}; ${failed} file/target pairs not verified; ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
