/**
 * `kiln bench-suite` with array kernels and --target, on a tiny suite in a temp folder (a small histogram,
 * a C reference, and a deliberately wrong C reference): generated array inputs reach every variant, array
 * results are checked against CPython's exactly, other targets are extra columns labelled not native.
 * Timings are never asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const kiln = (args: string[]) => execa(process.execPath, [path.join(root, 'bin/kiln.mjs'), ...args], { cwd: root, reject: false });
const quick = ['--quick', '--budget', '10', '--warmup', '0', '--samples', '2', '--quiet', '--no-store'];
const numpy = fs.existsSync('/usr/bin/python3') && execaSync('/usr/bin/python3', ['-c', 'import numpy'], { reject: false }).exitCode === 0;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-suite-'));
  fs.mkdirSync(path.join(dir, 'kernels'));
  for (const f of ['histogram.py', 'histogram.c', 'kiln_abi.h']) fs.copyFileSync(path.join(root, 'bench/kernels', f), path.join(dir, 'kernels', f));
  // Off by one in the middle of the result: only an exact comparison of every item sees it.
  fs.writeFileSync(path.join(dir, 'kernels/histogram_bad.c'), fs.readFileSync(path.join(root, 'bench/kernels/histogram.c'), 'utf8').replace('out->data = counts;', 'counts[bins / 2] += 1;\n  out->data = counts;'));
  const variants = ['cpython', 'kiln-native', 'kiln-ctypes', 'c-ref'];
  fs.writeFileSync(path.join(dir, 'suite.json'), JSON.stringify({
    settings: {},
    kernels: [
      { kernel: 'histogram', file: 'kernels/histogram.py', func: 'histogram', refC: ['kernels/histogram.c'], role: 'loop', variants, args: [{ array: 'random', shape: [3000], seed: 5 }, '32'] },
      { kernel: 'histogram_bad', file: 'kernels/histogram.py', func: 'histogram', refC: ['kernels/histogram_bad.c'], role: 'loop', variants: ['cpython', 'c-ref'], args: ['rand[3000]#5', '32'] },
    ],
  }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!numpy)('kiln bench-suite with array kernels (needs NumPy for /usr/bin/python3)', () => {
  it('passes the same generated arrays to every variant and target, and checks array results exactly', async () => {
    const r = await kiln(['bench-suite', dir, '--target', 'host,wasm32', '--json', ...quick]);
    expect(r.exitCode, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout);
    const [good, bad] = run.cases;
    expect(good.args).toEqual(['rand[3000]#5', '32']);
    expect(good.results.map((x: { variant: string; status: string }) => [x.variant, x.status])).toEqual([
      ['cpython', 'ok'], ['kiln-native', 'ok'], ['kiln-ctypes', 'ok'], ['c-ref', 'ok'], ['kiln-wasm32', 'ok'],
    ]);
    const cpython = good.results[0].resultRepr;
    expect(cpython).toMatch(/^ndarray\[int64\] shape \(32,\) \[\d+, \d+, \d+, \.\.\., \d+, \d+, \d+\] sha256:[0-9a-f]{16}$/);
    for (const x of good.results) expect(x.resultRepr).toBe(cpython);
    expect(good.results[4]).toMatchObject({ label: 'Kiln wasm32 (wasm, Node)', target: 'wasm32', emulated: true });
    // The wrong reference is caught although its printed items agree with CPython's.
    expect(bad.results[1]).toMatchObject({ variant: 'c-ref', status: 'mismatch' });
    expect(bad.results[1].message).toContain(`CPython returned ${cpython}`);
    expect(run.targets.find((t: { target: string }) => /hand-written C/.test(t.target)).detail).not.toMatch(/histogram_bad \(\d/); // a mismatching result is never a ratio
  }, 600_000);

  it('--target without host: CPython and a column per target, labelled, never in a ratio', async () => {
    const r = await kiln(['bench-suite', dir, '--only', 'histogram', '--target', 'wasm32', ...quick]);
    expect(r.exitCode, r.stderr).toBe(0);
    const [head, row] = r.stdout.split('\n').filter((l) => /^kernel|^histogram /.test(l));
    expect(head).toMatch(/^kernel\s+args\s+CPython\s+Kiln wasm32 \(wasm, Node\)\s+Kiln\/C\s+Numba\/Kiln\s+CPython\/Kiln$/);
    expect(row).toMatch(/^histogram\s+rand\[3000\]#5, 32\s+\S+ [mun]?s( \?)?\s+\S+ [mun]?s( \?)?\s+-\s+-\s+-$/);
    expect(r.stdout).toMatch(/Kiln wasm32 \(wasm, Node\): not native time on this machine/);
  }, 600_000);

  it('rejects a target it cannot run', async () => {
    const r = await kiln(['bench-suite', dir, '--target', 'macos-arm64', ...quick]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/--target macos-arm64: cannot be executed here/);
  });
});
