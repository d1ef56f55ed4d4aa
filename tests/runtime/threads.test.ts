/**
 * The thread pool (resources/c/kiln_threads.h, docs/design/numpy-kernels.md): every index runs once whatever the
 * thread count and grain, the first failing chunk's exception is reported with its frames, arrays allocated in
 * chunks reach the caller's per-call heap, nested loops run serially, two application threads can call at once,
 * the pool shuts down and restarts, and a forked child gets its own pool. threads.c prints one line per check;
 * each must be "ok" natively, under valgrind, on wasm32 (the serial fallback), under QEMU (arm64, armv7) and under
 * Wine (Win32 threads).
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { buildDriver, checksOf, driverTargets, expectAllOk, expectValgrindClean, valgrind } from './drivers.ts';

const SOURCE = 'threads.c';
const CHECKS = checksOf(SOURCE);
const THREADED_ONLY = ['concurrent_callers', 'shutdown_and_restart', 'fork_child_has_a_pool'];
const targets = driverTargets();

describe('thread pool', () => {
  it('passes every check natively', async () => {
    const exe = await buildDriver(SOURCE, 'threads', targets.host);
    const r = await targets.host.run!(exe, []);
    expectAllOk(r.stdout, CHECKS);
    expect(r.exitCode).toBe(0);
  });

  it('takes its thread count from KILN_NUM_THREADS, else the number of cores', async () => {
    const exe = await buildDriver(SOURCE, 'threads-count', targets.host);
    const count = async (env: Record<string, string>) => (await execa(exe, ['count'], { env, extendEnv: false })).stdout.trim();
    const cores = (await execa('nproc')).stdout.trim();
    expect(await count({ KILN_NUM_THREADS: '3' })).toBe('3');
    expect(await count({ KILN_NUM_THREADS: '1' })).toBe('1');
    expect(await count({ KILN_NUM_THREADS: '1000' })).toBe('64'); /* KR_MAX_THREADS */
    expect(await count({ KILN_NUM_THREADS: 'two' })).toBe(cores);
    expect(await count({})).toBe(cores);
  });

  it.skipIf(!valgrind)(`is valgrind clean: no leak, no invalid access${valgrind ? '' : ' (skipped: valgrind is not installed)'}`, async () => {
    // Baseline x86-64: valgrind does not decode AVX-512. Less work: valgrind runs one thread at a time.
    const exe = await buildDriver(SOURCE, 'threads-vg', targets.host, { optLevel: 'O1', triple: process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined });
    expectAllOk(await expectValgrindClean(exe, ['1']), CHECKS);
  }, 300_000);

  it('runs loops serially on wasm32 (no threads without wasm atomics)', async () => {
    const exe = await buildDriver(SOURCE, 'threads', targets.wasm32);
    const r = await targets.wasm32.run!(exe, ['5']);
    expectAllOk(r.stdout, CHECKS.filter((c) => !THREADED_ONLY.includes(c)));
    expect(r.exitCode).toBe(0);
  });

  for (const t of [targets.arm64, targets.armv7]) {
    // QEMU user mode cannot fork a process that has threads (it aborts in the child): the fork check is left out.
    it.skipIf(!t.run)(`passes every check on ${t.name} except fork${t.run ? '' : ` (skipped: ${t.missing})`}`, async () => {
      const exe = await buildDriver(SOURCE, `threads-${t.triple}`, t);
      const r = await t.run!(exe, ['3', 'nofork']);
      expectAllOk(r.stdout, CHECKS.filter((c) => c !== 'fork_child_has_a_pool'));
      expect(r.exitCode).toBe(0);
    }, 300_000);
  }

  const win = targets.windows;
  it.skipIf(!win.run)(`passes every check with Win32 threads under Wine${win.run ? '' : ` (skipped: ${win.missing})`}`, async () => {
    const exe = await buildDriver(SOURCE, 'threads-win', win);
    const r = await win.run!(exe, ['5']);
    expectAllOk(r.stdout, CHECKS.filter((c) => c !== 'fork_child_has_a_pool'));
    expect(r.exitCode).toBe(0);
  }, 300_000);
});
