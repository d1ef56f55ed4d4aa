/**
 * The studio's graph model (src-renderer/lib/graph.ts, pure functions): a generated 2,000-node IR laid out
 * by the fast layered layout, sent back as packed positions, flattened into boxes and edges; and the overview
 * Fit draws, with loops and branches collapsed into one box each.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, controlDepths, fastLayout, flatten, packPositions, syntheticIR, unpackPositions, type ElkNode } from '../../src-renderer/lib/graph.ts';
import type { IRFunction, IRNode } from '../../src-compiler/api/schema.ts';

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

describe('the overview: loops and branches collapsed', () => {
  // total = 0; for i in range(n): if i > 2: total = total + i * x; return total   (a loop holding a branch)
  const span = (line: number) => ({ line, col: 1, endLine: line, endCol: 9 });
  const node = (op: string, name: string, target: string, args: string[], line: number, regions?: IRNode['regions']): IRNode =>
    ({ op, name, target, args: args.map((ref) => ({ ref })), span: { ...span(line), endLine: regions ? 6 : line }, regions } as unknown as IRNode);
  const ir = {
    version: 1, file: 'f.py', module: 'f', name: 'f', qualifiedName: 'f.f', span: span(1), params: [], returnAnnotation: 'float', locals: [], callees: [],
    nodes: [
      node('input', 'x', 'x', [], 1), node('input', 'n', 'n', [], 1), node('assign', 'total', 'total', [], 2),
      node('for_range', 'for', 'i', ['n'], 3, [{ name: 'body', nodes: [
        node('call_function', 'gt_result', '_operator.gt', ['i'], 4),
        node('if', 'if', 'if', ['gt_result'], 4, [{ name: 'then', nodes: [
          node('call_function', 'mul_result', '_operator.mul', ['i', 'x'], 5),
          node('call_function', 'add_result', '_operator.add', ['total', 'mul_result'], 5),
          node('assign', 'total', 'total', ['add_result'], 5),
        ] }]),
      ] }]),
      node('output', 'output', 'output', ['total'], 6),
    ],
  } as unknown as IRFunction;
  const named = (m: ReturnType<typeof buildGraph>, name: string) => Object.values(m.info).filter((i) => i.name === name);

  it('knows the depths of its loops and branches, deepest first', () => {
    expect(controlDepths(ir)).toEqual([2, 0]);
  });

  it('draws a collapsed loop as one box that defines what it assigns and uses what comes from outside', () => {
    const m = buildGraph(ir, { collapseDepth: 0 });
    const loop = named(m, 'for')[0];
    expect(loop.kind).toBe('node');
    expect(loop.inner?.sort()).toEqual(['add_result', 'gt_result', 'if', 'mul_result', 'total'].sort());
    expect(loop.subtitle).toBe('5 nodes · lines 3–6');
    // Nothing inside the loop is drawn on its own.
    expect(named(m, 'mul_result')).toEqual([]);
    const edge = (from: string, to: string) => m.edges.some((e) => m.info[e.from].name === from && m.info[e.to].name === to && e.kind === 'data');
    expect(edge('x', 'for')).toBe(true);
    expect(edge('n', 'for')).toBe(true);
    expect(edge('total', 'for')).toBe(true);
    // The return reads the total the loop last assigned, not the one before it.
    expect(m.edges.filter((e) => m.info[e.to].name === 'output' && e.kind === 'data').map((e) => m.info[e.from].id)).toEqual([loop.id]);
    // And no edge from the loop to itself.
    expect(m.edges.some((e) => e.from === e.to)).toBe(false);
  });

  it('collapses only the inner branch at depth 2, keeping the loop open', () => {
    const m = buildGraph(ir, { collapseDepth: 2 });
    expect(named(m, 'for')[0].kind).toBe('control');
    expect(named(m, 'if')[0]).toMatchObject({ kind: 'node', inner: ['mul_result', 'add_result', 'total'] });
    expect(named(m, 'gt_result')).toHaveLength(1);
  });
});
