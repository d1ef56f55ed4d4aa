/**
 * Float checks in generated C (opt/deferral.ts, opt/signs.ts): math.sqrt of a never-negative value has no domain
 * test; deferred checks whose operands stay put are tested again by value, the others keep a flag bit.
 * Results against CPython are checked by the corpus (tests/corpus/builtins_math.py); this pins the C shape
 * that the nbody benchmark depends on.
 */
import { describe, expect, it } from 'vitest';
import { compileModule } from '../../src-compiler/pipeline.ts';

const fnBody = (source: string, name: string) => {
  const start = source.search(new RegExp(`static int kf_${name}\\(.*\\) \\{$`, 'm'));
  return source.slice(start, source.indexOf('\n}\n', start));
};

describe('float checks in C', () => {
  it('drops the sqrt test only where the operand is never negative, and rechecks stable operands by value', async () => {
    const m = await compileModule('tests/corpus/builtins_math.py');
    const src = m.unit!.source;
    const never = fnBody(src, 'sqrt_never_negative');
    expect(never).not.toMatch(/kr_sqrt|< 0\.0/);
    expect(never.match(/= sqrt\(/g)?.length).toBe(6);

    const some = fnBody(src, 'sqrt_sometimes_negative');
    // d = x*x then d = d - y: both sqrt(d) keep a test; sqrt(z * z) does not; x * -1.0 * x + 4.0 does.
    expect(some.match(/\|= \(uint32_t\)\(d < 0\.0\)/g)?.length).toBe(2);
    expect(some).toMatch(/sqrt_result_2 = sqrt\(mul_result_2\);\n/);
    expect(some).toMatch(/\(add_result_2 < 0\.0\)/);

    const re = fnBody(src, 'deferred_reassigned');
    // b is reassigned after both divisions by it: those keep bits 1 and 2; sqrt(a) and 1/(a+1) are rechecked by value.
    expect(re).toMatch(/kiln_zf0 \|= \(uint32_t\)\(b == 0\.0\) << 1;/);
    expect(re).toMatch(/kiln_zf0 \|= \(uint32_t\)\(b == 0\.0\) << 2;/);
    expect(re).toMatch(/kiln_zf0 \|= \(uint32_t\)\(a < 0\.0\);/);
    expect(re).toMatch(/if \(a < 0\.0\) KILN_TRY\(kr_sqrt/);
  }, 120_000);
});
