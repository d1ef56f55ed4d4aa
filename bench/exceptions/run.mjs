// Times bench/exceptions/try_costs.py: each function natively (the exported Python package, called from CPython)
// and in CPython itself, best of 5. Run: node bench/exceptions/run.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-exc-'));
execFileSync('node', [path.join(root, 'bin/kiln.mjs'), 'export', path.join(here, 'try_costs.py'), '--target', 'host', '--out', out], { stdio: 'inherit' });
const pkgParent = fs.readdirSync(out, { recursive: true }).map((p) => path.join(out, String(p))).find((p) => p.endsWith('__init__.py') && fs.readFileSync(p, 'utf8').includes('raise_catch'));
if (!pkgParent) throw new Error(`no Python package in ${out}`);
const pkgDir = path.dirname(pkgParent);
const script = `
import sys, time, importlib.util
sys.path.insert(0, ${JSON.stringify(path.dirname(pkgDir))})
native = __import__(${JSON.stringify(path.basename(pkgDir))})
spec = importlib.util.spec_from_file_location('py', ${JSON.stringify(path.join(here, 'try_costs.py'))})
sys.modules['kiln'] = type(sys)('kiln'); sys.modules['kiln'].compile = lambda f=None, **k: f if f else (lambda g: g)
py = importlib.util.module_from_spec(spec); spec.loader.exec_module(py)
def best(f, n):
    t = min((lambda s: (f(n), time.perf_counter() - s)[1])(time.perf_counter()) for _ in range(5))
    return t / n * 1e9
N = 20_000_000
plain, tried = best(native.loop_plain, N), best(native.loop_try, N)
print(f"native loop without try: {plain:.3f} ns/iter; with try: {tried:.3f} ns/iter; try costs {tried - plain:+.3f} ns per entry")
M = 2_000_000
for name in ['raise_catch', 'raise_catch_message']:
    nat, cpy = best(getattr(native, name), M), best(getattr(py, name), M // 10)
    print(f"{name}: native {nat:.1f} ns, CPython {cpy:.1f} ns per round trip: {cpy / nat:.1f}x")
`;
execFileSync('python3', ['-c', script], { stdio: 'inherit' });
fs.rmSync(out, { recursive: true, force: true });
