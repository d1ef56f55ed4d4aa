/**
 * NumPy's float sums, bit for bit (kr_sum1 / kr_sum3 in resources/c/kiln_arrays.h): np.sum of a 1-D array,
 * contiguous or strided, and of a C-contiguous 2-D array is 0.0 plus the pairwise sum (8 accumulators, blocks of
 * 128) of all items in one run, for float64 and float32, at every length from 0 to a million, including past
 * NumPy 1.x's 8192-item chunks, which NumPy 2 no longer makes. sum.c prints the sums; Python's np.sum of the same
 * values must have the same bits. Natively, on wasm32 and under QEMU (arm64, armv7).
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { buildDriver, driverTargets } from './drivers.ts';

const targets = driverTargets();
const python = process.env.KILN_PYTHON ?? 'python3';
const SIZES = [
  ...Array.from({ length: 41 }, (_, i) => i),
  127, 128, 129, 255, 256, 257, 1000, 4095, 8191, 8192, 8193, 10_003, 16_384, 16_385, 65_543, 100_003, 1_000_006,
];

const COMPARE = `
import sys, numpy as np
MASK = (1 << 64) - 1
seed = int(sys.argv[1])
bad = []
for line in sys.stdin.read().split("\\n"):
    if not line.strip():
        continue
    f = line.split()
    n = int(f[0])
    state = (seed + n) & MASK
    u = np.empty(3 * n, dtype=np.uint64)
    for i in range(3 * n):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        u[i] = z ^ (z >> 31)
    x = np.ldexp((u >> np.uint64(11)).astype(np.float64) * 2.0**-53 * 2.0 - 1.0, (u & np.uint64(31)).astype(np.int64) - 16)
    rows, cols = (n // 7, 7) if n % 7 == 0 else (1, n)
    for dt, got in ((np.float64, f[1:4]), (np.float32, f[4:7])):
        a = x.astype(dt)
        want = [np.sum(a[:n]), np.sum(a[: 3 * n : 3]), np.sum(a[:n].reshape(rows, cols))]
        for name, g, w in zip(("contiguous", "strided", "2-D"), got, want):
            if float.fromhex(g) != float(w) or np.float64(float.fromhex(g)).tobytes() != np.float64(w).tobytes():
                bad.append(f"{dt.__name__} {name} n={n}: {g} != np.sum {float(w).hex()}")
print("\\n".join(bad) if bad else "ok")
`;

describe('NumPy float sums', () => {
  for (const t of [targets.host, targets.wasm32, targets.arm64, targets.armv7]) {
    it.skipIf(!t.run)(`are np.sum's bits on ${t.name}${t.run ? '' : ` (skipped: ${t.missing})`}`, async () => {
      const exe = await buildDriver('sum.c', `sum-${t.name.replace(/\W+/g, '-')}`, t);
      // Node 20's WASI crashes at exit (SIGSEGV, after all output) once a module's memory has grown past ~40 MB in
      // steps: the million-item case is left to the native and QEMU runs.
      const sizes = t.triple === 'wasm32-wasi' ? SIZES.filter((n) => n < 1_000_000) : SIZES;
      const r = await t.run!(exe, ['11', ...sizes.map(String)]);
      expect(r.exitCode, r.stderr).toBe(0);
      const cmp = await execa(python, ['-c', COMPARE, '11'], { input: r.stdout, reject: false });
      expect(cmp.stderr).toBe('');
      expect(cmp.stdout.trim()).toBe('ok');
    }, 300_000);
  }
});
