/**
 * From Kiln's IR to a graph for ELK's layered layout and back to boxes and edges to draw. Pure functions
 * (used by the layout worker, the view and the benchmark). Loops and branches become nested boxes: the
 * control node is a compound node whose children are its regions, each a compound node of its nodes.
 */
import type { IRFunction, IRNode } from '../../src-compiler/api/schema.ts';

export interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  children?: ElkNode[];
  edges?: ElkEdge[];
  labels?: { text: string }[];
  layoutOptions?: Record<string, string>;
}

export interface ElkEdge {
  id: string;
  sources: string[];
  targets: string[];
  sections?: { startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: { x: number; y: number }[] }[];
}

export type BoxKind = 'node' | 'control' | 'region';

export interface NodeInfo {
  id: string;
  name: string;
  op: string;
  target: string;
  /** What the box says: the operation. */
  title: string;
  /** name: type */
  subtitle: string;
  type: string;
  line: number;
  endLine: number;
  depth: number;
}

export interface Box extends NodeInfo {
  kind: BoxKind;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface EdgePath {
  id: string;
  /** Data flow, or program order around a loop or branch. */
  kind: 'data' | 'seq';
  from: string;
  to: string;
  d: string;
}

export interface GraphModel {
  elk: ElkNode;
  info: Record<string, NodeInfo & { kind: BoxKind }>;
}

export interface LaidOut {
  boxes: Box[];
  edges: EdgePath[];
  width: number;
  height: number;
}

const CHAR_W = 7.2;
const NODE_H = 42;

export function typeString(t: unknown): string {
  if (!t || typeof t !== 'object') return '';
  const k = t as { kind: string; name?: string; items?: unknown[]; elem?: unknown };
  if (k.kind === 'scalar') return k.name ?? '';
  if (k.kind === 'tuple' && Array.isArray(k.items)) return `tuple[${k.items.map(typeString).join(', ')}]`;
  if (k.name) return k.name;
  return k.kind;
}

export function opTitle(n: Pick<IRNode, 'op' | 'target' | 'name'>): string {
  switch (n.op) {
    case 'call_function': return n.target.startsWith('_operator.') ? n.target.slice('_operator.'.length) : n.target;
    case 'input': return 'input';
    case 'output': return 'return';
    case 'assign': return `${n.target} =`;
    case 'constant': return n.target;
    case 'for_range': return `for ${n.target} in range`;
    case 'while': return 'while';
    case 'if': return 'if';
    default: return n.op;
  }
}

const isControl = (n: IRNode) => !!n.regions?.some((r) => r.nodes.length);

/** Builds the ELK graph of a function, with data-flow edges from each value's definition to its uses. */
export function buildGraph(fn: IRFunction, opts: { collapseDepth?: number } = {}): GraphModel {
  const info: GraphModel['info'] = {};
  const defs = new Map<string, string[]>(); // value name -> node ids that define it, program order
  const order: { id: string; node: IRNode }[] = [];
  let counter = 0;
  const edges: ElkEdge[] = [];

  const addInfo = (id: string, n: IRNode, kind: BoxKind, depth: number, title?: string) => {
    const type = typeString(n.type);
    info[id] = {
      id, name: n.name, op: n.op, target: n.target, title: title ?? opTitle(n),
      subtitle: kind === 'node' ? `${n.name}${type ? `: ${type}` : ''}` : '', type, line: n.span.line, endLine: n.span.endLine, depth, kind,
    };
  };

  const seqEdges: ElkEdge[] = [];
  const toElk = (nodes: IRNode[], depth: number): ElkNode[] => {
    const out = nodes.map((n) => toElkNode(n, depth));
    // Program order around loops and branches: what follows a control box is drawn below it.
    out.forEach((c, i) => {
      const next = out[i + 1];
      if (next && (info[c.id]?.kind === 'control' || info[next.id]?.kind === 'control')) seqEdges.push({ id: `s_${c.id}_${next.id}`, sources: [c.id], targets: [next.id] });
    });
    return out;
  };
  const toElkNode = (n: IRNode, depth: number): ElkNode => {
    const id = `n${counter++}`;
    order.push({ id, node: n });
    if (n.name) defs.set(n.name, [...(defs.get(n.name) ?? []), id]);
    if (isControl(n) && (opts.collapseDepth === undefined || depth < opts.collapseDepth)) {
      addInfo(id, n, 'control', depth);
      const children: ElkNode[] = n.regions!.filter((r) => r.nodes.length).map((r) => {
        const rid = `${id}_${r.name}`;
        info[rid] = { id: rid, name: r.name, op: 'region', target: '', title: r.name, subtitle: '', type: '', line: n.span.line, endLine: n.span.endLine, depth: depth + 1, kind: 'region' };
        return {
          id: rid, labels: [{ text: r.name }], children: toElk(r.nodes, depth + 2),
          layoutOptions: { 'elk.padding': '[top=26,left=12,bottom=12,right=12]' },
        };
      });
      return { id, labels: [{ text: opTitle(n) }], children, layoutOptions: { 'elk.padding': '[top=30,left=12,bottom=12,right=12]' } };
    }
    addInfo(id, n, 'node', depth);
    const i = info[id];
    const w = Math.max(96, Math.ceil(Math.max(i.title.length, i.subtitle.length) * CHAR_W) + 28);
    return { id, width: w, height: NODE_H };
  };

  const children = toElk(fn.nodes, 0);
  // Data flow: each ref argument comes from the latest definition before the use (or any, for loop-carried values).
  const position = new Map(order.map((o, i) => [o.id, i]));
  const seen = new Set<string>();
  for (const { id, node } of order) {
    for (const a of node.args) {
      if (!('ref' in a)) continue;
      const cands = defs.get(a.ref);
      if (!cands?.length) continue;
      const before = cands.filter((c) => position.get(c)! < position.get(id)!);
      const from = before.length ? before[before.length - 1] : cands[cands.length - 1];
      if (from === id) continue;
      const eid = `e_${from}_${id}`;
      if (seen.has(eid)) continue;
      seen.add(eid);
      edges.push({ id: eid, sources: [from], targets: [id] });
    }
  }
  const elk: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '28',
      'elk.spacing.nodeNode': '18',
      'elk.layered.spacing.edgeNodeBetweenLayers': '14',
      'elk.edgeRouting': 'SPLINES',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children,
    edges: [...edges, ...seqEdges.filter((e) => !seen.has(`e_${e.sources[0]}_${e.targets[0]}`))],
  };
  return { elk, info };
}

function pathOf(e: ElkEdge): string {
  const parts: string[] = [];
  for (const s of e.sections ?? []) {
    const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
    if (pts.length === 2) {
      parts.push(`M${pts[0].x},${pts[0].y}L${pts[1].x},${pts[1].y}`);
    } else {
      // ELK's spline routing gives cubic Bézier control points after the start point.
      let d = `M${pts[0].x},${pts[0].y}`;
      const rest = pts.slice(1);
      while (rest.length >= 3) {
        const [a, b, c] = rest.splice(0, 3);
        d += `C${a.x},${a.y} ${b.x},${b.y} ${c.x},${c.y}`;
      }
      for (const p of rest) d += `L${p.x},${p.y}`;
      parts.push(d);
    }
  }
  return parts.join('');
}

/** Flattens ELK's answer (root coordinates) into boxes (outer first, so they paint underneath) and edge paths. */
export function flatten(laid: ElkNode, info: GraphModel['info']): LaidOut {
  const boxes: Box[] = [];
  const edges: EdgePath[] = [];
  const walk = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      const i = info[c.id];
      if (i) boxes.push({ ...i, x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? 0, h: c.height ?? 0 });
      walk(c);
    }
    for (const e of n.edges ?? []) edges.push({ id: e.id, kind: e.id.startsWith('s_') ? 'seq' : 'data', from: e.sources[0], to: e.targets[0], d: pathOf(e) });
  };
  walk(laid);
  return { boxes, edges, width: laid.width ?? 0, height: laid.height ?? 0 };
}

/** A generated function of about `n` IR nodes with nested loops and branches (for the benchmark). */
export function syntheticIR(n: number): IRFunction {
  const span = (line: number) => ({ line, col: 1, endLine: line, endCol: 10 });
  const f = { kind: 'scalar', name: 'float' };
  let count = 0;
  let line = 2;
  const params = ['a', 'b', 'c', 'd'];
  const mk = (depth: number, avail: string[], budget: number): IRNode[] => {
    const out: IRNode[] = [];
    const local = [...avail];
    while (budget > 0) {
      const k = count++;
      line++;
      if (depth < 2 && k % 17 === 5 && budget > 12) {
        const inner = Math.min(budget - 1, 8 + (k % 9));
        out.push({
          op: k % 2 ? 'for_range' : 'if', name: k % 2 ? `for_${k}` : `if_${k}`, target: k % 2 ? `i${k}` : 'if',
          args: [{ ref: local[local.length - 1] }], span: span(line), type: f as never,
          regions: k % 2 ? [{ name: 'body', nodes: mk(depth + 1, local, inner) }] : [{ name: 'then', nodes: mk(depth + 1, local, inner >> 1) }, { name: 'else', nodes: mk(depth + 1, local, inner - (inner >> 1)) }],
        } as IRNode);
        budget -= inner + 1;
        continue;
      }
      const name = `v${k}`;
      out.push({ op: 'call_function', name, target: ['_operator.mul', '_operator.add', 'math.sqrt', '_operator.sub'][k % 4], args: [{ ref: local[(k * 7) % local.length] }, { ref: local[local.length - 1] }], span: span(line), type: f as never });
      local.push(name);
      budget--;
    }
    return out;
  };
  const inputs: IRNode[] = params.map((p) => ({ op: 'input', name: p, target: p, args: [], span: span(1), type: f as never }));
  const body = mk(0, params, Math.max(1, n - params.length - 1));
  const last = [...body].reverse().find((x) => x.op === 'call_function')?.name ?? 'a';
  return {
    version: 1, file: 'synthetic.py', module: 'synthetic', name: 'synthetic', qualifiedName: 'synthetic.synthetic', span: span(1),
    params: params.map((p) => ({ name: p, annotation: 'float', span: span(1) })), returnAnnotation: 'float', locals: [], callees: [],
    nodes: [...inputs, ...body, { op: 'output', name: 'output', target: 'output', args: [{ ref: last }], span: span(line + 1), type: f as never }],
  } as IRFunction;
}
