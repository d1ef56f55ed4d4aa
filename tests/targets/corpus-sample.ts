/**
 * A fixed sample of corpus files built for wasm32 (run by Node's WASI) and linux-arm64 (under qemu-user) and
 * verified against CPython there: every function's every case must agree, messages included. A target that cannot
 * run here is skipped with the reason. Used by the string, dict and numeric-tower samples (strings-cross, dicts-cross, tower-cross).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildTargets } from '../../src-compiler/targets/build.ts';
import { listTargets } from '../../src-compiler/targets/status.ts';

const root = path.resolve(import.meta.dirname, '../..');
const TARGETS = ['wasm32', 'linux-arm64'];

export function describeCorpusSample(title: string, sample: string[]): void {
  describe(title, async () => {
    const statuses = await listTargets();
    for (const target of TARGETS) {
      const s = statuses.find((x) => x.id === target);
      const run = s?.executable ? it : it.skip;
      run(`${target}: ${sample.join(', ')}${s?.executable ? '' : ` (skipped: ${s?.reason ?? 'not executable here'})`}`, async () => {
        for (const file of sample) {
          // The host's corpus test runs 40 cases a function; a sample of them is enough to show the target agrees.
          const [r] = await buildTargets(path.join(root, 'tests/corpus', file), { targets: [target], jobs: 1, maxCases: 24, caseTimeoutSec: 0.5 });
          expect({ file, target, status: r.status, why: r.firstLine }).toEqual({ file, target, status: 'verified', why: r.firstLine });
          const fns = r.verification!.functions;
          expect(fns.length).toBeGreaterThan(5);
          for (const f of fns) {
            const off = f.cases.filter((c) => c.status === 'mismatch' || c.status === 'crash' || (c.note ?? '').startsWith('message differs'));
            expect(off, `${file}::${f.name} on ${target}`).toEqual([]);
          }
        }
      }, 1_800_000);
    }
  });
}
