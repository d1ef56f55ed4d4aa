/**
 * Classes in a project's library (one C object per module): each module's classes compile with its functions, their
 * type objects are shared by the objects (isinstance, dict keys), and a class used from another module is refused
 * at that use with the reason; verified against CPython importing the original.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { compileProject, type CompiledUnit } from '../../src-compiler/pipeline.ts';
import { verifyModule } from '../../src-compiler/run/verify.ts';

const root = path.resolve(import.meta.dirname, '../..');
const project = path.join(root, 'tests/fixtures/projects/classes');

describe('classes in a project', () => {
  let compiled: CompiledUnit;
  beforeAll(async () => { compiled = await compileProject(project); }, 120_000);

  it('compiles each module\'s classes in its own object; a class used from another module is an error at that use', () => {
    const errors = compiled.functions.map((f) => [f.name, f.error ? `${path.basename(f.error.file)}:${f.error.line}: ${f.error.message}` : null]);
    expect(errors).toEqual([
      ['zoo.animals.census', null], ['zoo.animals.tag_weights', null], ['zoo.reports.summary', null],
      ['zoo.reports.foreign', 'reports.py:26: the class zoo.animals.Animal is used outside its module: a class is compiled within the module that defines it (its functions and methods)'],
    ]);
    const animals = compiled.unit!.objects!.find((o) => o.sourceName.endsWith('.zoo.animals.c'))!.source;
    const reports = compiled.unit!.objects!.find((o) => o.sourceName.endsWith('.zoo.reports.c'))!.source;
    expect(animals).toMatch(/KILN_HIDDEN const kr_type kc_zoo_animals_Dog_type = /);
    expect(reports).toMatch(/extern KILN_HIDDEN const kr_type kc_zoo_animals_Dog_type;/);
    expect(reports).toMatch(/KILN_HIDDEN const kr_type kc_zoo_reports_Counter_type = /);
  });

  it('gives CPython\'s results', async () => {
    const report = await verifyModule(project, { compiled });
    expect(report.functions.filter((f) => !f.compileError).map((f) => [f.name, f.ok, f.counts.mismatch + f.counts.crash, f.counts.match > 0])).toEqual([
      ['zoo.animals.census', true, 0, true], ['zoo.animals.tag_weights', true, 0, true], ['zoo.reports.summary', true, 0, true],
    ]);
  }, 300_000);
});
