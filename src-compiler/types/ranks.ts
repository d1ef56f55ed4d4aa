/**
 * The number of dimensions of an array parameter whose annotation does not say (`npt.NDArray[np.float64]`):
 * inferred from the code, so that a 2-D image needs no `@compile(ndim={"img": 2})`.
 *
 * 1. `examples=` that give the argument (nested lists: their depth is the rank) decide it.
 * 2. Otherwise the function is typed for each candidate rank (from the least its uses allow: `a[i, j]` needs 2,
 *    `a.shape[2]` 3; up to 3, the most compiled), helpers included: `a[i, j]` on a 1-D array, `len(a[0])` of a number, a row added to
 *    a float accumulator do not type. The ranks that type are the ones the code allows.
 * 3. When several do (`np.sum(a)` works for any rank), a call of the function from another compiled function of
 *    the module with arrays of a known rank decides it.
 * 4. Otherwise the code leaves it open: the least rank is compiled, and a warning gives the exact decorator line
 *    that fixes another one. When no rank types, the error of the least one is reported, with the same hint.
 */
import type { PyLiteral, PyModule } from '../frontend/ast.ts';
import { KilnError, type Diagnostic } from '../diagnostics.ts';
import { isRef, walkNodes, type IRFunction, type IRNode } from '../ir/ir.ts';

export interface RankInference {
  /** parameter -> the rank to compile */
  ranks: Map<string, number>;
  warnings: Diagnostic[];
  /** A hint for an error of the function (no rank typed): how to give the rank. */
  hint?: string;
}

/**
 * Typechecks one entry with the given ranks of its open array parameters; throws KilnError when it does not type.
 * `calls(qualified)`: the ranks of the parameters of every specialisation it made of that function (`mod.f`).
 */
export type RankTrial = (entry: IRFunction, ranks: Map<string, number>) => { calls: (fn: string) => number[][] };

const MAX_RANK = 3;

/** The depth of nested lists of a literal (the rank of the array an example gives). */
function literalDepth(l: PyLiteral | undefined): number {
  let d = 0;
  while (l && typeof l === 'object' && '_t' in l && (l._t === 'list' || l._t === 'tuple')) {
    d++;
    l = l.items[0];
  }
  return d;
}

/** The first example's value for parameter `i` of a function of `n` parameters. */
function exampleArg(examples: PyLiteral | undefined, i: number, n: number): PyLiteral | undefined {
  if (!examples || typeof examples !== 'object' || !('_t' in examples) || (examples._t !== 'list' && examples._t !== 'tuple')) return undefined;
  const first = examples.items[0];
  if (first === undefined) return undefined;
  if (n === 1) {
    // One parameter: a bare value, or a 1-tuple of it.
    const isTuple = typeof first === 'object' && first !== null && '_t' in first && first._t === 'tuple' && first.items.length === 1;
    return isTuple ? (first as { items: PyLiteral[] }).items[0] : first;
  }
  return typeof first === 'object' && first !== null && '_t' in first && first._t === 'tuple' ? first.items[i] : undefined;
}

/** The least rank each parameter's uses need: `a[i, j]` (2), `a.shape[2]` (3), `n, m = a.shape` (exactly 2). */
function leastRanks(ir: IRFunction, params: string[], needs = new Map<string, number>()): Map<string, number> {
  const least = new Map(params.map((p) => [p, 1]));
  const shapeOf = new Map<string, string>();
  const raise = (p: string, r: number) => {
    least.set(p, Math.max(least.get(p)!, Math.min(r, MAX_RANK)));
    needs.set(p, Math.max(needs.get(p) ?? 1, r));
  };
  walkNodes(ir.nodes, (n: IRNode) => {
    if (n.op !== 'call_function') return;
    const a0 = n.args[0];
    if (!a0 || !isRef(a0)) return;
    if (n.target === 'attr.shape' && least.has(a0.ref)) shapeOf.set(n.name, a0.ref);
    if (n.target === '_operator.getitem' || n.target === '_operator.setitem') {
      if (least.has(a0.ref)) raise(a0.ref, n.args.length - (n.target === '_operator.setitem' ? 2 : 1));
      const p = shapeOf.get(a0.ref);
      const k = n.args[1];
      if (p && k && !isRef(k) && k.const.kind === 'int' && BigInt(k.const.value) >= 0n) raise(p, Number(k.const.value) + 1);
    }
    if (n.target === 'kiln.check_unpack') {
      const p = shapeOf.get(a0.ref);
      const k = n.args[1];
      if (p && k && !isRef(k) && k.const.kind === 'int') raise(p, Number(k.const.value));
    }
  });
  return least;
}

/** Every assignment of ranks to `params`, from each one's least rank to 3, the smallest first. */
function combinations(params: string[], least: Map<string, number>): Map<string, number>[] {
  let out: Map<string, number>[] = [new Map()];
  for (const p of params) {
    const next: Map<string, number>[] = [];
    for (const m of out) for (let r = least.get(p)!; r <= MAX_RANK; r++) next.push(new Map([...m, [p, r]]));
    out = next;
  }
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return out.sort((a, b) => sum(a) - sum(b));
}

/** The decorator line with `ndim={...}` added: what the user writes to give the ranks. */
export function ndimDecoratorLine(mod: PyModule, fn: string, ranks: Map<string, number>): { line: number; text: string } {
  const f = mod.functions.find((x) => x.name === fn)!;
  const entries = [...ranks].map(([p, r]) => `"${p}": ${r}`).join(', ');
  const option = `ndim={${entries}}`;
  const dec = f.decorator;
  const lineNo = dec?.span.line ?? f.span.line;
  const src = (mod.lines?.[lineNo - 1] ?? '').trim();
  // An ndim= already there (for other parameters) takes the new entries.
  if (dec && dec.span.line === dec.span.endLine && /\bndim\s*=\s*\{/.test(src)) return { line: lineNo, text: src.replace(/\bndim\s*=\s*\{\s*/, (m) => `${m}${entries}, `) };
  if (dec && dec.span.line === dec.span.endLine && /^@[\w.]+$/.test(src)) return { line: lineNo, text: `${src}(${option})` };
  if (dec && dec.span.line === dec.span.endLine && /^@[\w.]+\(.*\)$/.test(src)) {
    const inner = src.slice(src.indexOf('(') + 1, -1).trim();
    return { line: lineNo, text: `${src.slice(0, src.indexOf('('))}(${inner ? `${inner}, ` : ''}${option})` };
  }
  return { line: lineNo, text: `@compile(${option})` };
}

/**
 * The ranks of `entry`'s array parameters in `open` (annotated without a rank and not given by `ndim=`).
 * `trial` types the entry with given ranks; `callers` are the module's other compiled functions that call it, typed
 * with their own ranks (`ranksOf`).
 */
export function inferEntryRanks(
  mod: PyModule, entry: IRFunction, open: string[], trial: RankTrial, callers: IRFunction[], ranksOf: (caller: IRFunction) => Map<string, number>,
): RankInference {
  const ranks = new Map<string, number>();
  const warnings: Diagnostic[] = [];
  const f = mod.functions.find((x) => x.name === entry.name);
  // 1. examples=
  const undecided: string[] = [];
  for (const p of open) {
    const i = entry.params.findIndex((q) => q.name === p);
    const depth = literalDepth(exampleArg(f?.decorator?.options.examples, i, entry.params.length));
    if (depth >= 1 && depth <= MAX_RANK) ranks.set(p, depth);
    else undecided.push(p);
  }
  if (!undecided.length) return { ranks, warnings };
  // 2. The ranks the code allows.
  const fix = (chosen: Map<string, number>) => { for (const [p, r] of chosen) ranks.set(p, r); };
  const describe = (p: string) => `'${p}'`;
  const needs = new Map<string, number>();
  const least = leastRanks(entry, undecided, needs);
  const tooMany = undecided.find((p) => needs.get(p)! > MAX_RANK);
  if (tooMany) {
    fix(combinations(undecided, least)[0]);
    return {
      ranks, warnings,
      hint: `the code uses ${describe(tooMany)} as an array of ${needs.get(tooMany)} dimensions: arrays of more than ${MAX_RANK} dimensions are not compiled yet; pass it reshaped to ${MAX_RANK} (a.reshape(n * m, k, l)) and index that`,
    };
  }
  const typing: Map<string, number>[] = [];
  for (const combo of combinations(undecided, least)) {
    try {
      trial(entry, new Map([...ranks, ...combo]));
      typing.push(combo);
    } catch (e) {
      if (!(e instanceof KilnError)) throw e;
    }
  }
  if (!typing.length) {
    fix(combinations(undecided, least)[0]);
    const example = ndimDecoratorLine(mod, entry.name, new Map(undecided.map((p) => [p, Math.max(2, least.get(p)!)])));
    return { ranks, warnings, hint: `if ${undecided.map(describe).join(', ')} ${undecided.length > 1 ? 'have' : 'has'} another number of dimensions, say so at line ${example.line}: ${example.text}` };
  }
  if (typing.length === 1) {
    fix(typing[0]);
    return { ranks, warnings };
  }
  // 3. Calls from the module's other compiled functions.
  for (const caller of callers) {
    try {
      const seen = trial(caller, ranksOf(caller)).calls(entry.qualifiedName);
      const fromCalls = seen.map((rs) => new Map(undecided.map((p) => [p, rs[entry.params.findIndex((q) => q.name === p)]])));
      const agreed = fromCalls.find((m) => [...m.values()].every((r) => r >= 1) && typing.some((t) => [...t].every(([p, r]) => m.get(p) === r)));
      if (agreed) {
        fix(agreed);
        return { ranks, warnings };
      }
    } catch (e) {
      if (!(e instanceof KilnError)) throw e;
    }
  }
  // 4. Open: the least, and the line that says otherwise.
  fix(typing[0]);
  const alternatives = typing.slice(1);
  const other = alternatives.find((m) => [...m].some(([p, r]) => r !== typing[0].get(p))) ?? alternatives[0];
  const line = ndimDecoratorLine(mod, entry.name, other);
  const compiled = [...typing[0]].map(([p, r]) => `${describe(p)} as ${r}-D`).join(', ');
  const allowed = undecided.map((p) => `${describe(p)}: ${[...new Set(typing.map((m) => m.get(p)))].map((r) => `${r}-D`).join(', ')}`).join('; ');
  warnings.push({
    severity: 'warning', file: mod.file, line: line.line, col: 1, construct: 'array rank', function: entry.name,
    message: `the annotation does not say how many dimensions and the code works for several (${allowed}); compiled ${compiled}`,
    hint: `for other ranks, write the decorator as: ${line.text}`,
  });
  return { ranks, warnings };
}
