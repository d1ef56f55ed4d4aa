/**
 * Narrowing: what typecheck knows, at each point of a function, about which members of its union type a variable
 * holds (types.ts has unions). A variable's storage type is the join of everything assigned to it; the flow
 * environment (FlowEnv) follows one path through the structured IR and knows better:
 * - after `x = 5` the variable holds an int until it is assigned again;
 * - in the branches of `if x is None:`, `isinstance(x, int)`, `type(x) is float`, `if x:` (None is false), and
 *   of `and`/`or` built from them, the test decides members (a Cond says what a bool's truth tells);
 * - where paths meet (after an `if`), what both paths know; a path that ends (return, raise, break,
 *   continue) adds nothing;
 * - at a loop's head, nothing about the variables the loop assigns (they may hold a later iteration's value;
 *   their storage type covers every iteration, so no iteration to a fixed point is needed here).
 * A read of a variable whose environment type is narrower than its storage type becomes a `kiln.narrow` of it
 * (typecheck places it; ops/optional.ts lowers it to a plain read of the member), so `best + 1` after
 * `if best is None: return -1` is a plain int64 add.
 *
 * The same environment tracks ints known to be >= 0 (loop counters from 0, len(), abs(), x & 7, ...), so that
 * `x ** k` stays an int where the exponent cannot be negative (ops/common.ts resolvePower).
 */
import { commonMembers, isSubclassOf, isUnion, joinTypes, type KType } from './types.ts';

/** Variables and the members they hold. */
export type Facts = ReadonlyMap<string, KType>;
/** What a bool value's truth says: facts when it is true, when it is false; 'never': it cannot be (this path decided it). */
export interface Cond {
  t: Facts | 'never';
  f: Facts | 'never';
}

/**
 * What a variable holds when both are known of it: the members of both unions; of an instance of a class and of one
 * derived from it (isinstance(shape, Circle), optional.ts derivedClassTest), the derived one.
 */
function meet(a: KType, b: KType): KType | undefined {
  if (a.kind === 'instance' && b.kind === 'instance') return isSubclassOf(b.cls, a.cls) ? b : isSubclassOf(a.cls, b.cls) ? a : undefined;
  return commonMembers(a, b);
}

const joinFacts = (a: Facts | 'never', b: Facts | 'never'): Facts | 'never' => {
  if (a === 'never') return b;
  if (b === 'never') return a;
  const out = new Map<string, KType>();
  for (const [v, t] of a) {
    const u = b.get(v);
    if (!u) continue;
    const j = joinTypes(t, u);
    if (typeof j !== 'string') out.set(v, j);
  }
  return out;
};

const withoutVar = (f: Facts | 'never', v: string): Facts | 'never' => {
  if (f === 'never' || !f.has(v)) return f;
  const out = new Map(f);
  out.delete(v);
  return out;
};

export class FlowEnv {
  /**
   * `storage`: a variable's storage type (undefined for a value, which is never narrowed).
   * `types`: variable -> the members it holds here (only read for variables whose storage type is a union).
   * `conds`: a variable or a value that holds a bool -> what its truth says. `nonNegative`: int variables and values >= 0 here.
   * `numpy`: variables and values that hold a NumPy scalar here (np.bool_ for a bool; ArgFacts.numpy).
   */
  constructor(
    private readonly storage: (v: string) => KType | undefined,
    readonly types = new Map<string, KType>(),
    readonly conds = new Map<string, Cond>(),
    readonly nonNegative = new Set<string>(),
    readonly numpy = new Set<string>(),
  ) {}

  /** A path a test proved impossible (`else` of `x is None` where x can only be None): typed, never run. */
  dead = false;

  copy(): FlowEnv {
    const env = new FlowEnv(this.storage, new Map(this.types), new Map(this.conds), new Set(this.nonNegative), new Set(this.numpy));
    env.dead = this.dead;
    return env;
  }

  /** The type a read of variable `v` gives here: narrower than its storage type where a test or an assignment decided it. */
  typeOf(v: string): KType | undefined {
    const s = this.storage(v);
    if (!s || !(isUnion(s) || s.kind === 'instance')) return s;
    const t = this.types.get(v);
    return t ? meet(s, t) ?? s : s;
  }

  /** Forgets everything about these variables (a loop's head; before an assignment). */
  havoc(vars: Iterable<string>) {
    for (const v of vars) {
      this.types.delete(v);
      this.conds.delete(v);
      this.nonNegative.delete(v);
      this.numpy.delete(v);
      for (const [k, c] of this.conds) {
        const t = withoutVar(c.t, v), f = withoutVar(c.f, v);
        if (t !== c.t || f !== c.f) this.conds.set(k, { t, f });
      }
    }
  }

  /** `v = <value of type t>`: v holds t until the next assignment; `cond` when the value is a test, `nonNegative` when it is an int >= 0. */
  assign(v: string, t: KType, cond?: Cond, nonNegative?: boolean, numpy?: boolean) {
    this.havoc([v]);
    this.types.set(v, t);
    if (cond) this.conds.set(v, this.strengthen(cond));
    if (nonNegative) this.nonNegative.add(v);
    if (numpy) this.numpy.add(v);
  }

  /** A value's facts (never reassigned, but what it says about variables ends when they are). */
  setValue(name: string, cond?: Cond, nonNegative?: boolean, numpy?: boolean) {
    if (cond) this.conds.set(name, this.strengthen(cond));
    if (nonNegative) this.nonNegative.add(name);
    if (numpy) this.numpy.add(name);
  }

  /**
   * A cond plus what holds on this path now: a bool set inside `if x is not None:` (the right side of an `and`)
   * carries `x is not None` with its own facts, so the `and` as a whole narrows x.
   */
  private strengthen(c: Cond): Cond {
    const add = (f: Facts | 'never'): Facts | 'never' => {
      if (f === 'never') return f;
      const out = new Map(f);
      for (const [v, t] of this.types) {
        const s = this.storage(v);
        if (!s || !(isUnion(s) || s.kind === 'instance')) continue;
        const cur = out.get(v);
        out.set(v, cur ? meet(cur, t) ?? cur : t);
      }
      return out;
    };
    return { t: add(c.t), f: add(c.f) };
  }

  /** The environment of the branch where a bool with `cond` (named `name`, if it is a variable or a value) is `truth`. */
  branch(cond: Cond | undefined, truth: boolean, name?: string): FlowEnv {
    const env = this.copy();
    if (!cond) return env;
    const facts = truth ? cond.t : cond.f;
    if (facts === 'never') env.dead = true;
    if (facts !== 'never') {
      for (const [v, t] of facts) {
        const cur = env.typeOf(v);
        env.types.set(v, cur ? meet(cur, t) ?? t : t);
      }
    }
    // The bool itself is decided on this path.
    if (name) env.conds.set(name, truth ? { t: cond.t, f: 'never' } : { t: 'never', f: cond.f });
    return env;
  }

  /** Where two paths meet (null: a path that ended). */
  static join(a: FlowEnv | null, b: FlowEnv | null): FlowEnv | null {
    if (!a || (a.dead && !b?.dead)) return b;
    if (!b || b.dead) return a;
    const out = new FlowEnv(a.storage);
    for (const [v, t] of a.types) {
      const u = b.types.get(v);
      if (!u) continue;
      const j = joinTypes(t, u);
      if (typeof j !== 'string') out.types.set(v, j);
    }
    for (const [k, c] of a.conds) {
      const d = b.conds.get(k);
      if (d) out.conds.set(k, { t: joinFacts(c.t, d.t), f: joinFacts(c.f, d.f) });
    }
    for (const v of a.nonNegative) if (b.nonNegative.has(v)) out.nonNegative.add(v);
    for (const v of a.numpy) if (b.numpy.has(v)) out.numpy.add(v);
    return out;
  }
}

/** The negation of a cond (`not x`). */
export const negate = (c: Cond | undefined): Cond | undefined => (c ? { t: c.f, f: c.t } : undefined);
