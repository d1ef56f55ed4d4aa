/**
 * None, unions and inferred array ranks across modules (issues 12 and 21): a helper of another module that returns
 * an index or None, an int or a float, and one whose code alone says its array is 2-D. The project compiles as one
 * library whose entries type through the other module's helpers, and verifies against CPython.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { compileProject, type CompiledUnit } from '../../src-compiler/pipeline.ts';
import { verifyModule } from '../../src-compiler/run/verify.ts';

const project = path.resolve(import.meta.dirname, '../fixtures/projects/unions');

describe('a project whose helpers return None, unions and take arrays of an unstated rank', () => {
  let compiled: CompiledUnit;
  beforeAll(async () => { compiled = await compileProject(project); }, 120_000);

  it('types each entry through the other module: Optional, int | float, and the rank the helper needs', () => {
    expect(compiled.functions.map((f) => [f.name, f.error?.message ?? null])).toEqual([
      ['main.first_above', null], ['main.halves', null], ['main.image_total', null], ['main.maybe_half', null],
    ]);
    const sig = Object.fromEntries(compiled.unit!.exports.map((e) => [e.name, e.signature]));
    expect(sig['main.halves']).toBe('halves(n: int) -> int | float');
    expect(sig['main.image_total']).toBe('image_total(img: ndarray[float64, 2d]) -> float');
    expect(sig['main.maybe_half']).toBe('maybe_half(a: int | None, b: int) -> int | float | None');
  });

  it('gives what CPython gives, importing the original as the project does', async () => {
    const report = await verifyModule(project, { compiled });
    expect(report.functions.map((f) => [f.name, f.ok, f.counts.mismatch + f.counts.crash])).toEqual([
      ['main.first_above', true, 0], ['main.halves', true, 0], ['main.image_total', true, 0], ['main.maybe_half', true, 0],
    ]);
    for (const f of report.functions) expect(f.counts.match, f.name).toBeGreaterThan(0);
  }, 300_000);
});
