/**
 * Values whose type depends on the path, None, and arrays whose rank is inferred, on other targets: a fixed
 * sample of the corpus (union structs passed and returned by value, tags, narrowed reads, dispatch) is built for
 * wasm32 and linux-arm64 and verified against CPython under Node's WASI and qemu-user. Every function of these
 * files: `node scripts/corpus-cross.mjs tests/corpus/{unions_numbers,unions_ops,optional_search,arrays_ranks}.py`.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildTargets } from '../../src-compiler/targets/build.ts';
import { listTargets } from '../../src-compiler/targets/status.ts';

const root = path.resolve(import.meta.dirname, '../..');
const SAMPLE: [file: string, functions: string[]][] = [
  ['tests/corpus/unions_numbers.py', ['mean_or_zero', 'int_power', 'extremes', 'newton_root']],
  ['tests/corpus/optional_search.py', ['binary_search', 'closest_pair', 'default_limit', 'none_plus_one']],
  ['tests/corpus/arrays_ranks.py', ['box_blur', 'channel_means', 'nonzero_fraction']],
];
const TARGETS = ['wasm32', 'linux-arm64'];

describe('unions, None and inferred ranks on wasm32 and linux-arm64', async () => {
  const statuses = await listTargets();
  const missing = TARGETS.filter((id) => !statuses.find((s) => s.id === id)?.executable);
  for (const [file, functions] of SAMPLE) {
    it.skipIf(missing.length > 0)(`${path.basename(file)} (${functions.join(', ')})${missing.length ? ` (skipped: cannot execute ${missing.join(', ')} here: no qemu-user or Node WASI)` : ''}`, async () => {
      const results = await buildTargets(path.join(root, file), { targets: TARGETS, functions, maxCases: 24 });
      for (const r of results) {
        expect({ target: r.target, status: r.status, why: r.firstLine }).toEqual({ target: r.target, status: 'verified', why: r.firstLine });
        expect(r.verification!.functions.map((f) => f.name)).toEqual(functions);
        for (const f of r.verification!.functions) expect(f.counts.match, `${r.target} ${f.name}`).toBeGreaterThan(0);
      }
    }, 20 * 60_000);
  }
});
