/**
 * try/except/else/finally as C (docs/design/exceptions.md). Compiled code raises by setting kr_err and returning -1
 * up the C call chain (kiln_runtime.h); inside a try body an error path jumps to the statement's except clauses
 * instead of leaving the function, so a try costs nothing until something raises: no setjmp, no state per entry.
 *
 * Where an error, a `return`, a `break` or a `continue` goes is decided by the frames this statement pushes while its
 * regions are lowered (Unwinding): a try body's errors go to its except clauses (`handlers`); leaving any part of a
 * try that has a finally clause goes through the clause first (`finally`: the way out is kept in kiln_fin<N> and
 * taken again after the clause); an error inside a finally clause first drops a return value already written
 * (`finbody`). Values the body owns stay in the function's slots (opt/lifetimes.ts): the next definition or the
 * function's exit releases them, so nothing leaks when the body stops half way.
 */
import type { IRNode } from '../ir/ir.ts';
import { walkNodes } from '../ir/ir.ts';
import { EXCEPTION_KINDS, errorKindC, kindsCaughtBy } from './abi.ts';
import { lookupOp } from '../types/ops/index.ts';

type Way = 'error' | 'return' | 'break' | 'continue';
const CODE: Record<Way, number> = { error: 1, return: 2, break: 3, continue: 4 };

type Frame =
  | { kind: 'handlers'; label: string }
  | { kind: 'finally'; id: number; label: string; loops: number; used: Set<Way> }
  | { kind: 'finbody'; before: string };

/** The frames of the try statements around the code being lowered (innermost last). */
export class Unwinding {
  private frames: Frame[] = [];

  get active(): boolean {
    return this.frames.length > 0;
  }

  /**
   * Where an error goes from here (kr_err set, its frame recorded): C run first, and the jump, or no jump when it
   * leaves the function (the caller writes its own exit).
   */
  error(): { before: string; jump?: string } {
    let before = '';
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.kind === 'handlers') return { before, jump: `goto ${f.label};` };
      if (f.kind === 'finally') {
        f.used.add('error');
        return { before, jump: `kiln_fin${f.id} = ${CODE.error}; goto ${f.label};` };
      }
      before += f.before;
    }
    return { before };
  }

  /** A `return` (its value written): through the innermost finally clause, or undefined (the function's exit). */
  ret(): string | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.kind === 'finally') {
        f.used.add('return');
        return `kiln_fin${f.id} = ${CODE.return}; goto ${f.label};`;
      }
    }
    return undefined;
  }

  /** A `break`/`continue` of the loop at depth `loops`: through a finally clause inside that loop, or undefined. */
  loopExit(way: 'break' | 'continue', loops: number): string | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.kind === 'finally' && f.loops === loops) {
        f.used.add(way);
        return `kiln_fin${f.id} = ${CODE[way]}; goto ${f.label};`;
      }
    }
    return undefined;
  }

  push(f: Frame) {
    this.frames.push(f);
  }

  pop(): Frame {
    return this.frames.pop()!;
  }
}

/** What lowerTry needs of the function's lowering (lower/c.ts FunctionLowering). */
export interface TryHost {
  unwinding: Unwinding;
  /** A fresh number for labels. */
  id(): number;
  /** Declares a local (once, at the top of the function). */
  declare(decl: string): void;
  emit(text: string, node?: IRNode): void;
  nested(fn: () => void): void;
  block(nodes: IRNode[]): void;
  /** The current loop depth. */
  loops(): number;
  /** C that propagates the error already set (no new traceback frame) from here. */
  propagate(): string;
  /** C that carries on a return (value written), a break or a continue from here. */
  resume(way: 'return' | 'break' | 'continue'): string;
  /** C dropping *kiln_ret when the function's result owns references, else ''. */
  dropResult(): string;
  /** Keeps the exception in flight across the finally clause: declares the slots (freed on exit) and returns their names. */
  savedException(id: number): { kind: string; message: string };
}

/** The condition that kr_err's kind is caught by an except clause naming `classes` ([]: a bare except). */
export function caughtTest(classes: string[], user: Record<string, string> = {}): string {
  // An int result beyond 64 bits raises OverflowError where CPython gives a bigger int: no clause catches it, so the
  // call fails at Kiln's documented limit instead of silently taking a path CPython would not take.
  const builtin = classes.filter((c) => user[c] === undefined);
  const own = classes.filter((c) => user[c] !== undefined).map((c) => `kr_exc_is(${JSON.stringify(c)})`);
  const kinds = new Set(classes.length ? builtin.flatMap(kindsCaughtBy) : EXCEPTION_KINDS.map((k) => k.name));
  const limit = kinds.has('OverflowError') ? '!KR_AT_INT_LIMIT()' : '';
  if (kinds.size === EXCEPTION_KINDS.length) return limit;
  const test = [...[...kinds].map((k) => `kr_err.kind == ${errorKindC(k)}`), ...own].join(' || ');
  return test && limit ? `(${test}) && ${limit}` : test || '0';
}

/**
 * The C class descriptor of the program's exception class `name` (its bases in `chain`, up to a built-in one):
 * defined at file level through `support` (its base's first), and the built-in kind it is raised as.
 */
export function userExceptionClass(
  name: string, chain: Record<string, string>, support: (name: string, lines: string[]) => void, text: Record<string, number> = {},
): { kind: string; descriptor: string } {
  const base = chain[name];
  const descriptor = `kiln_exc_${name}`;
  // The last member: whether its __str__ / __repr__ replace BaseException's (ir.ts exceptionText).
  const own = text[name] ? `, ${text[name]}` : '';
  if (chain[base] === undefined) {
    support(descriptor, [`static const struct kr_exc_class ${descriptor} = { ${JSON.stringify(name)}, ${errorKindC(base)}, NULL, 0${own} };`]);
    return { kind: base, descriptor };
  }
  const parent = userExceptionClass(base, chain, support, text);
  support(descriptor, [`static const struct kr_exc_class ${descriptor} = { ${JSON.stringify(name)}, ${errorKindC(parent.kind)}, &${parent.descriptor}, 0${own} };`]);
  return { kind: parent.kind, descriptor };
}

/**
 * Whether a finally clause runs code that may raise and catch an exception itself (overwriting kr_err): a try, or a
 * call of compiled code (a function of the program, a function value, an op given one such as a key function).
 */
function mayCatchInside(nodes: IRNode[]): boolean {
  let found = false;
  walkNodes(nodes, (n) => {
    if (n.op === 'try') found = true;
    if (n.op !== 'call_function' || n.target === 'kiln.make_closure') return;
    const op = n.target !== 'kiln.call' && lookupOp(n.target);
    if (!op || n.argTypes?.some((t) => t.kind === 'func' || t.kind === 'funcset')) found = true;
  });
  return found;
}

export function lowerTry(host: TryHost, n: IRNode) {
  const regions = n.regions!;
  const body = regions.find((r) => r.name === 'body')!;
  const handlers = regions.filter((r) => r.name === 'handler');
  const orelse = regions.find((r) => r.name === 'orelse')!;
  const fin = regions.find((r) => r.name === 'finally')!;
  const id = host.id();
  const u = host.unwinding;
  const hasFinally = fin.nodes.length > 0;
  const finLabel = `kiln_try${id}_finally`;
  const excLabel = `kiln_try${id}_except`;
  const endLabel = `kiln_try${id}_end`;
  let finFrame: Frame & { kind: 'finally' } | undefined;
  host.emit(`{ /* try (line ${n.span.line}) */`, n);
  host.nested(() => {
    if (hasFinally) {
      host.declare(`  int kiln_fin${id} = 0;`);
      host.emit(`kiln_fin${id} = 0;`);
      finFrame = { kind: 'finally', id, label: finLabel, loops: host.loops(), used: new Set() };
      u.push(finFrame);
    }
    if (handlers.length) u.push({ kind: 'handlers', label: excLabel });
    host.block(body.nodes);
    if (handlers.length) u.pop();
    host.block(orelse.nodes);
    if (handlers.length) {
      host.emit(`goto ${endLabel};`);
      host.emit(`${excLabel}: /* the except clauses: the first whose classes match the exception's */`);
      handlers.forEach((h, i) => {
        const test = caughtTest(n.handlers![i].classes, n.userExceptions);
        host.emit(`${i ? '} else ' : ''}if (${test}) {`);
        host.nested(() => host.block(h.nodes));
      });
      if (caughtTest(n.handlers![handlers.length - 1].classes, n.userExceptions) !== '1') {
        host.emit('} else {');
        host.nested(() => host.emit(host.propagate()));
      }
      host.emit('}');
      host.emit(`${endLabel}:;`);
    }
    if (!finFrame) return;
    u.pop();
    host.emit(`${finLabel}: /* the finally clause, on every way out of the try */`);
    const saved = finFrame.used.has('error') && mayCatchInside(fin.nodes) ? host.savedException(id) : undefined;
    if (saved) host.emit(`if (kiln_fin${id} == ${CODE.error}) kr_exc_save(&${saved.kind}, &${saved.message});`);
    const drop = finFrame.used.has('return') ? host.dropResult() : '';
    if (drop) u.push({ kind: 'finbody', before: `if (kiln_fin${id} == ${CODE.return}) { ${drop} } ` });
    host.block(fin.nodes);
    if (drop) u.pop();
    for (const way of ['error', 'return', 'break', 'continue'] as const) {
      if (!finFrame.used.has(way)) continue;
      const go = way === 'error' ? `${saved ? `kr_exc_restore(${saved.kind}, &${saved.message}); ` : ''}${host.propagate()}` : host.resume(way);
      host.emit(`if (kiln_fin${id} == ${CODE[way]}) { ${go} }`);
    }
  });
  host.emit('}');
}

/** Whether some finally clause of the function keeps an exception in flight while it runs code that may catch. */
export function needsSavedException(nodes: IRNode[]): boolean {
  let found = false;
  walkNodes(nodes, (n) => {
    if (n.op !== 'try') return;
    const fin = n.regions!.find((r) => r.name === 'finally')!;
    if (fin.nodes.length && mayCatchInside(fin.nodes)) found = true;
  });
  return found;
}
