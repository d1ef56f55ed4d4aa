/**
 * Compiled dicts and sets on other targets: a fixed sample of the dict corpus (graph search, memo tables, set
 * orders, KeyError and RuntimeError paths), built for wasm32 (run by Node's WASI) and linux-arm64 (under
 * qemu-user), must agree with CPython on every case, messages included: hashes, table sizes and so iteration
 * orders are CPython's 64-bit ones on every target. The whole dict corpus on those targets and 32-bit linux-armv7
 * is `node scripts/strings-cross.mjs --corpus dicts`.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildTargets } from '../../src-compiler/targets/build.ts';
import { listTargets } from '../../src-compiler/targets/status.ts';

const root = path.resolve(import.meta.dirname, '../..');
const SAMPLE = ['dicts_algorithms.py'];
const TARGETS = ['wasm32', 'linux-arm64'];

describe('the dict corpus sample on wasm32 and under QEMU', async () => {
  const statuses = await listTargets();
  for (const target of TARGETS) {
    const s = statuses.find((x) => x.id === target);
    const run = s?.executable ? it : it.skip;
    run(`${target}: ${SAMPLE.join(', ')}${s?.executable ? '' : ` (skipped: ${s?.reason ?? 'not executable here'})`}`, async () => {
      for (const file of SAMPLE) {
        const [r] = await buildTargets(path.join(root, 'tests/corpus', file), { targets: [target], jobs: 1 });
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
