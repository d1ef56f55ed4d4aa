#!/usr/bin/env node
// The speed of a generator consumed where it is made: `sum(x * x for x in evens(n))` against the same sum as a
// for loop, and the generator read with next() (a state machine), in Kiln and in CPython
// (bench/generators/gen_sum.py). Issue 16 asks the generator to be within 1.5x of the loop and at least 10x faster
// than CPython. Usage: node bench/generators.mjs [n] (default 1000000).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const n = process.argv[2] ?? '1000000';
const file = path.join(root, 'bench/generators/gen_sum.py');

function medians(func) {
  const out = execFileSync(process.execPath, [path.join(root, 'bin/kiln.mjs'), 'bench', `${file}::${func}`, n, '--variants', 'cpython,kiln-native', '--json', '--no-store', '--quiet'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const run = JSON.parse(out);
  const by = Object.fromEntries(run.cases[0].results.map((r) => [r.variant, r]));
  for (const r of Object.values(by)) if (r.status !== 'ok') throw new Error(`${func} ${r.variant}: ${r.status}`);
  if (by.cpython.resultRepr !== by['kiln-native'].resultRepr) throw new Error(`${func}: Kiln gave ${by['kiln-native'].resultRepr}, CPython ${by.cpython.resultRepr}`);
  return { cpython: by.cpython.summary.medianNs, kiln: by['kiln-native'].summary.medianNs };
}

const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} us`);
const gen = medians('gen_sum');
const compiledGen = medians('gen_sum_compiled');
const loop = medians('loop_sum');
const machine = medians('next_sum');
console.log(`n = ${n} (medians of kiln bench)`);
console.log(`                                  Kiln       CPython    CPython/Kiln`);
console.log(`sum(x * x for x in evens(n))  ${fmt(gen.kiln).padStart(10)}  ${fmt(gen.cpython).padStart(10)}  ${(gen.cpython / gen.kiln).toFixed(1).padStart(8)}x`);
console.log(`the same, @compile evens      ${fmt(compiledGen.kiln).padStart(10)}  ${fmt(compiledGen.cpython).padStart(10)}  ${(compiledGen.cpython / compiledGen.kiln).toFixed(1).padStart(8)}x`);
console.log(`the same as a while loop      ${fmt(loop.kiln).padStart(10)}  ${fmt(loop.cpython).padStart(10)}  ${(loop.cpython / loop.kiln).toFixed(1).padStart(8)}x`);
console.log(`next(g) until exhausted       ${fmt(machine.kiln).padStart(10)}  ${fmt(machine.cpython).padStart(10)}  ${(machine.cpython / machine.kiln).toFixed(1).padStart(8)}x`);
console.log(`generator / loop in Kiln: ${(gen.kiln / loop.kiln).toFixed(2)}x (target: under 1.5x); generator vs CPython's generator: ${(gen.cpython / gen.kiln).toFixed(0)}x (target: at least 10x)`);
