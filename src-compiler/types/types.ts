
/** Kiln's native value types. Plain JSON data so typed IR can be printed, cached and sent to the studio. */

export type ScalarName =
  | 'int' // Python int, held as int64; overflow raises OverflowError
  | 'float' // Python float: C double
  | 'bool'
  | 'float32' | 'float64'
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  // An array dtype only: NumPy's complex128, items `kr_complex` { re, im }. Its scalar is NumPy's complex128
  // (T.np('complex128') is { kind: 'complex', np: true }: a subclass of complex with NumPy's arithmetic), never a 'scalar' KType.
  | 'complex128';

export type KType =
  | { kind: 'scalar'; name: ScalarName }
  /**
   * A tuple; `record`: a named tuple the library makes (`functools`'s CacheInfo), whose items are also read as
   * attributes (`info.hits`). Its C struct is the plain tuple's; only typing tells the two apart.
   */
  | { kind: 'tuple'; items: KType[]; record?: { name: string; fields: string[] } }
  | { kind: 'none' }
  /** A NumPy array of 1 to 3 dimensions (the number of dimensions is static; the shape is not). */
  | { kind: 'array'; dtype: ScalarName; ndim: number }
  /**
   * A Python list. `item` of kind 'none' is an empty list whose item type is not known yet (`[]`). `tuple`: a tuple of
   * a length known only at run time (`tuple[int, ...]`: `tuple(xs)`, `permutations(xs)`): the same `kr_list *`, which
   * compiled code never changes (types/ops/tuples.ts refuses the list's writes, and gives a tuple's `+`, `==`, `<`,
   * hash, repr and messages), as a frozenset is a set made frozen. A fixed-length tuple is a 'tuple' (a C struct).
   */
  | { kind: 'list'; item: KType; tuple?: true }
  /** A slice object `start:stop:step`, only as an index. */
  | { kind: 'slice' }
  /** Python's Ellipsis (`...`), only as an index of an array (it stands for as many `:` as the array has axes left). */
  | { kind: 'ellipsis' }
  /** A NumPy dtype given as a value (`dtype=np.int64`); `call`: the op it is when called as a function (`map(float, xs)`). */
  | { kind: 'dtype'; name: ScalarName; call?: string }
  /** A value whose type depends on the path or the values: `int | float`, `T | None` (see the unions block below). */
  | { kind: 'union'; members: KType[] }
  /** Python's str: a reference-counted `kr_str *` (resources/c/kiln_str.h, docs/design/strings.md). */
  | { kind: 'str' }
  /**
   * A str of one character that has not escaped, held unboxed as its code point (`uint32_t`): what `s[i]`,
   * `for c in s` and `chr(i)` give. Where a str is needed (a list item, a str variable, a call of a str op
   * that has no code-point form, a result) it becomes one (kr_str_from_cp: shared below 256, so ASCII and
   * Latin-1 text allocates nothing). Never a parameter or a result of an exported function.
   */
  | { kind: 'char' }
  /** Python's bytes: a reference-counted `kr_bytes *`. */
  | { kind: 'bytes' }
  /**
   * A Python dict: a reference-counted `kr_dict *` (resources/c/kiln_dict.h, docs/design/dicts.md). `key` and `value`
   * of kind 'none' are an empty dict (`{}`) whose types are learnt from what goes in. `noneValues`: a display whose
   * values are all None (`parent = {start: None}`), so the value type learnt from what is stored may also be None.
   */
  | { kind: 'dict'; key: KType; value: KType; noneValues?: true }
  /**
   * A Python set: a reference-counted `kr_set *`. `item` of kind 'none': `set()` before anything is added. `frozen`: a
   * frozenset (an exported function's `frozenset[T]` parameter, and what set algebra makes of one): the same runtime
   * set, made frozen (kiln_dict.h), which compiled code never changes (pipeline.ts refusedWrites).
   */
  | { kind: 'set'; item: KType; frozen?: true }
  /** A collections.deque: a reference-counted `kr_deque *` (resources/c/kiln_collections.h). `item` 'none': `deque()` before an append. */
  | { kind: 'deque'; item: KType }
  /**
   * The state of a `for` loop over a dict (its keys, values or items) or a set: a reference-counted `kr_loop *`
   * holding the runtime's iterator (which owns a reference to the container). Never seen by Python code.
   */
  | { kind: 'iter'; of: KType; part: 'keys' | 'values' | 'items' }
  /**
   * An instance of a compiled class (types/classes.ts): a reference-counted `struct kc_<Class> *` whose fields are
   * unboxed where typed. `cls` is the class's qualified name (`module.Vec`).
   */
  | { kind: 'instance'; cls: string }
  /**
   * A member of an `enum.Enum`/`IntEnum` class of the module (types/ops/enums.ts): its index in the class's members
   * (`int64_t`), no heap object. `names` and `values` are the class's members in order (values as Python reprs of
   * int or str literals); `int` for an IntEnum.
   */
  | { kind: 'enum'; cls: string; names: string[]; values: (number | string)[]; int: boolean }
  | FunctionAndIteratorType;

// ---- functions and iterators (issue 12) -------------------------------------------------------------
// Each def and lambda is its own compile-time type, so a helper taking a function is specialised per function
// and the call inside it is direct; a function value that varies at run time is a `funcset`, called through
// a small struct (code pointers + environment). Captured variables shared by reference are `cell`s.

export type FunctionAndIteratorType =
  /** A def or lambda of this module: `fn` is its IR name (`f`, `outer.inner`, `outer.<lambda:12:5>`); `env` the
   *  types of the values its closure holds (captured variables, then the defaults of a nested def). C: the env
   *  as a tuple struct (no storage when empty). */
  | { kind: 'func'; fn: string; env: KType[] }
  /** A library function as a value (`key=abs`, `map(math.sqrt, xs)`): `target` is its op in the registry. */
  | { kind: 'builtin'; target: string }
  /** One of several functions, chosen at run time (a table of functions indexed at run time, a variable given
   *  different functions on different paths). C: `{ vt, env }`, called through vt. Members are func types. */
  | { kind: 'funcset'; members: KType[] }
  /** A captured variable that a closure shares by reference (C: a pointer to the variable's storage). */
  | { kind: 'cell'; item: KType }
  /**
   * A Python complex: C `kr_complex` { re, im } by value (resources/c/kiln_math.h; types/ops/complex.ts). `np`:
   * NumPy's np.complex128 scalar (an item or a sum of a complex128 array), the same C value with NumPy's
   * semantics: division by zero gives inf/nan (no ZeroDivisionError), .real/.imag/abs() are np.float64.
   */
  | { kind: 'complex'; np?: true }
  /** A range object (C: kr_range { start, stop, step }). */
  | { kind: 'range' }
  /**
   * A random generator: `random.Random(seed)` (C: `kr_random *`) or NumPy's `np.random.default_rng(seed)` (C:
   * `kr_np_rng *`), held in the call's heap; copies share it, as Python's names share the object (types/ops/random.ts).
   */
  | { kind: 'rng'; of: 'random' | 'numpy' }
  /**
   * A str-keyed dict whose keys are known at compile time, each with its own value type: `**kwargs` (the extra
   * keyword arguments of a call), and a dict display of constant str keys whose values differ in type
   * (`{"w": matrix, "b": vector}`, model weights nested as `params["blocks"][i]["attn"]["c_attn"]["w"]`).
   * C: the tuple struct of its values (fields own their references, as a tuple's do); `d["w"]` reads a field,
   * a key it lacks raises KeyError. It is never written (types/ops/records.ts). `*args` is a plain tuple.
   */
  | { kind: 'record'; names: string[]; items: KType[] };

export const isFunctionType = (t: KType | undefined): boolean => !!t && (t.kind === 'func' || t.kind === 'builtin' || t.kind === 'funcset' || (t.kind === 'dtype' && !!t.call));

/** A canonical, short C name for a funcset type (members in a stable order). */
export function funcsetName(t: KType & { kind: 'funcset' }): string {
  let h = 2166136261;
  for (const ch of typeToString(t)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `kiln_fnset_${h.toString(36)}`;
}

/** The members of a function type, as a funcset would list them (sorted, without duplicates). */
export function functionMembers(t: KType): KType[] {
  if (t.kind === 'funcset') return t.members;
  return [t];
}

/** Whether `a` is an empty list, dict or set whose types are not known yet, and `b` the same kind of container with known ones. */
function emptyContainerOf(a: KType, b: KType): boolean {
  if (a.kind !== b.kind || sameType(a, b)) return false;
  if (a.kind === 'list') return a.item.kind === 'none';
  if (a.kind === 'dict') return a.key.kind === 'none';
  if (a.kind === 'set' || a.kind === 'deque') return a.item.kind === 'none';
  return false;
}

/** The funcset holding both (or undefined when one is not a function type). */
export function unifyFunctionTypes(a: KType, b: KType): KType | undefined {
  if (!isFunctionType(a) || !isFunctionType(b)) return undefined;
  const all = [...functionMembers(a), ...functionMembers(b)];
  if (all.some((m) => m.kind !== 'func')) return undefined;
  const seen = new Map<string, KType>();
  for (const m of all) {
    // The same function whose environment learnt a container's types since (`out = []` captured, then appended to
    // by the closure): one member, with the learnt environment.
    const f = m as KType & { kind: 'func' };
    const same = [...seen.entries()].find(([, o]) => (o as typeof f).fn === f.fn && (o as typeof f).env.length === f.env.length
      && (o as typeof f).env.every((e, i) => sameType(e, f.env[i]) || emptyContainerOf(e, f.env[i]) || emptyContainerOf(f.env[i], e)));
    if (same) {
      const o = same[1] as typeof f;
      seen.delete(same[0]);
      const env = o.env.map((e, i) => (emptyContainerOf(e, f.env[i]) ? f.env[i] : e));
      const merged: KType = { ...o, env };
      seen.set(typeToString(merged), merged);
    } else seen.set(typeToString(m), m);
  }
  const members = [...seen.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map((e) => e[1]);
  if (members.length === 1) return members[0];
  // A funcset holds one of its members' environments in a union: one holding a str would need its member's own
  // reference counting (not compiled yet).
  if (members.some(ownsReferences)) return undefined;
  return { kind: 'funcset', members };
}

function functionTypeToString(t: FunctionAndIteratorType): string {
  switch (t.kind) {
    case 'func': return `function ${t.fn}${t.env.length ? `[${t.env.map(typeToString).join(', ')}]` : ''}`;
    case 'builtin': return `builtin ${t.target}`;
    case 'funcset': return `functions{${t.members.map(typeToString).join(' | ')}}`;
    case 'cell': return `cell[${typeToString(t.item)}]`;
    case 'range': return 'range';
    case 'rng': return t.of === 'random' ? 'random.Random' : 'numpy.random.Generator';
    case 'complex': return t.np ? 'np.complex128' : 'complex';
    case 'record': return `dict{${t.names.map((n, i) => `'${n}': ${typeToString(t.items[i])}`).join(', ')}}`;
  }
}

/** The C type of a function, cell, range or record value. */
function functionCType(t: FunctionAndIteratorType): string {
  switch (t.kind) {
    case 'func': return t.env.length ? tupleStructName(T.tuple(t.env) as KType & { kind: 'tuple' }) : 'int8_t';
    case 'builtin': return 'int8_t';
    case 'funcset': return funcsetName(t);
    case 'cell': return `${cType(t.item)} *`;
    case 'range': return 'kr_range';
    case 'rng': return t.of === 'random' ? 'kr_random *' : 'kr_np_rng *';
    case 'complex': return 'kr_complex';
    case 'record': return t.items.length ? tupleStructName(T.tuple(t.items) as KType & { kind: 'tuple' }) : 'int8_t';
  }
}
// ---- end of functions and iterators ---------------------------------------------------------------

export const T = {
  int: { kind: 'scalar', name: 'int' } as KType,
  float: { kind: 'scalar', name: 'float' } as KType,
  bool: { kind: 'scalar', name: 'bool' } as KType,
  none: { kind: 'none' } as KType,
  np: (name: ScalarName): KType => (name === 'complex128' ? { kind: 'complex', np: true } : { kind: 'scalar', name }),
  tuple: (items: KType[]): KType => ({ kind: 'tuple', items }),
  array: (dtype: ScalarName, ndim: number): KType => ({ kind: 'array', dtype, ndim }),
  list: (item: KType): KType => ({ kind: 'list', item }),
  /** A tuple of a length known only at run time (`tuple[int, ...]`): a list compiled code never changes. */
  vtuple: (item: KType): KType => ({ kind: 'list', item, tuple: true }),
  slice: { kind: 'slice' } as KType,
  ellipsis: { kind: 'ellipsis' } as KType,
  dtype: (name: ScalarName): KType => ({ kind: 'dtype', name }),
  range: { kind: 'range' } as KType,
  str: { kind: 'str' } as KType,
  char: { kind: 'char' } as KType,
  bytes: { kind: 'bytes' } as KType,
  dict: (key: KType, value: KType): KType => ({ kind: 'dict', key, value }),
  set: (item: KType): KType => ({ kind: 'set', item }),
  deque: (item: KType): KType => ({ kind: 'deque', item }),
};

export const NUMPY_SCALARS: ScalarName[] = [
  'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
];

export interface ScalarInfo {
  c: string; // the C type
  numpy: boolean; // a NumPy scalar (wraps on overflow, NumPy promotion)
  float: boolean;
  signed: boolean;
  bits: number;
  /** complex128: two doubles; no C arithmetic, comparisons or casts (types/ops/complex_arrays.ts). */
  complex?: boolean;
}

export const SCALARS: Record<ScalarName, ScalarInfo> = {
  int: { c: 'int64_t', numpy: false, float: false, signed: true, bits: 64 },
  float: { c: 'double', numpy: false, float: true, signed: true, bits: 64 },
  bool: { c: 'bool', numpy: false, float: false, signed: false, bits: 1 },
  float32: { c: 'float', numpy: true, float: true, signed: true, bits: 32 },
  float64: { c: 'double', numpy: true, float: true, signed: true, bits: 64 },
  int8: { c: 'int8_t', numpy: true, float: false, signed: true, bits: 8 },
  int16: { c: 'int16_t', numpy: true, float: false, signed: true, bits: 16 },
  int32: { c: 'int32_t', numpy: true, float: false, signed: true, bits: 32 },
  int64: { c: 'int64_t', numpy: true, float: false, signed: true, bits: 64 },
  uint8: { c: 'uint8_t', numpy: true, float: false, signed: false, bits: 8 },
  uint16: { c: 'uint16_t', numpy: true, float: false, signed: false, bits: 16 },
  uint32: { c: 'uint32_t', numpy: true, float: false, signed: false, bits: 32 },
  uint64: { c: 'uint64_t', numpy: true, float: false, signed: false, bits: 64 },
  complex128: { c: 'kr_complex', numpy: true, float: false, signed: true, bits: 128, complex: true },
};

export function typeToString(t: KType): string {
  if (t.kind === 'none') return 'None';
  if (t.kind === 'union') return t.members.map(typeToString).join(' | ');
  if (t.kind === 'array') return `ndarray[${t.dtype === 'bool' ? 'bool' : t.dtype}, ${t.ndim}d]`;
  if (t.kind === 'list' && t.tuple) return `tuple[${t.item.kind === 'none' ? '?' : typeToString(t.item)}, ...]`;
  if (t.kind === 'list') return t.item.kind === 'none' ? 'list[?]' : `list[${typeToString(t.item)}]`;
  if (t.kind === 'slice') return 'slice';
  if (t.kind === 'ellipsis') return 'ellipsis';
  if (t.kind === 'dtype') return t.call && !t.call.startsWith('numpy.') ? `dtype[${t.name}] ${t.call}` : `dtype[${t.name}]`;
  if (t.kind === 'func' || t.kind === 'builtin' || t.kind === 'funcset' || t.kind === 'cell' || t.kind === 'range' || t.kind === 'record' || t.kind === 'rng' || t.kind === 'complex') return functionTypeToString(t);
  if (t.kind === 'tuple' && t.record) return `${t.record.name}(${t.items.map((x, i) => `${t.record!.fields[i]}: ${typeToString(x)}`).join(', ')})`;
  if (t.kind === 'tuple') return `tuple[${t.items.map(typeToString).join(', ')}]`;
  if (t.kind === 'str' || t.kind === 'bytes') return t.kind;
  if (t.kind === 'char') return 'str (one character)';
  if (t.kind === 'dict') return t.key.kind === 'none' ? 'dict[?, ?]' : `dict[${typeToString(t.key)}, ${t.value.kind === 'none' ? '?' : typeToString(t.value)}]`;
  if (t.kind === 'set') return t.item.kind === 'none' ? 'set[?]' : `${t.frozen ? 'frozenset' : 'set'}[${typeToString(t.item)}]`;
  if (t.kind === 'deque') return t.item.kind === 'none' ? 'deque[?]' : `deque[${typeToString(t.item)}]`;
  if (t.kind === 'instance' || t.kind === 'enum') return t.cls.slice(t.cls.lastIndexOf('.') + 1);
  if (t.kind === 'iter') return `iterator over ${t.part === 'keys' ? '' : `the ${t.part} of `}${typeToString(t.of)}`;
  return SCALARS[t.name].numpy ? `np.${t.name}` : t.name;
}

export function sameType(a: KType, b: KType): boolean {
  return typeToString(a) === typeToString(b);
}

export const isScalar = (t: KType, ...names: ScalarName[]): boolean =>
  t.kind === 'scalar' && (names.length === 0 || names.includes(t.name));
export const isPyInt = (t: KType) => isScalar(t, 'int');
export const isPyFloat = (t: KType) => isScalar(t, 'float');
export const isBool = (t: KType) => isScalar(t, 'bool');
export const isNumpy = (t: KType) => t.kind === 'scalar' && SCALARS[t.name].numpy;
/** A NumPy scalar of a number type: np.float64, np.int64, ..., and np.complex128 (NumPy's bool_ is typed bool). */
export const isNumpyNumber = (t: KType) => isNumpy(t) || (t.kind === 'complex' && !!t.np);
export const isFloatLike = (t: KType) => t.kind === 'scalar' && SCALARS[t.name].float;
export const isIntLike = (t: KType) => t.kind === 'scalar' && !SCALARS[t.name].float; // includes bool

/** The C type that holds a value of this type. Tuples are named structs. */
export function cType(t: KType): string {
  if (t.kind === 'none') return 'int8_t';
  if (t.kind === 'array') return arrayStructName(t.dtype);
  if (t.kind === 'list') return 'kr_list *';
  if (t.kind === 'slice') return 'kr_slice';
  if (t.kind === 'dtype' || t.kind === 'ellipsis') return 'int8_t';
  if (t.kind === 'tuple') return t.items.length ? tupleStructName(t) : 'int8_t';
  if (t.kind === 'union') return unionCType(t);
  if (t.kind === 'str') return 'kr_str *';
  if (t.kind === 'bytes') return 'kr_bytes *';
  if (t.kind === 'char') return 'uint32_t';
  if (t.kind === 'dict') return 'kr_dict *';
  if (t.kind === 'set') return 'kr_set *';
  if (t.kind === 'deque') return 'kr_deque *';
  if (t.kind === 'iter') return 'kr_loop *';
  if (t.kind === 'instance') return valueClasses.has(t.cls) ? instanceStructName(t.cls) : `${instanceStructName(t.cls)} *`;
  if (t.kind === 'enum') return 'int64_t';
  if (t.kind === 'scalar') return SCALARS[t.name].c;
  return functionCType(t);
}

export function tupleStructName(t: KType & { kind: 'tuple' }): string {
  const part = (x: KType): string =>
    x.kind === 'tuple' ? `T${x.items.length}${x.items.map(part).join('')}E` : x.kind === 'union' ? `U${x.members.length}${x.members.map(part).join('')}E` : x.kind === 'scalar' ? x.name
      : x.kind === 'array' ? `A${x.ndim}${x.dtype}` : x.kind === 'list' ? `${x.tuple ? 'V' : 'L'}${part(x.item)}` : x.kind === 'str' ? 'S' : x.kind === 'bytes' ? 'B' : x.kind === 'char' ? 'C'
        : x.kind === 'func' ? (x.env.length ? `F${x.env.length}${x.env.map(part).join('')}E` : 'f') : x.kind === 'funcset' ? funcsetName(x).slice(5) : x.kind === 'cell' ? `P${part(x.item)}E`
          : x.kind === 'range' ? 'R' : x.kind === 'record' ? `K${x.items.length}${x.items.map(part).join('')}E`
            : x.kind === 'dict' ? `D${part(x.key)}${part(x.value)}E` : x.kind === 'set' ? `${x.frozen ? 'Y' : 'Z'}${part(x.item)}E` : x.kind === 'deque' ? `Q${part(x.item)}E`
              : x.kind === 'instance' ? `I${x.cls.replace(/[^A-Za-z0-9]/g, '_')}E` : x.kind === 'enum' ? `N${x.cls.replace(/[^A-Za-z0-9]/g, '_')}E` : x.kind[0];
  return `kiln_tuple_${t.items.map(part).join('_')}`;
}

/** Every tuple (and union struct) type reachable from `t`, innermost first (the order C needs to declare them). */
export function tupleTypesIn(t: KType, out: KType[] = []): KType[] {
  if (t.kind === 'tuple') {
    for (const item of t.items) tupleTypesIn(item, out);
    const plain = t.record ? T.tuple(t.items) : t; // a record's struct is its plain tuple's
    if (t.items.length && !out.some((x) => sameType(x, plain))) out.push(plain);
  }
  // A closure's environment and **kwargs are tuple structs too; a funcset's members' environments are in its union.
  if ((t.kind === 'func' && t.env.length) || (t.kind === 'record' && t.items.length)) tupleTypesIn(T.tuple(t.kind === 'func' ? t.env : t.items), out);
  if (t.kind === 'funcset') for (const m of t.members) tupleTypesIn(m, out);
  if (t.kind === 'cell') tupleTypesIn(t.item, out);
  if (t.kind === 'list') tupleTypesIn(t.item, out);
  // A dict's tuple keys and a set's tuple items: the header declares them for the flat ABI layout (lower/abi.ts flatKey).
  if (t.kind === 'dict') { tupleTypesIn(t.key, out); tupleTypesIn(t.value, out); }
  if (t.kind === 'set' || t.kind === 'deque') tupleTypesIn(t.item, out);
  if (t.kind === 'union') unionStructTypesIn(t, out);
  return out;
}

// ---- arrays and lists -----------------------------------------------------------------------------

/** The ABI struct of an array of `dtype`: `kiln_array_float64` (data, shape[3], strides[3] in elements). */
export function arrayStructName(dtype: ScalarName): string {
  return `kiln_array_${dtype}`;
}

/** The ABI struct of a list passed in or returned: `kiln_list_float` (len, data); a list of lists of numbers `kiln_list_list_float` (len, data, origin). */
export function listStructName(item: KType): string {
  if (item.kind === 'list' && item.item.kind === 'scalar') return `kiln_list_list_${item.item.name}`;
  if (item.kind === 'list' && item.item.kind === 'complex') return 'kiln_list_list_complex';
  if (item.kind === 'complex') return 'kiln_list_complex';
  if (item.kind !== 'scalar') throw new Error(`internal: no ABI struct for a list of ${typeToString(item)}`);
  return `kiln_list_${item.name}`;
}

export const isArray = (t: KType): t is KType & { kind: 'array' } => t.kind === 'array';
export const isList = (t: KType): t is KType & { kind: 'list' } => t.kind === 'list';
/** A tuple whose length is known only at run time (`tuple[int, ...]`): a list compiled code never changes. */
export const isVarTuple = (t: KType | undefined): t is KType & { kind: 'list'; tuple: true } => t?.kind === 'list' && !!t.tuple;
/** Array dtypes Kiln compiles: NumPy's numeric scalars and bool. */
export const ARRAY_DTYPES: ScalarName[] = ['bool', ...NUMPY_SCALARS];

/** The C element type of an array dtype or a list item. */
export function elemCType(t: KType): string {
  if (t.kind === 'array') return SCALARS[t.dtype].c;
  if (t.kind === 'list') return cType(t.item);
  throw new Error(`internal: ${typeToString(t)} has no elements`);
}

/** The type of one element read from an array (a NumPy scalar; bool arrays give bool). */
export function arrayItemType(dtype: ScalarName): KType {
  return T.np(dtype);
}
/** A NumPy complex128 array (types/ops/complex_arrays.ts). */
export const isComplexArray = (t: KType | undefined): boolean => !!t && t.kind === 'array' && t.dtype === 'complex128';
/** Whether a type is or holds a NumPy complex128 array, or is np.complex128 as a dtype value. */
export const holdsComplexArray = (t: KType): boolean => isComplexArray(t) || (t.kind === 'dtype' && t.name === 'complex128')
  || (t.kind === 'tuple' && t.items.some(holdsComplexArray)) || (t.kind === 'list' && holdsComplexArray(t.item))
  || (t.kind === 'dict' && holdsComplexArray(t.value)) || (t.kind === 'union' && t.members.some(holdsComplexArray));

// ==== unions: values whose type depends on the path or the values (issues 12 and 19) ====================
/*
 * `int | float` (a function that returns 0 on one path and total / n on another), `int | None` (a search that
 * returns None when it finds nothing), `tuple[int, int] | None`, `list[int] | None`. unionOf/joinTypes build
 * them normalised: flattened, de-duplicated, tuples of one length merged item by item, members sorted (bool,
 * int, float, NumPy scalars, tuples, lists, arrays, None last); a union of one member is that member.
 *
 * C representation (docs/design/object-model.md):
 * - scalars, None and tuples: a tagged struct, declared per unit like the tuple structs,
 *   `typedef struct { uint8_t tag; union { bool b; int64_t i; double f; float float32; ...; kiln_tuple_.. t0; } v; } kiln_union_int_float;`
 *   The tag is global for scalars and None (KILN_TAG_INT, ...; unionTagDefines), KILN_TAG_TUPLE + k for the
 *   union's k-th tuple member; None has no field.
 * - an object type or None (`list[T] | None`, `ndarray | None`): the object's own C type, None being a value
 *   the object never has: NULL for a list (a `kr_list *`), shape[0] == -1 for an array view. No tag, no cost.
 * Values of a static type are never boxed: a union exists only where definitions of different types meet.
 */

/** The global tags of scalar and None members (tuples: KILN_TAG_TUPLE + their position among the union's tuples). */
export const UNION_TAGS: Record<'none' | ScalarName, number> = {
  none: 0, bool: 1, int: 2, float: 3, float32: 4, float64: 5, int8: 6, int16: 7, int32: 8, int64: 9, uint8: 10, uint16: 11, uint32: 12, uint64: 13,
  complex128: 14, // never a scalar KType (T.np): no union holds one
};
export const UNION_TUPLE_TAG = 32;

export const isUnion = (t: KType | undefined): t is KType & { kind: 'union' } => t?.kind === 'union';

/** The members of a type: a union's, or the type itself. */
export const unionMembers = (t: KType): KType[] => (t.kind === 'union' ? t.members : [t]);

const memberRank = (t: KType): number => {
  if (t.kind === 'scalar') return ['bool', 'int', 'float', ...NUMPY_SCALARS].indexOf(t.name);
  return { tuple: 20, list: 21, array: 22, none: 30 }[t.kind as 'tuple'] ?? 25;
};

/**
 * The union of some types, normalised; a string says why Kiln cannot hold it (a number on one path and an array
 * on another). Same-length tuples join item by item: `(0, 0)` and `(i, x / 2)` give `tuple[int, int | float]`.
 */
export function unionOf(types: KType[]): KType | string {
  let flat: KType[] = [];
  const add = (m: KType) => { if (!flat.some((x) => sameType(x, m))) flat.push(m); };
  for (const t of types) unionMembers(t).forEach(add);
  // A character and a str are both Python's str: where they meet, the value is a str (the character becomes one).
  if (flat.length > 1 && flat.some((m) => escaped(m) !== m)) {
    const raw = flat;
    flat = [];
    raw.map(escaped).forEach(add);
  }
  const objectsWhat = () => `a value that is ${flat.map(typeToString).join(' and ')} on different paths`;
  const objectsHint = 'a str, bytes, dict or set may share a variable with None only, not with another type; a tuple holding a str with neither';
  // Instances of classes with a common base are instances of that base (a list of shapes holds circles and squares).
  for (let i = 0; i < flat.length; i++) {
    for (let j = i + 1; j < flat.length; j++) {
      const a = flat[i], b = flat[j];
      if (a.kind !== 'instance' || b.kind !== 'instance') continue;
      const base = hierarchy?.join(a.cls, b.cls);
      if (!base) return `a value that is ${typeToString(a)} and ${typeToString(b)} on different paths: their classes have no common base`;
      flat[i] = { kind: 'instance', cls: base };
      flat.splice(j, 1);
      j = i;
    }
  }
  // Tuples of one length become one tuple of joined items.
  const members: KType[] = [];
  for (const m of flat) {
    const k = m.kind === 'tuple' ? members.findIndex((x) => x.kind === 'tuple' && x.items.length === m.items.length) : -1;
    if (k < 0) { members.push(m); continue; }
    const prev = members[k] as KType & { kind: 'tuple' };
    if (ownsReferences(prev) || ownsReferences(m)) return `${objectsWhat()} cannot be held natively: ${objectsHint}`;
    const items: KType[] = [];
    for (let i = 0; i < prev.items.length; i++) {
      const j = unionOf([prev.items[i], (m as KType & { kind: 'tuple' }).items[i]]);
      if (typeof j === 'string') return j;
      items.push(j);
    }
    // Two records of one kind stay one (their fields read as attributes); with a plain tuple, a plain tuple.
    const record = prev.record && prev.record.name === (m as KType & { kind: 'tuple' }).record?.name ? prev.record : undefined;
    members[k] = { kind: 'tuple', items, ...(record ? { record } : {}) };
  }
  members.sort((a, b) => memberRank(a) - memberRank(b) || typeToString(a).localeCompare(typeToString(b)));
  if (members.length === 1) return members[0];
  // An instance or None (`Node | None`): the instance's pointer, NULL for None (isNicheOptional).
  if (members.length === 2 && members[0].kind === 'instance' && members[1].kind === 'none') return { kind: 'union', members };
  // A str or bytes, a dict or a set, or None (`str | None`, `dict[str, int] | None`): the object's pointer, NULL for None.
  if (members.length === 2 && members[1].kind === 'none' && ['str', 'bytes', 'dict', 'set'].includes(members[0].kind)) return { kind: 'union', members };
  if (members.some(ownsReferences)) return `${objectsWhat()} cannot be held natively: ${objectsHint}`;
  const objects = members.filter((m) => m.kind === 'list' || m.kind === 'array');
  const what = members.map(typeToString).join(' and ');
  if (objects.length && (members.length !== 2 || !members.some((m) => m.kind === 'none'))) {
    return `a value that is ${what} on different paths: an array or a list may only share a variable with None`;
  }
  const member = members.find((m) => m.kind === 'enum');
  if (member) return `a value that is ${what} on different paths: a variable holding a member of the enum ${typeToString(member)} is not compiled with another type yet (use one of its members as the "no value" case)`;
  const bad = members.find((m) => m.kind === 'slice' || m.kind === 'dtype' || (m.kind === 'tuple' && m.items.some((x) => x.kind === 'list' || x.kind === 'array')));
  if (bad) return `a value that is ${what} on different paths cannot be held natively (${typeToString(bad)})`;
  return { kind: 'union', members };
}

/** The join of two types where paths meet (see unionOf). */
export const joinTypes = (a: KType, b: KType): KType | string => (sameType(a, b) ? a : unionOf([a, b]));

/** The members of `t` that are not `removed`'s (undefined: none left). */
export function withoutMembers(t: KType, removed: KType): KType | undefined {
  const left = unionMembers(t).filter((m) => !unionMembers(removed).some((x) => sameType(x, m)));
  return left.length ? (unionOf(left) as KType) : undefined;
}

/** The members `a` and `b` share (undefined: none). */
export function commonMembers(a: KType, b: KType): KType | undefined {
  const both = unionMembers(a).filter((m) => unionMembers(b).some((x) => sameType(x, m)));
  return both.length ? (unionOf(both) as KType) : undefined;
}

/** `list[T] | None`, `ndarray | None` and `Node | None`: the object's own C type, None a value it never has. */
export function isNicheOptional(u: KType): boolean {
  return u.kind === 'union' && u.members.length === 2 && u.members.some((m) => m.kind === 'none') && u.members.some((m) => ['list', 'array', 'str', 'bytes', 'instance', 'dict', 'set'].includes(m.kind));
}
const nicheObject = (u: KType & { kind: 'union' }) => u.members.find((m) => m.kind !== 'none')!;

export function unionStructName(u: KType & { kind: 'union' }): string {
  return tupleStructName({ kind: 'tuple', items: u.members }).replace(/^kiln_tuple_/, 'kiln_union_');
}

function unionCType(u: KType & { kind: 'union' }): string {
  return isNicheOptional(u) ? cType(nicheObject(u)) : unionStructName(u);
}

/** The C name of a member's tag: KILN_TAG_INT, (KILN_TAG_TUPLE + 1). */
export function unionTagC(u: KType & { kind: 'union' }, m: KType): string {
  if (m.kind === 'tuple') {
    const k = u.members.filter((x) => x.kind === 'tuple').findIndex((x) => sameType(x, m));
    return k === 0 ? 'KILN_TAG_TUPLE' : `(KILN_TAG_TUPLE + ${k})`;
  }
  if (m.kind === 'none') return 'KILN_TAG_NONE';
  if (m.kind === 'scalar') return `KILN_TAG_${m.name.toUpperCase()}`;
  throw new Error(`internal: no tag for ${typeToString(m)} in ${typeToString(u)}`);
}

/** The numeric tag of a member (what crosses the ABI). */
export function unionTag(u: KType & { kind: 'union' }, m: KType): number {
  if (m.kind === 'tuple') return UNION_TUPLE_TAG + u.members.filter((x) => x.kind === 'tuple').findIndex((x) => sameType(x, m));
  if (m.kind === 'none' || m.kind === 'scalar') return UNION_TAGS[m.kind === 'none' ? 'none' : m.name];
  throw new Error(`internal: no tag for ${typeToString(m)}`);
}

/** The field of the struct's `v` that holds a member: b, i, f for Python's bool, int, float; the NumPy name; t<k> for tuples. */
export function unionField(u: KType & { kind: 'union' }, m: KType): string {
  if (m.kind === 'tuple') return `t${u.members.filter((x) => x.kind === 'tuple').findIndex((x) => sameType(x, m))}`;
  if (m.kind === 'scalar') return m.name === 'int' ? 'i' : m.name === 'float' ? 'f' : m.name === 'bool' ? 'b' : m.name;
  throw new Error(`internal: ${typeToString(m)} has no field in ${typeToString(u)}`);
}

/** `#define KILN_TAG_...` lines for a header or a source that uses unions. */
export function unionTagDefines(): string[] {
  return [
    '#ifndef KILN_TAG_NONE',
    ...Object.entries(UNION_TAGS).map(([k, v]) => `#define KILN_TAG_${k.toUpperCase()} ${v}`),
    `#define KILN_TAG_TUPLE ${UNION_TUPLE_TAG}`,
    '#endif',
  ];
}

/** The C declaration of a union struct (none for the object-or-None unions, which are their object's type). */
export function unionStructDecl(u: KType & { kind: 'union' }): string {
  if (isNicheOptional(u)) return '';
  const fields = u.members.filter((m) => m.kind !== 'none').map((m) => `${cType(m)} ${unionField(u, m)};`);
  return `typedef struct { uint8_t tag; union { ${fields.join(' ')} } v; } ${unionStructName(u)};`;
}

function unionStructTypesIn(u: KType & { kind: 'union' }, out: KType[]) {
  for (const m of u.members) tupleTypesIn(m, out);
  if (!isNicheOptional(u) && !out.some((x) => sameType(x, u))) out.push(u);
}

/** C: whether `e` (of union type `u`) holds member `m` now: an equality or a parenthesised test, so it binds tighter than
 *  `&&`, `||` and `?:` and stands alone in `if (...)` (no doubled parentheses, which clang warns about). */
export function unionHolds(e: string, u: KType & { kind: 'union' }, m: KType): string {
  if (isNicheOptional(u)) {
    const obj = nicheObject(u);
    const isNone = obj.kind === 'array' ? `(${e}).shape[0] < 0` : `(${e}) == NULL`;
    return m.kind === 'none' ? `(${isNone})` : `!(${isNone})`;
  }
  return `(${e}).tag == ${unionTagC(u, m)}`;
}

/** C: the value of member `m` that `e` (of union type `u`) holds (the caller has tested the tag). */
export function unionMember(e: string, u: KType & { kind: 'union' }, m: KType): string {
  if (m.kind === 'none') return '0';
  if (isNicheOptional(u)) return e;
  return `(${e}).v.${unionField(u, m)}`;
}

/** C: a value `e` of member type `m` as a value of union type `u`. */
export function unionBox(e: string, m: KType, u: KType & { kind: 'union' }): string {
  if (isNicheOptional(u)) {
    if (m.kind !== 'none') return e;
    const obj = nicheObject(u);
    return obj.kind === 'array' ? `((${cType(obj)}){.data = NULL, .shape = {-1, 1, 1}})` : 'NULL';
  }
  if (m.kind === 'none') return `((${unionStructName(u)}){.tag = KILN_TAG_NONE})`;
  return `((${unionStructName(u)}){.tag = ${unionTagC(u, m)}, .v.${unionField(u, m)} = ${e}})`;
}
// ---- objects: values that own a reference --------------------------------------------------------------

/** A reference-counted object (`kr_obj` header): a C variable of this type owns one reference. */
export const isObject = (t: KType | undefined): boolean =>
  !!t && (t.kind === 'str' || t.kind === 'bytes' || t.kind === 'dict' || t.kind === 'set' || t.kind === 'deque' || t.kind === 'iter' || (t.kind === 'instance' && !valueClasses.has(t.cls))
    // `str | None` and the like: the object's pointer, NULL for None (kr_incref/kr_decref take NULL).
    || (t.kind === 'union' && isNicheOptional(t) && isObject(nicheObject(t))));

/**
 * The classes whose instances are value structs in the C being made (opt/valueStructs.ts): a struct of the fields,
 * no reference count. Set by the plan of a program (opt/index.ts planProgram, lower/c.ts lowerToC), emptied when
 * typing starts (types/classes.ts setClassTable): types never depend on it, only their C.
 */
let valueClasses: ReadonlySet<string> = new Set();
export function setValueClasses(names: Iterable<string>): void {
  valueClasses = new Set(names);
}
/** An instance kept by value (opt/valueStructs.ts): `struct kc_geometry_Vec`, not a pointer to one. */
export const isValueInstance = (t: KType | undefined): t is KType & { kind: 'instance' } => t?.kind === 'instance' && valueClasses.has(t.cls);

/** What types.ts knows of compiled classes (types/classes.ts sets it for the program being typed). */
let hierarchy: { join(a: string, b: string): string | undefined; isSubclass(sub: string, base: string): boolean } | undefined;
export function setInstanceHierarchy(h: typeof hierarchy): void {
  hierarchy = h;
}
/** An instance of class `sub` can be held where one of `base` is (the same class, or one derived from it). */
export const isSubclassOf = (sub: string, base: string): boolean => sub === base || !!hierarchy?.isSubclass(sub, base);

/** The C struct of a compiled class's instances: `struct kc_geometry_Vec` (lower/c_classes.ts declares it). */
export function instanceStructName(cls: string): string {
  return `struct kc_${cls.replace(/[^A-Za-z0-9]+/g, '_')}`;
}
/** A value whose C form owns references: an object, or a tuple or a closure's environment holding one (its fields own theirs). */
export const ownsReferences = (t: KType | undefined): boolean =>
  !!t && (isObject(t) || ((t.kind === 'tuple' || t.kind === 'record') && t.items.some(ownsReferences)) || (t.kind === 'func' && t.env.some(ownsReferences)));
/** The fields of a value whose C form is a struct of fields f0, f1, ...: a tuple's or a record's items, a closure's environment. */
export const structFields = (t: KType): KType[] | undefined =>
  (t.kind === 'tuple' ? t.items : (t.kind === 'func' && t.env.length) || (t.kind === 'record' && t.items.length) ? (t.kind === 'func' ? t.env : t.items) : undefined);
/** str or one character of one (both are Python's str). */
export const isStrLike = (t: KType | undefined): boolean => !!t && (t.kind === 'str' || t.kind === 'char');
/** The type a value is stored as where it escapes: a character becomes a str (in a list, a variable, a result). */
export const escaped = (t: KType): KType => (t.kind === 'char' ? T.str : t.kind === 'tuple' && t.items.some((x) => x.kind === 'char') ? T.tuple(t.items.map(escaped)) : t);
