/**
 * Kiln's IR: a flat, printable list of nodes per function (as torch.fx), where loops and branches
 * nest lists of nodes in regions. Values are referred to by name; constants sit inline in args.
 */
import type { KType } from '../types/types.ts';

export const IR_VERSION = 1;

export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export type ConstValue =
  | { kind: 'int'; value: string } // decimal, arbitrary size (checked against int64 at typecheck)
  | { kind: 'float'; hex: string; repr: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'str'; value: string } // code points as a JS string (a lone surrogate stays one)
  | { kind: 'bytes'; hex: string }
  | { kind: 'none' }
  /** A tuple of constants `(0, 2)`: never an IR argument, only what an op's resolver sees of a tuple literal (typecheck). */
  | { kind: 'tuple'; items: ConstValue[] }
  /** A class named by a type test: `isinstance(x, int)`, `type(x) is float` (int, float, bool, NoneType). */
  | { kind: 'class'; name: string };

export type Arg = { ref: string } | { const: ConstValue };

export type NodeOp =
  | 'input' // a parameter: name = target = parameter name
  | 'constant' // a module-level constant or a module attribute such as math.pi: target = its dotted name
  | 'call_function' // target: dotted name of the operation (_operator.mul, math.sqrt, module.helper)
  | 'assign' // writes local variable `target` with args[0]
  | 'output' // return args[0] (no args: return None)
  | 'if' // args[0] is the condition; regions then, else
  | 'for_range' // target: loop variable; args: start, stop, step; regions body, orelse
  | 'while' // regions test (computes args[0]), body, orelse
  | 'break'
  | 'continue'
  | 'raise' // target: exception type; args: message (a str const, a str value) or none
  | 'assert'; // args[0] condition, args[1] optional message (str const)

export interface IRRegion {
  name: 'then' | 'else' | 'body' | 'orelse' | 'test';
  nodes: IRNode[];
}

export interface IRNode {
  op: NodeOp;
  name: string;
  target: string;
  args: Arg[];
  span: Span;
  regions?: IRRegion[];
  /** Propagated native type of the value this node defines (set by typecheck). */
  type?: KType;
  /** Types of args as seen by the op (set by typecheck), for display. */
  argTypes?: KType[];
  /** An `assign` from an annotated assignment (`seen: set[int] = set()`): the annotation's text. */
  annotation?: string;
}

export interface IRParam {
  name: string;
  annotation: string | null;
  span: Span;
}

export interface IRFunction {
  version: typeof IR_VERSION;
  file: string;
  module: string;
  name: string;
  qualifiedName: string; // module.name
  span: Span;
  params: IRParam[];
  returnAnnotation: string | null;
  /** Local variables assigned in the body (Python's rule: assigned anywhere means local), plus synthetic ones. */
  locals: string[];
  nodes: IRNode[];
  /** Names of other functions of the same module that this one calls. */
  callees: string[];
  /** Locals split by opt/splitVariables.ts (a variable's parts that hold different types): new name -> the Python name. */
  renamed?: Record<string, string>;
}

export const isRef = (a: Arg): a is { ref: string } => 'ref' in a;

/** Visit every node, depth first, in program order. */
export function walkNodes(nodes: IRNode[], fn: (n: IRNode, depth: number) => void, depth = 0): void {
  for (const n of nodes) {
    fn(n, depth);
    for (const r of n.regions ?? []) walkNodes(r.nodes, fn, depth + 1);
  }
}

