/**
 * Lowering: typed IR becomes readable C. Each exported function is `kiln_<name>`, a thin wrapper over a
 * static `kf_<name>` (so nothing collides with libc's `fma`). Every statement carries a comment with the
 * Python line it came from; fallible operations propagate Python exceptions through KILN_TRY.
 */
import path from 'node:path';
import type { Arg, ConstValue, IRNode } from '../ir/ir.ts';
import { isRef, walkNodes as walk } from '../ir/ir.ts';
import { convert, truthExpr } from '../types/registry.ts';
import { MATH_CONSTANTS } from '../types/registry.ts';
import { constType, type TypedFunction, type TypedProgram } from '../types/typecheck.ts';
import { T, cType, isFloatLike, tupleStructName, tupleTypesIn, typeToString, type KType } from '../types/types.ts';
import { nonNegativeValues } from '../types/signs.ts';
import { paramEffects } from '../types/writes.ts';
import { abiHeaderLines, abiParamType, abiReturnType, exportWrapper, usesArrays } from './c_arrays.ts';

export interface CUnit {
  /** File names (without directory) of the generated pair. */
  sourceName: string;
  headerName: string;
  source: string;
  header: string;
  /** For each exported function: its C symbol and ABI. */
  exports: ExportedFunction[];
  /** C line (1-based) -> Python line, for source mapping in the studio. */
  lineMap: { cLine: number; pyLine: number; function: string; node?: string }[];
}

export interface ExportedFunction {
  name: string;
  symbol: string;
  /** `written`: an array or list parameter the function may write into (see types/writes.ts): a read-only NumPy
   *  array passed for it raises ValueError in the exported Python package, as NumPy would. */
  params: { name: string; type: KType; written?: boolean }[];
  returnType: KType;
  line: number;
  signature: string;
}

/** The exported C prototype of a function: `int kiln_f(kiln_array_float64 a, double k, kiln_array_float64 *out)`. */
export function abiPrototype(e: ExportedFunction): string {
  const params = e.params.map((p) => { const t = abiParamType(p.type); return `${t}${t.endsWith('*') ? '' : ' '}${cIdent(p.name)}`; });
  if (e.returnType.kind !== 'none') params.push(`${abiReturnType(e.returnType)} *out`);
  return `int ${e.symbol}(${params.join(', ') || 'void'})`;
}

const C_RESERVED = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for',
  'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct',
  'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', 'bool', 'true', 'false', 'out', 'errno', 'main',
  'NAN', 'INFINITY', 'asm', 'typeof', 'alignof', 'alignas', 'noreturn', 'complex', 'imaginary', 'NULL', 'EOF', 'stdin', 'stdout', 'stderr',
]);

/** A Python local's C name: itself unless it would collide with C or Kiln's own names. */
export function cIdent(name: string): string {
  if (C_RESERVED.has(name) || /^(kiln|kf|KILN|__)/.test(name) || /^[A-Z_]+$/.test(name) || /^(int|uint)\d+_t$/.test(name)) return `${name}_py`;
  return name;
}

export function cLiteral(c: ConstValue, want?: KType): string {
  const t = want ?? constType(c) ?? T.int;
  switch (c.kind) {
    case 'int': {
      const v = BigInt(c.value);
      if (t.kind === 'scalar' && (t.name === 'float' || t.name === 'float64')) return `${c.value}.0`;
      if (t.kind === 'scalar' && t.name === 'float32') return `${c.value}.0f`;
      if (v === -(2n ** 63n)) return '(-INT64_C(9223372036854775807) - 1)';
      return `INT64_C(${c.value})`;
    }
    case 'float': {
      if (c.hex === 'inf') return 'INFINITY';
      if (c.hex === '-inf') return '(-INFINITY)';
      if (c.hex === 'nan' || c.hex === '-nan') return 'NAN';
      return c.hex; // C99 hexadecimal float: exact
    }
    case 'bool': return c.value ? 'true' : 'false';
    case 'none': return '0';
    case 'str': return JSON.stringify(c.value);
  }
}

const ERROR_KINDS = new Set(['ZeroDivisionError', 'OverflowError', 'ValueError', 'AssertionError', 'UnboundLocalError', 'TypeError', 'IndexError', 'RecursionError', 'Exception', 'ArithmeticError', 'RuntimeError', 'NotImplementedError', 'KeyError']);

export function lowerToC(program: TypedProgram, sourceLines: string[]): CUnit {
  const moduleId = program.module.replace(/[^A-Za-z0-9_]/g, '_');
  const headerName = `kiln_${moduleId}.h`;
  const sourceName = `kiln_${moduleId}.c`;
  const file = path.basename(program.file);

  // Tuple structs used anywhere (parameters, results, temporaries), innermost first.
  const tuples: KType[] = [];
  for (const f of program.functions) {
    for (const t of [...f.paramTypes, f.returnType, ...Object.values(f.varTypes)]) tupleTypesIn(t, tuples);
    walk(f.ir.nodes, (n) => n.type && tupleTypesIn(n.type, tuples));
  }
  const tupleDecls = tuples.map((t) => {
    if (t.kind !== 'tuple') return '';
    return `typedef struct { ${t.items.map((it, i) => `${cType(it)} f${i};`).join(' ')} } ${tupleStructName(t)};`;
  });

  const effects = paramEffects(program);
  const exports: ExportedFunction[] = program.entries.map((f) => ({
    name: f.name,
    symbol: exportSymbol(f.name),
    params: f.ir.params.map((p, i) => ({ name: p.name, type: f.paramTypes[i], ...(f.paramTypes[i].kind === 'array' || f.paramTypes[i].kind === 'list' ? { written: !!effects.get(f.key)?.written[i] } : {}) })),
    returnType: f.returnType,
    line: f.ir.span.line,
    signature: `${f.name}(${f.ir.params.map((p, i) => `${p.name}: ${typeToString(f.paramTypes[i])}`).join(', ')}) -> ${typeToString(f.returnType)}`,
  }));

  const arrays = usesArrays(program);
  const protoOf = abiPrototype;

  const guard = `KILN_${moduleId.toUpperCase()}_H`;
  const header = [
    `/* Generated by Kiln from ${file}. Do not edit: change the Python and rebuild. */`,
    `#ifndef ${guard}`,
    `#define ${guard}`,
    '#include <stdint.h>',
    '#include <stdbool.h>',
    '#ifdef __cplusplus',
    'extern "C" {',
    '#endif',
    '',
    '/*',
    ' * Calling convention: every function returns 0 on success and writes its result to *out',
    ' * (functions that return None have no out parameter). When the Python code would raise, it',
    ' * returns the exception kind (nonzero) and leaves *out unchanged; kiln_error_type() and',
    ' * kiln_error_message() then name the exception as Python would, and kiln_error_frame_*()',
    ' * give the Python lines it passed through, innermost first. int is int64_t (OverflowError',
    ' * past 64 bits), float is double, bool is bool; NumPy scalars are their C types.',
    ' */',
    ...(arrays ? abiHeaderLines() : []),
    ...tupleDecls,
    '',
    ...exports.flatMap((e) => [`/* ${e.signature}  (${file}:${e.line}) */`, `${protoOf(e)};`]),
    '',
    'const char *kiln_error_type(void);',
    'const char *kiln_error_message(void);',
    'int kiln_error_frame_count(void);',
    'const char *kiln_error_frame_function(int i);',
    'int kiln_error_frame_line(int i);',
    ...(arrays
      ? [
          '/* Releases memory that a result array or list holds (out->data). */',
          'void kiln_free(void *p);',
          '/* Buffers of 64 KB to 16 MB (at most 32 MB) are kept for reuse by later calls; this returns them to the C library. */',
          'void kiln_release_memory(void);',
        ]
      : []),
    '',
    '#ifdef __cplusplus',
    '}',
    '#endif',
    `#endif /* ${guard} */`,
    '',
  ].join('\n');

  const out: string[] = [];
  const lineMap: CUnit['lineMap'] = [];
  out.push(`/* Generated by Kiln from ${file}. Do not edit: change the Python and rebuild. */`);
  out.push('#include "kiln_runtime.h"', `#include "${headerName}"`, '');

  // Prototypes first, so helpers and recursion need no particular order.
  const sig = (f: TypedFunction, cName = f.cName) => {
    const params = f.ir.params.map((p, i) => `${cType(f.paramTypes[i])} ${cIdent(p.name)}`);
    if (f.returnType.kind !== 'none') params.push(`${cType(f.returnType)} *kiln_ret`);
    if (f.recursive) params.push('int kiln_depth');
    return `static ${cName === f.cName ? '' : 'KILN_ALWAYS_INLINE '}int ${cName}(${params.join(', ') || 'void'})`;
  };
  const unrolled = program.functions.filter(unrollRecursion);
  for (const f of program.functions) out.push(`${sig(f)};`);
  for (const f of unrolled) out.push(`${sig(f, `${f.cName}_r`)};`);
  out.push('');

  const emitFunction = (f: TypedFunction, cName: string, selfCall: string) => {
    const body = new FunctionLowering(f, program, sourceLines, selfCall).lower();
    out.push(`/* ${f.key}  (${file}:${f.ir.span.line})${cName === f.cName ? '' : ': its second copy (see unrollRecursion)'} */`);
    out.push(`${sig(f, cName)} {`);
    for (const l of body) {
      if (l.py) lineMap.push({ cLine: out.length + 1, pyLine: l.py, function: f.name, node: l.node });
      out.push(l.text);
    }
    out.push('}', '');
  };
  for (const f of program.functions) {
    const twice = unrolled.includes(f);
    emitFunction(f, f.cName, twice ? `${f.cName}_r` : f.cName);
    if (twice) emitFunction(f, `${f.cName}_r`, f.cName);
  }

  for (const [i, e] of exports.entries()) {
    const f = program.entries[i];
    const args = e.params.map((p) => cIdent(p.name));
    if (e.returnType.kind !== 'none') args.push('out');
    if (f.recursive) args.push('0');
    out.push(`KILN_EXPORT ${protoOf(e)} {`);
    if (arrays) out.push(...exportWrapper(e, f, cIdent));
    else out.push(`  return ${f.cName}(${args.join(', ')}) ? kr_err.kind : 0;`);
    out.push('}', '');
  }
  out.push(
    'KILN_EXPORT const char *kiln_error_type(void) { return kr_error_names[kr_err.kind]; }',
    'KILN_EXPORT const char *kiln_error_message(void) { return kr_err.message ? kr_err.message : ""; }',
    'KILN_EXPORT int kiln_error_frame_count(void) { return kr_err.nframes; }',
    'KILN_EXPORT const char *kiln_error_frame_function(int i) { return i >= 0 && i < kr_err.nframes ? kr_err.frame_function[i] : ""; }',
    'KILN_EXPORT int kiln_error_frame_line(int i) { return i >= 0 && i < kr_err.nframes ? kr_err.frame_line[i] : 0; }',
    ...(arrays ? ['KILN_EXPORT void kiln_free(void *p) { kr_free_out(p); }', 'KILN_EXPORT void kiln_release_memory(void) { kr_cache_release(); }'] : []),
    '',
  );
  return { sourceName, headerName, source: out.join('\n'), header, exports, lineMap };
}

/** `kiln_<name>`; names that would collide with the error accessors get a trailing underscore. */
export function exportSymbol(name: string): string {
  return /^error_(type|message|frame_count|frame_function|frame_line)$/.test(name) ? `kiln_${name}_` : `kiln_${name}`;
}

/**
 * A directly self-recursive function of modest size is emitted twice, each copy calling the other, the second
 * always inlined: the C compiler then sees two levels of the recursion in one body (what GCC does by itself for
 * plain C, and clang does not). Naive fib: 245 -> 191 us, the hand-written C reference 186 us. Frames,
 * line numbers and the recursion depth count are the same in both copies.
 */
function unrollRecursion(f: TypedFunction): boolean {
  if (!f.recursive) return false;
  let nodes = 0;
  let selfCalls = 0;
  walk(f.ir.nodes, (n) => {
    nodes++;
    if (n.op === 'call_function' && f.calls.get(n.name) === f.key) selfCalls++;
  });
  return selfCalls > 0 && nodes <= 120;
}

/**
 * The `return X + f(args)` sites of a self-recursive function returning int (three consecutive nodes: the
 * self call, `_operator.add(X, call)`, the output of the sum), when every return gives an int and every
 * parameter is a scalar. X is evaluated before the call's arguments, as in Python, so turning the call into
 * a loop keeps the order of evaluation (this is the accumulator transformation C compilers apply to plain
 * C, which overflow checks otherwise prevent).
 */
function tailSumSites(f: TypedFunction): Set<string> {
  const sites = new Set<string>();
  const isInt = (t: KType | undefined) => t?.kind === 'scalar' && t.name === 'int';
  if (!f.recursive || !isInt(f.returnType) || !f.paramTypes.every((t) => t.kind === 'scalar')) return sites;
  const uses = new Map<string, number>();
  let plainReturns = true;
  walk(f.ir.nodes, (n) => {
    for (const a of n.args) if (isRef(a)) uses.set(a.ref, (uses.get(a.ref) ?? 0) + 1);
    if (n.op === 'output' && n.args.length !== 1) plainReturns = false;
  });
  if (!plainReturns) return sites;
  const scan = (nodes: IRNode[]) => {
    nodes.forEach((call, i) => {
      for (const r of call.regions ?? []) scan(r.nodes);
      const add = nodes[i + 1];
      const out = nodes[i + 2];
      if (call.op !== 'call_function' || f.calls.get(call.name) !== f.key || !add || !out) return;
      if (add.op !== 'call_function' || add.target !== '_operator.add' || add.args.length !== 2) return;
      const [x, y] = add.args;
      if (!isRef(y) || y.ref !== call.name || (isRef(x) && x.ref === call.name) || !isInt(add.type)) return;
      if (isRef(x) ? !isInt(f.varTypes[x.ref] ?? nodeType(f, x.ref)) : x.const.kind !== 'int') return;
      if (out.op !== 'output' || !isRef(out.args[0]) || out.args[0].ref !== add.name) return;
      if (uses.get(call.name) !== 1 || uses.get(add.name) !== 1) return;
      sites.add(call.name);
    });
  };
  scan(f.ir.nodes);
  return sites;
}

function nodeType(f: TypedFunction, name: string): KType | undefined {
  let t: KType | undefined;
  walk(f.ir.nodes, (n) => { if (n.name === name) t = n.type; });
  return t;
}


interface Line {
  text: string;
  py?: number;
  node?: string;
}

class FunctionLowering {
  private lines: Line[] = [];
  private indent = 1;
  private lastLine = 0;
  private tempCount = 0;
  private extraDecls: string[] = [];
  /** Variables read where they may be unbound, and so carry a `<name>_bound` flag. */
  private needsFlag = new Set<string>();
  private checkReads = new Map<IRNode, string[]>();
  private loopLabels: string[] = [];
  private labelCount = 0;
  private deferCount = 0;
  /** `return X + f(...)` sites of a self-recursive int function, lowered as a loop (see tailSumSites). */
  private tailSums = new Set<string>();
  /** In the fast copy of a versioned loop: index positions of getitem/setitem nodes proven in bounds. */
  private inBounds = new Map<string, Set<number>>();
  /** In the fast copy of a versioned loop: int add/sub nodes proven not to overflow. */
  private noOverflow = new Set<string>();
  /** Float values that are never negative (types/signs.ts): math.sqrt of one needs no domain test. */
  private nonNeg: Set<string>;
  private readonly fnName: string;

  /** `selfCall`: the C function a direct self-call goes to (the other copy when the recursion is unrolled). */
  constructor(private f: TypedFunction, private program: TypedProgram, private src: string[], private selfCall = f.cName) {
    this.fnName = JSON.stringify(f.name);
    this.nonNeg = nonNegativeValues(f.ir.nodes, f.varTypes, f.ir.params.map((p) => p.name));
  }

  lower(): Line[] {
    const f = this.f;
    this.definiteAssignment();
    const decls: string[] = [];
    const params = new Set(f.ir.params.map((p) => p.name));
    for (const [v, t] of Object.entries(f.varTypes)) {
      if (params.has(v)) continue;
      decls.push(`  ${cType(t)} ${cIdent(v)} = ${zero(t)};`);
    }
    for (const v of this.needsFlag) decls.push(`  bool ${cIdent(v)}_bound = 0;`);
    walk(f.ir.nodes, (n) => {
      if (n.op === 'call_function' && n.type && n.type.kind !== 'none') decls.push(`  ${cType(n.type)} ${cIdent(n.name)};`);
      if (n.op === 'constant' && n.type) decls.push(`  ${cType(n.type)} ${cIdent(n.name)};`);
    });
    this.tailSums = this.needsFlag.size ? new Set() : tailSumSites(f);
    if (this.tailSums.size) {
      decls.push('  int64_t kiln_acc = 0, kiln_carry = 0;');
      this.lines.push({ text: 'kiln_tail:;' });
    }
    if (f.recursive) {
      this.emit(`if (KILN_UNLIKELY(kiln_depth > KILN_RECURSION_LIMIT)) return kr_raise(KILN_RecursionError, "maximum recursion depth exceeded"), kr_frame(${this.fnName}, ${f.ir.span.line});`);
    }
    this.block(f.ir.nodes);
    return [...decls.map((text) => ({ text })), ...this.extraDecls.map((text) => ({ text })), ...this.lines];
  }

  private emit(text: string, node?: IRNode) {
    const py = node?.span.line;
    if (py && py !== this.lastLine && this.src[py - 1] !== undefined) {
      this.lines.push({ text: `${'  '.repeat(this.indent)}/* line ${py}: ${this.src[py - 1].trim().replace(/\*\//g, '* /')} */`, py, node: node?.name });
      this.lastLine = py;
    }
    this.lines.push({ text: '  '.repeat(this.indent) + text, py, node: node?.name });
  }

  private temp(t: KType): string {
    const name = `kiln_t${this.tempCount++}`;
    this.extraDecls.push(`  ${cType(t)} ${name};`);
    return name;
  }

  private typeOf(a: Arg): KType {
    if (!isRef(a)) return constType(a.const) ?? T.none;
    return this.f.varTypes[a.ref] ?? this.valueTypes.get(a.ref) ?? T.none;
  }

  private valueTypes = new Map<string, KType>();

  private argC(a: Arg): string {
    return isRef(a) ? cIdent(a.ref) : cLiteral(a.const);
  }

  private try(call: string, node: IRNode) {
    this.emit(`KILN_TRY(${call}, ${this.fnName}, ${node.span.line});`, node);
  }

  private raise(kind: string, message: string, node: IRNode) {
    const k = ERROR_KINDS.has(kind) ? kind : 'Exception';
    this.emit(`return kr_raise(KILN_${k}, ${JSON.stringify(message)}), kr_frame(${this.fnName}, ${node.span.line});`, node);
  }

  private block(nodes: IRNode[]) {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (this.tailSums.has(n.name)) {
        this.tailSum(n, nodes[i + 1]);
        i += 2; // the add and the output are part of the site
        continue;
      }
      if (this.truncIndex(nodes, i)) continue;
      const run = this.deferredRun(nodes, i);
      if (run.checks >= 2) {
        this.emitDeferred(nodes.slice(i, run.end));
        i = run.end - 1;
        continue;
      }
      // A run with fewer than two checks gains nothing: its nodes are lowered one by one.
      for (const m of nodes.slice(i, Math.max(run.end, i + 1))) this.node(m);
      i = Math.max(run.end, i + 1) - 1;
    }
  }

  /**
   * `return X + f(args)`: add X to the accumulator, rebind the parameters and loop (one frame deeper, so the
   * recursion limit still counts it). The accumulator keeps the exact sum as int64 plus a count of wraps, so
   * the final result is exact whenever it fits in 64 bits (the recursive form raised OverflowError whenever
   * any partial sum did not fit, where CPython gives the right answer).
   */
  private tailSum(call: IRNode, add: IRNode) {
    this.checkUnbound(call);
    this.checkUnbound(add);
    const x = add.args[0];
    this.emit(`kr_acc_add_i64(&kiln_acc, &kiln_carry, ${this.argC(x)});`, add);
    const temps = call.args.map((a, i) => {
      const t = this.temp(this.f.paramTypes[i]);
      this.emit(`${t} = ${this.argC(a)};`, call);
      return t;
    });
    this.f.ir.params.forEach((p, i) => this.emit(`${cIdent(p.name)} = ${temps[i]};`, call));
    this.emit('kiln_depth++;', call);
    this.emit('goto kiln_tail;', call);
  }

  private checkUnbound(n: IRNode) {
    for (const v of this.checkReads.get(n) ?? []) {
      this.emit(`if (KILN_UNLIKELY(!${cIdent(v)}_bound)) return kr_raise_unbound(${JSON.stringify(v)}), kr_frame(${this.fnName}, ${n.span.line});`, n);
    }
  }

  private node(n: IRNode) {
    this.checkUnbound(n);
    if (n.type) this.valueTypes.set(n.name, n.type);
    switch (n.op) {
      case 'input':
        return;
      case 'constant': {
        if (n.type?.kind === 'dtype') {
          this.emit(`${cIdent(n.name)} = 0; /* dtype ${n.type.name} */`, n);
          return;
        }
        const c = n.args.length && !isRef(n.args[0]) ? cLiteral(n.args[0].const) : (MATH_CONSTANTS[n.target] ?? MATH_CONSTANTS[n.target.replace(/^numpy\./, 'math.')]).c;
        this.emit(`${cIdent(n.name)} = ${c};`, n);
        return;
      }
      case 'assign': {
        this.emit(`${cIdent(n.target)} = ${this.argC(n.args[0])};`, n);
        if (this.needsFlag.has(n.target)) this.emit(`${cIdent(n.target)}_bound = 1;`, n);
        return;
      }
      case 'call_function':
        return this.call(n);
      case 'output': {
        if (this.tailSums.size) {
          this.emit(`kr_acc_add_i64(&kiln_acc, &kiln_carry, ${this.argC(n.args[0])});`, n);
          this.emit(`if (KILN_UNLIKELY(kiln_carry != 0)) return kr_raise(KILN_OverflowError, kr_int_overflow_msg), kr_frame(${this.fnName}, ${n.span.line});`, n);
          this.emit('*kiln_ret = kiln_acc;', n);
          this.emit('return 0;', n);
          return;
        }
        if (n.args.length && this.f.returnType.kind !== 'none') this.emit(`*kiln_ret = ${this.argC(n.args[0])};`, n);
        this.emit('return 0;', n);
        return;
      }
      case 'if': {
        const [thenR, elseR] = n.regions!;
        this.emit(`if (${truthExpr(this.argC(n.args[0]), this.typeOf(n.args[0]))}) {`, n);
        this.nested(() => this.block(thenR.nodes));
        if (elseR.nodes.length) {
          this.emit('} else {');
          this.nested(() => this.block(elseR.nodes));
        }
        this.emit('}');
        return;
      }
      case 'for_range':
        return this.forRange(n);
      case 'while':
        return this.whileLoop(n);
      case 'break': {
        const label = this.loopLabels[this.loopLabels.length - 1];
        this.emit(label ? `goto ${label};` : 'break;', n);
        return;
      }
      case 'continue':
        this.emit('continue;', n);
        return;
      case 'raise': {
        const msg = n.args.length && !isRef(n.args[0]) && n.args[0].const.kind === 'str' ? n.args[0].const.value : '';
        this.raise(n.target, msg, n);
        return;
      }
      case 'assert': {
        const msg = n.args[1] && !isRef(n.args[1]) && n.args[1].const.kind === 'str' ? n.args[1].const.value : '';
        this.emit(`if (KILN_UNLIKELY(!${truthExpr(this.argC(n.args[0]), this.typeOf(n.args[0]))})) {`, n);
        this.nested(() => this.raise('AssertionError', msg, n));
        this.emit('}');
        return;
      }
    }
  }

  private nested(fn: () => void) {
    this.indent++;
    fn();
    this.indent--;
  }

  private call(n: IRNode) {
    const calleeKey = this.f.calls.get(n.name);
    if (calleeKey) {
      const callee = this.program.functions.find((x) => x.key === calleeKey)!;
      const args = n.args.map((a) => this.argC(a));
      if (callee.returnType.kind !== 'none') args.push(`&${cIdent(n.name)}`);
      if (callee.recursive) args.push(this.f.recursive && this.sameCycle(callee) ? 'kiln_depth + 1' : '0');
      this.try(`${callee === this.f ? this.selfCall : callee.cName}(${args.join(', ')})`, n);
      return;
    }
    if (this.noOverflow.has(n.name)) {
      this.emit(`${cIdent(n.name)} = ${this.argC(n.args[0])} ${n.target === '_operator.add' ? '+' : '-'} ${this.argC(n.args[1])};`, n);
      return;
    }
    const r = this.f.resolved.get(n.name)!;
    const args = n.args.map((a, i) => {
      const conv = this.convertArg(a, r.argTypes[i]);
      if ('expr' in conv) return conv.expr;
      const t = this.temp(conv.to);
      this.try(conv.call(t), n);
      return t;
    });
    const name = cIdent(n.name);
    if (this.sqrtNeedsNoTest(n)) {
      this.emit(`${name} = sqrt(${args[0]});`, n);
      return;
    }
    switch (r.lower.kind) {
      case 'expr':
        this.emit(`${name} = ${r.lower.emit(args)};`, n);
        return;
      case 'call':
        this.try(r.lower.emit(args, name), n);
        return;
      case 'stmts': {
        const fnName = this.fnName;
        const line = n.span.line;
        const cx = {
          try: (e: string) => `KILN_TRY(${e}, ${fnName}, ${line});`,
          raise: (kind: string, message: string) => `return kr_raise(KILN_${kind}, ${message}), kr_frame(${fnName}, ${line});`,
          boundscheck: this.f.boundscheck !== false,
          inBounds: this.inBounds.get(n.name),
        };
        const lines = r.lower.emit(args, name, cx);
        for (const l of lines) this.emit(l, n);
        return;
      }
      case 'none':
        return;
    }
  }

  /** math.sqrt of a float that is never negative (types/signs.ts) cannot raise. */
  private sqrtNeedsNoTest(n: IRNode): boolean {
    const a = n.args[0];
    return n.target === 'math.sqrt' && n.args.length === 1 && isRef(a) && this.nonNeg.has(a.ref) && !this.f.calls.get(n.name);
  }

  /** An argument converted to the type the op takes: an expression, or a call that may raise. */
  private convertArg(a: Arg, want: KType | undefined): { expr: string } | { call: (out: string) => string; to: KType } {
    const from = this.typeOf(a);
    const to = want ?? from;
    // A literal converted at compile time when the conversion is exact (3 -> 3.0).
    if (!isRef(a) && to.kind === 'scalar' && a.const.kind === 'int' && ['float', 'float64'].includes(to.name)) {
      const v = BigInt(a.const.value);
      if (v >= -(2n ** 53n) && v <= 2n ** 53n) return { expr: `${a.const.value}.0` };
    }
    const conv = convert(this.argC(a), from, to);
    return 'expr' in conv ? conv : { call: conv.call, to };
  }

  /**
   * Deferred checks. In a run of float arithmetic with no other effect, a float division's zero test and
   * math.sqrt's domain test need not branch where they stand: the IEEE result (inf, nan) is computed, each
   * test is ORed into a flag, and one test of the flag at the end of the run raises the first failure, with
   * its own line, before anything observable happens (emitDeferred says how it finds which one). The branches
   * had kept clang from scheduling and vectorising across them (nbody: 48.6 -> 45 us; the C reference, which
   * does not test, 41). What a node is, for that: 'pure' (no check, no effect, float/bool or overflow-free int),
   * a deferrable check, or undefined (ends a run).
   */
  private deferral(n: IRNode): 'pure' | { assign: string; test: string; recheck: string } | undefined {
    if (this.checkReads.get(n)?.length || this.tailSums.has(n.name)) return undefined;
    const scalar = (t: KType | undefined) => t?.kind === 'scalar';
    const floaty = (t: KType | undefined) => t?.kind === 'scalar' && ['float', 'float64', 'float32', 'bool'].includes(t.name);
    if (n.op === 'constant') return scalar(n.type) ? 'pure' : undefined;
    if (n.op === 'assign') return scalar(this.typeOf(n.args[0])) && !this.needsFlag.has(n.target) ? 'pure' : undefined;
    if (n.op !== 'call_function' || this.f.calls.get(n.name)) return undefined;
    if (this.noOverflow.has(n.name)) return 'pure';
    const r = this.f.resolved.get(n.name);
    if (!r || !floaty(n.type) || !n.args.every((a) => floaty(this.typeOf(a)))) return undefined;
    const args: string[] = [];
    for (const [i, a] of n.args.entries()) {
      const c = this.convertArg(a, r.argTypes[i]);
      if (!('expr' in c)) return undefined;
      args.push(c.expr);
    }
    if (r.lower.kind === 'expr' || this.sqrtNeedsNoTest(n)) return 'pure';
    if (r.lower.kind !== 'call') return undefined;
    const name = cIdent(n.name);
    const text = r.lower.emit(args, name);
    if (text === `kr_truediv_f64(${args[0]}, ${args[1]}, &${name})`) return { assign: `${name} = ${args[0]} / ${args[1]};`, test: `${args[1]} == 0.0`, recheck: 'kr_truediv_f64(1.0, 0.0, &kiln_x)' };
    if (text === `kr_sqrt(${args[0]}, &${name})`) return { assign: `${name} = sqrt(${args[0]});`, test: `${args[0]} < 0.0`, recheck: 'kr_sqrt(-1.0, &kiln_x)' };
    return undefined;
  }

  /**
   * `a[int(x)]` on a 1-D array (histogram's `counts[int(v * bins)] += 1`): the float is converted without its
   * own test (kr_f64_to_i64_raw: INT64_MIN for NaN and anything out of range), and one unsigned test decides:
   * in range, the value indexes the array directly; otherwise int()'s exact check runs, then the index's (a
   * negative index wraps, anything else raises IndexError), in the order CPython raises them. Applies when the
   * converted value is used only as that index, by the next node (a[k], a[k] = v) or by the next and the third
   * (a[k] op= v), so nothing else sees the wrapped value. Lowers n and returns true when it applies.
   */
  private truncIndex(nodes: IRNode[], i: number): boolean {
    const n = nodes[i];
    const next = nodes[i + 1];
    if (!next || n.op !== 'call_function' || n.target !== 'builtins.int' || this.f.boundscheck === false) return false;
    if (this.checkReads.get(n)?.length || this.f.calls.get(n.name)) return false;
    const isIndex = (m: IRNode | undefined, arrRef: string) =>
      !!m && m.op === 'call_function' && ['_operator.getitem', '_operator.setitem'].includes(m.target) && !this.checkReads.get(m)?.length &&
      isRef(m.args[0]) && m.args[0].ref === arrRef && isRef(m.args[1]) && m.args[1].ref === n.name &&
      !m.args.slice(2).some((a) => isRef(a) && a.ref === n.name) && !this.inBounds.get(m.name)?.size;
    const arr = next.args[0];
    if (!arr || !isRef(arr) || !isIndex(next, arr.ref)) return false;
    const uses: IRNode[] = [];
    walk(this.f.ir.nodes, (m) => {
      if (m.args.some((a) => isRef(a) && a.ref === n.name)) uses.push(m);
    });
    const third = nodes[i + 3];
    const opEq = third && nodes[i + 2].op === 'call_function' && isIndex(third, arr.ref) && third.target === '_operator.setitem';
    if (!uses.every((m) => m === next || (opEq && m === third))) return false;
    const at = this.typeOf(arr);
    const r = this.f.resolved.get(n.name);
    if (at.kind !== 'array' || at.ndim !== 1 || !r || r.lower.kind !== 'call') return false;
    const c = this.convertArg(n.args[0], r.argTypes[0]);
    const name = cIdent(n.name);
    if (!('expr' in c) || r.lower.emit([c.expr], name) !== `kr_trunc_f64(${c.expr}, &${name})`) return false;
    if (n.type) this.valueTypes.set(n.name, n.type);
    const len = `${this.argC(arr)}.shape[0]`;
    this.emit(`${name} = kr_f64_to_i64_raw(${c.expr});`, n);
    // The checks write a temporary: taking the address of the value itself would keep it in memory.
    this.emit(`if (KILN_UNLIKELY((uint64_t)${name} >= (uint64_t)${len})) { int64_t kiln_k; KILN_TRY(kr_trunc_f64(${c.expr}, &kiln_k), ${this.fnName}, ${n.span.line}); KILN_TRY(kr_array_index(kiln_k, ${len}, 0, &kiln_k), ${this.fnName}, ${next.span.line}); ${name} = kiln_k; }`, n);
    for (const m of opEq ? [next, third] : [next]) this.inBounds.set(m.name, new Set([0]));
    return true;
  }

  /** The end of the run of deferrable nodes starting at i, and how many checks it holds (at most 31: bit 0 of the flag is shared). */
  private deferredRun(nodes: IRNode[], i: number): { end: number; checks: number } {
    let j = i;
    let checks = 0;
    for (; j < nodes.length; j++) {
      // Operand types of later nodes come from earlier ones (node() records them too, as it lowers them).
      if (nodes[j].type) this.valueTypes.set(nodes[j].name, nodes[j].type!);
      const d = this.deferral(nodes[j]);
      if (!d || (d !== 'pure' && checks === 31)) break;
      if (d !== 'pure') checks++;
    }
    return { end: j, checks };
  }

  private emitDeferred(nodes: IRNode[]) {
    const flag = `kiln_zf${this.deferCount++}`;
    this.extraDecls.push(`  uint32_t ${flag};`);
    this.emit(`${flag} = 0;`, nodes[0]);
    // A check whose operands no later node of the run reassigns can be tested again at the end of the run, so
    // it only ORs its test into the flag; one whose operand is reassigned (a local written twice) keeps a bit
    // of its own, at 1 + its place among those.
    const checks: { n: IRNode; recheck: string; test: string; bit?: number }[] = [];
    let bits = 0;
    for (const [i, n] of nodes.entries()) {
      const d = this.deferral(n)!;
      if (d === 'pure') {
        this.node(n);
        continue;
      }
      if (n.type) this.valueTypes.set(n.name, n.type);
      const refs = n.args.filter(isRef).map((a) => a.ref);
      const stable = !nodes.slice(i + 1).some((m) => m.op === 'assign' && refs.includes(m.target));
      const bit = stable || bits === 31 ? undefined : ++bits;
      if (!stable && bit === undefined) throw new Error('deferredRun allows at most 32 checks');
      this.emit(`${d.assign} ${flag} |= (uint32_t)(${d.test})${bit ? ` << ${bit}` : ''};`, n);
      checks.push({ n, recheck: d.recheck, test: d.test, bit });
    }
    this.emit(`if (KILN_UNLIKELY(${flag})) {`);
    this.nested(() => {
      this.emit('double kiln_x;');
      for (const c of checks) {
        const failed = c.bit ? `${flag} & (UINT32_C(1) << ${c.bit})` : c.test;
        this.emit(`if (${failed}) KILN_TRY(${c.recheck}, ${this.fnName}, ${c.n.span.line});`);
      }
    });
    this.emit('}');
  }

  /**
   * `while v < X and ...: ... v += 1`: the increment cannot overflow, since v < X <= INT64_MAX held when the test
   * passed and the body writes v nowhere else. Returns the names of such add nodes (lowered as a plain `+`).
   * The test's first conjunct is found through the IR's `and` (c = a; if c: ...; c = b), whose result is true
   * only when a was.
   */
  private whileCounters(w: IRNode): string[] {
    const [test, body] = w.regions!;
    const cond = w.args[0];
    if (!isRef(cond)) return [];
    const known = new Set([cond.ref]);
    const top = test.nodes.filter((m) => m.op === 'assign' && m.target === cond.ref);
    if (top.length === 1 && isRef(top[0].args[0])) {
      const at = test.nodes.indexOf(top[0]);
      const nested: IRNode[] = [];
      walk(test.nodes, (m) => { if (m.op === 'assign' && m.target === cond.ref && m !== top[0]) nested.push(m); });
      const guarded = (a: IRNode) => test.nodes.slice(at + 1).some((m) => m.op === 'if' && isRef(m.args[0]) && m.args[0].ref === cond.ref && m.regions![0].nodes.includes(a));
      if (nested.every(guarded)) known.add(top[0].args[0].ref);
    }
    const counters: string[] = [];
    for (const m of test.nodes) {
      if (m.op !== 'call_function' || !known.has(m.name) || m.args.length !== 2) continue;
      const [v, bound] = m.target === '_operator.lt' ? m.args : m.target === '_operator.gt' ? [m.args[1], m.args[0]] : [];
      // Both ints (a float bound such as inf would not keep v below INT64_MAX).
      const pyInt = (a: Arg) => { const t = this.typeOf(a); return t.kind === 'scalar' && t.name === 'int'; };
      if (!v || !isRef(v) || !pyInt(v) || !pyInt(bound) || this.f.varTypes[v.ref]?.kind !== 'scalar') continue;
      const writes: IRNode[] = [];
      walk([...test.nodes, ...body.nodes], (x) => { if (x.op !== 'call_function' && x.op !== 'constant' && x.target === v.ref) writes.push(x); });
      const w0 = writes[0];
      if (writes.length !== 1 || w0.op !== 'assign' || !body.nodes.includes(w0) || !isRef(w0.args[0])) continue;
      const add = body.nodes.find((x) => x.name === (w0.args[0] as { ref: string }).ref);
      const one = (a: Arg) => !isRef(a) && a.const.kind === 'int' && a.const.value === '1';
      if (add && add.op === 'call_function' && add.target === '_operator.add' && add.type?.kind === 'scalar' && add.type.name === 'int' &&
        ((isRef(add.args[0]) && add.args[0].ref === v.ref && one(add.args[1])) || (isRef(add.args[1]) && add.args[1].ref === v.ref && one(add.args[0])))) {
        counters.push(add.name);
      }
    }
    return counters;
  }

  /**
   * Two lanes. `for i in range(a, b): P; while T: W; S`, where P, T and W compute scalars only, cannot raise and
   * have no effect, and each iteration's locals start afresh (Mandelbrot's escape loop): two iterations run side
   * by side, so that two independent dependency chains are in flight instead of one (mandelbrot 455 -> 285 us).
   * Both whiles step together while both tests pass; then the first finishes alone and runs S, then the second,
   * so anything S does (a sum, an error) happens in CPython's order. The second lane's locals
   * live in `kiln_l<id>_*` and are brought into scope under their own names in a block around each of its
   * steps; the last lane's values are copied back, so the loop leaves its locals as CPython does. An odd last
   * iteration runs the plain body. Returns false (nothing emitted) when the loop does not have this shape.
   */
  private twoLanes(n: IRNode, id: number, start: string, stop: string): boolean {
    const body = n.regions![0].nodes;
    const whiles = body.filter((m) => m.op === 'while');
    if (whiles.length !== 1) return false;
    const w = whiles[0];
    const at = body.indexOf(w);
    const [pre, post] = [body.slice(0, at), body.slice(at + 1)];
    const [test, wbody, welse] = w.regions!;
    if (welse.nodes.length || !isRef(w.args[0])) return false;
    this.whileCounters(w).forEach((x) => this.noOverflow.add(x));
    const scalarish = (t: KType | undefined) => !!t && (t.kind === 'scalar' || (t.kind === 'tuple' && t.items.every((i) => i.kind === 'scalar')));
    const writes = (nodes: IRNode[]) => { const s = new Set<string>(); walk(nodes, (m) => { if (m.op === 'assign') s.add(m.target); }); return s; };
    const reads = (nodes: IRNode[]) => { const s = new Set<string>(); walk(nodes, (m) => m.args.forEach((a) => { if (isRef(a)) s.add(a.ref); })); return s; };
    const own = new Set([n.target, ...writes([...pre, ...test.nodes, ...wbody.nodes])]);
    // Values that differ between the lanes: the loop variable, the lane's locals, and what is computed from them.
    const varying = new Set(own);
    walk(body, (m) => { if (m.args.some((a) => isRef(a) && varying.has(a.ref))) varying.add(m.name); });
    // In P, a float division whose divisor is the same in both lanes may stay: if it raises, it does so in the
    // first lane, before anything else of the iteration, as in CPython.
    const invariantDiv = (m: IRNode) => {
      const r = this.f.resolved.get(m.name);
      return m.target === '_operator.truediv' && !!m.type && isFloatLike(m.type) && !!r && r.argTypes.every(isFloatLike) &&
        m.args.every((a, i) => 'expr' in this.convertArg(a, r.argTypes[i])) && !(isRef(m.args[1]) && varying.has(m.args[1].ref));
    };
    const pure = (nodes: IRNode[], inPre = false): boolean => nodes.every((m) => {
      if (m.type) this.valueTypes.set(m.name, m.type);
      if (!m.args.every((a) => scalarish(this.typeOf(a)))) return false;
      switch (m.op) {
        case 'constant': return scalarish(m.type);
        case 'assign': return scalarish(this.f.varTypes[m.target]) && !this.needsFlag.has(m.target);
        case 'if': return m.regions!.every((r) => pure(r.nodes, inPre));
        case 'call_function': {
          if (this.f.calls.get(m.name) || !scalarish(m.type) || this.checkReads.get(m)?.length) return false;
          if (this.noOverflow.has(m.name) || this.sqrtNeedsNoTest(m) || (inPre && invariantDiv(m))) return true;
          const r = this.f.resolved.get(m.name);
          return !!r && r.lower.kind === 'expr' && m.args.every((a, i) => 'expr' in this.convertArg(a, r.argTypes[i]));
        }
        default: return false;
      }
    });
    if (!pure(pre, true) || !pure(test.nodes) || !pure(wbody.nodes)) return false;
    // S: anything but control flow out of the loop body.
    let plainPost = true;
    walk(post, (m) => { if (['for_range', 'while', 'break', 'continue', 'output'].includes(m.op)) plainPost = false; });
    if (!plainPost) return false;
    // Locals: the loop variable and those P, T or W write are the lane's own; each must be written (at the top
    // of P, T or W) before anything reads it in an iteration. Those S writes are shared, and P, T, W must not read them.
    const order: { nodes: IRNode[]; part: 'pre' | 'test' | 'body' | 'post' }[] = [
      { nodes: pre, part: 'pre' }, { nodes: test.nodes, part: 'test' }, { nodes: wbody.nodes, part: 'body' }, { nodes: post, part: 'post' }];
    const shared = writes(post);
    const [readLane, readTest, readPost] = [reads([...pre, ...test.nodes, ...wbody.nodes]), reads(test.nodes), reads(post)];
    if ([...shared].some((v) => own.has(v) || readLane.has(v))) return false;
    for (const v of own) {
      if (v === n.target) continue;
      const t = this.f.varTypes[v];
      if (!t || t.kind !== 'scalar' || this.needsFlag.has(v)) return false;
      let first: { part: string; top: boolean; write: boolean } | undefined;
      for (const o of order) {
        walk(o.nodes, (m) => {
          if (first) return;
          if (m.args.some((a) => isRef(a) && a.ref === v)) first = { part: o.part, top: false, write: false };
          else if (m.op === 'assign' && m.target === v) first = { part: o.part, top: o.nodes.includes(m), write: true };
        });
        if (first) break;
      }
      if (!first || !first.write || !first.top || first.part === 'post') return false;
      if (first.part === 'body' && (readPost.has(v) || readTest.has(v))) return false;
    }
    const lane = [...own].filter((v) => v !== n.target);
    const temps: IRNode[] = [];
    walk(body, (m) => { if ((m.op === 'call_function' || m.op === 'constant') && m.type && m.type.kind !== 'none') temps.push(m); });
    const v = cIdent(n.target);
    const state = (x: string) => `kiln_l${id}_${cIdent(x)}`;
    for (const x of [n.target, ...lane]) this.extraDecls.push(`  ${cType(this.f.varTypes[x])} ${state(x)} = ${zero(this.f.varTypes[x])};`);
    const second = (emit: () => void) => {
      this.emit('{');
      this.nested(() => {
        for (const x of [n.target, ...lane]) this.emit(`${cType(this.f.varTypes[x])} ${cIdent(x)} = ${state(x)};`);
        for (const t of temps) this.emit(`${cType(t.type!)} ${cIdent(t.name)};`);
        emit();
        for (const x of [n.target, ...lane]) this.emit(`${state(x)} = ${cIdent(x)};`);
      });
      this.emit('}');
    };
    const cond = () => truthExpr(this.argC(w.args[0]), this.typeOf(w.args[0]));
    const i = `kiln_i${id}`, e = `kiln_stop${id}`, ga = `kiln_ga${id}`, gb = `kiln_gb${id}`;
    this.emit(`{`, n);
    this.nested(() => {
      this.emit(`int64_t ${i} = ${start}, ${e} = ${stop};`);
      this.emit(`for (; ${i} < ${e} && ${i} < ${e} - 1; ${i} += 2) {`);
      this.nested(() => {
        this.emit(`bool ${ga}, ${gb};`);
        this.emit(`${v} = ${i};`);
        this.block(pre);
        second(() => { this.emit(`${v} = ${i} + 1;`); this.block(pre); });
        this.emit('for (;;) {', w);
        this.nested(() => {
          this.block(test.nodes);
          this.emit(`${ga} = ${cond()};`);
          second(() => { this.block(test.nodes); this.emit(`${gb} = ${cond()};`); });
          this.emit(`if (!${ga} || !${gb}) break;`);
          this.block(wbody.nodes);
          second(() => this.block(wbody.nodes));
        });
        this.emit('}');
        const finish = () => {
          this.emit('for (;;) {');
          this.nested(() => {
            this.block(wbody.nodes);
            this.block(test.nodes);
            this.emit(`if (!${cond()}) break;`);
          });
          this.emit('}');
        };
        // The first lane finishes and runs S before the second finishes: if S raises, CPython never reached the
        // second iteration (which might not even end).
        this.emit(`if (${ga}) {`);
        this.nested(finish);
        this.emit('}');
        this.block(post);
        second(() => {
          this.emit(`if (${gb}) {`);
          this.nested(finish);
          this.emit('}');
          this.block(post);
        });
        for (const x of [n.target, ...lane]) this.emit(`${cIdent(x)} = ${state(x)};`);
      });
      this.emit('}');
      this.emit(`for (; ${i} < ${e}; ${i}++) {`);
      this.nested(() => {
        this.emit(`${v} = ${i};`);
        this.block(body);
      });
      this.emit('}');
    });
    this.emit('}');
    return true;
  }

  private sameCycle(callee: TypedFunction): boolean {
    return callee.recursive;
  }

  private forRange(n: IRNode) {
    const [body, orelse] = n.regions!;
    const id = this.labelCount++;
    const v = cIdent(n.target);
    const [start, stop, step] = n.args.map((a) => {
      const t = this.typeOf(a);
      const c = this.argC(a);
      return t.kind === 'scalar' && t.name === 'int' ? c : `((int64_t)(${c}))`;
    });
    const label = orelse.nodes.length ? `kiln_for${id}_break` : '';
    this.loopLabels.push(label);
    const flag = this.needsFlag.has(n.target) ? ` ${v}_bound = 1;` : '';
    const stepConst = !isRef(n.args[2]) ? BigInt((n.args[2] as { const: ConstValue & { kind: 'int' } }).const.value) : undefined;
    const plan = stepConst === 1n && this.f.boundscheck !== false ? this.hoistPlan(n, body.nodes) : undefined;
    if (plan) {
      // Loop versioning: when a test before the loop proves every listed index in bounds for every
      // iteration, a copy of the loop without those checks runs; otherwise the checked loop runs, and
      // raises IndexError at the same iteration CPython would.
      const first = `kiln_b${id}`, last = `(kiln_e${id} - 1)`;
      this.emit(`{`, n);
      this.nested(() => {
        this.emit(`int64_t kiln_b${id} = ${start}, kiln_e${id} = ${stop};`);
        const conds = [...new Set(plan.checks.flatMap((c) => this.inBoundsTest(c, first, last)))];
        this.emit(`if (kiln_b${id} >= kiln_e${id} || (${conds.join(' && ')})) {`);
        this.nested(() => {
          for (const c of plan.checks) {
            if (!this.inBounds.has(c.node)) this.inBounds.set(c.node, new Set());
            this.inBounds.get(c.node)!.add(c.dim);
            opNodes(c.expr).forEach((x) => this.noOverflow.add(x));
          }
          this.emit(`for (int64_t kiln_i${id} = kiln_b${id}; kiln_i${id} < kiln_e${id}; kiln_i${id}++) {`);
          this.nested(() => {
            this.emit(`${v} = kiln_i${id};${flag}`);
            this.block(body.nodes);
          });
          this.emit('}');
          this.inBounds.clear();
          this.noOverflow.clear();
        });
        this.emit('} else {');
        this.nested(() => {
          this.emit(`for (int64_t kiln_i${id} = kiln_b${id}; kiln_i${id} < kiln_e${id}; kiln_i${id}++) {`);
          this.nested(() => {
            this.emit(`${v} = kiln_i${id};${flag}`);
            this.block(body.nodes);
          });
          this.emit('}');
        });
        this.emit('}');
      });
      this.emit('}');
    } else if (stepConst === 1n && !label && !flag && this.twoLanes(n, id, start, stop)) {
      // lowered as two interleaved lanes (twoLanes)
    } else if (stepConst === 1n) {
      this.emit(`for (int64_t kiln_i${id} = ${start}, kiln_stop${id} = ${stop}; kiln_i${id} < kiln_stop${id}; kiln_i${id}++) {`, n);
      this.nested(() => {
        this.emit(`${v} = kiln_i${id};${flag}`);
        this.block(body.nodes);
      });
      this.emit('}');
    } else {
      if (stepConst === 0n || stepConst === undefined) {
        this.emit(`if (KILN_UNLIKELY(${step} == 0)) return kr_raise(KILN_ValueError, "range() arg 3 must not be zero"), kr_frame(${this.fnName}, ${n.span.line});`, n);
      }
      this.emit(`{`, n);
      this.nested(() => {
        this.emit(`int64_t kiln_start${id} = ${start}, kiln_stop${id} = ${stop}, kiln_step${id} = ${step};`);
        this.emit(`uint64_t kiln_n${id} = kiln_step${id} > 0`);
        this.emit(`  ? (kiln_start${id} < kiln_stop${id} ? ((uint64_t)kiln_stop${id} - (uint64_t)kiln_start${id} - 1) / (uint64_t)kiln_step${id} + 1 : 0)`);
        this.emit(`  : (kiln_start${id} > kiln_stop${id} ? ((uint64_t)kiln_start${id} - (uint64_t)kiln_stop${id} - 1) / (0 - (uint64_t)kiln_step${id}) + 1 : 0);`);
        this.emit(`uint64_t kiln_v${id} = (uint64_t)kiln_start${id};`);
        this.emit(`for (uint64_t kiln_k${id} = 0; kiln_k${id} < kiln_n${id}; kiln_k${id}++, kiln_v${id} += (uint64_t)kiln_step${id}) {`);
        this.nested(() => {
          this.emit(`${v} = (int64_t)kiln_v${id};${flag}`);
          this.block(body.nodes);
        });
        this.emit('}');
      });
      this.emit('}');
    }
    this.loopLabels.pop();
    if (orelse.nodes.length) {
      this.block(orelse.nodes);
      this.emit(`${label}:;`);
    }
  }

  /**
   * The array index checks of an innermost `for j in range(start, stop)` loop (step 1) that one test before
   * the loop can decide for all iterations: an index that is j, or j plus/minus values that do not change in
   * the loop (constants, variables the loop does not assign), or such a loop-invariant value alone, into an
   * array variable the loop does not assign (an array's shape never changes). j only ever appears with
   * coefficient +1, so each intermediate sum grows with j and checking both ends of the range (no overflow,
   * 0 <= first and last < shape) covers every iteration. Undefined when there is nothing to hoist.
   */
  private hoistPlan(loop: IRNode, body: IRNode[]): { checks: HoistCheck[] } | undefined {
    const j = loop.target;
    const assigned = new Set<string>();
    const defined = new Map<string, IRNode>();
    let nested = false;
    walk(body, (m) => {
      if (m.op === 'assign') assigned.add(m.target);
      if (m.op === 'for_range' || m.op === 'while') nested = true;
      defined.set(m.name, m);
    });
    if (nested || assigned.has(j) || this.needsFlag.has(j)) return undefined;
    const isInt = (t: KType | undefined) => !!t && t.kind === 'scalar' && t.name === 'int';
    const affine = (a: Arg, depth: number): AffineExpr | undefined => {
      if (!isRef(a)) return a.const.kind === 'int' ? { kind: 'inv', c: cLiteral(a.const) } : undefined;
      if (a.ref === j) return { kind: 'j' };
      const def = defined.get(a.ref);
      if (!def) {
        if (assigned.has(a.ref) || this.needsFlag.has(a.ref) || !isInt(this.typeOf(a))) return undefined;
        return { kind: 'inv', c: cIdent(a.ref) };
      }
      if (depth > 4 || def.op !== 'call_function' || this.f.calls.get(def.name)) return undefined;
      if ((def.target !== '_operator.add' && def.target !== '_operator.sub') || !isInt(def.type) || def.args.length !== 2) return undefined;
      const x = affine(def.args[0], depth + 1);
      const y = affine(def.args[1], depth + 1);
      if (!x || !y || (hasJ(x) && hasJ(y)) || (def.target === '_operator.sub' && hasJ(y))) return undefined;
      return { kind: 'op', op: def.target === '_operator.add' ? 'add' : 'sub', node: def.name, a: x, b: y };
    };
    const checks: HoistCheck[] = [];
    walk(body, (m) => {
      if (m.op !== 'call_function' || (m.target !== '_operator.getitem' && m.target !== '_operator.setitem')) return;
      const seq = m.args[0];
      if (!seq || !isRef(seq) || defined.has(seq.ref) || assigned.has(seq.ref) || this.needsFlag.has(seq.ref)) return;
      const st = this.typeOf(seq);
      if (st.kind !== 'array') return;
      const idx = m.target === '_operator.getitem' ? m.args.slice(1) : m.args.slice(1, -1);
      if (idx.length > st.ndim) return;
      idx.forEach((a, k) => {
        // A negative literal (a[-1]) always wraps: it keeps its check rather than failing the whole test.
        if (!isRef(a) && a.const.kind === 'int' && BigInt(a.const.value) < 0n) return;
        const e = affine(a, 0);
        if (e) checks.push({ node: m.name, dim: k, expr: e, array: cIdent(seq.ref) });
      });
    });
    return checks.length ? { checks } : undefined;
  }

  /** A C condition: the check's index is in bounds (and computed without overflow) for j = first and j = last. */
  private inBoundsTest(c: HoistCheck, first: string, last: string): string[] {
    const conds: string[] = [];
    const value = (e: AffineExpr, jv: string): string => {
      if (e.kind === 'j') return jv;
      if (e.kind === 'inv') return e.c;
      const x = value(e.a, jv);
      const y = value(e.b, jv);
      const t = this.temp(T.int);
      conds.push(`!__builtin_${e.op}_overflow(${x}, ${y}, &${t})`);
      return t;
    };
    const n = `${c.array}.shape[${c.dim}]`;
    if (hasJ(c.expr)) {
      const lo = value(c.expr, first);
      const hi = value(c.expr, last);
      conds.push(`${lo} >= 0`, `${hi} < ${n}`);
    } else {
      const v = value(c.expr, first);
      conds.push(`${v} >= 0`, `${v} < ${n}`);
    }
    return conds;
  }

  private whileLoop(n: IRNode) {
    const [test, body, orelse] = n.regions!;
    this.whileCounters(n).forEach((x) => this.noOverflow.add(x));
    const id = this.labelCount++;
    const label = orelse.nodes.length ? `kiln_while${id}_break` : '';
    this.emit('for (;;) {', n);
    this.loopLabels.push(label);
    this.nested(() => {
      this.block(test.nodes);
      const cond = truthExpr(this.argC(n.args[0]), this.typeOf(n.args[0]));
      if (label) this.emit(`if (!${cond}) goto kiln_while${id}_else;`, n);
      else this.emit(`if (!${cond}) break;`, n);
      this.block(body.nodes);
    });
    this.loopLabels.pop();
    this.emit('}');
    if (label) {
      this.emit(`kiln_while${id}_else:;`);
      this.block(orelse.nodes);
      this.emit(`${label}:;`);
    }
  }

  /**
   * Definite assignment (as Python's UnboundLocalError): a local read where some path has not assigned it
   * gets a `_bound` flag and a check at that read.
   */
  private definiteAssignment() {
    const locals = new Set(Object.keys(this.f.varTypes));
    const EXIT = null;
    type Set_ = Set<string> | typeof EXIT;
    const intersect = (a: Set_, b: Set_): Set_ => (a === EXIT ? b : b === EXIT ? a : new Set([...a].filter((x) => b.has(x))));
    // Python loads a name operand when it reaches it, before the operands after it are computed (`v2 / (c - v1)`
    // and `f(v4, 4 * v2)` load v2 and v4 first): a read's check goes to the first node computing a later operand.
    const reads = (n: IRNode, assigned: Set<string>, nodes: IRNode[] = [], start = new Map<string, number>()) => {
      const moved = new Map<IRNode, string[]>();
      n.args.forEach((a, k) => {
        if (!isRef(a) || !locals.has(a.ref) || assigned.has(a.ref)) return;
        const later = n.args.slice(k + 1).map((b) => (isRef(b) ? start.get(b.ref) : undefined)).filter((s): s is number => s !== undefined);
        const at = later.length ? nodes[Math.min(...later)] : n;
        moved.set(at, [...(moved.get(at) ?? []), a.ref]);
        this.needsFlag.add(a.ref);
      });
      // Loaded before anything the later operands compute: ahead of the checks that node already has.
      for (const [at, names] of moved) this.checkReads.set(at, [...new Set([...names, ...(this.checkReads.get(at) ?? [])])]);
    };
    const block = (nodes: IRNode[], inSet: Set<string>): Set_ => {
      let cur: Set_ = new Set(inSet);
      // Where the computation of each temporary value of this block starts (its node, or the first node of its operands).
      const start = new Map<string, number>();
      nodes.forEach((n, i) => {
        const s = Math.min(i, ...n.args.map((a) => (isRef(a) ? start.get(a.ref) ?? i : i)));
        if (n.op === 'call_function' || n.op === 'constant') start.set(n.name, s);
        // A conditional expression, and/or, a chained comparison: an if whose branches assign its result.
        if (n.op === 'if') for (const r of n.regions!) for (const m of r.nodes) if (m.op === 'assign' && /^(ifexp|and|or|compare)_result(_\d+)?$/.test(m.target)) start.set(m.target, s);
      });
      for (const n of nodes) {
        if (cur === EXIT) return EXIT; // unreachable code
        if (n.op !== 'while') reads(n, cur, nodes, start);
        switch (n.op) {
          case 'input':
            cur.add(n.name);
            break;
          case 'assign':
            cur.add(n.target);
            break;
          case 'output': case 'raise': case 'break': case 'continue':
            return EXIT;
          case 'if': {
            const [t, e] = n.regions!;
            cur = intersect(block(t.nodes, cur), block(e.nodes, cur));
            break;
          }
          case 'for_range': {
            const [body, orelse] = n.regions!;
            block(body.nodes, new Set([...cur, n.target]));
            const afterElse = block(orelse.nodes, cur);
            cur = hasBreak(body.nodes) ? cur : afterElse;
            break;
          }
          case 'while': {
            const [test, body, orelse] = n.regions!;
            const afterTest = block(test.nodes, cur);
            if (afterTest === EXIT) return EXIT;
            reads(n, afterTest);
            block(body.nodes, afterTest);
            const infinite = !isRef(n.args[0]) && n.args[0].const.kind === 'bool' && n.args[0].const.value;
            const brk = hasBreak(body.nodes);
            if (infinite && !brk) return EXIT;
            const afterElse = block(orelse.nodes, afterTest);
            cur = brk ? afterTest : afterElse;
            break;
          }
          default:
            break;
        }
      }
      return cur;
    };
    block(this.f.ir.nodes, new Set(this.f.ir.params.map((p) => p.name)));
  }
}

/** An index as the loop sees it: the loop variable j, a loop-invariant C value, or a sum/difference of those. */
type AffineExpr = { kind: 'j' } | { kind: 'inv'; c: string } | { kind: 'op'; op: 'add' | 'sub'; node: string; a: AffineExpr; b: AffineExpr };
interface HoistCheck { node: string; dim: number; expr: AffineExpr; array: string }
const hasJ = (e: AffineExpr): boolean => e.kind === 'j' || (e.kind === 'op' && (hasJ(e.a) || hasJ(e.b)));
const opNodes = (e: AffineExpr): string[] => (e.kind === 'op' ? [e.node, ...opNodes(e.a), ...opNodes(e.b)] : []);

function hasBreak(nodes: IRNode[]): boolean {
  return nodes.some((n) => n.op === 'break' || (n.op === 'if' && n.regions!.some((r) => hasBreak(r.nodes))));
}

function zero(t: KType): string {
  if (t.kind === 'tuple' || t.kind === 'array' || t.kind === 'slice') return `{0}`;
  return '0';
}
