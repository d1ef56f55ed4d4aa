/**
 * The matrix products (resources/c/kiln_gemm.h, docs/design/numpy-kernels.md). gemm.c checks random cases of every
 * dtype (shapes 0-70 in each dimension, 1 x n, n x 1, dot products, k = 0-2, row-major, transposed, strided,
 * reversed and padded layouts, NaN and infinities) against a double-double reference within the documented bound
 * (integers exactly, wrapping), that C's gaps are not written, and that 3 threads give the same bits as 1; its
 * "emit" output is compared with NumPy's matmul of the same inputs (gemm_numpy.py). Natively (also with tiny cache
 * blocks and threads at every size, so that every blocking loop runs several times), under valgrind, on wasm32
 * (with and without SIMD128), under QEMU (arm64, armv7), and with x86-64 load-time dispatch forced to each path.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { buildDriver, checksOf, driverTargets, expectAllOk, expectValgrindClean, valgrind, type DriverTarget } from './drivers.ts';

const SOURCE = 'gemm.c';
const CHECKS = checksOf(SOURCE);
const targets = driverTargets();
const python = process.env.KILN_PYTHON ?? 'python3';

/** The emitted products of a driver agree with NumPy's (integers exactly, floats within the bound). */
async function expectNumpyAgrees(run: NonNullable<DriverTarget['run']>, exe: string, seed = 7, cases = 60) {
  const emitted = await run(exe, ['emit', String(seed), String(cases)]);
  expect(emitted.exitCode, emitted.stderr).toBe(0);
  const r = await execa(python, [path.join(import.meta.dirname, 'gemm_numpy.py'), String(seed), String(cases)], { input: emitted.stdout, reject: false });
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe(`ok ${cases} cases`);
}

describe('GEMM', () => {
  it('is within the bound, exact for integers, bit-identical across thread counts, natively', async () => {
    const exe = await buildDriver(SOURCE, 'gemm', targets.host);
    const r = await targets.host.run!(exe, ['check', '1', '400']);
    expectAllOk(r.stdout, CHECKS);
    const big = await targets.host.run!(exe, ['check', '2', '6', 'big']);
    expectAllOk(big.stdout, CHECKS);
    await expectNumpyAgrees(targets.host.run!, exe);
  });

  it('runs every blocking loop several times (tiny cache blocks, threads at every size)', async () => {
    const exe = await buildDriver(SOURCE, 'gemm-tiny', targets.host, { flags: ['-DKG_KC=16', '-DKG_NC=64', '-DKG_MC=84', '-DKR_GEMM_THREAD_MIN=1', '-DKR_GEMV_THREAD_MIN=1'] });
    const r = await targets.host.run!(exe, ['check', '3', '300']);
    expectAllOk(r.stdout, CHECKS);
  });

  it.skipIf(!valgrind)(`is valgrind clean${valgrind ? '' : ' (skipped: valgrind is not installed)'}`, async () => {
    // Baseline x86-64 (valgrind does not decode AVX-512), threads at every size.
    const exe = await buildDriver(SOURCE, 'gemm-vg', targets.host, { optLevel: 'O1', triple: process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined, flags: ['-DKR_GEMM_THREAD_MIN=1', '-DKR_GEMV_THREAD_MIN=1'] });
    expectAllOk(await expectValgrindClean(exe, ['check', '4', '40']), CHECKS);
  }, 300_000);

  for (const t of [targets.wasm32, targets.wasm32simd, targets.arm64, targets.armv7]) {
    it.skipIf(!t.run)(`is within the bound and agrees with NumPy on ${t.name}${t.run ? '' : ` (skipped: ${t.missing})`}`, async () => {
      const exe = await buildDriver(SOURCE, `gemm-${t.name.replace(/\W+/g, '-')}`, t);
      const r = await t.run!(exe, ['check', '5', '200']);
      expectAllOk(r.stdout, CHECKS);
      await expectNumpyAgrees(t.run!, exe);
    }, 300_000);
  }

  it.skipIf(process.arch !== 'x64' || process.platform !== 'linux')('dispatches at load time to each x86-64 path (KILN_DISPATCH), each correct', async () => {
    const exe = await buildDriver(SOURCE, 'gemm-dispatch', targets.host, { triple: 'x86_64-linux-gnu', flags: ['-DKILN_DISPATCH'] });
    const flags = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1].split(/\s+/) ?? [];
    const has = (...f: string[]) => f.every((x) => flags.includes(x));
    const best = has('avx512f', 'avx512dq', 'avx512bw', 'avx512vl', 'avx2', 'fma') ? 'avx512' : has('avx2', 'fma') ? 'avx2' : 'sse2';
    const order = ['sse2', 'avx2', 'avx512'];
    for (const cap of ['base', 'avx2', undefined]) {
      const env = cap ? { KILN_ISA: cap } : {};
      const paths = await execa(exe, ['paths'], { env });
      const want = cap === 'base' ? 'sse2' : cap === 'avx2' && best === 'avx512' ? 'avx2' : best;
      expect(paths.stdout.trim()).toBe(`sse2,avx2,avx512 ${order.indexOf(want) <= order.indexOf(best) ? want : best}`);
      const r = await execa(exe, ['check', '6', '150'], { env, reject: false });
      expectAllOk(r.stdout, CHECKS);
    }
  });
});
