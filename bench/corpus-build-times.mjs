#!/usr/bin/env node
// C build time of corpus files for the host (a benchmark, not a test): what `kiln verify` and the corpus test
// pay per file (the harness: harness C + the unit's C, -O2, LTO) and, with --library, what `kiln compile` pays
// (the shared library). Each round builds a source made unique by a comment, so neither Kiln's build cache nor
// Zig's object cache answers; Zig's libc cache is kept (the usual edit-and-rebuild). Prints the best and the
// median of the rounds per file, in seconds: wall time, and the CPU time of the compiler processes (user + system,
// from /proc on Linux), which a busy shared machine disturbs less.
// --no-lto builds the harness as the corpus test does (-fno-lto, tests/tools.ts noLtoFlags). --frontend times
// compileModule alone (parse, trace, typecheck, lowering to C: the TypeScript side of every build), no C build.
// Usage: node bench/corpus-build-times.mjs [--rounds 3] [--library] [--no-lto] [--frontend] [files...]   (default: six representative files)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compileModule, buildUnit } = await import(path.join(root, 'src-compiler/pipeline.ts'));

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : dflt; };
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? !!args.splice(i, 1) : false; };
const rounds = Number(opt('--rounds', '3'));
const library = flag('--library');
const noLto = flag('--no-lto');
const frontend = flag('--frontend');
const files = args.length ? args : ['classes_protocols', 'strings_methods', 'dicts_counting', 'numpy_kernels', 'exceptions_classes', 'bigint_arithmetic']
  .map((f) => path.join(root, 'tests/corpus', `${f}.py`));

process.env.KILN_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-corpus-build-'));
const what = { harness: !library, library };
// The CPU time of this process's finished children (cutime + cstime in /proc/self/stat, in clock ticks of 10 ms).
const childCpuMs = () => {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return NaN;
  }
};
const seconds = (ms) => (ms / 1000).toFixed(2).padStart(6);
if (frontend) {
  // The TypeScript side: wall time and this process's CPU time (user + system) of compileModule per file.
  console.log(`compileModule time (no C build), best of ${rounds}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('FILE                       BEST(s)  CPU BEST(s)');
  let total = 0;
  let totalCpu = 0;
  for (const file of files) {
    let best = Infinity;
    let bestCpu = Infinity;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await compileModule(file);
      const c = process.cpuUsage(c0);
      best = Math.min(best, performance.now() - t0);
      bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
    }
    total += best;
    totalCpu += bestCpu;
    console.log(`${path.basename(file).padEnd(25)}  ${seconds(best)}  ${seconds(bestCpu)}`);
  }
  console.log(`${'total (best)'.padEnd(25)}  ${seconds(total)}  ${seconds(totalCpu)}`);
  process.exit(0);
}
console.log(`C build time (${library ? 'library' : 'harness'}, -O2${noLto ? ', -fno-lto' : ''}), best and median of ${rounds}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('FILE                       C LINES  BEST(s)  MEDIAN(s)  CPU BEST(s)  CPU MEDIAN(s)');
let total = 0;
let totalCpu = 0;
try {
  for (const file of files) {
    const compiled = await compileModule(file);
    if (!compiled.unit) { console.log(`${path.basename(file).padEnd(25)}  does not compile`); continue; }
    const times = [];
    const cpu = [];
    for (let r = 0; r < rounds; r++) {
      const unit = { ...compiled.unit, source: `${compiled.unit.source}\n/* bench round ${process.pid}-${Date.now()}-${r} */\n` };
      const t0 = performance.now();
      const c0 = childCpuMs();
      await buildUnit(unit, what, noLto ? { harnessFlags: ['-fno-lto'] } : {});
      times.push(performance.now() - t0);
      cpu.push(childCpuMs() - c0);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    total += times[0];
    totalCpu += cpu[0];
    const mid = Math.floor(times.length / 2);
    const lines = compiled.unit.source.split('\n').length;
    console.log(`${path.basename(file).padEnd(25)}  ${String(lines).padStart(7)}  ${seconds(times[0])}  ${seconds(times[mid])}     ${seconds(cpu[0])}       ${seconds(cpu[mid])}`);
  }
  console.log(`${'total (best)'.padEnd(25)}  ${''.padStart(7)}  ${seconds(total)}  ${''.padStart(9)}     ${seconds(totalCpu)}`);
} finally {
  fs.rmSync(process.env.KILN_CACHE_DIR, { recursive: true, force: true });
}
