/**
 * The op registry: one entry per supported Python operation, built from the domain files of this folder.
 * Each entry says which argument types it accepts, the result type, its C lowering, and the facts passes need
 * (common.ts: OpFacts). It is the single source of truth for what Kiln compiles: `kiln ops`, the README's
 * "Supported Python" section and typecheck read it; passes ask it instead of matching op names.
 *
 * A new area of Python is one new domain file (an OpDomain: its ops, the overloads it adds to other domains'
 * ops, its constants) and one line in DOMAINS. Domains import common.ts and common_arrays.ts only; an op that
 * builds on another op finds it through the OpLookup its resolver is given.
 */
import type { KType } from '../types.ts';
import { holdsComplexArray, typeToString } from '../types.ts';
import type { ArgFacts, ConstantDef, OpDef, OpDomain, OpEntry, OpFacts, Overload, Resolved, Resolver } from './common.ts';
import type { ConstValue } from '../../ir/ir.ts';
import { alwaysRaises, dispatchOverMembers, isPythonTypeError } from './common_unions.ts';
import { COMPLEX_ARRAYS } from './common_arrays.ts';
import { optional } from './optional.ts';
import { arrayMethods } from './array_methods.ts';
import { builtins } from './builtins.ts';
import { creation } from './creation.ts';
import { sorting } from './sorting.ts';
import { logic } from './logic.ts';
import { functions } from './functions.ts';
import { indexing } from './indexing.ts';
import { inplace } from './inplace.ts';
import { iterators } from './iterators.ts';
import { linalg } from './linalg.ts';
import { manipulation } from './manipulation.ts';
import { lists } from './lists.ts';
import { math } from './math.ts';
import { mathRest } from './math_rest.ts';
import { numpyScalars } from './numpy_scalars.ts';
import { operators } from './operators.ts';
import { products } from './products.ts';
import { reductions } from './reductions.ts';
import { rounding } from './rounding.ts';
import { sequences } from './sequences.ts';
import { statistics } from './statistics.ts';
import { tuples } from './tuples.ts';
import { ufuncs } from './ufuncs.ts';
import { ufuncsExact } from './ufuncs_exact.ts';
import { strings } from './strings.ts';
import { formatting } from './formatting.ts';
import { bytesDomain } from './bytes.ts';
import { dicts } from './dicts.ts';
import { records } from './records.ts';
import { random } from './random.ts';
import { complexDomain } from './complex.ts';
import { complexArrays } from './complex_arrays.ts';
import { exceptions } from './exceptions.ts';
import { classes } from './classes.ts';
import { enums } from './enums.ts';
import { caches } from './caches.ts';

export type {
  ArgFacts, CallCheck, ConstantDef, LowerContext, Lowering, OpDomain, OpEntry, OpFacts, Resolved,
} from './common.ts';
export { canConvertInto, convert, convertValue, truthExpr } from './common.ts';
export { containerCType, containerKind, containerName, emptyContainer, isUnrefined } from './dicts.ts';

/** The domains, in the order of the docs (and of overloads: an earlier domain's overload is tried first). */
export const DOMAINS: readonly OpDomain[] = [
  operators, builtins, math, mathRest, tuples, optional, numpyScalars, lists, functions, iterators, sequences, inplace, indexing, complexArrays,
  creation, ufuncs, ufuncsExact, arrayMethods, manipulation, reductions, sorting, logic, products, linalg, statistics, strings, formatting, bytesDomain,
  rounding, records, dicts,
  random, complexDomain, exceptions, classes, enums, caches,
];

/** Facts of one op from its parts; two parts that say different things about one fact are a registry bug. */
function mergeFacts(target: string, parts: (OpFacts | undefined)[]): OpFacts {
  const out: Record<string, unknown> = {};
  for (const p of parts) {
    for (const [k, v] of Object.entries(p ?? {})) {
      if (k in out && JSON.stringify(out[k]) !== JSON.stringify(v)) throw new Error(`internal: ${target} has two values for the fact ${k}`);
      out[k] = v;
    }
  }
  return out as OpFacts;
}

function buildTable(domains: readonly OpDomain[]): OpEntry[] {
  const defs = new Map<string, { def: OpDef; domain: OpDomain; overloads: Overload[] }>();
  for (const domain of domains) {
    for (const def of domain.ops) {
      if (defs.has(def.target)) throw new Error(`internal: ${def.target} is defined by ${defs.get(def.target)!.domain.name} and ${domain.name}`);
      defs.set(def.target, { def, domain, overloads: [] });
    }
  }
  for (const domain of domains) {
    for (const o of domain.overloads ?? []) {
      const d = defs.get(o.target);
      if (!d) throw new Error(`internal: ${domain.name} overloads ${o.target}, which no domain defines`);
      d.overloads.push(o);
    }
  }
  return [...defs.values()].map(({ def, domain, overloads }): OpEntry => {
    const facts = mergeFacts(def.target, [def.facts, ...overloads.map((o) => o.facts)]);
    // NumPy's functions convert their array-like arguments with np.asarray (OpFacts.asArray); those that write one do not.
    if (def.target.startsWith('numpy.') && !facts.writes) facts.asArray = true;
    // Overloads first: each returns undefined for argument types that are not its own.
    const resolvers: Resolver[] = [...overloads.map((o) => o.resolve), def.resolve];
    const unsupported = def.unsupported ?? ((args: KType[]) => `${def.python} of ${args.map(typeToString).join(', ')} is not compiled`);
    const direct = (args: KType[], consts: (ConstValue | undefined)[], argFacts?: ArgFacts[]): Resolved | string => {
      for (const resolve of resolvers) {
        const r = resolve(args, consts, lookupOp, argFacts);
        if (r === undefined) continue;
        if (typeof r === 'string') return r;
        const withFacts: Resolved = { ...r, facts: { ...facts, ...r.facts } };
        return complexArrayGate(def.python, args, withFacts);
      }
      return unsupported(args);
    };
    return {
      target: def.target, domain: domain.name, python: def.python, notes: def.notes, facts,
      signatures: [...def.signatures, ...overloads.flatMap((o) => o.signatures)],
      resolve(args, consts, argFacts) {
        // Unions and None (common_unions.ts): an op applied to a union runs its members' resolutions by tag; one
        // that CPython would refuse for a None operand raises CPython's TypeError where it runs.
        if (!facts.takesUnions && args.some((t) => t.kind === 'union')) return dispatchOverMembers(def.python, direct, args, consts, argFacts);
        const r = direct(args, consts, argFacts);
        if (typeof r === 'string' && args.some((t) => t.kind === 'none') && isPythonTypeError(r)) return alwaysRaises(args, r);
        return r;
      },
    };
  });
}

/** A resolution that meets a complex128 array stands only where its op or itself says it compiles them (OpFacts.complexArrays). */
function complexArrayGate(python: string, args: KType[], r: Resolved): Resolved | string {
  if (r.facts?.complexArrays || ![...args, r.result].some(holdsComplexArray)) return r;
  return `${python} with a complex128 array is not compiled yet. ${COMPLEX_ARRAYS}`;
}

/** Every op, domain by domain. */
export const OPS: readonly OpEntry[] = buildTable(DOMAINS);

const BY_TARGET = new Map(OPS.map((o) => [o.target, o]));

export function lookupOp(target: string): OpEntry | undefined {
  return BY_TARGET.get(target);
}

/** Every constant (`math.pi`, `np.float64` as a dtype, ...). */
export const CONSTANTS: readonly ConstantDef[] = DOMAINS.flatMap((d) => d.constants ?? []);

const CONSTANT_BY_TARGET = new Map(CONSTANTS.map((c) => [c.target, c]));
if (CONSTANT_BY_TARGET.size !== CONSTANTS.length) throw new Error('internal: a constant is defined twice');

export function lookupConstant(target: string): ConstantDef | undefined {
  return CONSTANT_BY_TARGET.get(target);
}
