import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The long runs, kept out of `npm test` (its bound is 20 minutes on 2 cores) and run by `npm run test:long`, which CI
 * (.ci/run) runs after `npm test`: the valgrind sweeps of the corpus (every function of a domain's corpus files on its
 * generated inputs under valgrind, plus the bounded-memory loops), the sweep of each optimisation switched off (a
 * corpus file built and verified per pass) and the matrix (every target's build of the fma example and the portable
 * corpus, verified on each target this machine runs). `npm test` keeps one build per corpus file on the host and the
 * per-feature cross-target samples (tests/targets/*-cross.test.ts on wasm32 and linux-arm64).
 */
export const LONG_TESTS = ['tests/unit/*_memory.test.ts', 'tests/unit/passes-off-sweep.test.ts', 'tests/targets/matrix.test.ts', 'tests/runtime/libm.test.ts'];

export function kilnTestConfig(which: 'main' | 'long') {
  return defineConfig({
    test: {
      include: which === 'long' ? LONG_TESTS : ['tests/**/*.test.ts'],
      exclude: which === 'long' ? configDefaults.exclude : [...configDefaults.exclude, ...LONG_TESTS],
      globalSetup: ['tests/setup/global.ts'],
      testTimeout: 180_000,
      hookTimeout: 300_000,
      // Native builds and CPython runs are process-heavy; two cores on CI.
      maxWorkers: 2,
      fileParallelism: true,
    },
  });
}

export default kilnTestConfig('main');
