/**
 * Two lanes. `for i in range(a, b): P; while T: W; S`, where P, T and W compute scalars only, cannot raise and
 * have no effect, and each iteration's locals start afresh (Mandelbrot's escape loop): two iterations run side
 * by side, so that two independent dependency chains are in flight instead of one (mandelbrot 455 -> 285 us).
 * Both whiles step together while both tests pass; then the first finishes alone and runs S, then the second,
 * so anything S does (a sum, an error) happens in CPython's order (lower/c.ts twoLanes emits it).
 *
 * "Cannot raise": an op whose lowering is an expression (pure by contract) with arguments converted inline, a
 * counter that cannot overflow (opt/whileCounters.ts), math.sqrt of a never-negative value (opt/signs.ts), and
 * in P a float division whose divisor is the same in both lanes (if it raises, it does so in the first lane,
 * before anything else of the iteration, as in CPython).
 *
 * Needs: definite assignment, signs, while counters, loop versioning (a versioned loop is not laned).
 */
import { isRef, walkNodes, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import type { KType } from '../types/types.ts';
import type { DefiniteAssignment } from './definiteAssignment.ts';
import { FunctionTypes, callCheck, constantStep, nodeKeys, resolvedOf } from './typed.ts';

export interface LanePlan {
  /** The while loop W whose iterations run side by side. */
  while: string;
  /** The lane's own locals besides the loop variable (the second lane keeps them in its own variables). */
  lane: string[];
}

export interface TwoLanesFacts {
  definite: DefiniteAssignment;
  nonNegative: readonly string[];
  whileCounters: readonly string[];
  versioned: Record<string, unknown>;
}

/** For each `for` loop (by node name) that runs as two lanes, its plan. */
export function twoLanes(f: TypedFunction, facts: TwoLanesFacts): Record<string, LanePlan> {
  const plan: Record<string, LanePlan> = {};
  const cx = new Lanes(f, facts);
  walkNodes(f.ir.nodes, (n) => {
    if (n.op !== 'for_range' || facts.versioned[n.name]) return;
    if (constantStep(n) !== 1n) return;
    if (n.regions![1].nodes.length || cx.flagged.has(n.target)) return;
    const lane = cx.lanes(n);
    if (lane) plan[n.name] = lane;
  });
  return plan;
}

class Lanes {
  readonly flagged: Set<string>;
  private readonly types: FunctionTypes;
  private readonly keys: Map<IRNode, string>;
  private readonly nonNegative: Set<string>;
  private readonly counters: Set<string>;

  constructor(private readonly f: TypedFunction, private readonly facts: TwoLanesFacts) {
    this.flagged = new Set(facts.definite.flagged);
    this.types = new FunctionTypes(f);
    this.keys = nodeKeys(f.ir.nodes);
    this.nonNegative = new Set(facts.nonNegative);
    this.counters = new Set(facts.whileCounters);
  }

  /** math.sqrt (a 'negative' check) of a value that is never negative cannot raise. */
  private checkDropped(m: IRNode): boolean {
    const check = callCheck(resolvedOf(this.f, m));
    const a = check && m.args[check.arg];
    return check?.kind === 'negative' && !!a && isRef(a) && this.nonNegative.has(a.ref);
  }

  lanes(n: IRNode): LanePlan | undefined {
    const { f, types } = this;
    const body = n.regions![0].nodes;
    const whiles = body.filter((m) => m.op === 'while');
    if (whiles.length !== 1) return undefined;
    const w = whiles[0];
    const at = body.indexOf(w);
    const [pre, post] = [body.slice(0, at), body.slice(at + 1)];
    const [test, wbody, welse] = w.regions!;
    if (welse.nodes.length || !isRef(w.args[0])) return undefined;
    const scalarish = (t: KType | undefined) => !!t && (t.kind === 'scalar' || (t.kind === 'tuple' && t.items.every((i) => i.kind === 'scalar')));
    const writes = (nodes: IRNode[]) => { const s = new Set<string>(); walkNodes(nodes, (m) => { if (m.op === 'assign') s.add(m.target); }); return s; };
    const reads = (nodes: IRNode[]) => {
      const s = new Set<string>();
      walkNodes(nodes, (m) => m.args.forEach((a) => { if (isRef(a)) s.add(a.ref); }));
      return s;
    };
    const own = new Set([n.target, ...writes([...pre, ...test.nodes, ...wbody.nodes])]);
    // Values that differ between the lanes: the loop variable, the lane's locals, and what is computed from them.
    const varying = new Set(own);
    walkNodes(body, (m) => { if (m.args.some((a) => isRef(a) && varying.has(a.ref))) varying.add(m.name); });
    const invariantDiv = (m: IRNode) => {
      const r = resolvedOf(f, m);
      const check = callCheck(r);
      const divisor = check?.kind === 'zero' ? m.args[check.arg] : undefined;
      return !!r && !!divisor && types.inline(m, r) && !(isRef(divisor) && varying.has(divisor.ref));
    };
    const pure = (nodes: IRNode[], inPre = false): boolean => nodes.every((m) => {
      if (!m.args.every((a) => scalarish(types.of(a)))) return false;
      switch (m.op) {
        case 'constant': return scalarish(m.type);
        case 'assign': return scalarish(f.varTypes[m.target]) && !this.flagged.has(m.target);
        case 'if': return m.regions!.every((r) => pure(r.nodes, inPre));
        case 'call_function': {
          if (f.calls.get(m.name) || !scalarish(m.type) || this.facts.definite.checks[this.keys.get(m)!]?.length) return false;
          if (this.counters.has(m.name) || this.checkDropped(m) || (inPre && invariantDiv(m))) return true;
          const r = resolvedOf(f, m);
          return !!r && r.lower.kind === 'expr' && types.inline(m, r);
        }
        default: return false;
      }
    });
    if (!pure(pre, true) || !pure(test.nodes) || !pure(wbody.nodes)) return undefined;
    // S: anything but control flow out of the loop body.
    let plainPost = true;
    walkNodes(post, (m) => { if (['for_range', 'while', 'break', 'continue', 'output'].includes(m.op)) plainPost = false; });
    if (!plainPost) return undefined;
    // Locals: the loop variable and those P, T or W write are the lane's own; each must be written (at the top
    // of P, T or W) before anything reads it in an iteration. Those S writes are shared, and P, T, W must not read them.
    const order: { nodes: IRNode[]; part: 'pre' | 'test' | 'body' | 'post' }[] = [
      { nodes: pre, part: 'pre' }, { nodes: test.nodes, part: 'test' }, { nodes: wbody.nodes, part: 'body' }, { nodes: post, part: 'post' }];
    const shared = writes(post);
    const [readLane, readTest, readPost] = [reads([...pre, ...test.nodes, ...wbody.nodes]), reads(test.nodes), reads(post)];
    if ([...shared].some((v) => own.has(v) || readLane.has(v))) return undefined;
    for (const v of own) {
      if (v === n.target) continue;
      const t = f.varTypes[v];
      if (!t || t.kind !== 'scalar' || this.flagged.has(v)) return undefined;
      let first: { part: string; top: boolean; write: boolean } | undefined;
      for (const o of order) {
        walkNodes(o.nodes, (m) => {
          if (first) return;
          if (m.args.some((a) => isRef(a) && a.ref === v)) first = { part: o.part, top: false, write: false };
          else if (m.op === 'assign' && m.target === v) first = { part: o.part, top: o.nodes.includes(m), write: true };
        });
        if (first) break;
      }
      if (!first || !first.write || !first.top || first.part === 'post') return undefined;
      if (first.part === 'body' && (readPost.has(v) || readTest.has(v))) return undefined;
    }
    return { while: w.name, lane: [...own].filter((v) => v !== n.target) };
  }
}
