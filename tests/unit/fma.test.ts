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

  it('kiln run prints -1.0 for fma(3, -1, 2)', async () => {
    const r = await kiln('run', 'examples/fma.py::fma', '3', '-1', '2');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('-1.0');
    expect(r.exitCode).toBe(0);
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
    expect(report.functions.map((f: { name: string }) => f.name)).toEqual(['fma', 'fma_loop']);
    for (const f of report.functions) {
      expect(f.cases.length).toBeGreaterThan(20);
      expect(f.counts.mismatch).toBe(0);
    }
  });
});
