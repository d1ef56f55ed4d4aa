/**
 * Functions as values across the modules of a project (issue 12 on top of issue 21): closures made by another
 * module's factory, a higher-order helper of another module, another module's function as a sort key or in a
 * table, and keyword arguments bound to another module's defaults; verified against CPython importing the original.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { compileProject, type CompiledUnit } from '../../src-compiler/pipeline.ts';
import { verifyModule } from '../../src-compiler/run/verify.ts';

const root = path.resolve(import.meta.dirname, '../..');
const project = path.join(root, 'tests/fixtures/projects/functions');

describe('functions as values across modules', () => {
  let compiled: CompiledUnit;
  beforeAll(async () => { compiled = await compileProject(project); }, 120_000);

  it('compiles every function, with the other module\'s closures and helpers specialised in the library', () => {
    expect(compiled.functions.map((f) => [f.name, f.error?.message ?? null])).toEqual([
      ['shapes.main.shifted_sorted', null], ['shapes.main.sort_by_foreign_key', null], ['shapes.main.foreign_table', null],
    ]);
    const c = compiled.unit!.source;
    expect(c).toMatch(/static int kf_shapes_kernels_make_adder_lambda_\w+\(/);
    expect(c).toMatch(/static int kf_shapes_kernels_by_distance_key\w*\(/);
  });

  it('gives CPython\'s results', async () => {
    const report = await verifyModule(project, { compiled });
    expect(report.functions.map((f) => [f.name, f.ok, f.counts.mismatch + f.counts.crash])).toEqual([
      ['shapes.main.shifted_sorted', true, 0], ['shapes.main.sort_by_foreign_key', true, 0], ['shapes.main.foreign_table', true, 0],
    ]);
  }, 300_000);
});
