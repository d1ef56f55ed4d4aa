/**
 * Deferred checks. In a run of float arithmetic with no other effect, a float division's zero test and
 * math.sqrt's domain test (the ops' CallCheck 'zero' and 'negative') need not branch where they stand: the
 * IEEE result (inf, nan) is computed, each test is ORed into a flag, and one test of the flag at the end of the
 * run raises the first failure, with its own line, before anything observable happens. The branches had kept
 * clang from scheduling and vectorising across them (nbody: 48.6 -> 45 us; the C reference, which does not
 * test, 41). A check whose operands no later node of the run reassigns is tested again by value at the end;
 * one whose operand is reassigned (a local written twice) keeps a bit of its own in the flag.
 *
 * What a node is, for that: 'pure' (no check, no effect: a scalar constant or assignment, an expression op on
 * floats and bools, an int `+` that cannot overflow, math.sqrt of a never-negative value), a deferrable check,
 * or neither (it ends a run). A run holds at most 31 checks; fewer than two gain nothing and are not planned.
 * The inside of a versioned loop's unchecked copy has more overflow-free nodes, so it has runs of its own.
 *
 * Needs: definite assignment, signs, while counters, loop versioning, tail sums, trunc index.
 */
import { isRef, type IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import type { KType } from '../types/types.ts';
import type { DefiniteAssignment } from './definiteAssignment.ts';
import { opNodes, type HoistCheck } from './loopVersioning.ts';
import { FunctionTypes, callCheck, nodeKeys, resolvedOf } from './typed.ts';
import type { TruncSite } from './truncIndex.ts';

/** A run of nodes (by key, opt/typed.ts nodeKeys) lowered with one test at its end. */
export interface DeferredRun {
  nodes: string[];
  /** The checks of the run; `bit`: the flag bit of a check whose operand is reassigned later in the run. */
  checks: { node: string; bit?: number }[];
}

export interface DeferralPlan {
  /** Runs by the key of their first node. */
  runs: Record<string, DeferredRun>;
  /** In the unchecked copy of a versioned loop (by the loop's name): its runs by the key of their first node. */
  unchecked: Record<string, Record<string, DeferredRun>>;
}

export interface DeferralFacts {
  definite: DefiniteAssignment;
  nonNegative: readonly string[];
  whileCounters: readonly string[];
  versioned: Record<string, HoistCheck[]>;
  tailSums: readonly string[];
  truncIndex: Record<string, TruncSite>;
}

const MAX_CHECKS = 31;

export function deferral(f: TypedFunction, facts: DeferralFacts): DeferralPlan {
  const types = new FunctionTypes(f);
  const keys = nodeKeys(f.ir.nodes);
  const flagged = new Set(facts.definite.flagged);
  const nonNegative = new Set(facts.nonNegative);
  const tailSums = new Set(facts.tailSums);
  const scalar = (t: KType | undefined) => t?.kind === 'scalar';
  const floaty = (t: KType | undefined) => t?.kind === 'scalar' && ['float', 'float64', 'float32', 'bool'].includes(t.name);

  const classify = (n: IRNode, noOverflow: Set<string>): 'pure' | 'check' | undefined => {
    if (facts.definite.checks[keys.get(n)!]?.length || tailSums.has(n.name)) return undefined;
    if (n.op === 'constant') return scalar(n.type) ? 'pure' : undefined;
    if (n.op === 'assign') return scalar(types.of(n.args[0])) && !flagged.has(n.target) ? 'pure' : undefined;
    const r = resolvedOf(f, n);
    if (n.op !== 'call_function' || f.calls.get(n.name)) return undefined;
    if (noOverflow.has(n.name)) return 'pure';
    if (!r || !floaty(n.type) || !n.args.every((a) => floaty(types.of(a))) || !types.inline(n, r)) return undefined;
    const check = callCheck(r);
    const a = check && n.args[check.arg];
    if (r.lower.kind === 'expr' || (check?.kind === 'negative' && isRef(a!) && nonNegative.has(a.ref))) return 'pure';
    return check?.kind === 'zero' || check?.kind === 'negative' ? 'check' : undefined;
  };

  /** The runs of one node list, scanned as the emitter lowers it (tail-sum sites and trunc-index sites are its own). */
  const runsOf = (nodes: IRNode[], noOverflow: Set<string>, out: Record<string, DeferredRun>) => {
    for (let i = 0; i < nodes.length;) {
      const n = nodes[i];
      if (tailSums.has(n.name)) { i += 3; continue; }
      if (facts.truncIndex[n.name]) { i += 1; continue; }
      let j = i;
      let checks = 0;
      for (; j < nodes.length; j++) {
        const d = classify(nodes[j], noOverflow);
        if (!d || (d === 'check' && checks === MAX_CHECKS)) break;
        if (d === 'check') checks++;
      }
      if (checks >= 2) {
        const run = nodes.slice(i, j);
        out[keys.get(n)!] = { nodes: run.map((m) => keys.get(m)!), checks: flagBits(run, (m) => classify(m, noOverflow) === 'check', keys) };
        i = j;
      } else i = Math.max(j, i + 1);
    }
  };
  /** Every node list of `nodes`: itself and its nodes' regions, recursively. */
  const lists = (nodes: IRNode[], fn: (list: IRNode[]) => void) => {
    fn(nodes);
    for (const n of nodes) for (const r of n.regions ?? []) lists(r.nodes, fn);
  };

  const base = new Set(facts.whileCounters);
  const plan: DeferralPlan = { runs: {}, unchecked: {} };
  lists(f.ir.nodes, (list) => runsOf(list, base, plan.runs));
  const loops = new Map<string, IRNode>();
  lists(f.ir.nodes, (list) => list.forEach((n) => { if (facts.versioned[n.name]) loops.set(n.name, n); }));
  for (const [name, loop] of loops) {
    const noOverflow = new Set([...base, ...facts.versioned[name].flatMap((c) => opNodes(c.expr))]);
    const runs: Record<string, DeferredRun> = {};
    lists(loop.regions![0].nodes, (list) => runsOf(list, noOverflow, runs));
    if (Object.keys(runs).length) plan.unchecked[name] = runs;
  }
  return plan;
}

/** The checks of a run and their flag bits: a check whose operand a later node of the run reassigns gets one. */
function flagBits(run: IRNode[], isCheck: (n: IRNode) => boolean, keys: Map<IRNode, string>): DeferredRun['checks'] {
  const checks: DeferredRun['checks'] = [];
  let bits = 0;
  run.forEach((n, i) => {
    if (!isCheck(n)) return;
    const refs = n.args.filter(isRef).map((a) => a.ref);
    const stable = !run.slice(i + 1).some((m) => m.op === 'assign' && refs.includes(m.target));
    if (stable) checks.push({ node: keys.get(n)! });
    else checks.push({ node: keys.get(n)!, bit: ++bits });
  });
  return checks;
}
