/** The JSON shapes printed by resources/python/kiln_frontend.py. */
import type { Span } from '../ir/ir.ts';

/** One Python AST node: `_t` is the class name (BinOp, Name, ...), other keys are its fields. */
export interface PyNode {
  _t: string;
  span?: Span;
  [field: string]: any;
}

export type PyLiteral =
  | null | boolean | string
  | { _t: 'int'; dec: string }
  | { _t: 'float'; hex: string; repr: string }
  | { _t: 'bytes'; hex: string }
  | { _t: 'list' | 'tuple'; items: PyLiteral[] }
  | { _t: 'dict'; items: [PyLiteral, PyLiteral][] }
  | { _t: 'unsupported'; repr: string };

export interface PyParam {
  name: string;
  annotation: string | null;
  annotationAst: PyNode | null;
  span: Span;
}

export interface DecoratorInfo {
  module: string;
  options: Record<string, PyLiteral>;
  problems: string[];
  span: Span;
}

export interface PyFunction {
  name: string;
  line: number;
  span: Span;
  signature: string;
  decorated: boolean;
  decorator: DecoratorInfo | null;
  otherDecorators: string[];
  docstring: string | null;
  isAsync: boolean;
  params: PyParam[];
  returns: string | null;
  returnsAst: PyNode | null;
  unsupportedParams: string[];
  body?: PyNode[];
}

export interface PyConstant {
  value: PyNode;
  span: Span;
  assignments: number;
}

export interface PyModule {
  file: string;
  /** The module's dotted name in its project (`pkg.mod`), set by the module graph (project/graph.ts);
   *  without one, the file's base name. */
  name?: string;
  /** Local name -> dotted origin of every top-level import; the module graph makes relative ones
   *  (`.util.f`, `..g`) absolute. */
  imports: Record<string, string>;
  /** The modules of `from M import *`, in order (relative ones made absolute by the module graph). */
  starImports?: string[];
  /** The line of the import that binds each imported name. */
  importLines?: Record<string, number>;
  constants: Record<string, PyConstant>;
  functions: PyFunction[];
  lines: string[];
}

export interface DiscoverResult {
  files: { file: string; imports: Record<string, string>; functions: PyFunction[] }[];
  errors: { file: string; line: number; col: number; message: string }[];
}
