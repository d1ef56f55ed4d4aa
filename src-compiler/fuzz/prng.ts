/**
 * The fuzzer's seeded random numbers: the same seed gives the same programs on every machine and every
 * run (never Math.random). Program i of seed s draws from its own stream, `programRng(s, i)`, so one
 * program can be regenerated alone, without the ones before it.
 */

/** A 32-bit mix of two integers (a splitmix/murmur-style finaliser). */
export function mixSeed(a: number, b: number): number {
  let h = (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul((b | 0) + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new Error('internal: pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** One item, drawn with probability proportional to its weight (weights <= 0 are never drawn). */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + Math.max(0, w), 0);
    if (total <= 0) throw new Error('internal: weighted pick with no positive weight');
    let r = this.next() * total;
    for (const [item, w] of items) {
      if (w <= 0) continue;
      r -= w;
      if (r < 0) return item;
    }
    return items.filter(([, w]) => w > 0).pop()![0];
  }
}

export function programRng(seed: number, index: number): Rng {
  return new Rng(mixSeed(seed, index));
}
