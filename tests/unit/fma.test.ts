import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const kiln = (...args: string[]) => execa('node', [path.join(root, 'bin/kiln.mjs'), ...args], { cwd: root, reject: false });

describe('the fma example from the command line', () => {
  it('kiln trace prints the six-row table', async () => {
    const r = await kiln('trace', 'examples/fma.py::fma');
    expect(r.exitCode).toBe(0);
    const rows = r.stdout.split('\n').slice(2).map((l) => l.trim().split(/\s{2,}/).slice(0, 4));
    expect(rows).toEqual([
      ['input', 'x', 'x', '()'],
      ['input', 'y', 'y', '()'],
      ['input', 'z', 'z', '()'],
      ['call_function', 'mul_result', '_operator.mul', '(x, y)'],
      ['call_function', 'add_result', '_operator.add', '(mul_result, z)'],
      ['output', 'output', 'output', '(add_result,)'],
    ]);
  });

  it("kiln run prints CPython's result with the arguments' own types: -1 for fma(3, -1, 2), -1.0 for fma(3.0, -1.0, 2.0)", async () => {
    // CPython's repr of each call (Python does not convert arguments to their annotations).
    const cpython = async (call: string) => (await execa('python3', ['-c', `import sys; sys.path.insert(0, 'resources/python'); sys.path.insert(0, 'examples'); import fma; print(repr(fma.${call}))`], { cwd: root })).stdout;
    for (const [fn, args] of [['fma', ['3', '-1', '2']], ['fma', ['3.0', '-1.0', '2.0']], ['fma', ['x=3', 'y=-1', 'z=2']], ['fma', ['True', '2.0', '0.5']], ['fma_loop', ['12', '34', '5', '1000']], ['fma_loop', ['12.0', '34.0', '5.0', '1000']]] as const) {
      const r = await kiln('run', `examples/fma.py::${fn}`, ...args);
      expect(r.stderr).toBe('');
      expect([fn, args, r.stdout]).toEqual([fn, args, await cpython(`${fn}(${args.join(', ')})`)]);
      expect(r.exitCode).toBe(0);
    }
    const r = await kiln('run', 'examples/fma.py::fma', '3', '-1', '2');
    expect(r.stdout).toBe('-1');
  });

  it('kiln run refuses a combination of argument types that was not compiled, naming the given and the compiled ones', async () => {
    const r = await kiln('run', 'examples/fma.py::fma', 'True', 'True', '0');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('TypeError: fma() has no compiled specialisation for (x: bool, y: bool, z: int); compiled: (x: float, y: float, z: float), (x: int, y: int, z: int)');
  });

  it('the loop variant raises UnboundLocalError for n_iter=0, as CPython does', async () => {
    const r = await kiln('run', 'examples/fma.py::fma_loop', '3', '-1', '2', '0');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("UnboundLocalError: cannot access local variable 'result' where it is not associated with a value");
    expect(r.stderr).toContain('line 15, in fma_loop');
  });

  it('kiln verify agrees with CPython on every generated case', async () => {
    const r = await kiln('verify', 'examples/fma.py', '--json');
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    // One entry per function, holding its specialisations (ints where floats are annotated), each on inputs of its own types.
    expect(report.functions.map((f: { name: string }) => f.name)).toEqual(['fma', 'fma_loop']);
    type Part = { signature: string; cases: number; counts: { mismatch: number; crash: number } };
    const fma = report.functions[0];
    expect(fma.specialisations.map((s: Part) => s.signature)).toContain('fma(x: int, y: int, z: int) -> int');
    expect(fma.specialisations[0].signature).toBe('fma(x: float, y: float, z: float) -> float');
    for (const f of report.functions) {
      expect(f.cases.length).toBe(f.specialisations.reduce((n: number, s: Part) => n + s.cases, 0));
      expect(f.counts.mismatch + f.counts.crash).toBe(0);
      // A bool alias (a bool running the int specialisation) is checked on 8 cases, the others on more.
      for (const s of f.specialisations as Part[]) expect(s.cases, s.signature).toBeGreaterThanOrEqual(/, running /.test(s.signature) ? 8 : 20);
    }
    // The CLI's text says each specialisation on its own line.
    const text = await kiln('verify', 'examples/fma.py');
    expect(text.stdout).toMatch(/^✓ fma\(x: float, y: float, z: float\) -> float: (\d+)\/\1 match/m);
    expect(text.stdout).toMatch(/^ {2}✓ fma\(x: int, y: int, z: int\) -> int: \d+\/\d+ match/m);
  });
});
