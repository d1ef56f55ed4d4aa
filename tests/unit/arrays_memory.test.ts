/**
 * Memory ownership of arrays and lists: the native harness (a C caller of the exported ABI that passes
 * contiguous, reversed and strided views, and frees every result with kiln_free) runs every array and
 * list function of the corpus on its generated inputs, including the ones that raise, under valgrind.
 * Any leak (definite or indirect) or invalid read/write fails the test.
 */
import { describe, expect } from 'vitest';
import { runUnderValgrind, skipNote, withValgrind } from './valgrind-corpus.ts';

describe('arrays and lists do not leak', () => {
  for (const file of ['arrays_lists.py', 'arrays_numpy.py', 'arrays_1d.py', 'arrays_2d.py', 'arrays_loops.py', 'numpy_manipulation.py', 'numpy_reductions_axis.py', 'numpy_select_sort.py']) {
    withValgrind(`${file} under valgrind${skipNote}`, async () => {
      const { lines, out } = await runUnderValgrind(file, { cases: 16, examples: false });
      expect(out.filter((l) => l.startsWith('ok')).length).toBeGreaterThan(lines.length / 2);
      expect(out.some((l) => l.startsWith('err IndexError') || l.startsWith('err ValueError'))).toBe(true);
    }, 900_000);
  }
  // np.linalg: the LU work buffers, and the errors (non-square, singular, a b that does not fit) on every path.
  withValgrind(`numpy_linalg.py under valgrind${skipNote}`, async () => {
    const { out } = await runUnderValgrind('numpy_linalg.py', { cases: 16 });
    expect(out.filter((l) => l.startsWith('ok')).length).toBeGreaterThan(out.length / 2);
    for (const kind of ['LinAlgError', 'ValueError']) expect(out.some((l) => l.startsWith(`err ${kind}`)), kind).toBe(true);
  }, 900_000);
});
