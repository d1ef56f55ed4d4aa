/**
 * The corpus: every function under tests/corpus is compiled, run natively on generated edge inputs and
 * compared with CPython. A mismatch, a crash or (without NumPy) another exception message fails the test; Kiln's documented limits (int64 overflow,
 * value-dependent result types) must be raised natively, never silently wrong.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { verifyModule } from '../../src-compiler/run/verify.ts';
import { noLtoFlags, pythonWithNumpy } from '../tools.ts';

// The pipeline checks the IR's shape (ir/lint.ts) after tracing every function a build reaches and after typechecking
// every specialisation, while the corpus is verified: a malformed IR fails that file's build (no second trace of the corpus).
process.env.KILN_LINT = '1';

const corpusDir = path.resolve(import.meta.dirname, '../corpus');
const files = fs.readdirSync(corpusDir).filter((f) => f.endsWith('.py')).sort();

describe('corpus verified against CPython', () => {
  for (const file of files) {
    const needsNumpy = fs.readFileSync(path.join(corpusDir, file), 'utf8').includes('import numpy');
    const python = needsNumpy ? pythonWithNumpy() : undefined;
    const run = needsNumpy && !python ? it.skip : it;
    run(`${file}${needsNumpy && !python ? ' (skipped: no Python with numpy on this machine)' : ''}`, async () => {
      // Half a second per case for CPython: a generated edge case it cannot finish (7 ** 2**62) is not compared, and costs that much.
      // The harness without link-time optimisation (tools.ts noLtoFlags): a quarter less CPU per build, the same
      // semantics; the product's LTO builds are verified by the cross-target and export tests.
      const report = await verifyModule(path.join(corpusDir, file), { python, maxCases: 20, caseTimeoutSec: 0.5, build: { harnessFlags: noLtoFlags() } });
      for (const f of report.functions) {
        expect(f.compileError, `${file}::${f.name} should compile`).toBeUndefined();
        const bad = f.cases.filter((c) => c.status === 'mismatch' || c.status === 'crash');
        expect(bad, `${file}::${f.name}: ${JSON.stringify(bad.slice(0, 3))}`).toEqual([]);
        // An exception carries CPython's message word for word: in every file without NumPy and in the string
        // corpus (NumPy's messages are not all Kiln's yet: other files that import NumPy are held to the type).
        const wording = needsNumpy && !file.startsWith('strings_') ? [] : f.cases.filter((c) => (c.note ?? '').startsWith('message differs'));
        expect(wording, `${file}::${f.name}: ${JSON.stringify(wording.slice(0, 3))}`).toEqual([]);
        expect(f.counts.match).toBeGreaterThan(0);
      }
    });
  }
  it('covers at least 60 functions', () => {
    const count = files
      .map((f) => fs.readFileSync(path.join(corpusDir, f), 'utf8').match(/^@compile/gm)?.length ?? 0)
      .reduce((a, b) => a + b, 0);
    expect(count).toBeGreaterThanOrEqual(60);
  });
});
