/** Unsupported Python stops compilation with a diagnostic tied to file:line:col; nothing else is lost. */
import { describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import { execa } from 'execa';
import { compileModule, compileParsedModule, loadModule } from '../../src-compiler/pipeline.ts';
import { formatDiagnostic } from '../../src-compiler/diagnostics.ts';

const root = path.resolve(import.meta.dirname, '../..');
const file = path.join(root, 'tests/diagnostics/unsupported.py');

describe('diagnostics', () => {
  it('each unsupported construct is reported at its place, and the good function still compiles', async () => {
    const compiled = await compileModule(file);
    const byName = Object.fromEntries(compiled.functions.map((f) => [f.name, f]));
    const expectError = (name: string, line: number, construct: RegExp, message: RegExp) => {
      const d = byName[name].error;
      expect(d, name).toBeDefined();
      expect(d!.file).toBe(file);
      expect(d!.line).toBe(line);
      expect(d!.col).toBeGreaterThan(0);
      expect(d!.construct).toMatch(construct);
      expect(d!.message).toMatch(message);
    };
    expectError('uses_class', 7, /class/, /outside the compiled subset/);
    expectError('uses_del', 14, /del statement/, /del of a variable is outside the compiled subset/);
    expectError('uses_string', 20, /method\.maketrans/, /outside the compiled subset/);
    expectError('untyped', 25, /untyped parameter/, /'x' has no type annotation/);
    // An int and a float may meet (a union); a number and a list may not.
    expectError('changes_type', 33, /variable changes type/, /'total' holds int \(line 31\) and list\[int\] where its assignments meet/);
    expectError('unsupported_call', 39, /builtins.len/, /has no len/);
    expectError('prints', 44, /print/, /print\(\)/);
    expectError('mixed_returns', 52, /return type/, /int on one path and list\[float\] here/);
    expectError('undefined_name', 57, /undefined name/, /'y_undefined' is not defined/);
    // What to do instead, for each (Python's own TypeError for len(float) has no hint yet: the op registry's
    // type errors carry none).
    const hints = Object.fromEntries(compiled.functions.filter((f) => f.error).map((f) => [f.name, f.error!.hint]));
    expect(hints).toEqual({
      uses_class: expect.stringMatching(/define classes outside the compiled function/),
      uses_del: expect.stringMatching(/let the variable go out of scope/),
      uses_string: expect.stringMatching(/^supported here: (?!.*append).*split, rsplit, splitlines, join/), // a str's methods, not a list's
      untyped: expect.stringMatching(/annotate it: int, float, bool/),
      changes_type: expect.stringMatching(/use a separate variable for each type/),
      unsupported_call: undefined,
      prints: expect.stringMatching(/return the value instead/),
      mixed_returns: expect.stringMatching(/every return gives a number, or the same kind of value/),
      undefined_name: expect.stringMatching(/define it at module level as a constant, or pass it in/),
      several_problems: expect.stringMatching(/let the variable go out of scope/),
      several_type_problems: expect.stringMatching(/this call raises TypeError when it runs in Python; fix the arguments/),
    });
    expect(byName.ok_function.error).toBeUndefined();
    expect(compiled.unit!.exports.map((e) => e.name)).toEqual(['ok_function']);
  });

  it('a function reports all its problems, not only the first (while tracing, and while typing)', async () => {
    const compiled = await compileModule(file);
    const byName = Object.fromEntries(compiled.functions.map((f) => [f.name, f]));
    const traced = byName.several_problems.errors!;
    expect(traced.map((d) => [d.line, d.construct])).toEqual([[71, 'del statement'], [72, 'class definition']]);
    const typed = byName.several_type_problems.errors!;
    expect(typed.map((d) => [d.line, d.message])).toEqual([
      [78, "TypeError: helper() got an unexpected keyword argument 'c'"],
      [79, "TypeError: helper() missing 1 required positional argument: 'a'"],
      [80, "TypeError: object of type 'int' has no len()"],
    ]);
  });

  it('a bug in Kiln is an internal error at the function being compiled, with its message and no stack trace', async () => {
    const mod = await loadModule(path.join(root, 'examples/fma.py'));
    const fma = mod.functions.find((f) => f.name === 'fma')!;
    // A malformed syntax tree (a BinOp without operands) makes the tracer itself fail.
    fma.body = [{ _t: 'Return', value: { _t: 'BinOp', op: null, left: null, right: null, span: fma.span }, span: fma.span }];
    const writes: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { writes.push(String(s)); return true; });
    try {
      const quiet = compileParsedModule(mod).functions;
      expect(quiet.find((f) => f.name === 'fma_loop')!.error).toBeUndefined();
      const d = quiet.find((f) => f.name === 'fma')!.error!;
      expect(d).toMatchObject({ file: mod.file, line: fma.line, function: 'fma', construct: 'internal', hint: expect.stringContaining('KILN_DEBUG=1 prints the stack trace') });
      expect(d.message).toMatch(/^internal error in Kiln: TypeError: [^\n]+$/);
      expect(formatDiagnostic(d)).toMatch(new RegExp(`^${mod.file}:${fma.line}:1: error in fma\\(\\): internal error in Kiln: TypeError`));
      expect(writes).toEqual([]);
      vi.stubEnv('KILN_DEBUG', '1');
      const loud = compileParsedModule(mod).functions.find((f) => f.name === 'fma')!.error!;
      expect(loud.message).toBe(d.message);
      expect(writes.join('')).toMatch(new RegExp(`^kiln: internal error in Kiln \\(${mod.file}::fma\\):\\nTypeError: .*\\n\\s+at `));
    } finally {
      write.mockRestore();
      vi.unstubAllEnvs();
    }
  });

  it('kiln compile prints file:line diagnostics, no stack trace, and still writes the good function', async () => {
    const out = path.join(root, 'test-results', 'diag-out');
    const r = await execa('node', [path.join(root, 'bin/kiln.mjs'), 'compile', 'tests/diagnostics/unsupported.py', '--out', out], { cwd: root, reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('tests/diagnostics/unsupported.py:14:9: error in uses_del(): del of a variable is outside the compiled subset');
    expect(r.stderr).toContain('tests/diagnostics/unsupported.py:72:5: error in several_problems(): class definition is outside the compiled subset');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(r.stdout).toMatch(/libkiln_unsupported\.so/);
  });

  it('kiln discover skips a file that does not parse with one line, and lists the rest', async () => {
    const r = await execa('node', [path.join(root, 'bin/kiln.mjs'), 'discover', 'tests/diagnostics', '--json'], { cwd: root, reject: false });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0].file).toMatch(/broken_syntax\.py$/);
    expect(out.errors[0].line).toBe(4);
    expect(out.errors[0].message).toMatch(/SyntaxError/);
    const names = out.functions.map((f: { name: string }) => f.name);
    expect(names).toContain('ok_function');
    expect(out.functions.find((f: { name: string }) => f.name === 'ok_function').compilable).toBe(true);
    expect(out.functions.find((f: { name: string }) => f.name === 'uses_class').compilable).toBe(false);
  });

  it('discover recognises every decorator spelling, and never runs the module', async () => {
    const r = await execa('node', [path.join(root, 'bin/kiln.mjs'), 'discover', 'tests/fixtures/decorators', '--json'], { cwd: root, reject: false });
    const out = JSON.parse(r.stdout);
    const names = out.functions.map((f: { name: string }) => f.name).sort();
    expect(names).toEqual(['attr_call', 'bare', 'called', 'fxn_attr', 'tagged']);
    const tagged = out.functions.find((f: { name: string }) => f.name === 'tagged');
    expect(tagged.tag).toBe('@me/tagged');
    expect(tagged.description).toBe('Tagged.');
    expect(tagged.signature).toBe('tagged(x: float) -> float');
  });
});
