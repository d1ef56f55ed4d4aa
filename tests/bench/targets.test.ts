/**
 * `kiln bench --target`: the compiled function timed on wasm32 (Node's WASI) and an emulated Linux target
 * (qemu-user), labelled and stored as emulated, never compared with native time; a missing runner is a
 * per-variant line, not a crash. Timings are never asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { qemuMissing, skippedBecause } from '../tools.ts';

const root = path.resolve(import.meta.dirname, '../..');
const kiln = (args: string[], env?: Record<string, string>) => execa(process.execPath, [path.join(root, 'bin/kiln.mjs'), ...args], { cwd: root, reject: false, env: env ? { ...process.env, ...env } : undefined, extendEnv: !env?.PATH });
const quick = ['--budget', '10', '--warmup', '0', '--samples', '2', '--quiet'];

describe('kiln bench --target', () => {
  // Without qemu-user the next test covers what a user sees.
  it.skipIf(!!qemuMissing())(skippedBecause('times wasm32 under Node and linux-arm64 under qemu, labels them, stores them as emulated and keeps them out of speed-ups', qemuMissing()), async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-targets-'));
    const db = path.join(dir, 'k.db');
    try {
      const r = await kiln(['bench', 'examples/fma.py::fma', '3', '-1', '2', '--target', 'host,wasm32,linux-arm64', '--variants', 'cpython,kiln-native', '--db', db, ...quick]);
      expect(r.exitCode, r.stderr).toBe(0);
      const rows = r.stdout.split('\n');
      const line = (label: string) => rows.find((l) => l.startsWith(label)) ?? '';
      expect(line('Kiln wasm32 (wasm, Node)')).toMatch(/not native\s+-1\.0/);
      expect(line('Kiln linux-arm64 (emulated)')).toMatch(/not native\s+-1\.0/);
      expect(line('Kiln  ')).toMatch(/\d+(\.\d+)?x\s+-1\.0/); // the native variant keeps its ratio to CPython
      expect(r.stdout).toMatch(/not native time on this machine/);

      const { default: Database } = await import('better-sqlite3');
      const d = new Database(db, { readonly: true });
      const stored = d.prepare('SELECT variant, variant_label, variant_version, target, emulated, status, result_repr, median_ns IS NOT NULL AS timed FROM bench_results ORDER BY id').all() as Record<string, unknown>[];
      d.close();
      expect(stored.map((s) => [s.variant, s.target, s.emulated, s.status, s.result_repr, s.timed])).toEqual([
        ['cpython', 'host', 0, 'ok', '-1.0', 1],
        ['kiln-native', 'host', 0, 'ok', '-1.0', 1],
        ['kiln-wasm32', 'wasm32', 1, 'ok', '-1.0', 1],
        ['kiln-linux-arm64', 'linux-arm64', 1, 'ok', '-1.0', 1],
      ]);
      expect(stored[2]).toMatchObject({ variant_label: 'Kiln wasm32 (wasm, Node)', variant_version: expect.stringMatching(/^Node v\d+.* WASI$/) });
      expect(stored[3]).toMatchObject({ variant_label: 'Kiln linux-arm64 (emulated)', variant_version: expect.stringMatching(/qemu.*aarch64-linux-musl harness/i) });

      // Stored runs read back with the labels, and the speed-up data (bar chart) leaves the emulated rows out.
      const { getRun, speedups } = await import('../../src-compiler/bench/store.ts');
      const db2 = new Database(db, { readonly: true });
      const run = getRun(db2 as never, 1)!;
      expect(run.cases[0].results.filter((x) => x.emulated).map((x) => x.label)).toEqual(['Kiln wasm32 (wasm, Node)', 'Kiln linux-arm64 (emulated)']);
      expect(speedups(db2 as never, 1).map((s) => s.variant)).toEqual(['kiln-native']);
      db2.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);

  it('reports a missing qemu as a per-variant line and still runs the rest', async () => {
    // A PATH with the interpreters but no qemu: the emulated variant is 'not installed', the others run.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-no-qemu-'));
    try {
      const py = (await execa('python3', ['-c', 'import sys; print(sys.executable)'])).stdout.trim();
      fs.symlinkSync(py, path.join(bin, 'python3'));
      const r = await kiln(['--python', py, 'bench', 'examples/fma.py::fma', '3', '-1', '2', '--target', 'host,linux-riscv64-musl', '--variants', 'cpython,kiln-native', '--run-python', py, '--json', '--no-store', ...quick], { PATH: bin, HOME: os.homedir() });
      expect(r.exitCode, r.stderr).toBe(0);
      const [c] = JSON.parse(r.stdout).cases;
      expect(c.results.map((x: { variant: string; status: string }) => [x.variant, x.status])).toEqual([
        ['cpython', 'ok'], ['kiln-native', 'ok'], ['kiln-linux-riscv64-musl', 'not-installed'],
      ]);
      expect(c.results[2]).toMatchObject({ label: 'Kiln linux-riscv64-musl (emulated)', emulated: true, target: 'linux-riscv64-musl', message: expect.stringMatching(/qemu-riscv64 not found/) });
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  }, 300_000);

  it('rejects a target it cannot run with the list of those it can', async () => {
    const r = await kiln(['bench', 'examples/fma.py::fma', '3', '-1', '2', '--target', 'macos-arm64', '--no-store', ...quick]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/--target macos-arm64: cannot be executed here/);
    expect(r.stderr).toMatch(/wasm32 \[\(wasm, Node\)\]/);
  });
});
