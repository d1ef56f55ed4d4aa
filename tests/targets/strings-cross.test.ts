/**
 * Compiled strings on other targets: a fixed sample of the string corpus (ciphers, formatting, every error path),
 * built for wasm32 (run by Node's WASI) and linux-arm64 (run under qemu-user), must agree
 * with CPython on every case, messages included. The whole corpus on those targets and 32-bit linux-armv7 is `node scripts/strings-cross.mjs`.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildTargets } from '../../src-compiler/targets/build.ts';
import { listTargets } from '../../src-compiler/targets/status.ts';

const root = path.resolve(import.meta.dirname, '../..');
const SAMPLE = ['strings_ciphers.py', 'strings_format.py', 'strings_errors.py'];
const TARGETS = ['wasm32', 'linux-arm64'];

describe('the string corpus sample on wasm32 and under QEMU', async () => {
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
