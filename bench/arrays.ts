/**
 * Array kernel benchmarks (not tests): each loop-style kernel of bench/array_kernels.py compiled by Kiln
 * (timed inside the native harness, no interpreter in the loop), against the same function run by CPython
 * with NumPy arrays (the loops interpreted) and against its NumPy-vectorised twin (np_*). Numba and Pythran
 * are timed when importable by the chosen Python. Run: `npx tsx bench/arrays.ts [--python /usr/bin/python3]`.
 * Results print as a table; nothing is asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { buildUnit, compileModule, runHarness } from '../src-compiler/pipeline.ts';
import { cacheDir } from '../src-compiler/paths.ts';
import { harnessLine } from '../src-compiler/run/call.ts';
import type { PyValue } from '../src-compiler/run/values.ts';
import { toRefJSON } from '../src-compiler/run/values.ts';

const opt = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const python = opt('--python') ?? process.env.KILN_PYTHON ?? '/usr/bin/python3';
const file = path.resolve(import.meta.dirname, 'array_kernels.py');
/** --only dot,matmul: a subset; --runs N: repeat each timing N times and report medians (default 3);
 *  --c FILE: build this C instead of the generated one (for experiments on the generated C). */
const only = opt('--only')?.split(',');
const runs = Number(opt('--runs') ?? 3);
const cOverride = opt('--c');

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

// Pythran: the compiled kernels (Kiln decorators and annotations stripped) built once into one module with
// `#pythran export` lines, cached under ~/.cache/kiln/peers like the suite's peer builds.
const PYTHRAN_EXPORTS: Record<string, string> = {
  dot: 'float64[], float64[]', matmul: 'float64[:,:], float64[:,:]', diffusion: 'float64[:,:], int',
  convolve: 'float64[], float64[]', histogram: 'float64[], int', pairwise: 'float64[:,:]',
};

const PY_TIMER = `
import importlib.util, json, sys, time, os, ast
sys.path.insert(0, os.path.join(${JSON.stringify(path.resolve(import.meta.dirname, '..', 'resources', 'python'))}))
import kiln_reference as ref
import kiln_bench as kb
spec = importlib.util.spec_from_file_location("array_kernels", ${JSON.stringify(file)})
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
req = json.load(sys.stdin)
args = [ref.decode(a) for a in req["args"]]
out = {}
def best(f, reps, runs=req["runs"]):
    f(*args)
    t = []
    for _ in range(runs):
        t0 = time.perf_counter_ns(); [f(*args) for _ in range(reps)]; t.append((time.perf_counter_ns() - t0) / reps)
    t.sort()
    return t[len(t) // 2]
def pythran_module():
    exports = req["pythran"]
    tree = ast.parse(kb.plain_source(${JSON.stringify(file)}))
    body = []
    for n in tree.body:
        if isinstance(n, ast.FunctionDef):
            if n.name not in exports: continue
            n.returns = None
            for a in n.args.args: a.annotation = None
        elif isinstance(n, ast.Import) and any(a.name == "numpy.typing" for a in n.names): continue
        body.append(n)
    tree.body = body
    text = "".join("#pythran export %s(%s)\\n" % (k, v) for k, v in exports.items()) + ast.unparse(tree) + "\\n"
    d, name = kb._cache_dir("pythran", text, req["cache"])
    so = os.path.join(d, name + ".so")
    def build():
        src = os.path.join(d, name + ".py")
        with open(src, "w", encoding="utf-8") as f: f.write(text)
        kb._run(["pythran", "-O2", "-o", so + ".tmp.so", src], d)
        os.replace(so + ".tmp.so", so)
    if not os.path.exists(so): kb._cached_build(d, build)
    return kb.import_file(so, name)
out["cpython"] = best(getattr(m, req["name"]), req["pyReps"], 1) if req["cpython"] else None
out["numpy"] = best(getattr(m, "np_" + req["name"]), req["reps"])
try:
    import numba
    out["numba"] = best(numba.njit(getattr(m, req["name"]).__wrapped__ if hasattr(getattr(m, req["name"]), "__wrapped__") else getattr(m, req["name"])), req["reps"])
except Exception as e:
    out["numba"] = None
try:
    out["pythran"] = best(getattr(pythran_module(), req["name"]), req["reps"])
except Exception as e:
    print(repr(e), file=sys.stderr)
    out["pythran"] = None
print(json.dumps(out))
`;

async function main() {
  const compiled = await compileModule(file, { python });
  for (const f of compiled.functions) if (f.error) throw new Error(`${f.name}: ${f.error.message}`);
  const unit = cOverride ? { ...compiled.unit!, source: fs.readFileSync(cOverride, 'utf8') } : compiled.unit!;
  const built = await buildUnit(unit, { harness: true }, { optLevel: 'O3' });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows: string[][] = [['kernel', 'size', 'Kiln (ms)', 'NumPy (ms)', 'CPython loops (ms)', 'Numba (ms)', 'Pythran (ms)', 'Kiln / fastest loop peer', 'Kiln / fastest']];
  for (const c of CASES) {
    if (only && !only.includes(c.name)) continue;
    const fn = compiled.unit!.exports.find((e) => e.name === c.name)!;
    const line = harnessLine(fn, c.args);
    const times: number[] = [];
    for (let k = 0; k < runs; k++) {
      const r = await runHarness(built.harness!, `@bench ${c.reps} ${line}\n`);
      const m = /^bench (\d+) (\d+)/.exec(r.stdout.trim());
      if (!m) throw new Error(`${c.name}: ${r.stdout.slice(0, 200)} ${r.stderr.slice(0, 200)}`);
      times.push(Number(m[1]) / c.reps);
    }
    const kiln = median(times);
    const req = { name: c.name, args: c.args.map(toRefJSON), reps: c.reps, pyReps: c.pyReps, runs, cpython: !process.argv.includes('--no-cpython'), pythran: PYTHRAN_EXPORTS, cache: cacheDir() };
    const py = await execa(python, ['-c', PY_TIMER], { input: JSON.stringify(req), reject: false, timeout: 900_000 });
    const t = py.exitCode === 0 ? JSON.parse(py.stdout) : { cpython: null, numpy: null, numba: null, pythran: null };
    if (py.exitCode !== 0) console.error(py.stderr.slice(-2000));
    const ms = (ns: number | null) => (ns === null ? 'n/a' : (ns / 1e6).toFixed(3));
    const ratio = (xs: (number | null)[]) => {
      const v = xs.filter((x): x is number => x !== null);
      return v.length ? `${(kiln / Math.min(...v)).toFixed(2)}x` : 'n/a';
    };
    rows.push([c.name, c.label, ms(kiln), ms(t.numpy), ms(t.cpython), t.numba === null ? 'not installed' : ms(t.numba), t.pythran === null ? 'n/a' : ms(t.pythran),
      ratio([t.numba, t.pythran]), ratio([t.numpy, t.cpython, t.numba, t.pythran])]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((x, i) => x.padEnd(widths[i])).join('  '));
  console.log(`medians of ${runs} runs per cell; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);
}

await main();
