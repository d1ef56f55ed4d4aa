import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const kiln = (...args: string[]) => execa('node', [path.join(root, 'bin/kiln.mjs'), ...args], { cwd: root, reject: false });
// A tiny budget: these tests check what is measured and stored, never how fast anything is.
const quick = ['--budget', '10', '--warmup', '0', '--samples', '2', '--quiet'];

describe('kiln bench', () => {
  it('measures CPython, Kiln (native and via ctypes) and the C reference on the same inputs, and checks the results', async () => {
    const r = await kiln('bench', 'examples/fma.py::fma', '3', '-1', '2', '--ref-c', 'bench/kernels/fma.c', '--variants', 'cpython,kiln-native,kiln-ctypes,c-ref', '--json', '--no-store', ...quick);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run.machine.cores).toBeGreaterThan(0);
    expect(run.machine.cpuModel).toBeTruthy();
    expect(run.flags).toContain('-ffp-contract=off');
    expect(run.cases).toHaveLength(1);
    const results = run.cases[0].results;
    expect(results.map((x: { variant: string }) => x.variant)).toEqual(['cpython', 'kiln-native', 'kiln-ctypes', 'c-ref']);
    for (const x of results) {
      expect(x.status).toBe('ok');
      expect(x.resultRepr).toBe('-1.0');
      expect(x.summary.n).toBeGreaterThanOrEqual(2);
      expect(x.summary.minNs).toBeLessThanOrEqual(x.summary.medianNs);
      expect(x.summary.medianNs).toBeLessThanOrEqual(x.summary.p90Ns);
      expect(typeof x.summary.noisy).toBe('boolean');
    }
  });

  it('sweeps a parameter, stores the run in SQLite and prints a table per point', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-cli-'));
    const db = path.join(dir, 'k.db');
    try {
      const r = await kiln('bench', 'examples/fma.py::fma_loop', '3', '-1', '2', '--sweep', 'n_iter=1e1,1e2', '--variants', 'cpython,kiln-native', '--db', db, '--csv', path.join(dir, 'run.csv'), ...quick);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toMatch(/stored as benchmark run 1/);
      expect(r.stdout).toMatch(/fma_loop\(3\.0, -1\.0, 2\.0, 10\)\s+\[n_iter = 10\]/);
      expect(r.stdout).toMatch(/fma_loop\(3\.0, -1\.0, 2\.0, 100\)\s+\[n_iter = 100\]/);
      expect(r.stdout).toMatch(/^machine: /m);
      const { default: Database } = await import('better-sqlite3');
      const d = new Database(db, { readonly: true });
      const rows = d.prepare('SELECT variant, sweep_value, status, build_id FROM bench_results ORDER BY id').all();
      d.close();
      expect(rows).toEqual([
        { variant: 'cpython', sweep_value: 10, status: 'ok', build_id: null },
        { variant: 'kiln-native', sweep_value: 10, status: 'ok', build_id: 1 },
        { variant: 'cpython', sweep_value: 100, status: 'ok', build_id: null },
        { variant: 'kiln-native', sweep_value: 100, status: 'ok', build_id: 1 },
      ]);
      expect(fs.readFileSync(path.join(dir, 'run.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still measures the other variants when Kiln cannot compile the function, and says why', async () => {
    const r = await kiln('bench', 'tests/fixtures/bench/uncompilable.py::count_keys', '10', '--ref-c', 'tests/fixtures/bench/uncompilable.c', '--variants', 'cpython,kiln-native,c-ref', '--json', '--no-store', ...quick);
    expect(r.exitCode).toBe(0);
    const [c] = JSON.parse(r.stdout).cases;
    const by = Object.fromEntries(c.results.map((x: { variant: string }) => [x.variant, x]));
    expect(by['kiln-native'].status).toBe('does-not-compile');
    expect(by['kiln-native'].message).toMatch(/uncompilable\.py:\d+:\d+: error in count_keys\(\): try\/except\* is outside the compiled subset/);
    expect(by.cpython.status).toBe('ok');
    expect(by['c-ref'].status).toBe('ok');
    expect(by['c-ref'].resultRepr).toBe(by.cpython.resultRepr);
  });

  it('reports a peer that is not installed instead of failing', async () => {
    // The pyenv python3 on PATH has no Numba; a missing interpreter module is reported per variant.
    const r = await kiln('bench', 'examples/fma.py::fma', '3', '-1', '2', '--variants', 'cpython,numba', '--run-python', 'python3', '--json', '--no-store', ...quick);
    expect(r.exitCode).toBe(0);
    const [c] = JSON.parse(r.stdout).cases;
    const numba = c.results.find((x: { variant: string }) => x.variant === 'numba');
    if (numba.status === 'ok') expect(numba.resultRepr).toBe('-1.0');
    else expect(numba).toMatchObject({ status: 'not-installed', message: expect.stringMatching(/numba is not installed/) });
  });

  it('rejects bad arguments with one clear line', async () => {
    const r = await kiln('bench', 'examples/fma.py::fma', '3', '--no-store', ...quick);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/fma\(\) takes 3 arguments/);
    const s = await kiln('bench', 'examples/fma.py::fma_loop', '1', '2', '3', '--sweep', 'k=1,2', '--no-store', ...quick);
    expect(s.exitCode).toBe(2);
    expect(s.stderr).toMatch(/no parameter 'k' to sweep/);
  });
});
