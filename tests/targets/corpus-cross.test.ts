/**
 * A fixed sample of the corpus of functions as values, iterators, tuples and lists of lists, built for wasm32 and
 * linux-arm64 and verified against CPython there (Node's WASI, QEMU user-mode): closures with cells, funcset
 * tables (indirect calls through code pointers), key sorts, range objects, nested lists across the ABI. The whole
 * corpus on both targets is `node scripts/corpus-cross.mjs` (about an hour on two cores).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildTargets } from '../../src-compiler/targets/build.ts';
import { qemuMissing, skippedBecause } from '../tools.ts';

const root = path.resolve(import.meta.dirname, '../..');
const SAMPLE: Record<string, string[]> = {
  'fn_closures.py': ['counters', 'choose_function', 'counter_factory_escapes', 'loop_closures'],
  'fn_higher_order.py': ['integrals', 'dispatch', 'event_simulation'],
  'fn_defaults.py': ['root', 'kwargs_forwarding', 'star_calls'],
  'iter_values.py': ['range_len', 'enumerate_zip', 'filtered_enumerate', 'nested_maps'],
  'sort_keys.py': ['by_negation', 'rank', 'tuple_ordering'],
  'sort_pure_keys.py': ['with_nan', 'plain_sorts_with_nan', 'nearest_to_center'],
  'tuples_runtime.py': ['tuple_index', 'middle', 'sentinels'],
  'nested_lists.py': ['matmul', 'grow_and_swap', 'split_signs', 'histogram_and_edges'],
};

describe('corpus sample on wasm32 and linux-arm64', () => {
  for (const [file, functions] of Object.entries(SAMPLE)) {
    it.skipIf(!!qemuMissing())(skippedBecause(`${file}: ${functions.join(', ')}`, qemuMissing()), async () => {
      const results = await buildTargets(path.join(root, 'tests/corpus', file), { targets: ['wasm32', 'linux-arm64'], functions, jobs: 2, maxCases: 16 });
      for (const r of results) {
        const bad = (r.verification?.functions ?? []).filter((f) => !f.ok).map((f) => `${f.name}: ${JSON.stringify(f.cases.filter((c) => c.status === 'mismatch' || c.status === 'crash').slice(0, 2))}`);
        expect([r.target, r.status, bad], r.firstLine).toEqual([r.target, 'verified', []]);
        expect(r.verification!.functions.map((f) => f.name).sort()).toEqual([...functions].sort());
      }
    }, 10 * 60_000);
  }
});
