/**
 * The runtime's NumPy kernels against NumPy on this machine: GEMM (256, 512, 1024; float64 and float32; one thread
 * and two), the vectorised math on 10^6 values, and an embarrassingly parallel loop on 1 and 2 threads.
 * Run: `npx tsx bench/runtime/run.ts [--rounds 5] [--only gemm,vmath,par] [--variants native,avx2,base] [--nice -10]`.
 *
 * Kiln's kernels are built with Kiln's own C flags (semanticFlags) by the bundled Zig, in three variants on x86-64:
 * `native` (the host CPU, AVX-512 here), `avx2` (-mavx2 -mfma) and `base` (baseline x86-64, SSE2). NumPy runs with
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from the environment, OPENBLAS_NUM_THREADS=1 for one thread and
 * unset (all cores) for two.
 * One thread: Kiln (bench/runtime/paired.c as a shared library, through ctypes) and NumPy run in the same Python
 * process, call by call in alternating order (paired.py), timed in the thread's CPU time; each round reports the median
 * of its pairs, the table the median over rounds. On a machine shared with other work this is what keeps the ratio
 * stable: separate processes measured minutes apart swing by 50% (memory bandwidth and caches are shared too).
 * Two threads: separate processes (kernels.c, numpy_kernels.py; the two libraries' spinning threads would compete in
 * one process), wall time, best of each process's repetitions, median over rounds. --nice runs every measured
 * process (Kiln's and NumPy's alike) at that niceness (root, or a user allowed to, for < 0). Nothing is asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { compileC, hostToolchain } from '../../src-compiler/targets/toolchain.ts';

const opt = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const rounds = Number(opt('--rounds') ?? 5);
const only = (opt('--only') ?? 'gemm,vmath,par').split(',');
const isX64 = process.arch === 'x64';
const variants = (opt('--variants') ?? (isX64 ? 'native,avx2,base' : 'native')).split(',');
const python = process.env.KILN_PYTHON ?? 'python3';
const niceness = opt('--nice');
const here = import.meta.dirname;

const VARIANT_FLAGS: Record<string, { triple?: string; flags: string[] }> = {
  native: { flags: [] },
  avx2: { triple: 'x86_64-linux-gnu', flags: ['-mavx2', '-mfma'] },
  base: { triple: 'x86_64-linux-gnu', flags: [] },
};

const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-rt-bench-'));
async function build(variant: string, kind: 'exe' | 'shared'): Promise<string> {
  const out = path.join(buildDir, kind === 'exe' ? `kernels-${variant}` : `libpaired-${variant}.so`);
  const v = VARIANT_FLAGS[variant];
  const source = path.join(here, kind === 'exe' ? 'kernels.c' : 'paired.c');
  const r = await compileC({ toolchain: await hostToolchain(), sources: [source], output: out, kind, triple: v.triple, optLevel: 'O2', extraFlags: v.flags });
  if (!r.ok) throw new Error(r.log);
  return out;
}

const numpyEnv = (threads: number): Record<string, string | undefined> => {
  const env: Record<string, string | undefined> = { ...process.env, OPENBLAS_CORETYPE: undefined, OPENBLAS_L2_SIZE: undefined };
  env.OPENBLAS_NUM_THREADS = threads === 1 ? '1' : undefined;
  return env;
};
async function run(cmd: string, args: string[], env?: Record<string, string | undefined>): Promise<string[]> {
  const [c, a] = niceness ? ['nice', ['-n', niceness, cmd, ...args]] : [cmd, args];
  const r = await execa(c, a, { env: env ?? { ...process.env }, extendEnv: false, reject: false });
  return r.stdout.trim().split(/\s+/);
}
/** Best ms of one process ("name best median"). */
const measure = async (cmd: string, args: string[], env?: Record<string, string | undefined>) => Number((await run(cmd, args, env))[1]);
/** Kiln's and NumPy's medians of one paired run ("name kiln numpy"). */
const paired = async (lib: string, args: string[]) => {
  const f = await run(python, [path.join(here, 'paired.py'), lib, ...args], numpyEnv(1));
  return [Number(f[1]), Number(f[2])];
};
const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 1 ? 3 : x < 10 ? 2 : 1) : 'n/a');

async function main() {
  const exes: Record<string, string> = {}, libs: Record<string, string> = {};
  for (const v of variants) {
    exes[v] = await build(v, 'exe');
    libs[v] = await build(v, 'shared');
  }
  console.log(`${(await execa(exes[variants[0]], ['info'])).stdout}; NumPy ${(await execa(python, ['-c', 'import numpy; print(numpy.__version__)'])).stdout}; ${rounds} rounds, medians${niceness ? `; nice ${niceness}` : ''}`);
  const header = (what: string) => {
    console.log(`\n| ${what} | ` + variants.map((v) => `Kiln ${v} (ms)`).join(' | ') + ' | NumPy (ms) | NumPy / Kiln native |');
    console.log('|---|' + variants.map(() => '---|').join('') + '---|---|');
  };
  /** One-thread rows: paired runs per variant; NumPy's figure from the native pairing. */
  const pairedRow = async (label: string, args: string[]) => {
    const kiln: Record<string, number[]> = {};
    const np: number[] = [];
    for (let r = 0; r < rounds; r++)
      for (const v of variants) {
        const [k, n] = await paired(libs[v], args);
        (kiln[v] ??= []).push(k);
        if (v === variants[0]) np.push(n);
      }
    const k = variants.map((v) => median(kiln[v]));
    const n = median(np);
    console.log(`| ${label} | ${k.map(ms).join(' | ')} | ${ms(n)} | ${Number.isFinite(n) ? (n / k[0]).toFixed(2) : 'n/a'} |`);
  };

  if (only.includes('gemm')) {
    header('C = A @ B, 1 thread (CPU, paired)');
    for (const dtype of ['float64', 'float32'])
      for (const n of [256, 512, 1024]) await pairedRow(`${n}x${n} ${dtype}`, ['gemm', String(n), dtype, '1', String(n === 256 ? 41 : n === 512 ? 11 : 5)]);
    header('C = A @ B, 2 threads (wall, separate processes)');
    for (const dtype of ['float64', 'float32'])
      for (const n of [256, 512, 1024]) {
        const reps = String(n === 256 ? 40 : n === 512 ? 10 : 4);
        const kiln: Record<string, number[]> = {};
        const np: number[] = [];
        for (let r = 0; r < rounds; r++) {
          for (const v of variants) (kiln[v] ??= []).push(await measure(exes[v], ['gemm', String(n), dtype, '2', reps]));
          np.push(await measure(python, [path.join(here, 'numpy_kernels.py'), 'gemm', String(n), dtype, '2', reps], numpyEnv(2)));
        }
        const k = variants.map((v) => median(kiln[v]));
        console.log(`| ${n}x${n} ${dtype} | ${k.map(ms).join(' | ')} | ${ms(median(np))} | ${(median(np) / k[0]).toFixed(2)} |`);
      }
  }
  if (only.includes('vmath')) {
    header('10^6 values, 1 thread (CPU, paired)');
    for (const dtype of ['float64', 'float32'])
      for (const fn of ['exp', 'log', 'sin', 'cos', 'tanh', 'erf', 'sqrt', 'power']) await pairedRow(`np.${fn} ${dtype}`, ['vmath', fn, dtype, '1000000', '21']);
  }
  if (only.includes('par')) {
    const exe = exes[variants[0]];
    const t1: number[] = [], t2: number[] = [];
    for (let r = 0; r < rounds; r++) {
      t1.push(await measure(exe, ['par', '200000', '1', '10']));
      t2.push(await measure(exe, ['par', '200000', '2', '10']));
    }
    console.log(`\nembarrassingly parallel loop (2*10^5 items x 200 dependent steps, wall): 1 thread ${ms(median(t1))} ms, 2 threads ${ms(median(t2))} ms, speed-up ${(median(t1) / median(t2)).toFixed(2)}x`);
  }
}

await main();
