import { describe, expect, it } from 'vitest';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { buildUnit, compileModule } from '../../src-compiler/pipeline.ts';

describe('build cache', () => {
  it('an unchanged function is not compiled twice; a changed flag is a new build', async () => {
    process.env.KILN_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-cache-'));
    const compiled = await compileModule(path.resolve(import.meta.dirname, '../../examples/fma.py'), { functions: ['fma'] });
    const first = await buildUnit(compiled.unit!, { library: true, harness: true });
    expect(first.cached).toBe(false);
    const again = await buildUnit(compiled.unit!, { library: true, harness: true });
    expect(again.cached).toBe(true);
    expect(again.library).toBe(first.library);
    const fast = await buildUnit(compiled.unit!, { library: true }, { fastMath: true });
    expect(fast.cached).toBe(false);
    expect(fast.flags).toContain('-ffp-contract=fast');
    expect(first.flags).toContain('-ffp-contract=off');
    delete process.env.KILN_CACHE_DIR;
  });
});
