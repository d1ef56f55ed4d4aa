#!/usr/bin/env node
// How long the `kiln` command takes from start to exit (a benchmark, not a test), median of N runs:
//   trace        kiln trace examples/fma.py::fma
//   run-cached   kiln run examples/fma.py::fma 3 -1 2, its build already in Kiln's cache
//   run-cold     kiln run of a function never built before (a fresh constant each run: parse, trace, type,
//                lower, build with Zig, run), Zig's own libc cache kept as a user's would be
// Usage: node bench/cli-times.mjs [--runs N] [--kiln 'node bin/kiln.mjs'] [--root DIR] [--json FILE]
//   --root: the checkout whose bin/kiln.mjs runs (e.g. an older commit unpacked elsewhere, for a before/after)
// The command is started as a user starts it (`node bin/kiln.mjs ...`), so Node's start-up is counted.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const root = path.resolve(opt('--root', path.join(path.dirname(fileURLToPath(import.meta.url)), '..')));
const runs = Number(opt('--runs', '11'));
const kiln = opt('--kiln', `${process.execPath} bin/kiln.mjs`).split(' ');
const jsonOut = opt('--json', undefined);

/**
 * CPU seconds used by this process's finished children (Linux: /proc/self/stat's cutime + cstime, in clock
 * ticks of 10 ms): on a machine shared with other work the wall time also counts waiting for a core.
 */
function childCpuSeconds() {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

/** Seconds one command takes, start to exit, and the CPU seconds it used; fails loudly when the command fails. */
function timeOnce(argv) {
  const cpu0 = childCpuSeconds();
  const started = process.hrtime.bigint();
  const r = spawnSync(kiln[0], [...kiln.slice(1), ...argv], { cwd: root, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`kiln ${argv.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return { seconds, cpu: childCpuSeconds() - cpu0, stdout: r.stdout.trim() };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-cli-times-'));
let fresh = 0;
/** A module whose function Kiln has never built: the constant differs from every earlier run. */
function newFunctionFile() {
  fresh += 1;
  const k = `${process.pid}${Date.now() % 1e6}${fresh}`;
  const file = path.join(scratch, `cold_${fresh}.py`);
  fs.writeFileSync(file, `from kiln import compile\n\n\n@compile\ndef scaled(x: float, y: float) -> float:\n    return x * ${k}.5 + y\n`);
  return { argv: ['run', `${file}::scaled`, '2', '1'], expect: String(2 * Number(`${k}.5`) + 1) };
}

const scenarios = [
  { id: 'trace', target: 0.3, command: 'kiln trace examples/fma.py::fma', argv: () => ({ argv: ['trace', 'examples/fma.py::fma'] }) },
  { id: 'run-cached', target: 0.3, command: 'kiln run examples/fma.py::fma 3 -1 2 (cached build)', argv: () => ({ argv: ['run', 'examples/fma.py::fma', '3', '-1', '2'], expect: '-1.0' }) },
  { id: 'run-cold', target: 0.8, command: 'kiln run NEW.py::scaled 2 1 (a function never built before)', argv: newFunctionFile },
];

console.log(`kiln CLI times: median of ${runs} runs, ${os.cpus().length} cores, ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('(CPU: user + system seconds of the command and its children; wall time on a busy machine also counts waiting for a core)');
console.log(`command: ${kiln.join(' ')} (in ${root})`);
// One run of each first, untimed: Kiln's build cache for fma, Python's bytecode cache, Zig's libc cache.
for (const s of scenarios) timeOnce(s.argv().argv);
const rows = [];
for (const s of scenarios) {
  const times = [];
  const cpus = [];
  for (let i = 0; i < runs; i++) {
    const { argv, expect } = s.argv();
    const r = timeOnce(argv);
    if (expect !== undefined && Number(r.stdout) !== Number(expect)) throw new Error(`kiln ${argv.join(' ')} printed ${r.stdout}, expected ${expect}`);
    times.push(r.seconds);
    cpus.push(r.cpu);
  }
  const row = { id: s.id, command: s.command, medianS: median(times), minS: Math.min(...times), maxS: Math.max(...times), cpuMedianS: median(cpus), targetS: s.target };
  rows.push(row);
  console.log(`${s.id.padEnd(11)} ${row.medianS.toFixed(3)} s (min ${row.minS.toFixed(3)}, max ${row.maxS.toFixed(3)}; CPU ${row.cpuMedianS.toFixed(2)} s)  target < ${s.target} s: ${row.medianS < s.target ? 'met' : 'MISSED'}   ${s.command}`);
}
fs.rmSync(scratch, { recursive: true, force: true });
console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify({ runs, cores: os.cpus().length, node: process.version, loadAverage: os.loadavg(), rows }, null, 2)}\n`);
