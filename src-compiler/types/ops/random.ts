/**
 * Python's `random` module, bit-exact with CPython for the same seed: the module's functions (`random.seed(42)`,
 * `random.random()`, ...) on the module-level generator, and the same methods on `random.Random(seed)` instances.
 * The C is resources/c/kiln_random.h (MT19937 seeded as CPython, each method transcribed from random.py); its design
 * and what is exact where: docs/design/numbers.md ("Random numbers").
 *
 * The module-level generator of compiled code is Kiln's own (one per thread), not the CPython interpreter's:
 * `random.seed(s)` in compiled code seeds it, and a compiled function that seeds then draws gives CPython's numbers.
 * Verification (run/verify.ts) seeds both sides with random.seed(0) before each call (README "Random numbers").
 *
 * Every op here draws from a generator: a `stmts` lowering (never `expr`, which passes may reorder or duplicate).
 */
import { T, cType, isBool, isFloatLike, isPyInt, ownsReferences, typeToString, type KType } from '../types.ts';
import { retainC } from '../../lower/ownership.ts';
import { isNone, pyName, stmts, type LowerContext, type OpDef, type OpDomain, type OpFacts, type Resolved } from './common.ts';
import { seqItem, seqLen } from './common_arrays.ts';

const HEADERS: OpFacts = { headers: ['kiln_random.h'] };
/** The module-level generator (seeded from the clock on first use, as CPython's is from os.urandom). */
const MODULE_GEN = 'kr_random_default()';

const isInt = (t: KType | undefined) => !!t && (isPyInt(t) || isBool(t));
const isNumber = (t: KType | undefined) => !!t && t.kind === 'scalar';

/** The members of `random.Random` compiled here: module function and method alike (`random.X(...)`, `r.X(...)`). */
type Member = {
  name: string; python: string; signatures: string[]; keywords?: readonly string[]; defaults?: OpFacts['defaults'];
  writes?: readonly number[]; arrayRuntime?: boolean;
  /** args: the call's arguments without the generator; gen: the C expression of the `kr_random *`. */
  resolve(args: KType[]): { result: KType; argTypes: KType[]; emit: (gen: string, a: string[], out: string, cx: LowerContext) => string[] } | string;
};

const F0: OpFacts['defaults'] = { mu: { kind: 'float', hex: '0x0.0p+0', repr: '0.0' }, sigma: { kind: 'float', hex: '0x1.0000000000000p+0', repr: '1.0' } };

/** The sequences random.choice/sample/choices read by index: lists, 1-D arrays, ranges, tuples of one item type. */
function sequence(name: string, t: KType): { len: (e: string) => string; at: (e: string, k: string) => string; item: KType } | string {
  // An empty list whose item type was never learnt (`e = []`) holds nothing: read as a list of ints, it raises as CPython's.
  if (t.kind === 'list' && t.item.kind === 'none') t = T.list(T.int);
  const len = seqLen(t), item = seqItem(t);
  if (!len || !item) {
    if (t.kind === 'str') return `random.${name}() of a str is not compiled: choose from a list of its characters (list(s))`;
    return `random.${name}() of ${pyName(t)} is not compiled: pass a list, a range, a 1-D array or a tuple of one item type`;
  }
  if (ownsReferences(item.type) && item.type.kind !== 'str' && item.type.kind !== 'bytes') return `random.${name}() of a sequence of ${typeToString(item.type)} is not compiled`;
  return { len, at: item.at, item: item.type };
}

/** C that makes the result list of `kk` items (NULL on MemoryError, raised). */
const newList = (item: KType, o: string) => (item.kind === 'str' || item.kind === 'bytes' ? `(${o} = kr_list_new_objs(kk))` : `(${o} = kr_list_new(kk, sizeof(${cType(item)})))`);
/** C that stores item `idx` of the sequence `seq` as item `ki` of the list `o` (a new reference for an object). */
const store = (s: { at: (e: string, k: string) => string; item: KType }, seq: string, o: string, idx: string) =>
  `{ ${cType(s.item)} kv = ${s.at(seq, idx)}; ${retainC(s.item, 'kv').join(' ')} ((${cType(s.item)} *)${o}->data)[ki] = kv; }`;

const MEMBERS: Member[] = [
  {
    name: 'random', python: 'random.random()', signatures: ['-> float in [0, 1) (53 bits from two 32-bit outputs, as CPython)'],
    resolve: (args) => (args.length ? 'random() takes no arguments' : { result: T.float, argTypes: [], emit: (g, _a, o) => [`${o} = kr_random_random(${g});`] }),
  },
  {
    name: 'uniform', python: 'random.uniform(a, b)', signatures: ['number, number -> float (a + (b - a) * random())'],
    resolve: (args) => (args.length !== 2 || !args.every(isNumber) ? 'uniform() takes two numbers'
      : { result: T.float, argTypes: [T.float, T.float], emit: (g, a, o) => [`${o} = kr_random_uniform(${g}, ${a[0]}, ${a[1]});`] }),
  },
  {
    name: 'randint', python: 'random.randint(a, b)', signatures: ['int, int -> int in [a, b] (ValueError "empty range for randrange() (a, b + 1, width)")'],
    resolve: (args) => (args.length !== 2 || !args.every(isInt) ? 'random.randint() of anything but two ints is not compiled: pass ints'
      : { result: T.int, argTypes: [T.int, T.int], emit: (g, a, o, cx) => [cx.try(`kr_random_randint_i64(${g}, ${a[0]}, ${a[1]}, &${o})`)] }),
  },
  {
    name: 'randrange', python: 'random.randrange(start[, stop[, step]])', keywords: ['start', 'stop', 'step'],
    signatures: ['int[, int[, int]] -> int (ValueError as CPython for an empty range or a zero step)'],
    resolve([start, stop, step]) {
      if (!isInt(start) || !(isNone(stop) || isInt(stop)) || !(isNone(step) || isInt(step))) return 'random.randrange() of anything but ints is not compiled: pass ints';
      if (isNone(stop)) {
        if (!isNone(step)) return "TypeError: Missing a non-None stop argument";
        return {
          result: T.int, argTypes: [T.int, T.none, T.none],
          emit: (g, a, o, cx) => [`if (${a[0]} > 0) ${o} = kr_random_below_i64(${g}, ${a[0]}); else ${cx.raise('ValueError', '"empty range for randrange()"')}`],
        };
      }
      if (isNone(step)) return { result: T.int, argTypes: [T.int, T.int, T.none], emit: (g, a, o, cx) => [cx.try(`kr_random_randrange_i64(${g}, ${a[0]}, ${a[1]}, &${o})`)] };
      return { result: T.int, argTypes: [T.int, T.int, T.int], emit: (g, a, o, cx) => [cx.try(`kr_random_randrange3_i64(${g}, ${a[0]}, ${a[1]}, ${a[2]}, &${o})`)] };
    },
  },
  {
    name: 'getrandbits', python: 'random.getrandbits(k)', signatures: ['int -> int (k <= 63; OverflowError past 64 bits, ValueError for k < 0)'],
    resolve: (args) => (args.length !== 1 || !isInt(args[0]) ? 'getrandbits() takes one int'
      : { result: T.int, argTypes: [T.int], emit: (g, a, o, cx) => [cx.try(`kr_random_getrandbits_i64(${g}, ${a[0]}, &${o})`)] }),
  },
  {
    name: 'choice', python: 'random.choice(seq)', signatures: ['list, range, 1-D array or tuple of one type -> item (IndexError "Cannot choose from an empty sequence")'],
    resolve(args) {
      if (args.length !== 1) return 'choice() takes one sequence';
      const s = sequence('choice', args[0]);
      if (typeof s === 'string') return s;
      return {
        result: s.item, argTypes: [args[0]],
        emit: (g, a, o, cx) => [`{ int64_t kidx; ${cx.try(`kr_random_choice_index(${g}, ${s.len(a[0])}, &kidx)`)} ${o} = ${s.at(a[0], 'kidx')}; ${retainC(s.item, o).join(' ')} }`],
      };
    },
  },
  {
    name: 'shuffle', python: 'random.shuffle(x)', signatures: ['list -> None (in place, CPython\'s order of swaps)'], writes: [0],
    resolve(args) {
      if (args.length !== 1) return 'shuffle() takes one list';
      const [l] = args;
      if (l.kind !== 'list') return `random.shuffle() of ${pyName(l)} is not compiled: shuffle a list`;
      const et = l.item.kind === 'none' ? 'int64_t' : cType(l.item);
      return { result: T.none, argTypes: [l], emit: (g, a) => [`kr_random_shuffle(${g}, ${a[0]}->data, ${a[0]}->len, sizeof(${et}));`] };
    },
  },
  {
    name: 'sample', python: 'random.sample(population, k)', keywords: ['population', 'k'], arrayRuntime: true,
    signatures: ['list, range, 1-D array or tuple of one type, int -> list (CPython\'s pool or set algorithm; ValueError "Sample larger than population or is negative")'],
    resolve([p, k]) {
      if (isNone(k) || !isInt(k)) return isNone(k) ? "TypeError: Random.sample() missing 1 required positional argument: 'k'" : 'sample() takes an int k';
      const s = sequence('sample', p);
      if (typeof s === 'string') return s;
      return {
        result: T.list(s.item), argTypes: [p, T.int],
        emit: (g, a, o, cx) => [
          `{ int64_t kn = ${s.len(a[0])}, kk = ${a[1]};`,
          `  if (!(0 <= kk && kk <= kn)) ${cx.raise('ValueError', '"Sample larger than population or is negative"')}`,
          // The indices chosen, in CPython's order; then the new list of those items.
          `  int64_t *kix = (int64_t *)malloc((size_t)(kk ? kk : 1) * sizeof(int64_t)); int krc = kix ? kr_random_sample(${g}, kn, kk, kix) : kr_raise(KILN_MemoryError, "");`,
          `  if (!krc && !(${newList(s.item, o)})) krc = -1;`,
          `  if (!krc) for (int64_t ki = 0; ki < kk; ki++) ${store(s, a[0], o, 'kix[ki]')}`,
          `  free(kix); ${cx.try('krc')} }`,
        ],
      };
    },
  },
  {
    name: 'choices', python: 'random.choices(population, weights=None, *, cum_weights=None, k=1)', keywords: ['population', 'weights', 'cum_weights', 'k'],
    defaults: { k: { kind: 'int', value: '1' } }, arrayRuntime: true,
    signatures: ['sequence[, weights: list[float] | list[int]][, cum_weights=...][, k=int] -> list (floor(random() * n), or bisect of the cumulative weights, as CPython)'],
    resolve([p, w, cw, k]) {
      if (!isInt(k)) return 'choices() takes an int k';
      if (!isNone(w) && !isNone(cw)) return 'TypeError: Cannot specify both weights and cumulative weights';
      const s = sequence('choices', p);
      if (typeof s === 'string') return s;
      const weights = isNone(w) ? cw : w;
      const wt = weights && weights.kind === 'list' && weights.item.kind === 'scalar' && (isInt(weights.item) || isFloatLike(weights.item)) ? weights.item : undefined;
      if (!isNone(weights) && !wt) return 'choices() takes weights as a list of ints or floats';
      const empty = p.kind === 'list' ? 'list' : p.kind === 'range' ? 'range object' : 'tuple';
      if (isNone(weights)) {
        return {
          result: T.list(s.item), argTypes: [p, T.none, T.none, T.int],
          emit: (g, a, o, cx) => [
            `{ int64_t kk = ${a[3]} > 0 ? ${a[3]} : 0, kn = ${s.len(a[0])};`,
            // population[floor(random() * n)] with n == 0 reads population[0]
            `  if (kn == 0 && kk > 0) ${cx.raise('IndexError', p.kind === 'array' ? '"index 0 is out of bounds for axis 0 with size 0"' : `"${empty} index out of range"`)}`,
            `  if (!(${newList(s.item, o)})) ${cx.propagate()}`,
            `  for (int64_t ki = 0; ki < kk; ki++) ${store(s, a[0], o, `kr_random_choices_draw(${g}, kn)`)} }`,
          ],
        };
      }
      const floats = isFloatLike(wt!);
      const ct = floats ? 'double' : 'int64_t', wc = cType(wt!);
      const suffix = floats ? '' : '_i64';
      const wi = isNone(w) ? 2 : 1;
      const argTypes = wi === 2 ? [p, T.none, T.list(wt!), T.int] : [p, T.list(wt!), T.none, T.int];
      // weights: their running sum in Python's order (itertools.accumulate: ints stay ints); cum_weights: as given.
      const accumulate = wi === 2 ? 'kcum[ki] = (${ct})kw[ki];'
        : floats ? 'ks = ki ? ks + (double)kw[ki] : (double)kw[ki]; kcum[ki] = ks;'
          : 'if (__builtin_add_overflow(ks, (int64_t)kw[ki], &ks)) { krc = kr_raise(KILN_OverflowError, kr_int_overflow_msg); break; } kcum[ki] = ks;';
      return {
        result: T.list(s.item), argTypes,
        emit: (g, a, o, cx) => [
          `{ int64_t kk = ${a[3]} > 0 ? ${a[3]} : 0, kn = ${s.len(a[0])}, knw = ${a[wi]}->len; const ${wc} *kw = (const ${wc} *)${a[wi]}->data;`,
          `  ${ct} ks = 0, *kcum = (${ct} *)malloc((size_t)(knw ? knw : 1) * sizeof(${ct})); double ktotal; int krc = kcum ? 0 : kr_raise(KILN_MemoryError, "");`,
          `  if (!krc) for (int64_t ki = 0; ki < knw; ki++) { ${accumulate.replace('${ct}', ct)} }`,
          `  if (!krc) krc = kr_random_choices_total${suffix}(kcum, knw, kn, &ktotal);`,
          `  if (!krc && !(${newList(s.item, o)})) krc = -1;`,
          `  if (!krc) for (int64_t ki = 0; ki < kk; ki++) ${store(s, a[0], o, `kr_random_choices_draw_cum${suffix}(${g}, kcum, kn, ktotal)`)}`,
          `  (void)ks; free(kcum); ${cx.try('krc')} }`,
        ],
      };
    },
  },
  {
    name: 'gauss', python: 'random.gauss(mu=0.0, sigma=1.0)', keywords: ['mu', 'sigma'], defaults: F0,
    signatures: ['number, number -> float (Box-Muller with the cached second value, as CPython)'],
    resolve: (args) => (!args.every(isNumber) ? 'gauss() takes numbers'
      : { result: T.float, argTypes: [T.float, T.float], emit: (g, a, o) => [`${o} = kr_random_gauss(${g}, ${a[0]}, ${a[1]});`] }),
  },
  {
    name: 'normalvariate', python: 'random.normalvariate(mu=0.0, sigma=1.0)', keywords: ['mu', 'sigma'], defaults: F0,
    signatures: ['number, number -> float (Kinderman-Monahan, as CPython)'],
    resolve: (args) => (!args.every(isNumber) ? 'normalvariate() takes numbers'
      : { result: T.float, argTypes: [T.float, T.float], emit: (g, a, o) => [`${o} = kr_random_normalvariate(${g}, ${a[0]}, ${a[1]});`] }),
  },
  {
    name: 'expovariate', python: 'random.expovariate(lambd)', signatures: ['number -> float (ZeroDivisionError for 0, as CPython)'],
    resolve: (args) => (args.length !== 1 || !isNumber(args[0]) ? 'expovariate() takes one number (lambd)'
      : { result: T.float, argTypes: [T.float], emit: (g, a, o, cx) => [cx.try(`kr_random_expovariate(${g}, ${a[0]}, &${o})`)] }),
  },
];

/** `random.X(...)` on the module-level generator. */
const moduleOps: OpDef[] = MEMBERS.map((m): OpDef => ({
  target: `random.${m.name}`, python: m.python, signatures: m.signatures,
  facts: { ...HEADERS, ...(m.keywords ? { keywords: m.keywords } : {}), ...(m.defaults ? { defaults: m.defaults } : {}), ...(m.writes ? { writes: m.writes } : {}), ...(m.arrayRuntime ? { arrayRuntime: true } : {}) },
  resolve(args): Resolved | string {
    const r = m.resolve(args);
    if (typeof r === 'string') return r;
    return { result: r.result, argTypes: r.argTypes, lower: stmts((a, out, cx) => r.emit(MODULE_GEN, a, out, cx)) };
  },
}));

const seed: OpDef = {
  target: 'random.seed', python: 'random.seed(a=None)', facts: { ...HEADERS },
  signatures: ['int -> None (CPython\'s init_by_array over the 32-bit words of abs(a))', 'float -> None (seeded by hash(a), as CPython)', 'no argument or None -> None (seeded from the clock: not reproducible, as CPython\'s os.urandom seed is not)'],
  resolve(args) {
    if (args.length > 1) return 'random.seed() takes one seed here (version=2 is the default)';
    const [a] = args;
    if (!a || isNone(a)) return { result: T.none, argTypes: args.map(() => T.none), lower: stmts(() => ['kr_random_seed_entropy(&kr_random_module); kr_random_module_ready = 1;']) };
    if (isInt(a)) return { result: T.none, argTypes: [T.int], lower: stmts((x) => [`kr_random_seed_i64(&kr_random_module, ${x[0]}); kr_random_module_ready = 1;`]) };
    if (isFloatLike(a) && a.kind === 'scalar' && (a.name === 'float' || a.name === 'float64')) return { result: T.none, argTypes: [T.float], lower: stmts((x) => [`kr_random_seed_f64(&kr_random_module, ${x[0]}); kr_random_module_ready = 1;`]) };
    return `random.seed() of ${pyName(a)} is not compiled: seed with an int`;
  },
};

export const random: OpDomain = { name: 'random', title: 'The random module (bit-exact with CPython for a seeded generator)', ops: [seed, ...moduleOps] };
