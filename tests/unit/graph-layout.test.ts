/**
 * The studio's graph model (src-renderer/lib/graph.ts, pure functions): a generated 2,000-node IR laid out
 * by the fast layered layout, sent back as packed positions, flattened into boxes and edges.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, fastLayout, flatten, packPositions, syntheticIR, unpackPositions, type ElkNode } from '../../src-renderer/lib/graph.ts';

describe('graph model and fast layout', () => {
  const model = buildGraph(syntheticIR(2000));
  const laid = fastLayout(structuredClone(model.elk));
  const out = flatten(unpackPositions(model.elk, packPositions(laid)), model);

  it('keeps every IR node, with nested boxes for loops and branches', () => {
    expect(out.boxes.filter((b) => b.kind === 'node').length).toBeGreaterThan(1800);
    expect(out.boxes.some((b) => b.kind === 'control')).toBe(true);
    expect(out.boxes.some((b) => b.kind === 'region')).toBe(true);
    expect(out.edges.length).toBeGreaterThan(1800);
  });

  it('round-trips positions through the packed array the worker sends', () => {
    const byId = new Map<string, ElkNode>();
    const walk = (n: ElkNode) => { for (const c of n.children ?? []) { byId.set(c.id, c); walk(c); } };
    walk(laid);
    for (const b of out.boxes) {
      const c = byId.get(b.id)!;
      expect([b.x, b.y, b.w, b.h]).toEqual([c.x, c.y, c.width, c.height]);
    }
    expect(() => unpackPositions(model.elk, new Float64Array(3))).toThrow(/does not match/);
  });

  it('puts children inside their box and never overlaps two boxes of the same container', () => {
    const check = (n: ElkNode) => {
      const kids = n.children ?? [];
      for (const c of kids) {
        if (n.id !== 'root') {
          expect(c.x!).toBeGreaterThanOrEqual(n.x!);
          expect(c.y!).toBeGreaterThanOrEqual(n.y!);
          expect(c.x! + c.width!).toBeLessThanOrEqual(n.x! + n.width! + 1e-6);
          expect(c.y! + c.height!).toBeLessThanOrEqual(n.y! + n.height! + 1e-6);
        }
        check(c);
      }
      const sorted = [...kids].sort((a, b) => a.y! - b.y! || a.x! - b.x!);
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length && sorted[j].y! < sorted[i].y! + sorted[i].height!; j++) {
          const a = sorted[i], b = sorted[j];
          const apart = a.x! + a.width! <= b.x! || b.x! + b.width! <= a.x!;
          expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
        }
      }
    };
    check(laid);
  });

  it('draws data edges downwards: a value is defined above its uses (loop-carried values aside)', () => {
    const box = new Map(out.boxes.map((b) => [b.id, b]));
    const down = out.edges.filter((e) => e.kind === 'data' && box.get(e.from)!.y < box.get(e.to)!.y).length;
    expect(down / out.edges.filter((e) => e.kind === 'data').length).toBeGreaterThan(0.95);
    for (const e of out.edges) expect(e.bb[0] <= e.bb[2] && e.bb[1] <= e.bb[3]).toBe(true);
  });
});
