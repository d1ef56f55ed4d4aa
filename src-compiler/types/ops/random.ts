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
import { alloc, seqItem, seqLen, shapeArg } from './common_arrays.ts';

const HEADERS: OpFacts = { headers: ['kiln_random.h'] };
/** The module-level generator (seeded from the clock on first use, as CPython's is from os.urandom). */
const MODULE_GEN = 'kr_random_default()';

const isInt = (t: KType | undefined) => !!t && (isPyInt(t) || isBool(t));
const isNumber = (t: KType | undefined) => !!t && t.kind === 'scalar';

/** The members of `random.Random` compiled here: module function and method alike (`random.X(...)`, `r.X(...)`). */
/** A member's resolution: `facts` holds for these arguments only (a size= draw sizes an array by its arguments). */
type MemberResolved = { result: KType; argTypes: KType[]; emit: (gen: string, a: string[], out: string, cx: LowerContext) => string[]; facts?: OpFacts };
type Member = {
  name: string; python: string; signatures: string[]; keywords?: readonly string[]; defaults?: OpFacts['defaults'];
  writes?: readonly number[]; arrayRuntime?: boolean;
  /** Built on the C library's log/exp/cos/acos/pow: OpFacts.libc (tests/runtime/random.test.ts's bounds). */
  libc?: number;
  /** args: the call's arguments without the generator; gen: the C expression of the `kr_random *`. */
  resolve(args: KType[]): MemberResolved | string;
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
      if (l.kind !== 'list' || l.tuple) return `random.shuffle() of ${pyName(l)} is not compiled: shuffle a list`;
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
    name: 'gauss', python: 'random.gauss(mu=0.0, sigma=1.0)', keywords: ['mu', 'sigma'], defaults: F0, libc: 4,
    signatures: ['number, number -> float (Box-Muller with the cached second value, as CPython)'],
    resolve: (args) => (!args.every(isNumber) ? 'gauss() takes numbers'
      : { result: T.float, argTypes: [T.float, T.float], emit: (g, a, o) => [`${o} = kr_random_gauss(${g}, ${a[0]}, ${a[1]});`] }),
  },
  {
    name: 'normalvariate', python: 'random.normalvariate(mu=0.0, sigma=1.0)', keywords: ['mu', 'sigma'], defaults: F0, libc: 4,
    signatures: ['number, number -> float (Kinderman-Monahan, as CPython)'],
    resolve: (args) => (!args.every(isNumber) ? 'normalvariate() takes numbers'
      : { result: T.float, argTypes: [T.float, T.float], emit: (g, a, o) => [`${o} = kr_random_normalvariate(${g}, ${a[0]}, ${a[1]});`] }),
  },
  {
    name: 'expovariate', python: 'random.expovariate(lambd)', libc: 4, signatures: ['number -> float (ZeroDivisionError for 0, as CPython)'],
    resolve: (args) => (args.length !== 1 || !isNumber(args[0]) ? 'expovariate() takes one number (lambd)'
      : { result: T.float, argTypes: [T.float], emit: (g, a, o, cx) => [cx.try(`kr_random_expovariate(${g}, ${a[0]}, &${o})`)] }),
  },
  {
    name: 'triangular', python: 'random.triangular(low=0.0, high=1.0, mode=None)', keywords: ['low', 'high', 'mode'],
    defaults: { low: F0.mu, high: F0.sigma }, signatures: ['number, number[, number] -> float (as random.py)'],
    resolve([low, high, mode]) {
      if (!isNumber(low) || !isNumber(high) || !(isNone(mode) || isNumber(mode))) return 'triangular() takes numbers';
      const m = !isNone(mode);
      return { result: T.float, argTypes: [T.float, T.float, m ? T.float : T.none], emit: (g, a, o) => [`${o} = kr_random_triangular(${g}, ${a[0]}, ${a[1]}, ${m ? 1 : 0}, ${m ? a[2] : '0.0'});`] };
    },
  },
  // The variates with their own errors (ValueError as random.py), each a fallible call of its parameters.
  ...([['lognormvariate', 'mu, sigma'], ['vonmisesvariate', 'mu, kappa'], ['gammavariate', 'alpha, beta'], ['betavariate', 'alpha, beta'],
    ['paretovariate', 'alpha'], ['weibullvariate', 'alpha, beta']] as const).map(([name, params]): Member => {
    const n = params.split(', ').length;
    return {
      name, python: `random.${name}(${params})`, libc: name === 'vonmisesvariate' ? 1024 : 8, signatures: [`${params.split(', ').map(() => 'number').join(', ')} -> float (as random.py)`],
      resolve: (args) => (args.length !== n || !args.every(isNumber) ? `${name}() takes ${n} number${n > 1 ? 's' : ''} (${params})`
        : { result: T.float, argTypes: args.map(() => T.float), emit: (g, a, o, cx) => [cx.try(`kr_random_${name}(${g}, ${a.join(', ')}, &${o})`)] }),
    };
  }),
];

/** `random.X(...)` on the module-level generator. */
const moduleOps: OpDef[] = MEMBERS.map((m): OpDef => ({
  target: `random.${m.name}`, python: m.python, signatures: m.signatures,
  facts: {
    ...HEADERS, ...(m.keywords ? { keywords: m.keywords } : {}), ...(m.defaults ? { defaults: m.defaults } : {}),
    ...(m.writes ? { writes: m.writes } : {}), ...(m.arrayRuntime ? { arrayRuntime: true } : {}), ...(m.libc ? { libc: m.libc } : {}),
  },
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


// ---- generators as values: random.Random(seed), np.random.default_rng(seed) ----------------------------

const RANDOM: KType = { kind: 'rng', of: 'random' };
const GENERATOR: KType = { kind: 'rng', of: 'numpy' };

/** NumPy's Generator methods compiled here; `args` without the generator. */
type NpMember = { name: string; keywords: readonly string[]; signatures: string[]; resolve: Member['resolve'] };

/**
 * A draw of NumPy's Generator: one number (size=None), or a new array of shape `size` (an int or a tuple of 1 to 3
 * ints) filled in C order. NumPy checks the parameters before it allocates, then draws item by item from the same
 * stream as that many one-number calls (its fill loops; the 32-bit half kept by PCG64 between integers() draws is
 * the generator's, kr_pcg64_next32). `params`: the parameter types before size; `check` a fallible C call or none;
 * `emptyUnchecked`: an empty size skips the check (integers(5, 5, size=0) is an empty array in NumPy, size=1 raises).
 */
function drawn(
  name: string, size: KType | undefined, dtype: 'float64' | 'int64', one: KType, params: KType[],
  check: ((a: string[]) => string) | undefined, draw: (g: string, a: string[]) => string, emptyUnchecked = false,
): ReturnType<Member['resolve']> {
  const checks = (a: string[], cx: LowerContext) => (check ? [cx.try(check(a))] : []);
  if (isNone(size)) return { result: one, argTypes: [...params, T.none], emit: (g, a, o, cx) => [...checks(a, cx), `${o} = ${draw(g, a)};`] };
  const s = shapeArg(size!);
  if (typeof s === 'string') return `Generator.${name}(size=...): ${s}`;
  return {
    result: T.array(dtype, s.nd), argTypes: [...params, size!], facts: { sizedByArgs: true },
    emit: (g, a, o, cx) => [
      '{', '  int64_t ksh[3] = {1, 1, 1};', `  ${s.fill(a[params.length])}`,
      ...checks(a, cx).map((l) => (emptyUnchecked ? `  if (ksh[0] != 0 && ksh[1] != 0 && ksh[2] != 0) ${l}` : `  ${l}`)), `  ${alloc(o, 'ksh', s.nd, dtype, false, cx)}`,
      `  int64_t kn = kr_size(ksh, ${s.nd});`, `  for (int64_t k = 0; k < kn; k++) ${o}.data[k] = ${draw(g, a)};`, '}',
    ],
  };
}
const SIZE = 'size=n or a tuple of 1-3 ints: a new array of that shape, NumPy\'s numbers in C order';

const NP_MEMBERS: NpMember[] = [
  {
    name: 'random', keywords: ['size'], signatures: ['Generator -> float in [0, 1) (53 bits of one PCG64 output, as NumPy)', `Generator, ${SIZE} (float64)`],
    resolve: ([size]) => drawn('random', size, 'float64', T.float, [], undefined, (g) => `kr_np_random(${g})`),
  },
  {
    name: 'integers', keywords: ['low', 'high', 'size'],
    signatures: ['Generator, int[, int] -> np.int64 in [low, high) (Lemire\'s method, as NumPy; ValueError "low >= high" / "high <= 0")', `Generator, int[, int], ${SIZE} (int64)`],
    resolve([low, high, size]) {
      if (!isInt(low) || !(isNone(high) || isInt(high))) return 'Generator.integers() of anything but ints is not compiled: pass ints';
      const [lo, hi] = isNone(high) ? [() => '0', (a: string[]) => a[0]] : [(a: string[]) => a[0], (a: string[]) => a[1]];
      return drawn('integers', size, 'int64', T.np('int64'), [T.int, isNone(high) ? T.none : T.int], (a) => `kr_np_integers_check(${lo(a)}, ${hi(a)})`, (g, a) => `kr_np_integers_draw(${g}, ${lo(a)}, ${hi(a)})`, true);
    },
  },
  {
    name: 'standard_normal', keywords: ['size'], signatures: ['Generator -> float (NumPy\'s 256-level ziggurat)', `Generator, ${SIZE} (float64)`],
    resolve: ([size]) => drawn('standard_normal', size, 'float64', T.float, [], undefined, (g) => `kr_np_standard_normal(${g})`),
  },
  {
    name: 'normal', keywords: ['loc', 'scale', 'size'], signatures: ['Generator[, loc[, scale]] -> float (loc + scale * standard_normal(); ValueError "scale < 0")', `Generator[, loc[, scale]], ${SIZE} (float64)`],
    resolve([loc, scale, size]) {
      if (!(isNone(loc) || isNumber(loc)) || !(isNone(scale) || isNumber(scale))) return 'Generator.normal() takes numbers';
      const l = (a: string[]) => (isNone(loc) ? '0.0' : a[0]), sc = (a: string[]) => (isNone(scale) ? '1.0' : a[1]);
      return drawn('normal', size, 'float64', T.float, [isNone(loc) ? T.none : T.float, isNone(scale) ? T.none : T.float], (a) => `kr_np_normal_check(${sc(a)})`, (g, a) => `${l(a)} + ${sc(a)} * kr_np_standard_normal(${g})`);
    },
  },
  {
    name: 'uniform', keywords: ['low', 'high', 'size'], signatures: ['Generator[, low[, high]] -> float (low + (high - low) * random(); OverflowError/ValueError as NumPy)', `Generator[, low[, high]], ${SIZE} (float64)`],
    resolve([low, high, size]) {
      if (!(isNone(low) || isNumber(low)) || !(isNone(high) || isNumber(high))) return 'Generator.uniform() takes numbers';
      const lo = (a: string[]) => (isNone(low) ? '0.0' : a[0]), hi = (a: string[]) => (isNone(high) ? '1.0' : a[1]);
      return drawn('uniform', size, 'float64', T.float, [isNone(low) ? T.none : T.float, isNone(high) ? T.none : T.float], (a) => `kr_np_uniform_check(${lo(a)}, ${hi(a)})`, (g, a) => `${lo(a)} + (${hi(a)} - ${lo(a)}) * kr_np_random(${g})`);
    },
  },
  {
    name: 'choice', keywords: ['a', 'size', 'replace', 'p', 'axis', 'shuffle'],
    signatures: [
      'Generator, int -> int in [0, a)', 'Generator, list[int] | list[float] -> np.int64 | np.float64 (size=None, no p; ValueError when empty)',
      `Generator, int | list[int] | list[float], ${SIZE}[, replace=bool] (int64 or the list's dtype): with replacement integers(0, len(a), size); without, NumPy's Floyd sample (or its tail shuffle of a large population) then its shuffle`,
    ],
    resolve([a, size, replace, p, axis, shuffle]) {
      if (![p, axis, shuffle].every(isNone)) return 'Generator.choice() with p=, axis= or shuffle= is not compiled yet: choose with the defaults';
      if (!isNone(replace) && !isBool(replace)) return 'Generator.choice() takes replace=True or replace=False';
      const item = isInt(a) ? undefined : a?.kind === 'list' && a.item.kind === 'scalar' && !isBool(a.item) ? (isFloatLike(a.item) ? 'float64' : isInt(a.item) ? 'int64' : undefined) : undefined;
      if (!isInt(a) && !item) return `Generator.choice() of ${a ? pyName(a) : 'None'} is not compiled: choose from an int or a list of numbers`;
      const ct = item ? cType((a as KType & { kind: 'list' }).item) : 'int64_t';
      const pop = (x: string[]) => (item ? `${x[0]}->len` : x[0]);
      const rest = [isNone(size) ? T.none : size!, isNone(replace) ? T.none : T.bool, T.none, T.none, T.none];
      if (isNone(size)) {
        // One draw: the same number with or without replacement (a sample of one is one bounded draw in NumPy too).
        if (!item) return { result: T.int, argTypes: [T.int, ...rest], emit: (g, x, o, cx) => [cx.try(`kr_np_choice_index(${g}, ${x[0]}, 1, &${o})`)] };
        return {
          result: T.np(item), argTypes: [a!, ...rest],
          emit: (g, x, o, cx) => [`{ int64_t kidx; ${cx.try(`kr_np_choice_index(${g}, ${x[0]}->len, 0, &kidx)`)} ${o} = ((${ct} *)${x[0]}->data)[kidx]; }`],
        };
      }
      const shape = shapeArg(size!);
      if (typeof shape === 'string') return `Generator.choice(size=...): ${shape}`;
      const dtype = item ?? 'int64';
      return {
        result: T.array(dtype, shape.nd), argTypes: [item ? a! : T.int, ...rest], facts: { sizedByArgs: true },
        emit: (g, x, o, cx) => [
          '{', '  int64_t ksh[3] = {1, 1, 1};', `  ${shape.fill(x[1])}`,
          `  int64_t kn = ksh[0] * ksh[1] * ksh[2], kpop = ${pop(x)}; int krep = ${isNone(replace) ? '1' : x[2]};`,
          `  ${cx.try(`kr_np_choice_check(kpop, ${item ? 0 : 1}, kn, krep)`)}`,
          `  ${alloc(o, 'ksh', shape.nd, dtype, false, cx)}`,
          `  ${cx.try(`kr_np_choice_fill(${g}, kpop, kn, krep, (int64_t *)${o}.data)`)}`,
          ...(item ? [`  for (int64_t k = 0; k < kn; k++) ${o}.data[k] = ((${ct} *)${x[0]}->data)[((int64_t *)${o}.data)[k]];`] : []),
          '}',
        ],
      };
    },
  },
  {
    name: 'shuffle', keywords: ['x', 'axis'], signatures: ['Generator, list -> None (in place, NumPy\'s order of swaps)'],
    resolve([l, axis]) {
      if (!isNone(axis)) return 'Generator.shuffle() with axis= is not compiled: shuffle a list';
      if (!l || l.kind !== 'list') return `Generator.shuffle() of ${l ? pyName(l) : 'None'} is not compiled: shuffle a list`;
      const et = l.item.kind === 'none' ? 'int64_t' : cType(l.item);
      return { result: T.none, argTypes: [l, T.none], emit: (g, x) => [`kr_np_shuffle(${g}, ${x[0]}->data, ${x[0]}->len, sizeof(${et}));`] };
    },
  },
];

/** `r.seed(a)` on a random.Random: as random.seed on the module's generator. */
const randomSeedMember: Member = {
  name: 'seed', python: 'r.seed(a)', signatures: ['random.Random, int -> None'],
  resolve: (args) => (args.length !== 1 || !isInt(args[0]) ? 'Random.seed() takes an int seed here'
    : { result: T.none, argTypes: [T.int], emit: (g, a) => [`kr_random_seed_i64(${g}, ${a[0]});`] }),
};

/**
 * `r.X(...)` on a generator value: random.Random's methods (the module's functions) and NumPy Generator's, one op
 * per method name. Keyword names are NumPy's where it has the method (its calls use them: size=, loc=, scale=),
 * else random's; random.Random's methods take their arguments by position there.
 */
const methodOps: OpDef[] = [...new Set([...MEMBERS.map((m) => m.name), 'seed', ...NP_MEMBERS.map((m) => m.name)])].map((name): OpDef => {
  const rm = name === 'seed' ? randomSeedMember : MEMBERS.find((m) => m.name === name);
  const nm = NP_MEMBERS.find((m) => m.name === name);
  const keywords = nm ? ['self', ...nm.keywords] : rm?.keywords ? ['self', ...rm.keywords] : undefined;
  return {
    target: `method.${name}`, python: `r.${name}(...)`,
    signatures: [...(rm ? rm.signatures.map((s) => `random.Random: ${s}`) : []), ...(nm ? nm.signatures.map((s) => `np.random.Generator: ${s}`) : [])],
    facts: {
      ...HEADERS, ...(keywords ? { keywords } : {}), ...(rm?.writes ? { writes: rm.writes.map((i) => i + 1) } : {}),
      ...(rm?.arrayRuntime ? { arrayRuntime: true } : {}),
    },
    resolve(args): Resolved | string | undefined {
      const [self, ...rest] = args;
      if (!self || self.kind !== 'rng') return `'${self ? pyName(self) : 'None'}' object has no attribute '${name}'`;
      const m = self.of === 'random' ? rm : nm;
      if (!m) return `'${typeToString(self)}' object has no attribute '${name}'${self.of === 'numpy' ? ' (or it is not compiled yet)' : ''}`;
      // A random.Random method called through NumPy's keyword list: the trailing None fillers are not its arguments.
      let own = rest;
      if (self.of === 'random' && nm && !rm?.keywords) {
        while (own.length && isNone(own[own.length - 1])) own = own.slice(0, -1);
      }
      const r = m.resolve(own);
      if (typeof r === 'string') return r;
      const pad = rest.slice(r.argTypes.length).map(() => T.none);
      const lower = stmts((a, out, cx) => r.emit(a[0], a.slice(1), out, cx));
      const facts = { ...r.facts, ...(m === rm && rm.libc ? { libc: rm.libc } : {}) };
      return { result: r.result, argTypes: [self, ...r.argTypes, ...pad], lower, ...(Object.keys(facts).length ? { facts } : {}) };
    },
  };
});

const constructors: OpDef[] = [
  {
    target: 'random.Random', python: 'random.Random(seed)', facts: { ...HEADERS, arrayRuntime: true },
    signatures: ['int -> random.Random (its own MT19937, seeded as random.seed(seed))', 'no argument -> random.Random seeded from the clock'],
    resolve(args) {
      if (args.length > 1 || (args.length && !isNone(args[0]) && !isInt(args[0]))) return 'random.Random() takes an int seed here';
      const seeded = args.length === 1 && !isNone(args[0]);
      return {
        result: RANDOM, argTypes: seeded ? [T.int] : args.map(() => T.none),
        lower: stmts((a, o, cx) => [`${o} = (kr_random *)kr_cell_new(sizeof(kr_random)); if (!${o}) ${cx.propagate()}`, seeded ? `kr_random_seed_i64(${o}, ${a[0]});` : `kr_random_seed_entropy(${o});`]),
      };
    },
  },
  {
    target: 'numpy.random.default_rng', python: 'np.random.default_rng(seed)', facts: { ...HEADERS, arrayRuntime: true },
    signatures: ['int -> numpy.random.Generator (PCG64 seeded by NumPy\'s SeedSequence; ValueError for a negative seed)', 'no argument or None -> Generator seeded from the clock'],
    resolve(args) {
      if (args.length > 1 || (args.length && !isNone(args[0]) && !isInt(args[0]))) return 'np.random.default_rng() takes an int seed here';
      const seeded = args.length === 1 && !isNone(args[0]);
      return {
        result: GENERATOR, argTypes: seeded ? [T.int] : args.map(() => T.none),
        lower: stmts((a, o, cx) => [`${o} = (kr_np_rng *)kr_cell_new(sizeof(kr_np_rng)); if (!${o}) ${cx.propagate()}`, seeded ? cx.try(`kr_np_default_rng_i64(${o}, ${a[0]})`) : `kr_np_default_rng_entropy(${o});`]),
      };
    },
  },
];

export const random: OpDomain = {
  name: 'random', title: 'The random module and NumPy\'s default_rng (bit-exact with CPython and NumPy 2 for a seeded generator)',
  ops: [seed, ...moduleOps, ...constructors, ...methodOps],
};
