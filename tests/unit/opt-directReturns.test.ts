/** opt/directReturns.ts: which returns skip the cleanup label, and what they drop themselves, on typed IR. */
import { describe, expect, it } from 'vitest';
import { PASSES, planProgram, type PassName } from '../../src-compiler/opt/index.ts';
import { fn, PRELUDE, typedProgram } from './opt-helpers.ts';

const SOURCE = `${PRELUDE}from typing import Optional


class Box:
    def __init__(self, link: "Optional[Box]", v: int):
        self.link = link
        self.v = v

    def take(self, other: "Optional[Box]") -> "Box":
        self.link = None
        if other is None:
            return self
        other.link = self
        return other


def pick(a: Box, b: Box, k: int) -> int:
    c = a.take(b)
    if k > 0:
        return c.v
    d = Box(None, k)
    e = Box(d, k)
    return e.v + c.v


@compile
def chain(n: int) -> int:
    a = Box(None, n)
    b = Box(None, n + 1)
    c = a.take(b)
    return c.v + pick(Box(None, 1), Box(None, 2), n)
`;

const ALL = new Set(Object.keys(PASSES) as PassName[]);

describe('directReturns', () => {
  it('returns at once where every owned slot was given over, or holds None on that branch', async () => {
    const program = await typedProgram(SOURCE);
    const plan = planProgram(program, ALL);
    const take = plan.functions[program.functions.find((f) => f.ir.name.endsWith('.take'))!.key];
    // `return self` (other is None there) and `return other` (self went into other.link): nothing left to drop.
    expect(Object.values(take.directReturns)).toEqual([[], []]);
  });

  it('drops what may still hold a reference itself, where the cleanup would test more slots', async () => {
    const program = await typedProgram(SOURCE);
    const pick = planProgram(program, ALL).functions[fn(program, 'pick').key];
    // `return c.v` before d and e exist drops c alone; c holds its reference at every return.
    const drops = Object.values(pick.directReturns);
    expect(drops[0]).toEqual(['c']);
    for (const d of drops) expect(d).toContain('c');
  });

  it('is off with KILN_PASSES=-directReturns', async () => {
    const program = await typedProgram(SOURCE);
    const off = new Set([...ALL].filter((p) => p !== 'directReturns'));
    for (const f of Object.values(planProgram(program, off).functions)) expect(f.directReturns).toEqual({});
  });
});
