/** Printing IR: the table that `kiln trace` shows (torch.fx's tabular form plus the native type), and JSON. */
import type { Arg, ConstValue, IRFunction, IRNode } from './ir.ts';
import { typeToString } from '../types/types.ts';
import { bytesRepr } from '../run/values.ts';

export function constToString(c: ConstValue): string {
  switch (c.kind) {
    case 'int': return c.value;
    case 'float': return c.repr;
    case 'bool': return c.value ? 'True' : 'False';
    case 'str': return JSON.stringify(c.value);
    case 'bytes': return bytesRepr(Buffer.from(c.hex, 'hex'));
    case 'none': return 'None';
    case 'tuple': return `(${c.items.map(constToString).join(', ')}${c.items.length === 1 ? ',' : ''})`;
    case 'class': return c.name === 'NoneType' ? 'type(None)' : c.name;
  }
}

export function argToString(a: Arg): string {
  return 'ref' in a ? a.ref : constToString(a.const);
}

/** Args as Python prints a tuple: `(x, y)`, `(add_result,)`, `()`. */
export function argsToString(args: Arg[]): string {
  if (args.length === 1) return `(${argToString(args[0])},)`;
  return `(${args.map(argToString).join(', ')})`;
}

export interface TableRow {
  depth: number;
  op: string;
  name: string;
  target: string;
  args: string;
  type: string;
  line: number;
}

export function irRows(nodes: IRNode[], depth = 0, out: TableRow[] = []): TableRow[] {
  for (const n of nodes) {
    out.push({ depth, op: n.op, name: n.name, target: n.target, args: argsToString(n.args), type: n.type ? typeToString(n.type) : '', line: n.span.line });
    for (const r of n.regions ?? []) {
      if (!r.nodes.length && r.name !== 'body') continue;
      out.push({ depth: depth + 1, op: `[${r.name}]`, name: '', target: '', args: '', type: '', line: n.span.line });
      irRows(r.nodes, depth + 2, out);
    }
  }
  return out;
}

/** A fixed-width table: opcode, name, target, args, type (and the Python line). Regions are indented. */
export function formatIRTable(fn: IRFunction, opts: { types?: boolean; lines?: boolean } = {}): string {
  const rows = irRows(fn.nodes);
  const header = ['opcode', 'name', 'target', 'args', ...(opts.types !== false ? ['type'] : []), ...(opts.lines ? ['line'] : [])];
  const cells = rows.map((r) => [
    '  '.repeat(r.depth) + r.op, r.name, r.target, r.args,
    ...(opts.types !== false ? [r.type] : []), ...(opts.lines ? [String(r.line)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
