/**
 * Every benchmark kernel compiles (trace, types and C; no native build): `npm run bench` measures what Kiln
 * compiles, and a kernel that stops compiling shows there only as a missing column. A module-level list of str
 * (bench/kernels/word_freq.py) once stopped compiling this way, unnoticed.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { formatDiagnostic } from '../../src-compiler/diagnostics.ts';

const root = path.resolve(import.meta.dirname, '../..');
const files = [
  ...fs.readdirSync(path.join(root, 'bench/kernels')).filter((f) => f.endsWith('.py')).map((f) => `bench/kernels/${f}`),
  'bench/numpy/kernels.py',
  'bench/generators/gen_sum.py',
  'examples/gpt/gpt.py', // bench/numpy/gpt.ts times its gpt_forward
];

describe('benchmark kernels', () => {
  it.each(files)('%s compiles', async (file) => {
    const compiled = await compileModule(path.join(root, file));
    const errors = compiled.functions.flatMap((f) => (f.errors ?? (f.error ? [f.error] : [])).map((d) => formatDiagnostic(d)));
    expect(errors).toEqual([]);
    expect(compiled.functions.length).toBeGreaterThan(0);
    expect(compiled.unit?.source).toContain('KILN_EXPORT');
  }, 120_000);
});
