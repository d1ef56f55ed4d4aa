/**
 * A fixed sample of corpus files built for wasm32 (run by Node's WASI) and linux-arm64 (under qemu-user) and
 * verified against CPython there: every function's every case must agree, messages included. A target that cannot
 * run here is skipped with the reason. Used by the string, dict and numeric-tower samples (strings-cross, dicts-cross, tower-cross).
 * Only the harness is built, as buildTargets builds it for the target (buildOptionsFor): the library of a corpus file
 * for these targets, its format, architecture and exports, is corpus-cross's to check (and the matrix's for every
 * target), and skipping it here saves about 40% of each build (strings_text for wasm32: 2.7 s of CPU of 6.3).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildUnit, compileModule } from '../../src-compiler/pipeline.ts';
import { buildOptionsFor } from '../../src-compiler/targets/build.ts';
import { getTarget } from '../../src-compiler/targets/registry.ts';
import { listTargets } from '../../src-compiler/targets/status.ts';
import { hostToolchain } from '../../src-compiler/targets/toolchain.ts';
import { verifyModule } from '../../src-compiler/run/verify.ts';

const root = path.resolve(import.meta.dirname, '../..');
const TARGETS = ['wasm32', 'linux-arm64'] as const;

export function describeCorpusSample(title: string, sample: string[]): void {
  describe(title, async () => {
    const statuses = await listTargets();
    for (const target of TARGETS) {
      const s = statuses.find((x) => x.id === target);
      const run = s?.executable ? it : it.skip;
      run(`${target}: ${sample.join(', ')}${s?.executable ? '' : ` (skipped: ${s?.reason ?? 'not executable here'})`}`, async () => {
        for (const file of sample) {
          const compiled = await compileModule(path.join(root, 'tests/corpus', file));
          expect(compiled.functions.filter((f) => f.error).map((f) => f.name), file).toEqual([]);
          const built = await buildUnit(compiled.unit!, { harness: true }, buildOptionsFor(getTarget(target)!, await hostToolchain()));
          // The host's corpus test runs 40 cases a function; a sample of them is enough to show the target agrees.
          const report = await verifyModule(path.join(root, 'tests/corpus', file), {
            compiled, harness: built.harness, runner: s!.runner, target, maxCases: 24, caseTimeoutSec: 0.5,
          });
          const fns = report.functions;
          expect(fns.length).toBeGreaterThan(5);
          for (const f of fns) {
            const off = f.cases.filter((c) => c.status === 'mismatch' || c.status === 'crash' || (c.note ?? '').startsWith('message differs'));
            expect(off, `${file}::${f.name} on ${target}`).toEqual([]);
            expect(f.ok, `${file}::${f.name} on ${target}: ${f.unverified ?? f.compileError?.message ?? ''}`).toBe(true);
          }
          expect(report.ok, `${file} on ${target}`).toBe(true);
        }
      }, 1_800_000);
    }
  });
}
