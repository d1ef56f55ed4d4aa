/**
 * Classes in a project's library (one C object per module): each module's classes compile with its functions, their
 * type objects are shared by the objects (isinstance, dict keys), and another module imports them by name (absolute or
 * relative) to make instances, read fields, call methods and test isinstance; verified against CPython importing the original.
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

  it('compiles each module\'s classes in its own object; another module makes and uses them through imports', () => {
    const errors = compiled.functions.map((f) => [f.name, f.error ? `${path.basename(f.error.file)}:${f.error.line}: ${f.error.message}` : null]);
    expect(errors).toEqual([
      ['zoo.animals.census', null], ['zoo.animals.tag_weights', null], ['zoo.reports.summary', null], ['zoo.reports.foreign', null],
    ]);
    const animals = compiled.unit!.objects!.find((o) => o.sourceName.endsWith('.zoo.animals.c'))!.source;
    const reports = compiled.unit!.objects!.find((o) => o.sourceName.endsWith('.zoo.reports.c'))!.source;
    expect(animals).toMatch(/KILN_HIDDEN const kr_type kc_zoo_animals_Dog_type = /);
    expect(reports).toMatch(/extern KILN_HIDDEN const kr_type kc_zoo_animals_Dog_type;/);
    expect(reports).toMatch(/KILN_HIDDEN const kr_type kc_zoo_reports_Counter_type = /);
    // reports makes animals' instances: it calls the __init__ and methods compiled in animals' object.
    expect(reports).toMatch(/kr_obj_new_fixed\(&kc_zoo_animals_Dog_type\)/);
    expect(animals).toMatch(/KILN_HIDDEN int kf_\w*Animal_describe\w*\(/);
  });

  it('gives CPython\'s results', async () => {
    const report = await verifyModule(project, { compiled });
    expect(report.functions.filter((f) => !f.compileError).map((f) => [f.name, f.ok, f.counts.mismatch + f.counts.crash, f.counts.match > 0])).toEqual([
      ['zoo.animals.census', true, 0, true], ['zoo.animals.tag_weights', true, 0, true], ['zoo.reports.summary', true, 0, true],
      ['zoo.reports.foreign', true, 0, true],
    ]);
  }, 300_000);
});
