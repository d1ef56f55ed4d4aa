/**
 * Array kernel benchmarks (not tests): each loop-style kernel of bench/array_kernels.py compiled by Kiln
 * (timed inside the native harness, no interpreter in the loop), against the same function run by CPython
 * with NumPy arrays (the loops interpreted) and against its NumPy-vectorised twin (np_*). Numba and Pythran
 * are timed when importable by the chosen Python. Run: `npx tsx bench/arrays.ts [--python /usr/bin/python3]`.
 * Results print as a table; nothing is asserted.
 */
import path from 'node:path';
import { execa } from 'execa';
import { buildUnit, compileModule, runHarness } from '../src-compiler/pipeline.ts';
import { harnessLine } from '../src-compiler/run/call.ts';
import type { PyValue } from '../src-compiler/run/values.ts';
import { toRefJSON } from '../src-compiler/run/values.ts';

const python = process.argv.includes('--python') ? process.argv[process.argv.indexOf('--python') + 1] : process.env.KILN_PYTHON ?? '/usr/bin/python3';
const file = path.resolve(import.meta.dirname, 'array_kernels.py');

function rand(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}
const arr = (shape: number[], seed: number): PyValue => {
  const r = rand(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { kind: 'array', dtype: 'float64', shape, values: Array.from({ length: n }, () => r()) };
};
const int = (v: number): PyValue => ({ kind: 'int', value: BigInt(v) });

interface Case { name: string; args: PyValue[]; reps: number; pyReps: number; label: string }
const CASES: Case[] = [
  { name: 'dot', args: [arr([100000], 1), arr([100000], 2)], reps: 200, pyReps: 2, label: 'n=100000' },
  { name: 'matmul', args: [arr([120, 120], 3), arr([120, 120], 4)], reps: 20, pyReps: 1, label: '120x120' },
  { name: 'diffusion', args: [arr([200, 200], 5), int(10)], reps: 10, pyReps: 1, label: '200x200, 10 steps' },
  { name: 'convolve', args: [arr([50000], 6), arr([16], 7)], reps: 50, pyReps: 1, label: 'n=50000, k=16' },
  { name: 'histogram', args: [arr([200000], 8), int(32)], reps: 50, pyReps: 1, label: 'n=200000, 32 bins' },
  { name: 'pairwise', args: [arr([200, 3], 9)], reps: 20, pyReps: 1, label: '200 points, 3-D' },
];

const PY_TIMER = `
import importlib.util, json, sys, time, os
sys.path.insert(0, os.path.join(${JSON.stringify(path.resolve(import.meta.dirname, '..', 'resources', 'python'))}))
import kiln_reference as ref
spec = importlib.util.spec_from_file_location("array_kernels", ${JSON.stringify(file)})
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
req = json.load(sys.stdin)
args = [ref.decode(a) for a in req["args"]]
out = {}
def best(f, reps):
    f(*args)
    t = []
    for _ in range(3):
        t0 = time.perf_counter_ns(); [f(*args) for _ in range(reps)]; t.append((time.perf_counter_ns() - t0) / reps)
    return min(t)
out["cpython"] = best(getattr(m, req["name"]), req["pyReps"])
out["numpy"] = best(getattr(m, "np_" + req["name"]), req["reps"])
try:
    import numba
    out["numba"] = best(numba.njit(getattr(m, req["name"]).__wrapped__ if hasattr(getattr(m, req["name"]), "__wrapped__") else getattr(m, req["name"])), req["reps"])
except Exception as e:
    out["numba"] = None
print(json.dumps(out))
`;

async function main() {
  const compiled = await compileModule(file, { python });
  for (const f of compiled.functions) if (f.error) throw new Error(`${f.name}: ${f.error.message}`);
  const built = await buildUnit(compiled.unit!, { harness: true }, { optLevel: 'O3' });
  const rows: string[][] = [['kernel', 'size', 'Kiln (ms)', 'NumPy (ms)', 'CPython loops (ms)', 'Numba (ms)', 'Kiln vs fastest other']];
  for (const c of CASES) {
    const fn = compiled.unit!.exports.find((e) => e.name === c.name)!;
    const line = harnessLine(fn, c.args);
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const r = await runHarness(built.harness!, `@bench ${c.reps} ${line}\n`);
      const m = /^bench (\d+) (\d+)/.exec(r.stdout.trim());
      if (!m) throw new Error(`${c.name}: ${r.stdout.slice(0, 200)} ${r.stderr.slice(0, 200)}`);
      best = Math.min(best, Number(m[1]) / c.reps);
    }
    const py = await execa(python, ['-c', PY_TIMER], { input: JSON.stringify({ name: c.name, args: c.args.map(toRefJSON), reps: c.reps, pyReps: c.pyReps }), reject: false, timeout: 600_000 });
    const t = py.exitCode === 0 ? JSON.parse(py.stdout) : { cpython: null, numpy: null, numba: null };
    const others = [t.numpy, t.cpython, t.numba].filter((x: number | null) => x !== null) as number[];
    const ms = (ns: number | null) => (ns === null ? 'n/a' : (ns / 1e6).toFixed(3));
    rows.push([c.name, c.label, ms(best), ms(t.numpy), ms(t.cpython), t.numba === null ? 'not installed' : ms(t.numba), others.length ? `${(best / Math.min(...others)).toFixed(2)}x` : 'n/a']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((x, i) => x.padEnd(widths[i])).join('  '));
}

await main();
