/**
 * The runtime uses no __int128 (32-bit targets such as armv7 have none): int / int, pow(b, e, m) and
 * integer comparisons across signedness must give CPython's answers bit for bit, on pseudo-random and edge
 * inputs.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileC, hostToolchain } from '../../src-compiler/targets/toolchain.ts';

const PROGRAM = String.raw`
#include <stdio.h>
#include "kiln_runtime.h"
static uint64_t s = 88172645463325252ULL;
static uint64_t rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }
int main(void) {
  const int64_t edge[] = {0, 1, -1, 2, 3, 7, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1, 1LL << 53, (1LL << 53) + 1, -(1LL << 53) - 1, 1000000007};
  const int ne = sizeof edge / sizeof edge[0];
  for (int i = 0; i < 6000; i++) {
    int64_t a, b, e;
    if (i < ne * ne) { a = edge[i % ne]; b = edge[i / ne]; e = edge[(i * 7) % ne]; }
    else { a = (int64_t)rnd() >> (rnd() % 64); b = (int64_t)rnd() >> (rnd() % 64); e = (i % 3 == 0) ? -(int64_t)(rnd() % 1000) : (int64_t)(rnd() >> (rnd() % 64)); }
    double d; int64_t r;
    printf("%lld %lld %lld ", (long long)a, (long long)b, (long long)e);
    if (kr_truediv_i64(a, b, &d)) printf("E "); else printf("%a ", d);
    if (kr_powmod_i64(a, e, b, &r)) printf("E "); else printf("%lld ", (long long)r);
    uint64_t ub = (uint64_t)b; int32_t a32 = (int32_t)a; uint32_t u32 = (uint32_t)e;
#ifdef KILN_ICMP
    printf("%llu %d %u %d%d%d%d%d%d\n", (unsigned long long)ub, (int)a32, (unsigned)u32,
           KILN_ICMP(a, <, ub), KILN_ICMP(ub, <=, a), KILN_ICMP(a, ==, ub), KILN_ICMP(a32, <, u32), KILN_ICMP(u32, >, a), KILN_ICMP(a32, !=, e));
#else
    printf("%llu %d %u -\n", (unsigned long long)ub, (int)a32, (unsigned)u32); /* a runtime without KILN_ICMP */
#endif
  }
}
`;

const CHECK = String.raw`
import sys
bad = []
for line in sys.stdin:
    a, b, e, d, p, ub, a32, u32, cmp = line.split(); a, b, e, ub, a32, u32 = int(a), int(b), int(e), int(ub), int(a32), int(u32)
    want = ''.join(str(int(c)) for c in (a < ub, ub <= a, a == ub, a32 < u32, u32 > a, a32 != e))
    if cmp != '-' and cmp != want: bad.append(f"compare {a} {ub} {a32} {u32} {e}: {cmp} vs {want}")
    try: x = a / b
    except ZeroDivisionError: x = None
    if (x is None) != (d == 'E') or (x is not None and float.fromhex(d) != x): bad.append(f"{a} / {b}: {x} vs {d}")
    try: y = str(pow(a, e, b))
    except (ValueError, ZeroDivisionError): y = 'E'
    if y != p: bad.append(f"pow({a}, {e}, {b}): {y} vs {p}")
print(len(bad)); print("\n".join(bad[:5]))
`;

describe('the runtime without __int128', () => {
  for (const variant of [[]]) {
    it(`int / int, pow(b, e, m) and mixed-type int comparisons agree with CPython`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-rt-'));
      fs.writeFileSync(path.join(dir, 'rt.c'), PROGRAM);
      const exe = path.join(dir, 'rt');
      const r = await compileC({ toolchain: await hostToolchain(), sources: [path.join(dir, 'rt.c')], output: exe, kind: 'exe', extraFlags: variant });
      expect(r.log.split('\n').filter((l) => /error/.test(l))).toEqual([]);
      const run = await execa(exe);
      const check = await execa(process.env.KILN_PYTHON ?? 'python3', ['-c', CHECK], { input: run.stdout });
      expect(check.stdout.trim()).toBe('0');
    });
  }
});
