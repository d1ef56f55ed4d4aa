/**
 * One harness run verifies a whole unit (run/verify.ts runNativeCases): when the native code dies in one case,
 * that case is reported as a crash with how it died, and a new harness verifies every case after it.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildUnit, compileModule } from '../../src-compiler/pipeline.ts';
import { verifyModule } from '../../src-compiler/run/verify.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('a native crash in one case', () => {
  it('is that case\'s crash, and the cases after it, of this function and the next, are still verified', async () => {
    const file = path.join(root, 'examples/fma.py');
    const compiled = await compileModule(file, {});
    const real = (await buildUnit(compiled.unit!, { harness: true })).harness!;
    // A harness that dies with SIGSEGV on its fifth call the first time it runs, and passes every call on otherwise.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-crash-'));
    const fake = path.join(dir, 'harness.sh');
    fs.writeFileSync(fake, [
      '#!/bin/bash',
      'n=0',
      'while IFS= read -r line; do',
      '  n=$((n+1))',
      `  if [ $n -eq 5 ] && [ ! -e '${dir}/died' ]; then touch '${dir}/died'; kill -SEGV $$; fi`,
      `  printf '%s\\n' "$line" | '${real}'`,
      'done',
      '',
    ].join('\n'), { mode: 0o755 });
    const report = await verifyModule(file, { compiled, harness: fake, maxCases: 12 });
    const cases = report.functions.flatMap((f) => f.cases);
    const crashed = cases.filter((c) => c.status === 'crash');
    expect(crashed.map((c) => c.native)).toEqual(['the native harness crashed with SIGSEGV in this case']);
    expect(cases.indexOf(crashed[0])).toBe(4);
    // Every other case ran (fma's and fma_loop's, each with its specialisations) and matches CPython.
    expect(cases.length).toBeGreaterThan(30);
    expect(cases.filter((c) => c.status !== 'crash' && c.status !== 'match' && c.status !== 'limit')).toEqual([]);
    expect(report.functions.map((f) => [f.name, f.ok])).toEqual([['fma', false], ['fma_loop', true]]);
  });
});
