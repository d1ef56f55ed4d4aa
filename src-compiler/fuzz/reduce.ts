/**
 * Automatic reduction of a failing program to a small reproducer: delta debugging on the program's source
 * (its fuzzer AST). Each round tries one-step simplifications, many at once in one batch module: drop a
 * statement, replace a compound statement by its body, replace an expression by one of its operands or by
 * a literal, shrink a literal, drop an unused helper or parameter. The smallest candidate that still fails
 * the same way (the same kind of mismatch, the same C compiler error, a crash) becomes the program, until
 * no candidate does. The result is written as a corpus file: a @compile function with `examples=` holding
 * the failing input and a comment saying what failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { floatRepr, pyRepr, type PyValue } from '../run/values.ts';
import { EXPR_KINDS, childExprs, moduleImports, namesUsed, printProgram, type Expr, type FuncDef, type Program, type Stmt, type Ty } from './ast.ts';
import { evaluateBatch, InvalidModuleError, type BatchOptions, type FuzzTarget, type ProgramResult } from './batch.ts';

/** What went wrong with a program on one target, in a form that stays the same while the program shrinks. */
export interface Problem {
  target: string;
  /** 'mismatch' or a failure kind ('C compile error', 'crash', 'timeout', 'internal compiler error'). */
  kind: string;
  /** A mismatch's kind, or the failure's first line with this program's names and numbers taken out. */
  key: string;
  /** For reports: the first line as it was. */
  detail: string;
  args?: PyValue[];
}

const normalise = (s: string) => s.replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"').replace(/\b(p|c)\d+(_\w+)?\b/g, 'F').replace(/\b\d+\b/g, 'N').replace(/\s+/g, ' ').trim();

/** The first problem of a program's result: a failure (before or on a target), else a mismatch. */
export function problemOf(r: ProgramResult, only?: string): Problem | undefined {
  if (r.failure && (!only || only === 'compile')) return { target: r.failure.target, kind: r.failure.kind, key: normalise(r.failure.detail), detail: r.failure.detail };
  for (const [target, t] of Object.entries(r.targets)) {
    if (only && target !== only) continue;
    if (t.failure) return { target, kind: t.failure.kind, key: t.failure.kind === 'crash' || t.failure.kind === 'timeout' ? t.failure.kind : normalise(t.failure.detail), detail: t.failure.detail, args: t.failure.args };
    const m = t.mismatches[0];
    if (m) return { target, kind: 'mismatch', key: m.kind, detail: `${m.kind}: CPython ${m.python}, native ${m.native}`, args: m.args };
  }
  return undefined;
}

export const sameProblem = (a: Problem | undefined, b: Problem) => !!a && a.target === b.target && a.kind === b.kind && a.key === b.key;

// ---- candidates -----------------------------------------------------------------------------------------

interface Candidate {
  program: Program;
  args: PyValue[];
}

const isExpr = (x: unknown): x is Expr => !!x && typeof x === 'object' && EXPR_KINDS.has((x as { k?: string }).k ?? '');
const isStmt = (x: unknown): x is Stmt => !!x && typeof x === 'object' && 'k' in (x as object) && !isExpr(x);

interface ExprSlot { parent: Record<string | number, unknown>; key: string | number }
interface StmtSlot { block: Stmt[]; index: number }

function functionsOf(p: Program): FuncDef[] {
  return [...p.helpers, p.entry];
}

/** Every expression position of the program, in a fixed order (so the k-th of a copy is the k-th of the original). */
function exprSlots(p: Program): ExprSlot[] {
  const out: ExprSlot[] = [];
  const visit = (node: Record<string | number, unknown>) => {
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          if (isExpr(x)) {
            out.push({ parent: v as unknown as Record<number, unknown>, key: i });
            visit(x as unknown as Record<string, unknown>);
          } else if (isStmt(x)) visit(x as unknown as Record<string, unknown>);
        });
      } else if (isExpr(v)) {
        out.push({ parent: node, key });
        visit(v as unknown as Record<string, unknown>);
      }
    }
  };
  visit({ constants: p.constants.map((c) => c.value) } as unknown as Record<string, unknown>);
  for (const f of functionsOf(p)) f.body.forEach((s) => visit(s as unknown as Record<string, unknown>));
  return out;
}

function stmtSlots(p: Program): StmtSlot[] {
  const out: StmtSlot[] = [];
  const visit = (block: Stmt[]) => {
    block.forEach((s, index) => {
      out.push({ block, index });
      for (const key of ['body', 'orelse'] as const) {
        const b = (s as { body?: Stmt[]; orelse?: Stmt[] })[key];
        if (Array.isArray(b)) visit(b);
      }
    });
  };
  for (const f of functionsOf(p)) visit(f.body);
  return out;
}

const clone = <T>(x: T): T => structuredClone(x);

function simpleLiterals(e: Expr): Expr[] {
  if (e.k === 'slice') return [];
  const lits: Expr[] = [{ k: 'lit', text: '1', ty: 'int' }, { k: 'lit', text: '0.5', ty: 'float' }, { k: 'lit', text: 'True', ty: 'bool' }];
  if (e.k !== 'lit') return lits;
  // A literal shrinks toward 0, 1 and the plainest spelling of a float.
  const shrink = e.ty === 'float' ? ['0.0', '1.0', '-0.0', '2.0'] : e.ty === 'bool' ? [] : e.ty === 'str' ? ["''", "'a'"] : ['0', '1', '-1', '2'];
  return shrink.filter((t) => t !== e.text).map((text) => ({ k: 'lit', text, ty: e.ty }));
}

/** One-step simplifications, by phase: statements, then expressions, then literals, then unused functions and parameters. */
function candidates(c: Candidate, phase: number): Candidate[] {
  const out: Candidate[] = [];
  const p = c.program;
  if (phase === 0) {
    stmtSlots(p).forEach((_, k) => {
      const q = clone(p);
      const slot = stmtSlots(q)[k];
      const s = slot.block[slot.index];
      const isFinalReturn = s.k === 'return' && functionsOf(q).some((f) => f.body === slot.block && slot.index === slot.block.length - 1);
      if (!isFinalReturn) {
        const dropped = clone(q);
        const ds = stmtSlots(dropped)[k];
        ds.block.splice(ds.index, 1);
        out.push({ program: dropped, args: c.args });
      }
      for (const key of ['body', 'orelse'] as const) {
        const inner = (s as { body?: Stmt[]; orelse?: Stmt[] })[key];
        if (!Array.isArray(inner) || !inner.length) continue;
        const spliced = clone(q);
        const ss = stmtSlots(spliced)[k];
        ss.block.splice(ss.index, 1, ...clone(inner));
        out.push({ program: spliced, args: c.args });
      }
    });
  } else if (phase === 1 || phase === 2) {
    exprSlots(p).forEach((slot, k) => {
      const e = slot.parent[slot.key] as Expr;
      const replacements = phase === 1 ? childExprs(e).filter((x) => x.k !== 'slice') : simpleLiterals(e);
      for (const r of replacements) {
        const q = clone(p);
        const qs = exprSlots(q)[k];
        qs.parent[qs.key] = clone(r);
        out.push({ program: q, args: c.args });
      }
    });
  } else if (phase === 3) {
    const used = new Set<string>();
    for (const f of functionsOf(p)) namesUsed(f.body, used);
    for (const c of p.constants) namesUsed([{ k: 'expr', e: c.value }], used);
    p.constants.forEach((k, i) => {
      if (used.has(k.name)) return;
      const q = clone(p);
      q.constants.splice(i, 1);
      out.push({ program: q, args: c.args });
    });
    p.helpers.forEach((h, i) => {
      if (used.has(h.name)) return;
      const q = clone(p);
      q.helpers.splice(i, 1);
      out.push({ program: q, args: c.args });
    });
    const entryUses = namesUsed(p.entry.body);
    p.entry.params.forEach((param, i) => {
      if (entryUses.has(param.name)) return;
      const q = clone(p);
      q.entry.params.splice(i, 1);
      out.push({ program: q, args: c.args.filter((_, j) => j !== i) });
    });
  }
  return out;
}

const PHASES = 4;

/** A candidate whose break or continue has lost its loop (a loop replaced by its body) is not Python. */
function loopControlInPlace(p: Program): boolean {
  const ok = (block: Stmt[], depth: number): boolean => block.every((s) => {
    if (s.k === 'break' || s.k === 'continue') return depth > 0;
    if (s.k === 'for' || s.k === 'while') return ok(s.body, depth + 1) && ok(s.orelse, depth);
    if (s.k === 'forin') return ok(s.body, depth + 1);
    if (s.k === 'if') return ok(s.body, depth) && ok(s.orelse, depth);
    return true;
  });
  return functionsOf(p).every((f) => ok(f.body, 0));
}

/** The size of a program's source (whitespace runs count as one, function names do not count). */
export function programSize(p: Program): number {
  return printProgram(renameProgram(p, 'f')).replace(/\s+/g, ' ').length;
}

/** Renames a program's functions (`p7`, `p7_h0` -> `c3`, `c3_h0`) so that candidates share one module. */
export function renameProgram(p: Program, name: string): Program {
  const q = clone(p);
  const owned = [...p.helpers.map((h) => h.name), ...p.constants.map((c) => c.name)];
  const map = new Map<string, string>([[p.name, name], ...owned.map((n) => [n, name + n.slice(p.name.length)] as [string, string])]);
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.k === 'call' && typeof o.fn === 'string' && map.has(o.fn)) o.fn = map.get(o.fn);
      if (o.k === 'name' && typeof o.id === 'string' && map.has(o.id)) o.id = map.get(o.id);
      Object.values(o).forEach(visit);
    }
  };
  for (const f of functionsOf(q)) {
    f.name = map.get(f.name) ?? f.name;
    visit(f.body);
  }
  for (const c of q.constants) {
    c.name = map.get(c.name) ?? c.name;
    visit(c.value);
  }
  q.name = name;
  return q;
}

// ---- the search -----------------------------------------------------------------------------------------

/**
 * The candidates' results in one batch; a step can make a module CPython cannot import (a constant that now
 * divides by zero at import): then the batch is halved until the candidates at fault are left out (null).
 */
async function evaluateCandidates(group: Candidate[], module: string, o: ReduceOptions): Promise<(ProgramResult | null)[]> {
  try {
    return await evaluateBatch(group.map((c) => c.program), {
      ...o.batch, targets: [o.target], module, trustErrorLines: true,
      cases: new Map(group.map((c) => [c.program.name, [c.args]])),
    });
  } catch (e) {
    if (!(e instanceof InvalidModuleError)) throw e;
    if (group.length === 1) return [null];
    const half = Math.ceil(group.length / 2);
    return [...await evaluateCandidates(group.slice(0, half), `${module}a`, o), ...await evaluateCandidates(group.slice(half), `${module}b`, o)];
  }
}

export interface ReduceOptions {
  batch: Omit<BatchOptions, 'module' | 'cases' | 'targets'>;
  target: FuzzTarget;
  /** Candidates per batch module. */
  chunk?: number;
  /** Stop after this long (ms). */
  budgetMs?: number;
  log?: (line: string) => void;
}

export interface Reduced {
  program: Program;
  args: PyValue[];
  problem: Problem;
  /** False when the program alone, on the failing input, does not fail that way again (not reduced then). */
  reproduced: boolean;
  tests: number;
  sizeBefore: number;
  sizeAfter: number;
}

export async function reduceProgram(program: Program, args: PyValue[], problem: Problem, o: ReduceOptions): Promise<Reduced> {
  const started = Date.now();
  const budget = o.budgetMs ?? 180_000;
  const chunk = o.chunk ?? 40;
  let best: Candidate = { program, args };
  let bestProblem = problem;
  /** Every accepted step, so that the result can fall back to one that fails alone (see the end). */
  const accepted: { c: Candidate; problem: Problem }[] = [{ c: best, problem }];
  let tests = 0;
  let round = 0;
  const sizeBefore = programSize(program);
  const only = problem.target === 'compile' ? 'compile' : problem.target;
  // First, the problem again, the program alone: a failure of the machine (a toolchain being reinstalled) is not reduced.
  const [again] = await evaluateCandidates([{ program, args }], 'kfuzz_reduce_again', o);
  if (!again || !sameProblem(problemOf(again, only), problem)) {
    return { program, args, problem, reproduced: false, tests: 1, sizeBefore, sizeAfter: sizeBefore };
  }
  const tried = new Set<string>([printProgram(program)]);
  let phase = 0;
  while (phase < PHASES && Date.now() - started < budget) {
    const bestSize = programSize(best.program);
    const all = candidates(best, phase)
      .filter((c) => loopControlInPlace(c.program))
      .filter((c) => {
        const text = printProgram(c.program);
        if (tried.has(text)) return false;
        tried.add(text);
        return true;
      })
      .map((c) => ({ c, size: programSize(c.program) }))
      // Only strictly smaller programs: each accepted step shrinks the source, so the search ends.
      .filter((x) => x.size < bestSize)
      .sort((a, b) => a.size - b.size)
      .map((x) => x.c);
    let improved = false;
    for (let i = 0; i < all.length && !improved && Date.now() - started < budget; i += chunk) {
      const group = all.slice(i, i + chunk).map((c, k) => ({ ...c, program: renameProgram(c.program, `c${k}`) }));
      round++;
      const results = await evaluateCandidates(group, `kfuzz_reduce_${round}`, o);
      tests += group.length;
      const hit = results.findIndex((r) => r && sameProblem(problemOf(r, problem.target === 'compile' ? 'compile' : problem.target), problem));
      if (hit >= 0) {
        best = group[hit];
        bestProblem = problemOf(results[hit]!, problem.target === 'compile' ? 'compile' : problem.target)!;
        improved = true;
        accepted.push({ c: best, problem: bestProblem });
        o.log?.(`  reduce: ${programSize(best.program)} characters (round ${round}, phase ${phase})`);
      }
    }
    phase = improved ? 0 : phase + 1;
  }
  // Candidates were judged side by side, and C compile errors by the compiler's error lines: the result must
  // fail the same way alone. Else the last accepted step that does (the original always does).
  for (let i = accepted.length - 1; i > 0; i--) {
    const { c } = accepted[i];
    const [alone] = await evaluateBatch([c.program], { ...o.batch, targets: [o.target], module: `kfuzz_reduce_final${i}`, cases: new Map([[c.program.name, [c.args]]]) });
    const p = problemOf(alone, problem.target === 'compile' ? 'compile' : problem.target);
    if (sameProblem(p, problem)) {
      best = c;
      bestProblem = p!;
      break;
    }
    o.log?.(`  reduce: step ${i} does not fail alone; going back`);
    best = accepted[i - 1].c;
    bestProblem = accepted[i - 1].problem;
  }
  return {
    program: renameProgram(best.program, program.name), args: best.args, problem: bestProblem, reproduced: true, tests, sizeBefore,
    sizeAfter: programSize(best.program),
  };
}

/** Ordinary arguments for a program's entry (for a problem that needs no particular input: a compile error). */
export function ordinaryArgs(p: Program): PyValue[] {
  const of = (t: Ty): PyValue => {
    if (t === 'int' || t === 'num') return { kind: 'int', value: 3n };
    if (t === 'float') return { kind: 'float', value: 1.5 };
    if (t === 'bool') return { kind: 'bool', value: true };
    if (t === 'str') return { kind: 'str', value: 'ab c' };
    if ('dict' in t || 'set' in t) throw new Error(`internal: a ${'dict' in t ? 'dict' : 'set'} is never an entry parameter of a generated program`);
    if ('tuple' in t) return { kind: 'tuple', items: t.tuple.map(of) };
    if ('list' in t) return { kind: 'list', items: [of(t.list), of(t.list)] };
    return { kind: 'array', dtype: t.array, shape: [3], values: t.array === 'float64' ? [1.5, -2, 0.25] : [1n, -2n, 3n] };
  };
  return p.entry.params.map((x) => of(x.ty));
}

// ---- the reproducer file -------------------------------------------------------------------------------

/** A value as a literal `@compile(examples=...)` reads (Kiln evaluates arithmetic on literals: NaN is 1e999 - 1e999). */
export function exampleLiteral(v: PyValue): string {
  switch (v.kind) {
    case 'float':
      if (Number.isNaN(v.value)) return '1e999 - 1e999';
      if (v.value === Infinity) return '1e999';
      if (v.value === -Infinity) return '-1e999';
      return floatRepr(v.value);
    case 'tuple': return v.items.length === 1 ? `(${exampleLiteral(v.items[0])},)` : `(${v.items.map(exampleLiteral).join(', ')})`;
    case 'list': return `[${v.items.map(exampleLiteral).join(', ')}]`;
    case 'array': {
      let k = 0;
      const item = (): string => {
        const x = v.values[k++];
        return typeof x === 'boolean' ? (x ? 'True' : 'False') : typeof x === 'number' ? exampleLiteral({ kind: 'float', value: x }) : String(x);
      };
      const build = (d: number): string => (d === v.shape.length ? item() : `[${Array.from({ length: v.shape[d] }, () => build(d + 1)).join(', ')}]`);
      return build(0);
    }
    case 'np': return typeof v.value === 'number' ? exampleLiteral({ kind: 'float', value: v.value }) : String(v.value);
    default: return pyRepr(v);
  }
}

export interface ReproducerInfo {
  seed: number;
  command: string;
  problem: Problem;
  sizeBefore: number;
}

/** Writes the reproducer as a corpus-ready module; returns its path and the size of its program. */
export function writeReproducer(dir: string, reduced: { program: Program; args: PyValue[] }, info: ReproducerInfo): { file: string; size: number } {
  const base = `fuzz_s${info.seed}_p${reduced.program.index}`;
  const p = renameProgram(reduced.program, base);
  const args = reduced.args;
  const example = args.length === 1 ? `(${exampleLiteral(args[0])},)` : `(${args.map(exampleLiteral).join(', ')})`;
  const what = info.problem.kind === 'mismatch' ? `mismatch (${info.problem.key})` : info.problem.kind;
  const text = [
    `"""Reduced by kiln fuzz from program ${reduced.program.index} of seed ${info.seed} (${info.sizeBefore} -> ${programSize(p)} characters of source):`,
    `${what} on ${info.problem.target}: ${info.problem.detail.replace(/"""/g, "'''")}`,
    `Reproduce: ${info.command}`,
    '"""',
    ...moduleImports([p]),
    'from kiln import compile',
    '',
    '',
    `# ${what} on ${info.problem.target}${args.length ? ` for ${base}${example.length > 2 ? example : '()'}` : ''}`,
    printProgram(p, {}, `@compile(examples=[${example}])`),
    '',
  ].join('\n');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${base}.py`);
  fs.writeFileSync(file, text);
  return { file, size: programSize(p) };
}
