/**
 * The runtime's NumPy kernels against NumPy on this machine: GEMM (256, 512, 1024; float64 and float32; one thread
 * and two), the vectorised math on 10^6 values, and an embarrassingly parallel loop on 1 and 2 threads.
 * Run: `npx tsx bench/runtime/run.ts [--rounds 5] [--only gemm,vmath,par] [--variants native,avx2,base] [--nice -10]`.
 * --nice runs every measured process (Kiln's and NumPy's alike) at that niceness: on a machine busy with other work,
 * two-thread timings otherwise measure the scheduler more than the code (root, or a user allowed to, for < 0).
 *
 * Kiln's kernels are built from bench/runtime/kernels.c with Kiln's own C flags (semanticFlags) by the bundled Zig,
 * in three variants on x86-64: `native` (the host CPU, AVX-512 here), `avx2` (-mavx2 -mfma) and `base` (baseline
 * x86-64, SSE2). NumPy runs bench/runtime/numpy_kernels.py with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from
 * the environment, OPENBLAS_NUM_THREADS=1 for one thread and unset (all cores) for two.
 * One-thread timings are CPU time of the calling thread, two-thread timings wall time. Each process reports the best
 * of its repetitions; the table shows the median of those over the rounds (processes alternate Kiln / NumPy, so a
 * busy spell of the shared machine hits both). Nothing is asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { compileC, hostToolchain, semanticFlags } from '../../src-compiler/targets/toolchain.ts';

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

async function build(variant: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-rt-bench-'));
  const out = path.join(dir, `kernels-${variant}`);
  const v = VARIANT_FLAGS[variant];
  const r = await compileC({ toolchain: await hostToolchain(), sources: [path.join(here, 'kernels.c')], output: out, kind: 'exe', triple: v.triple, optLevel: 'O2', extraFlags: v.flags });
  if (!r.ok) throw new Error(r.log);
  return out;
}

const numpyEnv = (threads: number): Record<string, string | undefined> => {
  const env: Record<string, string | undefined> = { ...process.env, OPENBLAS_CORETYPE: undefined, OPENBLAS_L2_SIZE: undefined };
  env.OPENBLAS_NUM_THREADS = threads === 1 ? '1' : undefined;
  return env;
};
/** Best ms of one process ("name best median"). */
async function measure(cmd: string, args: string[], env?: Record<string, string | undefined>): Promise<number> {
  const [c, a] = niceness ? ['nice', ['-n', niceness, cmd, ...args]] : [cmd, args];
  const r = await execa(c, a, { env, extendEnv: false, reject: false });
  const best = Number(r.stdout.trim().split(/\s+/)[1]);
  return Number.isFinite(best) ? best : NaN;
}
const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 1 ? 3 : x < 10 ? 2 : 1) : 'n/a');

async function main() {
  const exes: Record<string, string> = {};
  for (const v of variants) exes[v] = await build(v);
  console.log(`${(await execa(exes.native ?? Object.values(exes)[0], ['info'])).stdout}; NumPy ${(await execa(python, ['-c', 'import numpy; print(numpy.__version__)'])).stdout}; ${rounds} rounds, medians${niceness ? `; nice ${niceness}` : ''}`);

  if (only.includes('gemm')) {
    console.log('\n| C = A @ B | ' + variants.map((v) => `Kiln ${v} (ms)`).join(' | ') + ' | NumPy (ms) | NumPy / Kiln native |');
    console.log('|---|' + variants.map(() => '---|').join('') + '---|---|');
    for (const threads of [1, 2])
      for (const dtype of ['float64', 'float32'])
        for (const n of [256, 512, 1024]) {
          const reps = String(n === 256 ? 40 : n === 512 ? 10 : 4);
          const kiln: Record<string, number[]> = {};
          const np: number[] = [];
          for (let r = 0; r < rounds; r++) {
            for (const v of variants) (kiln[v] ??= []).push(await measure(exes[v], ['gemm', String(n), dtype, String(threads), reps]));
            np.push(await measure(python, [path.join(here, 'numpy_kernels.py'), 'gemm', String(n), dtype, String(threads), reps], numpyEnv(threads)));
          }
          const k = variants.map((v) => median(kiln[v]));
          console.log(`| ${n}x${n} ${dtype}, ${threads} thread${threads > 1 ? 's (wall)' : ' (CPU)'} | ${k.map(ms).join(' | ')} | ${ms(median(np))} | ${(median(np) / k[0]).toFixed(2)} |`);
        }
  }
  if (only.includes('vmath')) {
    console.log('\n| 10^6 values, 1 thread (CPU) | ' + variants.map((v) => `Kiln ${v} (ms)`).join(' | ') + ' | NumPy (ms) | NumPy / Kiln native |');
    console.log('|---|' + variants.map(() => '---|').join('') + '---|---|');
    for (const dtype of ['float64', 'float32'])
      for (const fn of ['exp', 'log', 'sin', 'cos', 'tanh', 'erf', 'sqrt', 'power']) {
        const kiln: Record<string, number[]> = {};
        const np: number[] = [];
        for (let r = 0; r < rounds; r++) {
          for (const v of variants) (kiln[v] ??= []).push(await measure(exes[v], ['vmath', fn, dtype, '1000000', '15']));
          np.push(await measure(python, [path.join(here, 'numpy_kernels.py'), 'vmath', fn, dtype, '1000000', '15'], numpyEnv(1)));
        }
        const k = variants.map((v) => median(kiln[v]));
        console.log(`| np.${fn} ${dtype} | ${k.map(ms).join(' | ')} | ${ms(median(np))} | ${Number.isFinite(median(np)) ? (median(np) / k[0]).toFixed(2) : 'n/a'} |`);
      }
  }
  if (only.includes('par')) {
    const exe = exes.native ?? Object.values(exes)[0];
    const t1: number[] = [], t2: number[] = [];
    for (let r = 0; r < rounds; r++) {
      t1.push(await measure(exe, ['par', '200000', '1', '10']));
      t2.push(await measure(exe, ['par', '200000', '2', '10']));
    }
    console.log(`\nembarrassingly parallel loop (2*10^5 items x 200 dependent steps, wall): 1 thread ${ms(median(t1))} ms, 2 threads ${ms(median(t2))} ms, speed-up ${(median(t1) / median(t2)).toFixed(2)}x`);
  }
}

await main();
