/**
 * The GPT forward pass of examples/gpt/gpt.py (gpt_forward: weights given) compiled by Kiln against the same code
 * run by CPython with NumPy, at two sizes: the example's own (n_vocab 64, n_ctx 16, n_embd 32, 4 heads, 2 layers)
 * and issue 20's (n_vocab 1000, n_ctx 64, n_embd 128, 4 heads, 4 layers), the context full of tokens.
 * Run: `npx tsx bench/numpy/gpt.ts [--pairs 7] [--python python3]`.
 *
 * Three Kiln columns: the linux-x64 export (baseline x86-64, GEMM and vector math dispatched at load) and the same C
 * rebuilt for this CPU (what `kiln run` builds), both called through the exported Python package's ctypes wrapper in
 * the NumPy process (bench/numpy/gpt_compare.py: alternating calls, thread CPU time); and the wasm32 ES module under
 * Node (bench/numpy/gpt_wasm.mjs: process CPU time) on the same inputs. Single-threaded throughout
 * (KILN_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed). The last
 * column is the largest difference from NumPy's logits over their largest magnitude. Nothing is asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { compileC, hostToolchain } from '../../src-compiler/targets/toolchain.ts';

const opt = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const pairs = opt('--pairs') ?? '7';
const python = opt('--python') ?? process.env.KILN_PYTHON ?? 'python3';
const here = import.meta.dirname;
const root = path.resolve(here, '../..');
const kiln = path.join(root, 'bin/kiln.mjs');
const env: Record<string, string | undefined> = { ...process.env, OPENBLAS_CORETYPE: undefined, OPENBLAS_L2_SIZE: undefined, OPENBLAS_NUM_THREADS: '1', KILN_NUM_THREADS: '1' };
const SIZES = [
  { label: 'example: vocab 64, ctx 16, embd 32, 4 heads, 2 layers', dims: { N_VOCAB: 64, N_CTX: 16, N_EMBD: 32, N_HEAD: 4, N_LAYER: 2 } },
  { label: 'issue 20: vocab 1000, ctx 64, embd 128, 4 heads, 4 layers', dims: { N_VOCAB: 1000, N_CTX: 64, N_EMBD: 128, N_HEAD: 4, N_LAYER: 4 } },
];

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await execa(cmd, args, { env, extendEnv: false, reject: false });
  if (r.exitCode !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    process.exit(1);
  }
  return r.stdout.trim();
}

const rows: string[][] = [];
for (const { label, dims } of SIZES) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-gpt-bench-'));
  let src = fs.readFileSync(path.join(root, 'examples/gpt/gpt.py'), 'utf8');
  for (const [k, v] of Object.entries(dims)) src = src.replace(new RegExp(`^${k} = \\d+$`, 'm'), `${k} = ${v}`);
  const file = path.join(dir, 'gpt.py');
  fs.writeFileSync(file, src);
  const out = path.join(dir, 'export');
  await run('node', [kiln, 'export', file, '--target', 'linux-x64,wasm32', '--out', out]);
  const weights = path.join(dir, 'inputs');
  fs.mkdirSync(weights);
  const pkg = path.join(out, 'python');
  const [exported, numpy, rel] = (await run(python, [path.join(here, 'gpt_compare.py'), pkg, file, pairs, weights])).split('\t');
  // The same package with its library rebuilt from the generated C for this CPU.
  const c = path.join(dir, 'c');
  await run('node', [kiln, 'compile', file, '--emit', 'c', '--out', c]);
  const lib = path.join(pkg, 'gpt', '_libs', 'linux-x64', 'libkiln_gpt.so');
  const built = await compileC({ toolchain: await hostToolchain(), sources: [path.join(c, 'gpt', 'kiln_gpt.c')], output: lib, kind: 'shared', includeDirs: [path.join(c, 'gpt')], optLevel: 'O2' });
  if (!built.ok) {
    console.error(`the native build failed:\n${built.log}`);
    process.exit(1);
  }
  const [native] = (await run(python, [path.join(here, 'gpt_compare.py'), pkg, file, pairs, weights])).split('\t');
  const { N_VOCAB: v, N_CTX: n, N_EMBD: e, N_LAYER: l } = dims;
  const shapes = { wte: [v, e], wpe: [n, e], w_qkv: [l, e, 3 * e], w_proj: [l, e, e], w_fc: [l, e, 4 * e], w_out: [l, 4 * e, e] };
  const [wasm, wasmRel] = (await run('node', [path.join(here, 'gpt_wasm.mjs'), path.join(out, 'js', 'kiln_gpt.mjs'), weights, JSON.stringify(shapes), pairs])).split('\t');
  rows.push([label, exported, native, wasm, numpy, `${(Number(numpy) / Number(native)).toFixed(2)}x`, `${rel} / ${wasmRel}`]);
  fs.rmSync(dir, { recursive: true, force: true });
}
const np = await run(python, ['-c', 'import numpy; print(numpy.__version__)']);
const ms = (x: string) => (Number(x) >= 1 ? Number(x).toFixed(3) : Number(x).toPrecision(3));
console.log(`GPT forward pass (examples/gpt/gpt.py gpt_forward), ms per call, median of ${pairs}, CPU time, 1 thread; NumPy ${np}`);
const head = ['size', 'Kiln export', 'Kiln native', 'Kiln wasm', 'NumPy', 'NumPy/native', 'rel. diff (x64 / wasm)'];
const w = Math.max(...rows.map((r) => r[0].length), 4);
console.log([head[0].padEnd(w), ...head.slice(1).map((h) => h.padStart(12))].join('  '));
for (const r of rows) console.log([r[0].padEnd(w), ...r.slice(1, 5).map((x) => ms(x).padStart(12)), r[5].padStart(12), r[6].padStart(12)].join('  '));
