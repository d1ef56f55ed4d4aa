/**
 * Which loops run as two interleaved lanes and which while-counters lose their overflow check (opt/twoLanes.ts,
 * opt/whileCounters.ts). Results against CPython are checked by tests/corpus/loops_lanes.py; this pins
 * where the transformations apply, so that a change that silently stops applying them fails here.
 */
import { describe, expect, it } from 'vitest';
import { compileModule } from '../../src-compiler/pipeline.ts';

describe('loop lanes and while counters', () => {
  it('applies lanes only to loops of the escape-time shape, and drops only provably safe counter checks', async () => {
    const m = await compileModule('tests/corpus/loops_lanes.py');
    const src = m.unit!.source;
    const body = (name: string) => {
      const start = src.search(new RegExp(`static int kf_${name}\\(.*\\) \\{$`, 'm'));
      return src.slice(start, src.indexOf('\n}\n', start));
    };
    const lanes = (name: string) => /kiln_gb\d+ = /.test(body(name));
    const laned = ['escape_counts', 'last_locals', 'sum_overflows', 'shared_divisor', 'first_lane_raises'];
    expect(laned.filter(lanes)).toEqual(laned);
    expect(['varying_divisor', 'carried_local', 'counters', 'float_bound'].filter(lanes)).toEqual([]);
    expect(body('float_bound')).toMatch(/kr_add_i64\(n, INT64_C\(1\)/);
    const counters = body('counters');
    expect(counters).toMatch(/= n \+ INT64_C\(1\);/);
    expect(counters).toMatch(/= m \+ INT64_C\(1\);/);
    expect(counters).not.toMatch(/= k_py \+ INT64_C\(1\);/); // the local k (cIdent: k_py)
    expect(counters.match(/kr_add_i64\(k_py, INT64_C\(1\)/g)?.length).toBe(2);
    // The summing step keeps its check, and runs for the first lane before the second.
    const sums = body('sum_overflows');
    expect(sums.match(/kr_mul_i64|kr_add_i64\(total/g)?.length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
