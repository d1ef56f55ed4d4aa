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
  /** A loop or branch drawn collapsed (one box): the names of the nodes it holds. */
  inner?: string[];
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
  /** Bounding box of the curve [x0, y0, x1, y1] (to draw only the edges in view). */
  bb: [number, number, number, number];
}

export interface GraphModel {
  elk: ElkNode;
  edges: { id: string; from: string; to: string; kind: 'data' | 'seq' }[];
  info: Record<string, NodeInfo & { kind: BoxKind }>;
}

export interface LaidOut {
  boxes: Box[];
  edges: EdgePath[];
  width: number;
  height: number;
}

const CHAR_W = 7.2;

const LAYERED: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '30',
  'elk.spacing.nodeNode': '18',
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.thoroughness': '3',
};
const NODE_H = 42;

export function typeString(t: unknown): string {
  if (!t || typeof t !== 'object') return '';
  const k = t as { kind: string; name?: string; items?: unknown[]; members?: unknown[]; elem?: unknown };
  if (k.kind === 'scalar') return k.name ?? '';
  if (k.kind === 'tuple' && Array.isArray(k.items)) return `tuple[${k.items.map(typeString).join(', ')}]`;
  if (k.kind === 'union' && Array.isArray(k.members)) return k.members.map(typeString).join(' | ');
  if (k.kind === 'none') return 'None';
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

/** Every node inside a loop or branch, at any depth. */
function innerNodes(n: IRNode): IRNode[] {
  return (n.regions ?? []).flatMap((r) => r.nodes.flatMap((c) => [c, ...innerNodes(c)]));
}

/** The depths at which loops and branches sit (0: top level, 2: inside one, ...), deepest first. */
export function controlDepths(fn: IRFunction): number[] {
  const depths = new Set<number>();
  const walk = (nodes: IRNode[], depth: number) => {
    for (const n of nodes) if (isControl(n)) { depths.add(depth); for (const r of n.regions!) walk(r.nodes, depth + 2); }
  };
  walk(fn.nodes, 0);
  return [...depths].sort((a, b) => b - a);
}

/**
 * Builds the ELK graph of a function, with data-flow edges from each value's definition to its uses. With
 * `collapseDepth`, each loop or branch at that depth or deeper is one box (its inner values defined by it,
 * its inner uses drawn into it): the readable overview of a graph too big to read whole.
 */
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
  const parentOf = new Map<string, string>();
  const containers = new Map<string, ElkNode>();
  const toElk = (nodes: IRNode[], depth: number, parent = 'root'): ElkNode[] => {
    const out = nodes.map((n) => toElkNode(n, depth));
    for (const c of out) parentOf.set(c.id, parent);
    // Program order around loops and branches: what follows a control box is drawn below it.
    out.forEach((c, i) => {
      const next = out[i + 1];
      if (next && (info[c.id]?.kind === 'control' || info[next.id]?.kind === 'control')) seqEdges.push({ id: `s_${c.id}_${next.id}`, sources: [c.id], targets: [next.id] });
    });
    return out;
  };
  const toElkNode = (n: IRNode, depth: number): ElkNode => {
    const id = `n${counter++}`;
    const collapsed = isControl(n) && opts.collapseDepth !== undefined && depth >= opts.collapseDepth;
    const inner = collapsed ? innerNodes(n) : [];
    const innerNames = new Set(inner.map((c) => c.name).filter(Boolean));
    // A collapsed box stands for everything in it: it defines its inner values and uses what they use (a use of
    // its own value comes from before it, or is skipped as a self-edge below).
    order.push({ id, node: collapsed ? { ...n, args: [...n.args, ...inner.flatMap((c) => c.args)] } : n });
    for (const name of [n.name, ...innerNames]) if (name) defs.set(name, [...(defs.get(name) ?? []), id]);
    if (collapsed) {
      addInfo(id, n, 'node', depth);
      const i = info[id];
      i.inner = [...innerNames];
      i.subtitle = `${inner.length} nodes · lines ${n.span.line}–${n.span.endLine}`;
      const w = Math.max(96, Math.ceil(Math.max(i.title.length + 2, i.subtitle.length) * CHAR_W) + 28);
      return { id, width: w, height: NODE_H };
    }
    if (isControl(n)) {
      addInfo(id, n, 'control', depth);
      const children: ElkNode[] = n.regions!.filter((r) => r.nodes.length).map((r) => {
        const rid = `${id}_${r.name}`;
        info[rid] = { id: rid, name: r.name, op: 'region', target: '', title: r.name, subtitle: '', type: '', line: n.span.line, endLine: n.span.endLine, depth: depth + 1, kind: 'region' };
        const region: ElkNode = {
          id: rid, labels: [{ text: r.name }], children: toElk(r.nodes, depth + 2, rid), edges: [],
          layoutOptions: { ...LAYERED, 'elk.padding': '[top=26,left=12,bottom=12,right=12]' },
        };
        containers.set(rid, region);
        parentOf.set(rid, id);
        return region;
      });
      const control: ElkNode = { id, labels: [{ text: opTitle(n) }], children, edges: [], layoutOptions: { ...LAYERED, 'elk.padding': '[top=30,left=12,bottom=12,right=12]' } };
      containers.set(id, control);
      return control;
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
  // Layout: each loop or branch is laid out on its own (fast, and stable), so ELK sees each data edge
  // lifted to the box that holds both ends; the real edges are drawn afterwards between the real boxes.
  const chain = (id: string) => { const c = [id]; let p = parentOf.get(id); while (p) { c.push(p); p = parentOf.get(p); } return c; };
  const layoutEdges = new Map<string, ElkEdge[]>();
  const lifted = new Set<string>();
  for (const e of [...edges, ...seqEdges]) {
    const a = chain(e.sources[0]);
    const b = chain(e.targets[0]);
    const common = a.find((x) => b.includes(x) && x !== e.sources[0] && x !== e.targets[0]) ?? 'root';
    const from = a[Math.max(0, a.indexOf(common) - 1)];
    const to = b[Math.max(0, b.indexOf(common) - 1)];
    if (from === to || from === common || to === common) continue;
    const key = `${from}>${to}`;
    if (lifted.has(key)) continue;
    lifted.add(key);
    const list = layoutEdges.get(common) ?? [];
    list.push({ id: `l_${from}_${to}`, sources: [from], targets: [to] });
    layoutEdges.set(common, list);
  }
  for (const [cid, list] of layoutEdges) if (cid !== 'root') containers.get(cid)!.edges = list;
  const elk: ElkNode = {
    id: 'root',
    layoutOptions: { ...LAYERED, 'elk.json.shapeCoords': 'ROOT', 'elk.json.edgeCoords': 'ROOT', 'elk.padding': '[top=16,left=16,bottom=16,right=16]' },
    children,
    edges: layoutEdges.get('root') ?? [],
  };
  const drawn = [...edges, ...seqEdges.filter((e) => !seen.has(`e_${e.sources[0]}_${e.targets[0]}`))];
  return { elk, info, edges: drawn.map((e) => ({ id: e.id, from: e.sources[0], to: e.targets[0], kind: e.id.startsWith('s_') ? 'seq' as const : 'data' as const })) };
}

/** A laid-out graph's geometry as one array: root width and height, then x, y, width, height of every
 * node in depth-first order (the worker sends this back instead of the whole tree). */
export function packPositions(laid: ElkNode): Float64Array {
  const out: number[] = [laid.width ?? 0, laid.height ?? 0];
  const walk = (n: ElkNode) => { for (const c of n.children ?? []) { out.push(c.x ?? 0, c.y ?? 0, c.width ?? 0, c.height ?? 0); walk(c); } };
  walk(laid);
  return Float64Array.from(out);
}

/** Writes packPositions' answer into the same graph (same shape, same order); returns it. */
export function unpackPositions(graph: ElkNode, p: Float64Array): ElkNode {
  graph.width = p[0];
  graph.height = p[1];
  let i = 2;
  const walk = (n: ElkNode) => { for (const c of n.children ?? []) { c.x = p[i++]; c.y = p[i++]; c.width = p[i++]; c.height = p[i++]; walk(c); } };
  walk(graph);
  if (i !== p.length) throw new Error(`layout answer does not match the graph (${p.length} numbers for ${i})`);
  return graph;
}

/** An edge from the bottom of one box to the top of another, as a smooth vertical curve. */
function curve(a: Box, b: Box): string {
  const x1 = a.x + a.w / 2, y1 = a.y + a.h;
  const x2 = b.x + b.w / 2, y2 = b.y;
  const dy = Math.max(24, Math.abs(y2 - y1) / 2);
  const r = (v: number) => Math.round(v * 10) / 10;
  return `M${r(x1)},${r(y1)}C${r(x1)},${r(y1 + dy)} ${r(x2)},${r(y2 - dy)} ${r(x2)},${r(y2)}`;
}

/** Flattens ELK's answer (root coordinates) into boxes (outer first, so they paint underneath) and edge paths. */
export function flatten(laid: ElkNode, model: Pick<GraphModel, 'info' | 'edges'>): LaidOut {
  const boxes: Box[] = [];
  const walk = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      const i = model.info[c.id];
      if (i) boxes.push({ ...i, x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? 0, h: c.height ?? 0 });
      walk(c);
    }
  };
  walk(laid);
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const edges: EdgePath[] = [];
  for (const e of model.edges) {
    const a = byId.get(e.from), b = byId.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + a.w / 2, y1 = a.y + a.h, x2 = b.x + b.w / 2, y2 = b.y;
    const dy = Math.max(24, Math.abs(y2 - y1) / 2);
    edges.push({ ...e, d: curve(a, b), bb: [Math.min(x1, x2), Math.min(y1, y2 - dy), Math.max(x1, x2), Math.max(y2, y1 + dy)] });
  }
  return { boxes, edges, width: laid.width ?? 0, height: laid.height ?? 0 };
}

/**
 * A generated function of about `n` IR nodes with nested loops and branches (for the benchmark). Like real
 * straight-line numeric code, each operation reads recent values, and now and then a parameter.
 */
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
      out.push({ op: 'call_function', name, target: ['_operator.mul', '_operator.add', 'math.sqrt', '_operator.sub'][k % 4], args: [{ ref: k % 40 === 0 ? params[k % params.length] : local[Math.max(0, local.length - 2 - (k % 7))] }, { ref: local[Math.max(0, local.length - 1 - (k % 4 === 0 ? 0 : 3 + (k % 5)))] }], span: span(line), type: f as never });
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

/**
 * A fast layered layout for big graphs (ELK's layered algorithm grows too slow past a few hundred
 * nodes): per container, bottom-up, longest-path layers over the lifted edges (backward, loop-carried
 * edges ignored), one barycenter pass to order each layer, layers centred. No dummy nodes, O(V + E log E).
 * Writes x, y (root coordinates), width and height into the graph, as ELK would.
 */
export function fastLayout(root: ElkNode): ElkNode {
  const padOf = (n: ElkNode) => {
    const m = /top=(\d+),left=(\d+),bottom=(\d+),right=(\d+)/.exec(n.layoutOptions?.['elk.padding'] ?? '');
    return m ? { top: +m[1], left: +m[2], bottom: +m[3], right: +m[4] } : { top: 12, left: 12, bottom: 12, right: 12 };
  };
  const GAP_Y = 30, GAP_X = 18;
  const local = new Map<string, { x: number; y: number }>();
  const size = (n: ElkNode): void => {
    const kids = n.children ?? [];
    if (!kids.length) return;
    for (const c of kids) size(c);
    const index = new Map(kids.map((c, i) => [c.id, i]));
    const preds = new Map<string, string[]>();
    for (const e of n.edges ?? []) {
      const a = e.sources[0], b = e.targets[0];
      const ia = index.get(a), ib = index.get(b);
      if (ia === undefined || ib === undefined || ia >= ib) continue;
      const list = preds.get(b);
      if (list) list.push(a); else preds.set(b, [a]);
    }
    const layer = new Map<string, number>();
    for (const c of kids) {
      let l = 0;
      for (const p of preds.get(c.id) ?? []) l = Math.max(l, (layer.get(p) ?? 0) + 1);
      layer.set(c.id, l);
    }
    const layers: ElkNode[][] = [];
    for (const c of kids) (layers[layer.get(c.id)!] ??= []).push(c);
    const pad = padOf(n);
    const xCenter = new Map<string, number>();
    let y = pad.top;
    let width = 0;
    const rows: { nodes: ElkNode[]; y: number; w: number }[] = [];
    for (const row of layers) {
      if (!row) continue;
      // Barycenters computed once per row (not in the comparator).
      const bary = new Map<string, number>();
      for (const c of row) {
        let sum = 0, count = 0;
        for (const p of preds.get(c.id) ?? []) { const v = xCenter.get(p); if (v !== undefined) { sum += v; count++; } }
        bary.set(c.id, count ? sum / count : index.get(c.id)! * 1e-3);
      }
      row.sort((a, b) => bary.get(a.id)! - bary.get(b.id)! || index.get(a.id)! - index.get(b.id)!);
      let x = 0;
      let h = 0;
      for (const c of row) {
        local.set(c.id, { x, y });
        xCenter.set(c.id, x + (c.width ?? 0) / 2);
        x += (c.width ?? 0) + GAP_X;
        h = Math.max(h, c.height ?? 0);
      }
      const w = x - GAP_X;
      rows.push({ nodes: row, y, w });
      width = Math.max(width, w);
      y += h + GAP_Y;
    }
    for (const r of rows) {
      const shift = pad.left + (width - r.w) / 2;
      for (const c of r.nodes) {
        const p = local.get(c.id)!;
        p.x += shift;
        xCenter.set(c.id, p.x + (c.width ?? 0) / 2);
      }
    }
    n.width = Math.max(width + pad.left + pad.right, 80);
    n.height = y - GAP_Y + pad.bottom;
  };
  const place = (n: ElkNode, ox: number, oy: number) => {
    for (const c of n.children ?? []) {
      const p = local.get(c.id)!;
      c.x = ox + p.x;
      c.y = oy + p.y;
      place(c, c.x, c.y);
    }
  };
  size(root);
  place(root, 0, 0);
  return root;
}
