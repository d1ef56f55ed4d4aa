/**
 * Whole-array NumPy code compiled by Kiln against the same code run by CPython with NumPy, on this machine:
 * `a @ b`, np.exp/sin/log/tanh of 10^6 values, an element-wise expression and softmax (bench/numpy/kernels.py).
 * Run: `npx tsx bench/numpy/run.ts [--pairs 7] [--only matmul,wave] [--target linux-x64] [--native] [--python python3]`.
 * `--native`: the package's library is rebuilt from the same generated C for this CPU (what `kiln run` and the host
 * harness build: AVX-512 here, no dispatch), where element-wise chains run fused in vectors; an exported x86-64
 * library dispatches the vector math per operation instead (docs/design/numpy-kernels.md). The package's CPython
 * extension is removed then (it carries its own copy of the unit, built with the export's flags), so the calls go
 * through ctypes to the rebuilt library: about 10 us more per call, which the small rows show.
 *
 * Kiln's side is what a user ships: `kiln export --target linux-x64` (baseline x86-64 with the GEMM and the vector
 * math dispatched to AVX2/AVX-512 at load time), the exported Python package called as a user calls it: through its
 * CPython extension (NumPy arrays in and out through NumPy's C API), or its ctypes functions where the extension is not
 * built or with KILN_PYTHON_BACKEND=ctypes in the environment, so each call's cost includes the package's (the column
 * "via" says which; the 10- and 100-item rows are that cost). Both sides run single-threaded (KILN_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1;
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed so that OpenBLAS tunes itself) in one Python process, call by call in
 * alternating order, timed in the thread's CPU time (bench/numpy/compare.py): on a machine shared with other work
 * this keeps the ratio stable. Prints a table; the last column is the largest difference between the two results in
 * units of the last place (what verification allows is per function, opt/tolerance.ts). Nothing is asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { compileC, hostToolchain } from '../../src-compiler/targets/toolchain.ts';

const opt = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const pairs = opt('--pairs') ?? '7';
const target = opt('--target') ?? 'linux-x64';
const python = opt('--python') ?? process.env.KILN_PYTHON ?? 'python3';
const here = import.meta.dirname;
const root = path.resolve(here, '../..');

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-np-bench-'));
const exp = await execa('node', [path.join(root, 'bin/kiln.mjs'), 'export', path.join(here, 'kernels.py'), '--target', target, '--out', out], { reject: false });
if (exp.exitCode !== 0) {
  console.error(`kiln export failed:\n${exp.stdout}\n${exp.stderr}`);
  process.exit(1);
}
if (process.argv.includes('--native')) {
  const c = path.join(out, 'c');
  const emit = await execa('node', [path.join(root, 'bin/kiln.mjs'), 'compile', path.join(here, 'kernels.py'), '--emit', 'c', '--out', c], { reject: false });
  const dir = path.join(c, 'kernels');
  const lib = path.join(out, 'python', 'kernels', '_libs', target, 'libkiln_kernels.so');
  const built = emit.exitCode === 0 && await compileC({ toolchain: await hostToolchain(), sources: [path.join(dir, 'kiln_kernels.c')], output: lib, kind: 'shared', includeDirs: [dir], optLevel: 'O2' });
  if (!built || !built.ok) {
    console.error(`the native build failed:\n${emit.stderr}${built ? built.log : ''}`);
    process.exit(1);
  }
  fs.rmSync(path.join(out, 'python', 'kernels', '_kiln_fast.abi3.so'), { force: true });
}
const env: Record<string, string | undefined> = { ...process.env, OPENBLAS_CORETYPE: undefined, OPENBLAS_L2_SIZE: undefined, OPENBLAS_NUM_THREADS: '1', KILN_NUM_THREADS: '1' };
const args = [path.join(here, 'compare.py'), path.join(out, 'python'), here, pairs, ...(opt('--only') ? [opt('--only')!] : [])];
const r = await execa(python, args, { env, extendEnv: false, reject: false });
if (r.exitCode !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const np = (await execa(python, ['-c', 'import numpy; print(numpy.__version__)'], { env, extendEnv: false })).stdout.trim();
const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
const w = Math.max(...rows.map((x) => x[0].length), 4);
console.log(`Kiln (${target} export${process.argv.includes('--native') ? ', library rebuilt for this CPU' : ''}, 1 thread) against NumPy ${np} (1 thread), ms per call, median of ${pairs} pairs, CPU time`);
console.log(`${'case'.padEnd(w)}  ${'Kiln'.padStart(9)}  ${'NumPy'.padStart(9)}  ${'NumPy/Kiln'.padStart(10)}  ${'via'.padEnd(9)}  max ULPs apart`);
for (const [name, k, n, ulps, via] of rows) {
  const ratio = Number(n) / Number(k);
  const ms = (x: string) => (Number(x) >= 1 ? Number(x).toFixed(3) : Number(x).toPrecision(3));
  console.log(`${name.padEnd(w)}  ${ms(k).padStart(9)}  ${ms(n).padStart(9)}  ${`${ratio.toFixed(2)}x`.padStart(10)}  ${via.padEnd(9)}  ${ulps}`);
}
fs.rmSync(out, { recursive: true, force: true });
