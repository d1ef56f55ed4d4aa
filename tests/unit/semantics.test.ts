/** Spot checks of Python semantics through `kiln run`: the printed repr and errors are CPython's. */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const run = (spec: string, ...args: string[]) => execa('node', [path.join(root, 'bin/kiln.mjs'), 'run', spec, '--', ...args], { cwd: root, reject: false });
const python = async (file: string, fn: string, args: string) => {
  const code = `import sys; sys.path.insert(0, 'resources/python'); sys.path.insert(0, '${path.dirname(file)}')\nimport ${path.basename(file, '.py')} as m\ntry:\n    print(repr(m.${fn}(${args})))\nexcept Exception as e:\n    print(type(e).__name__ + ': ' + str(e))`;
  return (await execa('python3', ['-c', code], { cwd: root })).stdout;
};

const cases: [string, string, string[]][] = [
  ['tests/corpus/arithmetic.py', 'floordiv_int', ['-7', '2']],
  ['tests/corpus/arithmetic.py', 'mod_int', ['-7', '2']],
  ['tests/corpus/arithmetic.py', 'mod_float', ['-7.5', '2.0']],
  ['tests/corpus/arithmetic.py', 'floordiv_int', ['1', '0']],
  ['tests/corpus/arithmetic.py', 'true_div_int', ['1', '3']],
  ['tests/corpus/arithmetic.py', 'power_negative_const', ['3']],
  ['tests/corpus/arithmetic.py', 'divmod_int', ['-7', '2']],
  ['tests/corpus/builtins_math.py', 'round_half_even', ['2.5']],
  ['tests/corpus/builtins_math.py', 'round_digits', ['2.675']],
  ['tests/corpus/builtins_math.py', 'sqrt_fn', ['-1.0']],
  ['tests/corpus/builtins_math.py', 'exp_fn', ['1000.0']],
  ['tests/corpus/builtins_math.py', 'to_int', ["float('nan')"]],
  ['tests/corpus/calls.py', 'fib', ['20']],
  ['tests/corpus/calls.py', 'infinite_recursion', ['0']],
  ['tests/corpus/control.py', 'raise_value', ['-1']],
  ['tests/corpus/control.py', 'pass_and_assert', ['5000']],
  ['tests/corpus/control.py', 'chained_mixed', ['3', '3.5']],
  ['tests/corpus/control.py', 'fallthrough_none', ['1']],
  ['tests/corpus/arithmetic.py', 'float_specials', ['1e308']],
  ['tests/corpus/exceptions.py', 'key_error', ['0']],
  ['tests/corpus/exceptions.py', 'key_error', ['1']],
  ['tests/corpus/exceptions.py', 'raise_kind', ['14']],
];

describe('kiln run prints what CPython prints', () => {
  for (const [file, fn, args] of cases) {
    it(`${fn}(${args.join(', ')})`, async () => {
      const [native, expected] = await Promise.all([run(`${file}::${fn}`, ...args), python(path.join(root, file), fn, args.join(', '))]);
      const printed = native.exitCode === 0 ? native.stdout : native.stderr.split('\n').pop();
      expect(printed).toBe(expected);
      expect(native.exitCode).toBe(expected.match(/^\w+Error: /) ? 1 : 0);
    });
  }

  it("a 64-bit overflow in a function of ints gives CPython's unbounded int (its big-int twin)", async () => {
    const [native, expected] = await Promise.all([
      run('tests/corpus/arithmetic.py::int_overflow', '9223372036854775807', '2'),
      python(path.join(root, 'tests/corpus/arithmetic.py'), 'int_overflow', '9223372036854775807, 2'),
    ]);
    expect(native.exitCode).toBe(0);
    expect(native.stdout).toBe(expected);
  });

  it('a 64-bit overflow where there is no twin (a list result) raises OverflowError instead of wrapping', async () => {
    const r = await run('tests/corpus/arrays_lists.py::evens_doubled', '[9223372036854775806, 1]');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/OverflowError: integer result does not fit in 64 bits \(Python would give a bigger int; evens_doubled has no big-int twin to run instead: its result is not/);
  });

  it('a traceback names the Python line of each frame', async () => {
    const r = await run('tests/corpus/calls.py::tuple_from_helper', '7', '0');
    expect(r.stderr).toContain('in tuple_from_helper');
    expect(r.stderr).toContain('in div_and_rem');
    expect(r.stderr.trim().split('\n').pop()).toBe('ZeroDivisionError: integer division or modulo by zero');
  });
});
