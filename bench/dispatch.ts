/**
 * What the exported Python package's dispatch on argument types costs per call (issue 22: at most 10 ns on the
 * extension's fast path). Not a test: it prints numbers. Run: `npx tsx bench/dispatch.ts [--python python3]`.
 *
 * bench/dispatch/spec_calls.py has fma (three float parameters: the numeric tower's type tests) and total (a
 * list[float] parameter: the element type test). The module is exported once (the package as users get it), then:
 * - scalars, CPython extension: the package's `fma` against the same extension built from the same unit with the
 *   specialisations left out (no type tests: every call takes the annotated conversion), both called with floats
 *   (the annotated specialisation: the tests run, then the same conversion and call), so the difference is the tests;
 * - scalars and lists, ctypes: the dispatcher (KILN_PYTHON_BACKEND=ctypes) against its annotated function's own
 *   `_run` called directly with the same tuple (no dispatcher frame, no type tests), for lists of 0, 1, 10 and 1000
 *   floats (a list's items are all type-tested: a list mixing ints and floats has no specialisation).
 * Both are timed in one process, in turn, 300 rounds of about 0.5 ms each (short enough to run in one time slice
 * of a loaded machine), and each figure is its best round, in ns per call.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { buildUnit, compileModule } from '../src-compiler/pipeline.ts';
import { buildPythonExtension } from '../src-compiler/export/pyext.ts';
import type { ExportedFunction } from '../src-compiler/lower/abi.ts';

const root = path.resolve(import.meta.dirname, '..');
const python = process.argv.includes('--python') ? process.argv[process.argv.indexOf('--python') + 1] : 'python3';
const file = path.join(root, 'bench/dispatch/spec_calls.py');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-dispatch-'));

try {
  // The package as exported (its extension dispatches), and a copy whose extension has no specialisations.
  const r = await execa('node', [path.join(root, 'bin/kiln.mjs'), 'export', file, '--target', 'host', '--no-verify', '--out', path.join(dir, 'out')], { reject: false });
  if (r.exitCode !== 0) throw new Error(r.stderr);
  const pkg = path.join(dir, 'out/python/spec_calls');
  // The copy is the package spec_calls_direct (its own name, so both load in one process and are timed in turn).
  const direct = path.join(dir, 'direct/spec_calls_direct');
  fs.cpSync(pkg, direct, { recursive: true });
  const compiled = await compileModule(file);
  const unit = compiled.unit!;
  const a = await buildUnit(unit, { library: true });
  const plain: ExportedFunction[] = unit.exports.map((e) => ({ ...e, variants: undefined, boolAliases: undefined }));
  const built = await buildPythonExtension({
    moduleName: 'spec_calls_direct', exports: plain, unitSource: a.source, headerName: unit.headerName, buildDir: a.dir, outDir: direct,
    toolchain: a.toolchain, python,
  });
  if (!built.ok) throw new Error(built.message);

  const script = `
import importlib, json, sys, time, timeit
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])
m = importlib.import_module("spec_calls")
d = importlib.import_module("spec_calls_direct")

def best(pairs):
    """pairs: [(stmt, env)]; each timed in turn, 300 rounds of about 0.5 ms interleaved (short enough to fit in one
    time slice of a loaded machine), the best round of each, in ns per call."""
    timers = [timeit.Timer(stmt, globals=env) for stmt, env in pairs]
    numbers = [max(1, int(0.0005 / (min(t.repeat(5, 10)) / 10 or 1e-9))) for t in timers]
    out = [float("inf")] * len(timers)
    for _ in range(300):
        for k, t in enumerate(timers):
            out[k] = min(out[k], t.timeit(numbers[k]) / numbers[k] * 1e9)
    return out

def cells(f):
    return dict(zip(f.__code__.co_freevars, (c.cell_contents for c in f.__closure__)))

out = {"backends": [m.__kiln_backend__["fma"], d.__kiln_backend__["fma"]]}
if sys.argv[3] == "extension":
    out["fma"] = best([("f(1.5, 2.0, 3.0)", {"f": m.fma}), ("f(1.5, 2.0, 3.0)", {"f": d.fma})])
else:
    out["fma"] = best([("f(1.5, 2.0, 3.0)", {"f": m.fma}), ("run(a)", {"run": cells(m.fma)["annotated"]._run, "a": (1.5, 2.0, 3.0)})])
    run = cells(m.total)["annotated"]._run
    for n in (0, 1, 10, 1000):
        xs = [float(i) for i in range(n)]
        out[f"total{n}"] = best([("f(xs)", {"f": m.total, "xs": xs}), ("run(a)", {"run": run, "a": (xs,)})])
print(json.dumps(out))
`;
  const run = async (backend: string) => {
    const p = await execa(python, ['-c', script, path.dirname(pkg), path.dirname(direct), backend], { env: { ...process.env, KILN_PYTHON_BACKEND: backend === 'ctypes' ? 'ctypes' : '' } });
    return JSON.parse(p.stdout) as Record<string, number[] | string[]>;
  };
  const ext = await run('extension');
  const ct = await run('ctypes');
  if (ext.backends.some((b) => b !== 'extension')) throw new Error(`the extension did not load: ${ext.backends.join(', ')}`);
  const f = (x: number) => x.toFixed(1).padStart(9);
  const row = (what: string, [dispatched, base]: number[]) => console.log(`${what.padEnd(40)}${f(dispatched)} ${f(base)} ${f(dispatched - base)}`);
  console.log(`ns per call, best of 300 interleaved rounds (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
  console.log(`${''.padEnd(40)}${'dispatched'.padStart(9)} ${'direct'.padStart(9)} ${'overhead'.padStart(9)}`);
  row('fma(1.5, 2.0, 3.0), extension', ext.fma as number[]);
  row('fma(1.5, 2.0, 3.0), ctypes', ct.fma as number[]);
  for (const n of [0, 1, 10, 1000]) row(`total(list of ${n} floats), ctypes`, ct[`total${n}`] as number[]);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
