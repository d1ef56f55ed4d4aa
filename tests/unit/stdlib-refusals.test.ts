/**
 * What random, math, complex and dicts of arrays refuse (types/ops/random.ts, math_rest.ts, complex.ts, dicts.ts): each construct not compiled
 * yet is reported at its line with a message that names it and says what to write instead, never miscompiled.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModule } from '../../src-compiler/pipeline.ts';

/** Function name -> [its body (one line), a fragment of the message it must get]. */
const CASES: Record<string, [string, string, string]> = {
  rng_choice_p: ['x: int', 'return int(np.random.default_rng(x).choice(3, size=2, p=[0.2, 0.3, 0.5])[0])', 'Generator.choice() with p=, axis= or shuffle= is not compiled yet: choose with the defaults'],
  rng_result: ['x: int', 'return np.random.default_rng(x)', 'a random generator lives in compiled code only'],
  seed_str: ['x: int', 'random.seed("abc")\n    return x', 'random.seed() of str is not compiled: seed with an int'],
  choice_str: ['x: int', 'return len(random.choice("abc"))', 'choose from a list of its characters'],
  shuffle_tuple: ['x: int', 't = (1, 2)\n    random.shuffle(t)\n    return x', 'random.shuffle() of tuple is not compiled: shuffle a list'],
  randint_float: ['x: float', 'return random.randint(0, x)', 'pass ints'],
  // complex128 arrays compile for creation, arithmetic, abs/real/imag/conj/exp, sums and indexing; the rest is refused
  complex_cumsum: ['x: int', 'return len(np.cumsum(np.zeros(x, dtype=complex)))', 'with a complex128 array is not compiled yet. NumPy arrays of complex numbers are compiled for complex128 only'],
  complex_astype: ['x: int', 'return len(np.ones(x, dtype=complex).astype(np.float64))', 'astype() of a complex128 array into a real dtype is not compiled'],
  complex_dtype64: ['x: int', 'return len(np.ones(x, dtype=np.complex64))', 'numpy.complex64: NumPy arrays of complex numbers'],
  complex64_product: ['x: int', 'return len(1j * np.arange(x, dtype=np.float32))', "makes NumPy's complex64, which is not compiled"],
  complex_sum_axis: ['x: int', 'return len(np.ones((x, 2), dtype=complex).sum(axis=0))', 'compiled over the whole array only'],
  complex_sum_dtype: ['x: int', 'return float(np.arange(x).sum(dtype=np.complex128).real)', 'NumPy arrays of complex numbers are compiled for complex128 only'],
  complex_order: ['x: float', 'return 1j < x', "'<' not supported between instances of 'complex' and 'float'"],
  complex_floordiv: ['x: float', 'return abs((1 + 2j) // x)', "can't take floor of complex number."],
  factorial_float: ['x: float', 'return math.factorial(x)', "'float' object cannot be interpreted as an integer"],
  fsum_str: ['x: str', 'return math.fsum(x)', 'math.fsum() of str is not compiled: pass a list of numbers'],
  // NumPy arrays as dict values: one number of dimensions per dict; == would take the truth of an array
  dict_array_ranks: ['x: int', 'p = {"w": np.ones((x, x))}\n    p["b"] = np.ones(x)\n    return len(p)', 'keep arrays of different dimensions in separate dicts, or give a vector a row\'s shape (b.reshape(1, -1))'],
  dict_array_eq: ['x: int', 'return {"w": np.ones(x)} == {"w": np.ones(x)}', '== of dicts holding NumPy arrays is not compiled'],
};

describe('random, math, complex and dicts of arrays: refused constructs', () => {
  it('are reported at their line with what to write instead', async () => {
    const names = Object.keys(CASES);
    const source = `import math\nimport random\nimport numpy as np\nfrom kiln import compile\n\n${names.map((k) => `\n@compile\ndef ${k}(${CASES[k][0]}):\n    ${CASES[k][1]}\n`).join('\n')}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-stdlib-'));
    const file = path.join(dir, 'stdlib_refusals.py');
    fs.writeFileSync(file, source);
    const compiled = await compileModule(file);
    const lines = source.split('\n');
    for (const k of names) {
      const d = compiled.functions.find((f) => f.name === k)?.error;
      expect(d, k).toBeDefined();
      expect(d!.message, k).toContain(CASES[k][2]);
      expect(lines.findIndex((l) => l.startsWith(`def ${k}(`)) + 1, k).toBeLessThanOrEqual(d!.line);
    }
  }, 120_000);
});
