/**
 * The exported JavaScript module for the wasm32 build: an ES module that loads the .wasm in Node
 * (fs) and in browsers (fetch, relative to the module's URL) and exposes each compiled function.
 * int64 values are BigInt (exact; out of range raises a RangeError named OverflowError; a function with a big-int twin
 * returns a BigInt of any size, as Python returns its int, and one of ints and bools takes them too), floats are
 * numbers, bool is boolean, tuples are arrays, None is null. A value whose type depends on the path (int | float,
 * T | None) comes back as what it holds: a bigint for an int, a number for a float, null for None; an argument of
 * such a type is read the same way (a number goes to a float member, or to an int member when there is none).
 * A Python exception becomes an Error whose name is the Python exception type (and whose properties are the fields of
 * an exception class with fields). A class instance is an object of a JS class per compiled class, a handle to the
 * library's instance (INSTANCES below); a generator a function returns is a lazy iterator over its frames (KilnGenerator).
 */
import { recordAsTuple, arrayDictDepth, arrayDictLeaf, flatItem, flatValue, instanceClassOf, isNumberTuple, isArrayDict, isFlatContainer, isWeightTree, weightTreeLeaf, isOptionalText, isRowList, isStrList, textKind, transportedClasses, type ExportedFunction, type HandleApi } from '../lower/abi.ts';
import type { PyLiteral } from '../frontend/ast.ts';
import { SCALARS, typeToString, unionTag, type KType } from '../types/types.ts';
import { emptyListLetters, pythonNumbersOnly, towerCode, towerLetter, towerParams } from '../types/tower.ts';

/** A default as the JS module's table holds it: ['i', '12'] (a BigInt), ['f', '2.5' | 'inf' | '-inf' | 'nan'], ['b', true], ['t', [...]]. */
function defaultSpec(v: PyLiteral): unknown {
  if (typeof v === 'boolean') return ['b', v];
  if (v && typeof v === 'object' && v._t === 'int') return ['i', v.dec];
  if (v && typeof v === 'object' && v._t === 'float') return ['f', v.repr];
  if (v && typeof v === 'object' && v._t === 'tuple') return ['t', v.items.map(defaultSpec)];
  if (v && typeof v === 'object' && v._t === 'complex') return ['t', [['f', v.re], ['f', v.im]]];
  return ['n'];
}

/** A class's name in the JS module: its Python name (`geometry.Vec` is `Vec`), as the Python package names it. */
const className = (qualified: string) => qualified.slice(qualified.lastIndexOf('.') + 1);

function typeSpec(t: KType): unknown {
  if (t.kind === 'none') return ['n'];
  // An instance (or `Vec | None`: NULL is None): a handle, kiln_Vec * (lower/c_abi_instances.ts); [H, class, may be None].
  const cls = instanceClassOf(t);
  if (cls) return ['H', className(cls), t.kind === 'union'];
  // A record result: ['R', keys, its values' tuple spec].
  if (t.kind === 'record') return ['R', t.names, typeSpec(recordAsTuple(t))];
  // str | None: the text's pointer, NULL for None; list[str]: kiln_list_str of kiln_str.
  if (isOptionalText(t)) return [textKind(t) === 'str' ? 'S?' : 'B?'];
  if (isStrList(t)) return ['LS'];
  // A dict of arrays (kiln_dict_str_array_<dtype>, nested: values the inner dicts' structs), and weights laid out by
  // ndim= (kiln_tree_<dtype> nodes; the layout: an int per array's rank, an object per dict, [item] per list).
  if (isArrayDict(t)) return ['DA', arrayDictLeaf(t).dtype, arrayDictLeaf(t).ndim, arrayDictDepth(t)];
  if (isWeightTree(t)) return ['T', weightTreeLeaf(t).dtype, treeLayout(t)];
  // A dict, set or deque: the flat layout of lower/abi.ts; item types int, float, bool, str.
  // A tuple key or item is its tuple's spec (an Array in JS, as a tuple parameter); a frozenset's its set's (a Set).
  const key = (k: KType): unknown => (isNumberTuple(k) || k.kind === 'set' ? typeSpec(k) : flatItem(k));
  // A dict's value: its flat name ('list_int', 'list_str'), or an inner dict's own spec.
  if (isFlatContainer(t) && t.kind === 'dict') return ['D', key(t.key), t.value.kind === 'dict' ? typeSpec(t.value) : flatValue(t.value)];
  if (isFlatContainer(t) && t.kind === 'set') return ['Z', key(t.item)];
  if (isFlatContainer(t) && t.kind === 'deque') return ['Q', key(t.item)];
  // A union (types.ts): [tag, member spec] per member; the struct is { uint8_t tag; union { ... } v; }.
  if (t.kind === 'union') return ['u', t.members.map((m) => [unionTag(t, m), typeSpec(m)])];
  if (t.kind === 'str') return ['S'];
  if (t.kind === 'bytes') return ['B'];
  if (t.kind === 'array') return ['a', t.dtype, t.ndim];
  // Rows (tuples or records of numbers and str): each row's own spec (a record's is a Map).
  if (isRowList(t)) return ['LR', typeSpec(t.item)];
  if (t.kind === 'list' && t.item.kind === 'list') return ['L', t.item.item.kind === 'scalar' ? t.item.item.name : t.item.item.kind === 'complex' ? 'complex' : 'int'];
  if (t.kind === 'list') return ['l', t.item.kind === 'scalar' ? t.item.name : t.item.kind === 'complex' ? 'complex' : 'int'];
  if (t.kind === 'tuple') return ['t', t.items.map(typeSpec)];
  // A complex: kiln_complex { re, im }, which is a tuple of two floats in memory; JS has no complex type, so it is [re, im].
  if (t.kind === 'complex') return ['t', [['s', 'float'], ['s', 'float']]];
  if (t.kind !== 'scalar') throw new Error(`internal: ${t.kind} does not cross the JS module's boundary`);
  return ['s', t.name];
}

/** The ndim= layout of a weight tree as JSON: an array's rank, { key: layout } per dict, [layout] per list. */
const treeLayout = (t: KType): unknown => (t.kind === 'array' ? t.ndim : t.kind === 'list' ? [treeLayout(t.item)]
  : t.kind === 'record' ? Object.fromEntries(t.names.map((n, i) => [n, treeLayout(t.items[i])])) : 0);

/** The typed array that holds a dtype's elements in JS (bool: Uint8Array of 0/1). */
const TYPED_ARRAYS: Record<string, string> = {
  bool: 'Uint8Array', float32: 'Float32Array', float64: 'Float64Array', int8: 'Int8Array', int16: 'Int16Array', int32: 'Int32Array',
  int64: 'BigInt64Array', uint8: 'Uint8Array', uint16: 'Uint16Array', uint32: 'Uint32Array', uint64: 'BigUint64Array',
};

function tsType(t: KType): string {
  if (t.kind === 'none') return 'null';
  if (t.kind === 'instance') return className(t.cls);
  if (isStrList(t)) return 'string[]';
  if (t.kind === 'dict') return `Map<${tsType(t.key)}, ${tsType(t.value)}>`;
  if (t.kind === 'record') return `Map<string, ${[...new Set(t.items.map(tsType))].join(' | ')}>`;
  if (t.kind === 'set') return `Set<${tsType(t.item)}>`;
  if (t.kind === 'deque') return `${tsType(t.item)}[] & { maxlen?: number }`;
  if (t.kind === 'union') return t.members.map(tsType).join(' | ');
  if (t.kind === 'str') return 'string';
  if (t.kind === 'bytes') return 'Uint8Array';
  if (t.kind === 'array') return t.ndim === 1 ? TYPED_ARRAYS[t.dtype] : `NDArray<${TYPED_ARRAYS[t.dtype]}>`;
  if (t.kind === 'list') return t.item.kind === 'scalar' || t.item.kind === 'list' || t.item.kind === 'complex' || isRowList(t) ? `${tsType(t.item)}[]` : 'never[]';
  if (t.kind === 'tuple') return `[${t.items.map(tsType).join(', ')}]`;
  if (t.kind === 'complex') return '[re: number, im: number]';
  if (t.kind !== 'scalar') throw new Error(`internal: ${t.kind} does not cross the JS module's boundary`);
  const s = SCALARS[t.name];
  if (t.name === 'bool') return 'boolean';
  if (s.float) return 'number';
  return s.bits === 64 ? 'bigint' : 'number';
}

/** A function's result in the .d.mts: a generator's frames are an IterableIterator of its items (KilnGenerator). */
function tsResult(e: ExportedFunction): string {
  const cls = instanceClassOf(e.returnType);
  const g = cls ? (e.handles ?? []).find((h) => h.generator && h.qualified === cls) : undefined;
  return g?.generator?.item ? `IterableIterator<${tsType(g.generator.item)}> & { $free(): void }` : tsType(e.returnType);
}

function tsParam(t: KType): string {
  if (t.kind === 'bytes') return 'Uint8Array | ArrayLike<number>';
  if (t.kind === 'array') {
    const elem = tsParam({ kind: 'scalar', name: t.dtype });
    return t.ndim === 1 ? `${TYPED_ARRAYS[t.dtype]} | ArrayLike<${elem}>` : `NDArrayInput<${TYPED_ARRAYS[t.dtype]}, ${elem}>`;
  }
  if (t.kind === 'list' && (t.item.kind === 'scalar' || t.item.kind === 'list' || t.item.kind === 'str' || t.item.kind === 'complex')) return `ArrayLike<${tsParam(t.item)}>`;
  if (t.kind === 'dict') return `Map<${tsParam(t.key)}, ${tsParam(t.value)}>${t.key.kind === 'str' ? ` | Record<string, ${tsParam(t.value)}>` : ''}`;
  // A weight tree's dict: its keys, each with its layout's value (a Map of them is taken too).
  if (t.kind === 'record') return `{ ${t.names.map((n, i) => `${JSON.stringify(n)}: ${tsParam(t.items[i])}`).join('; ')} } | Map<string, unknown>`;
  if (t.kind === 'list' && t.item.kind === 'record') return `ArrayLike<${tsParam(t.item)}>`;
  if (t.kind === 'set') return `Set<${tsParam(t.item)}> | ArrayLike<${tsParam(t.item)}>`;
  if (t.kind === 'deque') return `${tsParam(t.item)}[] & { maxlen?: number | null }`;
  if (t.kind === 'tuple') return `[${t.items.map(tsParam).join(', ')}]`;
  // int | float: 'bigint | number' once, not 'bigint | number | number'.
  if (t.kind === 'union') return [...new Set(t.members.flatMap((m) => (m.kind === 'scalar' ? tsParam(m).split(' | ') : [tsParam(m)])))].join(' | ');
  if (t.kind === 'scalar' && !SCALARS[t.name].float && t.name !== 'bool' && SCALARS[t.name].bits === 64) return 'bigint | number';
  return tsType(t);
}

/**
 * A function's TypeScript parameters: positional ones (optional when they have a default), then an options object
 * for keyword arguments (required when a keyword-only parameter has no default).
 */
function tsParams(e: ExportedFunction, annotated?: ExportedFunction): string {
  // A list[int] specialisation of a list[float] parameter is picked by bigint items (an Array of numbers is list[float]).
  const paramType = (i: number) => {
    const t = e.params[i].type;
    return annotated && towerLetter(annotated.params[i].type) === 'F' && towerLetter(t) === 'I' ? 'ArrayLike<bigint>' : tsParam(t);
  };
  const positional = e.params.filter((p) => p.kind !== 'kwonly');
  const firstOptional = positional.findIndex((_p, i) => positional.slice(i).every((q) => q.default !== undefined));
  const parts = positional.map((p, i) => `${p.name}${firstOptional >= 0 && i >= firstOptional ? '?' : ''}: ${paramType(e.params.indexOf(p))}`);
  const named = e.params.filter((p) => p.kind !== 'posonly');
  if (e.params.some((p) => p.default !== undefined || p.kind === 'kwonly')) {
    const required = e.params.some((p) => p.kind === 'kwonly' && p.default === undefined);
    parts.push(`options${required ? '' : '?'}: { ${named.map((p) => `${p.name}${p.kind === 'kwonly' && p.default === undefined ? '' : '?'}: ${paramType(e.params.indexOf(p))}`).join('; ')} }`);
  }
  return parts.join(', ');
}

/** A generator's frames in CLASSES: next, the C function of its step; with x = yield v, send: [its C function, S's spec]. */
function generatorEntry(h: HandleApi) {
  const send = h.methods?.find((m) => m.name === 'send');
  return {
    next: h.methods?.find((m) => m.name === 'next')?.symbol, ...(h.generator?.receives ? { receives: true } : {}),
    ...(send ? { send: [send.symbol, typeSpec(send.params[1].type)] } : {}),
  };
}

/**
 * The handle APIs the JS module's CLASSES lists: the classes whose instances cross (a generator's frames among them,
 * kind 'generator', which are an iterator and no class of the module), and the exception classes with fields an
 * error of the exports may carry (kind 'exception': their getters only, ExportedFunction.exceptionHandles).
 */
function jsClasses(exports: ExportedFunction[]): { h: HandleApi; kind?: 'generator' | 'exception' }[] {
  const crossing = transportedClasses(exports);
  const carried = new Map<string, HandleApi>();
  for (const e of exports) for (const h of e.exceptionHandles ?? []) if (!crossing.some((a) => a.python === h.python)) carried.set(h.python, h);
  return [...crossing.map((h) => ({ h, ...(h.generator ? { kind: 'generator' as const } : {}) })), ...[...carried.values()].map((h) => ({ h, kind: 'exception' as const }))];
}

/** The classes of the module (JS classes of their own): those whose instances cross, less generators' frames. */
const moduleClasses = (exports: ExportedFunction[]) => transportedClasses(exports).filter((h) => !h.generator);

/** `modules`: a project's module paths -> their functions' Python names -> the flat names exported here. */
export type JsModules = Record<string, Record<string, string>>;

/** The specialisations a JS call can pick: those of Python numbers (a bigint, a number, a boolean). */
const jsVariants = (e: ExportedFunction) => (e.variants ?? []).filter((v) => pythonNumbersOnly(v.code!));

/**
 * A class's compiled methods as the module's CLASSES lists them: one entry per method; one with specialisations (a code
 * each, lower/c_abi_instances.ts methodSpecs) carries the first as its own and the others as `variants`, with `at`,
 * which `dispatch` picks from as it does for a function's.
 */
function methodTable(h: HandleApi, entry: (e: ExportedFunction) => object): object[] {
  const byName = new Map<string, NonNullable<HandleApi['methods']>>();
  for (const m of h.methods ?? []) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  return [...byName].map(([name, [first, ...rest]]) => {
    const made = (m: typeof first) => entry({ ...m, name: `${h.python}.${name}`, line: 0 });
    if (first.code === undefined) return { method: name, ...made(first) };
    return { method: name, ...made(first), at: first.at, own: first.code, aliases: {}, empty: [], variants: rest.map((m) => ({ ...made(m), code: m.code })) };
  });
}

/**
 * A class whose instances cross, as the .d.mts declares it: its constructor (every field, in order), its fields, its
 * methods, and the release, `$free()` and `[Symbol.dispose]()` (`$` is in no Python name: no field or method hides it).
 */
function tsClass(h: HandleApi): string {
  const fields = h.fields.map((f) => (h.frozen
    ? `  /** ${f.name}: ${typeToString(f.type)} (frozen: assigning throws FrozenInstanceError) */\n  readonly ${f.name}: ${tsType(f.type)};`
    : `  /** ${f.name}: ${typeToString(f.type)} */\n  get ${f.name}(): ${tsType(f.type)};\n  set ${f.name}(value: ${tsParam(f.type)});`));
  return `/** class ${h.python} of ${h.module}: a handle to the library's instance (functions see and change it; === is Python's \`is\`). */
export declare class ${h.python} {
  /** Every field, in the class's order (as __init__ would leave them; __init__ itself does not run). */
  constructor(${h.fields.map((f) => `${f.name}: ${tsParam(f.type)}`).join(', ')});
${fields.join('\n')}
${(h.methods ?? []).map((m) => `  /** ${m.signature}: the compiled method */\n  ${m.name}(${tsParams({ params: m.params.slice(1) } as ExportedFunction)}): ${tsType(m.returnType)};\n`).join('')}  /** Drops this object's reference to the instance now (else when the object is garbage-collected); also \`using\` (Symbol.dispose). Named with a $, which no Python name has: a field or method called free cannot hide it. */
  $free(): void;
}
`;
}

export function jsTypesSource(moduleName: string, exports: ExportedFunction[], modules?: JsModules): string {
  // One overload per specialisation (types/tower.ts), the annotated one first: fma(3n, -1n, 2n) is a bigint. JS has no
  // NumPy scalars: the specialisations listed for them are not reachable from JS.
  const classes = moduleClasses(exports);
  const sigs = exports.flatMap((e) => [e, ...jsVariants(e)].map((v) => `  /** ${v.signature} */\n  ${e.name}(${tsParams(v, e)}): ${tsResult(v)};`)).join('\n');
  return `// Generated by Kiln from ${moduleName}.py: types of kiln_${moduleName}.mjs.
/**
 * Keyword arguments: a function with defaults or keyword-only parameters takes, after its positional arguments,
 * an options object of keyword arguments, as Python's call would name them: scale(x, { k: 3 }). Parameters left
 * out take their defaults; a wrong call throws Python's TypeError (name 'TypeError', Python's message).
 *
 * Arrays. A 1-D array parameter takes the typed array of its dtype (float64: Float64Array, int32: Int32Array,
 * int64: BigInt64Array, bool: Uint8Array, ...) or a plain array of numbers, and a 1-D result is that typed
 * array. An N-D array (2-D, 3-D) is { data, shape }: data holds the elements in C (row-major) order and
 * shape[k] is the length of dimension k; a parameter also takes nested plain arrays ([[1, 2], [3, 4]]).
 * Arguments are copied into the module's memory for the call and copied back afterwards (so writes the
 * function makes to an array parameter reach the caller's typed array, or the plain Array given as
 * { data, shape }.data, as in Python; nested plain arrays are read like a Python list); results are copied
 * out and the module's buffer is freed: nothing needs releasing. A typed array of another dtype is a
 * TypeError. Lists: list[int] is bigint[] (number accepted), list[float] number[], list[bool] boolean[];
 * a list parameter is in-out, as in Python: after the call (also one that throws) a plain Array argument
 * holds the list as the function left it (append, pop, sort, xs[i] = v), its items as the list type gives
 * them (bigint for list[int]); another array-like argument is read, not written.
 * Values whose type depends on the path (the signature says int | float, int | None, ...) come back as what they
 * hold: bigint for an int, number for a float, boolean for a bool, null for None (Python's 1 and 1.0 stay apart).
 * Strings: a str parameter is a JS string (copied into the module as UTF-8; a lone surrogate, which has no UTF-8,
 * throws an Error named UnicodeEncodeError), a str result is a JS string (characters outside the BMP become
 * surrogate pairs, as JS strings hold them). bytes is a Uint8Array both ways (a plain array of byte values is
 * accepted as a parameter). str | None is a string or null (undefined is taken as null). list[str] is string[];
 * a list[str] parameter is in-out like every list: a plain Array argument holds the list as the function left it.
 * dict[K, V] is a Map (int keys and values are bigint) and set[T] a Set (an array is accepted as a parameter); both
 * are in-out: a Map or Set argument ends as the function left it. A collections.deque is an Array, in-out as a list;
 * its maxlen is the Array's \`maxlen\` property (absent or null: None), on a result too. A dict[str, V] also takes a plain object (its own
 * enumerable keys and values, in JS's order: integer-like keys first), updated in place after the call; as the last
 * argument it is read as keyword arguments when every key names a parameter (then pass a Map).
 * Class instances are objects of the classes declared here: handles to the module's own instances (a function sees
 * and changes the caller's object; === is Python's \`is\`). new Vec(x, y) takes every field in order (__init__ does
 * not run); fields are properties; $free() (or \`using\`: Symbol.dispose) releases one at once, else it is released after it is
 * garbage-collected. A function returning a generator (Iterator[T]) returns an IterableIterator: each next() runs the
 * compiled generator to its next item; return() (a for...of break) or $free() releases it. A thrown Error of an
 * exception class with fields has them as properties (e.line).
 */
export interface NDArray<D> { data: D; shape: number[] }
export type NDArrayInput<D, E> = NDArray<D | ArrayLike<E>> | ArrayLike<ArrayLike<E>> | ArrayLike<ArrayLike<ArrayLike<E>>>;
${classes.map(tsClass).join('\n')}export interface KilnModule {
${classes.map((h) => `  ${h.python}: typeof ${h.python};\n`).join('')}${sigs}
}
/** Instantiates the module from another source (bytes, a URL or a fetch Response). */
export function instantiate(source?: BufferSource | URL | string | Response): Promise<KilnModule>;
${exports.map((e) => `/** ${e.signature} */\nexport declare const ${e.name}: KilnModule['${e.name}'];`).join('\n')}${modules ? `\n/** The project's modules, as the original's import paths name them. */\nexport declare const modules: {\n${Object.entries(modules).map(([m, fns]) => `  ${JSON.stringify(m)}: { ${Object.entries(fns).map(([py, f]) => `${py}: KilnModule['${f}']`).join('; ')} };`).join('\n')}\n};` : ''}
`;
}

export function jsModuleSource(moduleName: string, exports: ExportedFunction[], wasmFile: string, modules?: JsModules): string {
  const entry = (e: ExportedFunction) => ({
    name: e.name, symbol: e.symbol, params: e.params.map((p) => [p.name, typeSpec(p.type)]), ret: typeSpec(e.returnType), signature: e.signature,
    // How a call binds: [name, 'p' positional-only | 'n' | 'k' keyword-only, default or null].
    sig: e.params.map((p) => [p.name, p.kind === 'posonly' ? 'p' : p.kind === 'kwonly' ? 'k' : 'n', p.default !== undefined ? defaultSpec(p.default) : null]),
    // A big-int twin (lower/c_bigint.ts): a result past 64 bits comes back as KILN_BIG_RESULT and its hex() text.
    ...(e.bigResults ? { big: true } : {}),
    // ... and takes ints past 64 bits, through <symbol>_big (each int argument as its hex() text).
    ...(e.bigArgs ? { bigArgs: true } : {}),
  });
  // Specialisations for other accepted argument types (types/tower.ts): `at` the tower parameters, `own` the annotated code.
  const table = exports.map((e) => {
    if (!e.variants) return entry(e);
    const annotated = e.params.map((p) => p.type);
    const own = towerCode(annotated, annotated);
    const variants = jsVariants(e);
    return {
      ...entry(e), at: towerParams(annotated), own,
      variants: variants.map((v) => ({ ...entry(v), code: v.code })), aliases: e.boolAliases ?? {},
      // The letter an empty Array runs at each tower parameter (types/tower.ts emptyListLetters; upper case: a list).
      empty: emptyListLetters(annotated, [own, ...variants.map((v) => v.code!)], (i) => !!e.params[i].otherKind),
    };
  });
  const ranges = Object.fromEntries(Object.entries(SCALARS).map(([k, s]) => [k, { bits: s.bits, float: s.float, signed: s.signed }]));
  return `// Generated by Kiln from ${moduleName}.py: the wasm32 build as an ES module (Node and browsers).
// ${exports.map((e) => e.signature).join('; ')}
const FUNCTIONS = ${JSON.stringify(table)};
// The classes whose instances cross: Python name -> handle prefix, [field, spec] in kiln_<Class>_new's order, frozen.
// Its methods exported as kiln_<Class>__<method> (self first), called as obj.method(...). kind 'generator': a
// generator's frames (fields: its item; next: kiln_<frames>__next); 'exception': a class whose errors carry fields.
const CLASSES = ${JSON.stringify(Object.fromEntries(jsClasses(exports).map(({ h, kind }) => [h.python, {
    handle: h.handle, fields: h.fields.map((f) => [f.name, typeSpec(f.type)]), frozen: h.frozen,
    methods: kind ? [] : methodTable(h, entry),
    ...(kind ? { kind } : {}), ...(kind === 'generator' ? generatorEntry(h) : {}),
  }])))};
const SCALARS = ${JSON.stringify(ranges)};

const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node);

async function bytesOf(source) {
  if (source === undefined) source = new URL('./${wasmFile}', import.meta.url);
  if (typeof source === 'string') source = new URL(source, import.meta.url);
  if (source instanceof URL) {
    if (isNode && source.protocol === 'file:') {
      const { readFile } = await import('node:fs/promises');
      return readFile(source);
    }
    source = await fetch(source);
  }
  if (typeof Response !== 'undefined' && source instanceof Response) return new Uint8Array(await source.arrayBuffer());
  return source;
}

// The reactor needs only a few WASI calls (random_get for libc's start-up); everything else says ENOSYS.
function wasiImports(module, getMemory) {
  const fns = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== 'wasi_snapshot_preview1' || imp.kind !== 'function') continue;
    fns[imp.name] = () => 52;
  }
  fns.random_get = (ptr, len) => {
    const view = new Uint8Array(getMemory().buffer, ptr, len);
    for (let i = 0; i < len; i += 65536) globalThis.crypto.getRandomValues(view.subarray(i, Math.min(len, i + 65536)));
    return 0;
  };
  fns.proc_exit = (code) => { throw new Error('wasm called proc_exit(' + code + ')'); };
  return { wasi_snapshot_preview1: fns };
}

// A union: { uint8_t tag; union { members } v; }, v at the members' largest alignment.
function unionLayout(spec) {
  let size = 0, align = 1;
  for (const [, m] of spec[1]) { if (m[0] === 'n') continue; const [s, a] = sizeAlign(m); size = Math.max(size, s); align = Math.max(align, a); }
  return { v: align, size: Math.ceil((align + size) / align) * align, align };
}

/** The member of a union spec a JS value is: null/undefined None, a bigint an int, a number a float (an int where
 *  no float member is and it is an integer), a boolean a bool (else an int), an array a tuple of its length. */
function unionMember(spec, value) {
  const ms = spec[1];
  const scalar = (...names) => { for (const n of names) { const m = ms.find(([, s]) => s[0] === 's' && s[1] === n); if (m) return m; } return undefined; };
  if (value === null || value === undefined) return ms.find(([, s]) => s[0] === 'n');
  if (typeof value === 'bigint') return scalar('int', 'int64', 'float');
  if (typeof value === 'boolean') return scalar('bool', 'int');
  if (typeof value === 'number') return scalar('float', 'float64', 'float32') ?? (Number.isInteger(value) ? scalar('int', 'int64', 'int32', 'int16', 'int8') : undefined);
  if (Array.isArray(value)) return ms.find(([, s]) => s[0] === 't' && s[1].length === value.length);
  return undefined;
}

function sizeAlign(spec) {
  if (spec[0] === 'n') return [1, 1];
  if (spec[0] === 'R') return sizeAlign(spec[2]);
  if (spec[0] === 'a') return [56, 8];
  if (spec[0] === 'DA') return [16, 8];
  if (spec[0] === 'H') return [4, 4];
  // kiln_dict_<K>_<V> { int64 len; keys; values; index } and with origin before index: 24 bytes on wasm32 either way.
  if (spec[0] === 'D') return [24, 8];
  if (spec[0] === 'l' || spec[0] === 'L' || spec[0] === 'LS' || spec[0] === 'LR' || spec[0] === 'Z' || spec[0] === 'S' || spec[0] === 'B' || spec[0] === 'S?' || spec[0] === 'B?') return [16, 8];
  if (spec[0] === 'Q') return [DEQUE_STRUCT, 8];
  if (spec[0] === 'u') { const l = unionLayout(spec); return [l.size, l.align]; }
  if (spec[0] === 's') { const b = SCALARS[spec[1]].bits; const n = b === 1 ? 1 : b / 8; return [n, n]; }
  let off = 0, align = 1;
  for (const item of spec[1]) { const [s, a] = sizeAlign(item); off = Math.ceil(off / a) * a + s; align = Math.max(align, a); }
  return [Math.ceil(off / align) * align, align];
}

function leafCount(spec) { return spec[0] === 't' ? spec[1].reduce((n, s) => n + leafCount(s), 0) : 1; }
function firstLeaf(spec) { return spec[0] === 't' ? firstLeaf(spec[1][0]) : spec; }

function checkScalar(value, name, what) {
  const s = SCALARS[name];
  if (name === 'bool') return value ? 1 : 0;
  if (s.float) {
    if (typeof value === 'bigint') return Number(value);
    if (typeof value !== 'number') throw new TypeError(what + ' must be a number');
    return value;
  }
  if (typeof value === 'number' && !Number.isInteger(value)) throw new TypeError(what + " must be an integer ('float' object cannot be interpreted as an integer)");
  const v = BigInt(value);
  const lo = s.signed ? -(1n << BigInt(s.bits - 1)) : 0n, hi = s.signed ? (1n << BigInt(s.bits - 1)) - 1n : (1n << BigInt(s.bits)) - 1n;
  if (v < lo || v > hi) { const e = new RangeError(what + ' = ' + v + ' does not fit in ' + (name === 'int' ? '64 bits' : name)); e.name = 'OverflowError'; throw e; }
  return s.bits === 64 ? v : Number(v);
}

function write(view, off, spec, value, what) {
  if (spec[0] === 'n') return;
  if (spec[0] === 'u') {
    const m = unionMember(spec, value);
    if (!m) throw new TypeError(what + ' must be ' + spec[1].map(([, s]) => (s[0] === 'n' ? 'null' : s[0] === 's' ? s[1] : 'an array')).join(' or ') + ' (its annotation)');
    view.setUint8(off, m[0]);
    write(view, off + unionLayout(spec).v, m[1], value, what);
    return;
  }
  if (spec[0] === 't') {
    if (!Array.isArray(value) || value.length !== spec[1].length) throw new TypeError(what + ' must be an array of ' + spec[1].length + ' items');
    let o = 0;
    spec[1].forEach((item, i) => { const [s, a] = sizeAlign(item); o = Math.ceil(o / a) * a; write(view, off + o, item, value[i], what + '[' + i + ']'); o += s; });
    return;
  }
  const name = spec[1], s = SCALARS[name], v = checkScalar(value, name, what);
  if (s.float) s.bits === 64 ? view.setFloat64(off, v, true) : view.setFloat32(off, v, true);
  else if (s.bits === 64) s.signed ? view.setBigInt64(off, v, true) : view.setBigUint64(off, v, true);
  else if (s.bits === 32) s.signed ? view.setInt32(off, v, true) : view.setUint32(off, v, true);
  else if (s.bits === 16) s.signed ? view.setInt16(off, v, true) : view.setUint16(off, v, true);
  else s.signed ? view.setInt8(off, v) : view.setUint8(off, v);
}

function read(view, off, spec) {
  if (spec[0] === 'n') return null;
  if (spec[0] === 'u') {
    const tag = view.getUint8(off), m = spec[1].find(([t]) => t === tag);
    if (!m) throw new Error('the library returned the tag ' + tag + ', which is not a member of its result');
    return read(view, off + unionLayout(spec).v, m[1]);
  }
  if (spec[0] === 't') {
    let o = 0;
    return spec[1].map((item) => { const [s, a] = sizeAlign(item); o = Math.ceil(o / a) * a; const v = read(view, off + o, item); o += s; return v; });
  }
  // A record result: its values as a tuple struct, a Map of its keys (as dict results are).
  if (spec[0] === 'R') { const v = read(view, off, spec[2]); return new Map(spec[1].map((k, i) => [k, v[i]])); }
  const name = spec[1], s = SCALARS[name];
  if (name === 'bool') return view.getUint8(off) !== 0;
  if (s.float) return s.bits === 64 ? view.getFloat64(off, true) : view.getFloat32(off, true);
  if (s.bits === 64) return s.signed ? view.getBigInt64(off, true) : view.getBigUint64(off, true);
  if (s.bits === 32) return s.signed ? view.getInt32(off, true) : view.getUint32(off, true);
  if (s.bits === 16) return s.signed ? view.getInt16(off, true) : view.getUint16(off, true);
  return s.signed ? view.getInt8(off) : view.getUint8(off);
}

${BINDING}
${ARRAY_CALLS}
${INSTANCES}
/** Instantiates the wasm (default: the file beside this module) and returns the compiled functions. */
export async function instantiate(source) {
  const bytes = await bytesOf(source);
  const module = await WebAssembly.compile(bytes);
  let instance;
  instance = await WebAssembly.instantiate(module, wasiImports(module, () => instance.exports.memory));
  const x = instance.exports;
  if (x._initialize) x._initialize();
  const cstr = (ptr) => { const m = new Uint8Array(x.memory.buffer); let end = ptr; while (m[end]) end++; return new TextDecoder().decode(m.subarray(ptr, end)); };
  // Python's ints are unbounded: ask the functions that can give a result past 64 bits for it (a BigInt of any size).
  if (x.kiln_big_results) x.kiln_big_results(1);
  // The classes whose instances cross, by their Python names; handles passes instances to and from calls.
  const handles = makeClasses(x, cstr);
  for (const [name, c] of Object.entries(CLASSES)) {
    for (const m of c.methods) {
      const made = makeCall(m, x, cstr, handles);
      const call = m.variants ? dispatch(m, made, m.variants.map((v) => [v.code, makeCall(v, x, cstr, handles)])) : made;
      Object.defineProperty(handles.classes[name].prototype, m.method, { value: { [m.method](...args) { return call(this, ...args); } }[m.method], writable: true, configurable: true });
    }
  }
  // The classes of the module (a generator's iterator class is made by its function only).
  const api = Object.fromEntries(Object.entries(handles.classes).filter(([name]) => !CLASSES[name].kind));
  for (const f of FUNCTIONS) {
    const made = makeCall(f, x, cstr, handles);
    api[f.name] = f.variants ? dispatch(f, made, f.variants.map((v) => [v.code, makeCall(v, x, cstr, handles)])) : made;
  }
  return api;
}

function makeCall(f, x, cstr, handles) {
  return usesArrays(f) ? makeArrayCall(f, x, cstr, handles) : makeScalarCall(f, x, cstr, handles);
}

/**
 * A function with specialisations for other argument types (types/tower.ts): each call runs the one compiled for the
 * exact types of its tower arguments: a number is a float where float is annotated (and an int where int is, when
 * it is an integer, as the module takes numbers for ints), a bigint an int, a boolean a bool. An argument of another
 * kind goes through the annotated function's checks; a combination not compiled is a TypeError naming the given
 * and the compiled types.
 */
function dispatch(f, annotated, variants) {
  const table = new Map([[f.own, annotated.run], ...variants.map(([code, v]) => [code, v.run])]);
  const compiled = [...table.keys()];
  // A bool where a specialisation has an int and its C cannot tell them apart: that one runs.
  for (const [code, target] of Object.entries(f.aliases)) table.set(code, table.get(target));
  const NAMES = { f: 'float', i: 'int', b: 'bool', F: 'list[float]', I: 'list[int]' };
  // A list (an Array or a typed array) at a list[float] parameter: its items pick, all bigints list[int], all numbers
  // list[float]; [] the letter f.empty gives; bigints mixed with numbers are a TypeError (types/tower.ts listLetter).
  const listLetter = (k, v) => {
    if (v instanceof BigInt64Array) return 'I';
    if (ArrayBuffer.isView(v)) return 'F';
    if (!Array.isArray(v)) return '';
    if (!v.length) return f.empty[k];
    if (v.every((x) => typeof x === 'bigint')) return 'I';
    if (v.every((x) => typeof x === 'number')) return 'F';
    if (!v.every((x) => typeof x === 'bigint' || typeof x === 'number' || typeof x === 'boolean')) return '';
    const name = f.sig[f.at[k]][0];
    const kinds = [...new Set(compiled.map((c) => NAMES[c[k]]))].join(', ');
    throw new TypeError(f.name + '() has no compiled specialisation for a list of ' + [...new Set(v.map((x) => (typeof x === 'bigint' ? 'int' : typeof x === 'number' ? 'float' : 'bool')))].sort().join(' and ') + ' items at ' + name + '; compiled for ' + kinds + ' (make the items one of these types, e.g. [float(x) for x in ' + name + '])');
  };
  const call = (...given) => {
    const args = bindArgs(f, given);
    let code = '';
    for (let k = 0; k < f.at.length; k++) {
      const v = args[f.at[k]];
      const l = f.own[k] === 'F' ? listLetter(k, v)
        : typeof v === 'number' ? (f.own[k] === 'i' && Number.isInteger(v) ? 'i' : 'f') : typeof v === 'bigint' ? 'i' : typeof v === 'boolean' ? 'b' : '';
      if (!l) return annotated.run(args);
      code += l;
    }
    const run = table.get(code);
    if (!run) {
      const show = (c) => '(' + [...c].map((l, k) => f.sig[f.at[k]][0] + ': ' + NAMES[l]).join(', ') + ')';
      throw new TypeError(f.name + '() has no compiled specialisation for ' + show(code) + '; compiled: ' + compiled.map(show).join(', ') + ' (convert the arguments, e.g. float(x), or give the types of a compiled one)');
    }
    return run(args);
  };
  Object.defineProperty(call, 'name', { value: f.name });
  call.specialisations = compiled;
  return call;
}

function makeScalarCall(f, x, cstr, handles) {
  {
    const run = (args) => {
      const hasOut = f.ret[0] !== 'n';
      const [outSize] = hasOut ? sizeAlign(f.ret) : [0];
      const temps = [];
      try {
        // An int past 64 bits where the big-int twin takes any size: <symbol>_big, each int as its hex() text (a C string).
        const isInt = (spec) => spec[0] === 's' && spec[1] === 'int';
        const big = f.bigArgs && f.params.some(([, spec], i) => isInt(spec) && typeof args[i] === 'bigint' && (args[i] < -(2n ** 63n) || args[i] >= 2n ** 63n));
        const cargs = f.params.map(([pname, spec], i) => {
          if (big && isInt(spec) && typeof args[i] === 'bigint') {
            const v = args[i], text = new TextEncoder().encode((v < 0n ? '-0x' + (-v).toString(16) : '0x' + v.toString(16)) + '\0');
            const p = x.malloc(text.length); temps.push(p); new Uint8Array(x.memory.buffer, p, text.length).set(text); return p;
          }
          if (spec[0] === 'H') return handles.arg(args[i], spec, pname);
          if (spec[0] === 't' && leafCount(spec) === 1) { const leaf = firstLeaf(spec); let v = args[i]; while (Array.isArray(v)) v = v[0]; return checkScalar(v, leaf[1], pname); }
          if (spec[0] === 't' || spec[0] === 'u') { const [s] = sizeAlign(spec); const p = x.malloc(s); temps.push(p); write(new DataView(x.memory.buffer), p, spec, args[i], pname); return p; }
          return checkScalar(args[i], spec[1], pname);
        });
        let out = 0;
        if (hasOut) { out = x.malloc(Math.max(outSize, 8)); temps.push(out); cargs.push(out); }
        const rc = x[big ? f.symbol + '_big' : f.symbol](...cargs);
        if (rc === 255 && f.big) { const t = cstr(x.kiln_big_result()); return t[0] === '-' ? -BigInt(t.slice(1)) : BigInt(t); }
        if (rc !== 0) throw handles.error();
        if (f.ret[0] === 'H') return handles.wrap(new DataView(x.memory.buffer).getUint32(out, true), f.ret[1]);
        return hasOut ? read(new DataView(x.memory.buffer), out, f.ret) : null;
      } finally {
        for (const p of temps) x.free(p);
      }
    };
    const call = (...given) => run(bindArgs(f, given));
    call.run = run;
    Object.defineProperty(call, 'name', { value: f.name });
    return call;
  }
}

const api = await instantiate();
export const { ${[...moduleClasses(exports).map((h) => h.python), ...exports.map((e) => e.name)].join(', ')} } = api;${modules ? `
/** The project's modules, as the original's import paths name them: modules['pkg.geometry'].area. */
export const modules = {
${Object.entries(modules).map(([m, fns]) => `  ${JSON.stringify(m)}: { ${Object.entries(fns).map(([py, f]) => `${py}: api.${f}`).join(', ')} },`).join('\n')}
};` : ''}
export default api;
`;
}

/**
 * Class instances (docs/design/abi-values.md "Class instances", JS module): one JS class per compiled class whose
 * instances cross, made per instantiation (its methods call that instance's exports). A JS object of it is a handle,
 * kiln_<Class> * (lower/c_abi_instances.ts): the library's instance itself, no copy, so a function that changes an
 * argument changes the caller's object, as in Python, and identity holds (the live object of an address is reused:
 * head.next === head.next). Fields are accessor properties over kiln_<Class>_get_<f> / _set_<f>; new Vec(x, y) is
 * kiln_Vec_new (every field in the class's order; __init__ does not run). Each object owns one reference: $free()
 * (or \`using\`, Symbol.dispose) drops it at once, else a FinalizationRegistry drops it after the object is collected.
 */
const INSTANCES = String.raw`
const HANDLE = Symbol('kiln handle');
function makeClasses(x, cstr) {
  const classes = {};
  // address -> WeakRef of the object that owns a reference to it (one object per live instance: identity).
  const live = new Map();
  const release = ({ ptr, free, ref }) => { if (ref && live.get(ptr) === ref) live.delete(ptr); free(ptr); };
  const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(release) : null;
  const fail = () => { throw error(); };
  /**
   * The Error of the exception a call returned: name the Python class, message str(e); an exception class with fields
   * (docs/design/exceptions.md) left its instance in the library (kiln_error_object, borrowed), whose fields become
   * the Error's properties (e.line), as the Python package sets them as attributes. Read before any other call drops it.
   */
  function error() {
    const e = new Error(cstr(x.kiln_error_message()));
    e.name = cstr(x.kiln_error_type());
    const obj = x.kiln_error_object ? x.kiln_error_object() : 0, c = CLASSES[e.name];
    if (obj && c && c.kind === 'exception') {
      for (const [f, spec] of c.fields) {
        if (f.startsWith('__kiln')) continue;
        try { e[f] = field(c, f, spec, obj); } catch (err) { /* never assigned: absent, as in vars(e) */ }
      }
    }
    return e;
  }
  /** Field f of the instance at ptr (borrowed) through kiln_<Class>_get_<f>: a str, a NEW handle (wrapped), a number. */
  function field(c, f, spec, ptr) {
    const out = x.malloc(16);
    try {
      if (x[c.handle + '_get_' + f](ptr, out)) fail();
      if (spec[0] === 'S') return readText(x, out, 'S');
      const dv = new DataView(x.memory.buffer);
      return spec[0] === 'H' ? wrap(dv.getUint32(out, true), spec[1]) : read(dv, out, spec);
    } finally {
      x.free(out);
    }
  }
  const typeName = (v) => (v === null || v === undefined ? 'None' : (typeof v === 'object' || typeof v === 'function') && v.constructor ? v.constructor.name : typeof v);
  function own(obj, ptr, free) {
    const ref = typeof WeakRef === 'function' ? new WeakRef(obj) : null;
    Object.defineProperty(obj, HANDLE, { value: { ptr, free, ref }, writable: true });
    if (ref) live.set(ptr, ref);
    if (registry) registry.register(obj, obj[HANDLE], obj);
  }
  /** The object for a NEW reference the library gave (null for NULL): the live object of that address when there is one. */
  function wrap(ptr, name) {
    if (!ptr) return null;
    const free = x[CLASSES[name].handle + '_free'], ref = live.get(ptr), known = ref && ref.deref();
    if (known) { free(ptr); return known; }
    const obj = Object.create(classes[name].prototype);
    own(obj, ptr, free);
    return obj;
  }
  function ptrOf(obj) {
    const h = obj[HANDLE];
    if (!h) throw new Error('this ' + obj.constructor.name + ' was released ($free() was called on it)');
    return h.ptr;
  }
  /** An instance argument (borrowed for the call): an object of the class, or null where the type allows None. */
  function arg(value, spec, what) {
    const [, name, optional] = spec;
    if ((value === null || value === undefined) && optional) return 0;
    if (!(value instanceof classes[name])) throw new TypeError("argument '" + what + "' must be a " + name + ', not ' + typeName(value));
    return ptrOf(value);
  }
  /** The C arguments of a field's value (setters and kiln_<Class>_new): a number, a union by pointer, a str as (ptr, len), a handle. */
  function fieldArgs(spec, value, what, temps) {
    if (spec[0] === 'H') return [arg(value, spec, what)];
    if (spec[0] === 'S') {
      const bytes = utf8(value, what), p = x.malloc(Math.max(bytes.length, 1));
      temps.push(p);
      new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
      return [p, BigInt(bytes.length)];
    }
    if (spec[0] === 'u') { const p = x.malloc(sizeAlign(spec)[0]); temps.push(p); write(new DataView(x.memory.buffer), p, spec, value, what); return [p]; }
    return [checkScalar(value, spec[1], what)];
  }
  /** Drops obj's reference now (else its FinalizationRegistry entry would, once it is collected). */
  function drop(obj) {
    const h = obj[HANDLE];
    if (!h) return;
    obj[HANDLE] = null;
    if (registry) registry.unregister(obj);
    release(h);
  }
  /**
   * The iterator a function returning a generator gives (docs/design/exceptions.md "Generators across the boundary"):
   * the generator's frames in the library (a handle, owned as an instance is). next() runs the compiled generator to
   * its next item (kiln_<frames>__next), lazily as CPython's does, and reads it (the frames' item getter); an exception
   * raised inside is thrown as any call's; the last result ({done: true}) carries the value of its \`return v\`. The
   * frames are released at the end, at an exception, by return() (for...of calls it at a break), throw() or $free(),
   * else once the iterator is collected. No yield of a compiled generator is inside a try, so throw(e) at one ends it.
   */
  class KilnGenerator {
    constructor() { throw new TypeError('a compiled generator is made by calling its function'); }
    [Symbol.iterator]() { return this; }
    next(sent) {
      const h = this[HANDLE];
      if (!h) return { value: undefined, done: true };
      const c = CLASSES[this.constructor.name];
      // A value for x = yield v goes through kiln_<frames>__send, converted as a parameter of S in Generator[Y, S, R]
      // (the first next()'s is ignored, as JavaScript's generators do); one whose S does not cross is refused.
      const sends = sent !== undefined && sent !== null && c.receives && this.started;
      if (sends && !c.send) throw new TypeError('Kiln: a value sent to a compiled generator does not cross the boundary: annotate it Generator[Y, S, R] with S a number, bool or str (next() does)');
      this.started = true;
      const made = x.malloc(1), temps = [];
      try {
        const args = sends ? fieldArgs(c.send[1], sent, 'the value sent', temps) : [];
        if (x[sends ? c.send[0] : c.next](h.ptr, ...args, made)) { const e = error(); drop(this); throw e; }
        if (!new Uint8Array(x.memory.buffer)[made]) {
          const value = c.fields.length > 1 ? field(c, c.fields[1][0], c.fields[1][1], h.ptr) : undefined;
          drop(this);
          return { value: value === null ? undefined : value, done: true };
        }
        const [f, spec] = c.fields[0];
        return { value: field(c, f, spec, h.ptr), done: false };
      } finally {
        x.free(made);
        for (const p of temps) x.free(p);
      }
    }
    /** Ends the iteration early (a for...of break calls it): the frames are dropped, as CPython's close() does. */
    return(value) { drop(this); return { value, done: true }; }
    /** Raises e in the generator at its yield, outside a try: it ends, and e is thrown here. */
    throw(e) { drop(this); throw e; }
    $free() { drop(this); }
  }
  if (typeof Symbol.dispose === 'symbol') KilnGenerator.prototype[Symbol.dispose] = KilnGenerator.prototype.$free;
  for (const [name, c] of Object.entries(CLASSES)) {
    // A generator's frames: an iterator class of that name (wrap makes its objects); an exception class with fields: no class.
    if (c.kind === 'generator') classes[name] = { [name]: class extends KilnGenerator {} }[name];
    if (c.kind) continue;
    const free = x[c.handle + '_free'];
    const cls = { [name]: class {
      constructor(...values) {
        if (values.length !== c.fields.length) throw new TypeError(name + '() takes its ' + c.fields.length + ' fields (' + c.fields.map((f) => f[0]).join(', ') + '), in order, but ' + values.length + (values.length === 1 ? ' was' : ' were') + ' given');
        const temps = [];
        try {
          const cargs = c.fields.flatMap(([f, spec], i) => fieldArgs(spec, values[i], name + '.' + f, temps));
          const out = x.malloc(8);
          temps.push(out);
          if (x[c.handle + '_new'](...cargs, out)) fail();
          own(this, new DataView(x.memory.buffer).getUint32(out, true), free);
        } finally {
          for (const p of temps) x.free(p);
        }
      }
      /** Drops this object's reference now (the instance is freed when nothing else holds it); the object is unusable after. */
      // Named with a $, which no Python name has: a field or method called free cannot hide it.
      $free() { drop(this); }
    } }[name];
    if (typeof Symbol.dispose === 'symbol') cls.prototype[Symbol.dispose] = cls.prototype.$free;
    for (const [f, spec] of c.fields) {
      Object.defineProperty(cls.prototype, f, {
        enumerable: true,
        get() { return field(c, f, spec, ptrOf(this)); },
        set(value) {
          if (c.frozen) { const e = new Error("cannot assign to field '" + f + "'"); e.name = 'FrozenInstanceError'; throw e; }
          const p = ptrOf(this), temps = [];
          try {
            if (x[c.handle + '_set_' + f](p, ...fieldArgs(spec, value, name + '.' + f, temps))) fail();
          } finally {
            for (const q of temps) x.free(q);
          }
        },
      });
    }
    // Node's console.log / util.inspect shows the fields (they are accessors on the prototype).
    cls.prototype[Symbol.for('nodejs.util.inspect.custom')] = function (depth, options, inspect) {
      if (!this[HANDLE]) return name + ' <released>';
      if (depth < 0) return '[' + name + ']';
      const o = {};
      for (const [f] of c.fields) { try { o[f] = this[f]; } catch (e) { /* never assigned: absent, as in vars() */ } }
      return name + ' ' + inspect(o, { ...options, depth: options.depth === null ? null : options.depth - 1 });
    };
    classes[name] = cls;
  }
  return { classes, arg, wrap, error };
}
`;

/**
 * Binding a call to a function's parameters, as Python does it: positional arguments, then keyword arguments
 * given as a last plain object (an options object: f(x, { k: 3 })), then defaults; a wrong call throws the
 * TypeError Python raises, with Python's message.
 */
const BINDING = String.raw`
const MISSING = Symbol('missing');
function defaultValue(d) {
  if (d[0] === 'i') return BigInt(d[1]);
  if (d[0] === 'f') return d[1] === 'inf' ? Infinity : d[1] === '-inf' ? -Infinity : d[1] === 'nan' ? NaN : Number(d[1]);
  if (d[0] === 'b') return d[1];
  if (d[0] === 't') return d[1].map(defaultValue);
  return null;
}
function isPlainObject(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
// A last plain object holds keyword arguments, except { data, shape } (an N-D array) and, where the parameter at its
// position is a dict[str, V], an object with a key that names no parameter it could set by keyword (that dict).
function isOptions(v, f, at) {
  if (!isPlainObject(v)) return false;
  const sig = f.sig, names = new Set(sig.map((s) => s[0]));
  if ('data' in v && 'shape' in v && !(names.has('data') && names.has('shape'))) return false; // { data, shape } is an N-D array
  const p = f.params && f.params[at];
  if (p && p[1][0] === 'D' && p[1][1] === 'str' && sig[at] && sig[at][1] !== 'k') return Object.keys(v).every((k) => sig.some((s) => s[0] === k && s[1] !== 'p'));
  return true;
}
function quoteNames(n) {
  const q = n.map((x) => "'" + x + "'");
  return q.length === 1 ? q[0] : q.length === 2 ? q[0] + ' and ' + q[1] : q.slice(0, -1).join(', ') + ', and ' + q[q.length - 1];
}
function bindArgs(f, given) {
  const sig = f.sig, name = f.name;
  let args = given, kwargs = {};
  const positionalNeeded = sig.filter((s) => s[1] !== 'k').length;
  if (given.length && isOptions(given[given.length - 1], f, given.length - 1)) {
    kwargs = given[given.length - 1];
    args = given.slice(0, -1);
  }
  const fail = (m) => { throw new TypeError(name + '() ' + m); };
  const argcount = positionalNeeded;
  const values = sig.map(() => MISSING);
  for (let i = 0; i < Math.min(args.length, argcount); i++) values[i] = args[i];
  for (const kw of Object.keys(kwargs)) {
    const j = sig.findIndex((s) => s[0] === kw && s[1] !== 'p');
    if (j < 0) {
      const posonly = Object.keys(kwargs).filter((k) => sig.some((s) => s[0] === k && s[1] === 'p'));
      if (posonly.length) fail("got some positional-only arguments passed as keyword arguments: '" + posonly.join(', ') + "'");
      fail("got an unexpected keyword argument '" + kw + "'");
    }
    if (values[j] !== MISSING) fail("got multiple values for argument '" + kw + "'");
    values[j] = kwargs[kw];
  }
  const n = args.length;
  if (n > argcount) {
    const defcount = sig.filter((s) => s[1] !== 'k' && s[2]).length;
    const kwonlyGiven = sig.filter((s, j) => s[1] === 'k' && values[j] !== MISSING).length;
    const takes = defcount ? 'from ' + (argcount - defcount) + ' to ' + argcount : String(argcount);
    const plural = defcount || argcount !== 1 ? 's' : '';
    const kwsig = kwonlyGiven ? ' positional argument' + (n !== 1 ? 's' : '') + ' (and ' + kwonlyGiven + ' keyword-only argument' + (kwonlyGiven !== 1 ? 's' : '') + ')' : '';
    fail('takes ' + takes + ' positional argument' + plural + ' but ' + n + kwsig + ' ' + (n === 1 && !kwonlyGiven ? 'was' : 'were') + ' given');
  }
  for (const [kinds, what] of [['pn', 'positional'], ['k', 'keyword-only']]) {
    const missing = sig.filter((s, j) => kinds.includes(s[1]) && values[j] === MISSING && !s[2]).map((s) => s[0]);
    if (missing.length) fail('missing ' + missing.length + ' required ' + what + ' argument' + (missing.length !== 1 ? 's' : '') + ': ' + quoteNames(missing));
  }
  return values.map((v, j) => (v === MISSING ? defaultValue(sig[j][2]) : v));
}
`;

/**
 * The module's array and list calls (kept apart from the scalar path). wasm32 passes a kiln_array struct
 * (data i32 at 0, shape int64[3] at 8, strides int64[3] at 32; 56 bytes) and a kiln_list (len int64 at 0,
 * data i32 at 8; 16 bytes) by pointer, as clang's wasm32 C ABI does for aggregates. Everything is copied
 * into memory from the module's malloc, and freed (results with kiln_free) before the call returns. A list
 * is in-out: after the call (also one that raised) its struct holds the final len and a new data buffer,
 * read back into a caller's Array in place and freed with kiln_free.
 */
const ARRAY_CALLS = String.raw`
const TYPED = { bool: Uint8Array, float32: Float32Array, float64: Float64Array, int8: Int8Array, int16: Int16Array, int32: Int32Array,
  int64: BigInt64Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array, int: BigInt64Array, float: Float64Array };
// kiln_deque_<T> { int64 len; T *items; int64 maxlen }: maxlen at 16 on wasm32 too (8-byte alignment).
const ARRAY_STRUCT = 56, LIST_STRUCT = 16, DEQUE_STRUCT = 24;
// kiln_tree_<dtype> { int64 kind; int64 len; const kiln_str *keys; const node *items; kiln_array array } on wasm32: the
// pointers at 16 and 20, the array struct at 24 (8-byte aligned); 80 bytes.
const TREE_NODE = 80;

function elemSize(name) { if (name === 'complex') return 16; const b = SCALARS[name].bits; return b === 1 ? 1 : b / 8; }
/** How an item of a list ['l', item] is read: a scalar, or a complex as [re, im] (kiln_complex: two float64). */
const COMPLEX_ITEM = ['t', [['s', 'float'], ['s', 'float']]];
function itemSpec(item) { return Array.isArray(item) ? item : item === 'complex' ? COMPLEX_ITEM : ['s', item]; }
const TEXT = ['S', 'B', 'S?', 'B?'];
function holdsBuffers(s) { return (s[0] === 'R' && holdsBuffers(s[2])) || s[0] === 'a' || s[0] === 'l' || s[0] === 'L' || s[0] === 'LS' || s[0] === 'LR' || s[0] === 'D' || s[0] === 'DA' || s[0] === 'T' || s[0] === 'Z' || s[0] === 'Q' || TEXT.includes(s[0]) || (s[0] === 't' && s[1].some(holdsBuffers)); }
function usesArrays(f) { return holdsBuffers(f.ret) || f.params.some(([, s]) => holdsBuffers(s)); }

/** A new buffer holding the items of a list parameter (or of a row of one), checked as scalar parameters are; a
 * complex item is [re, im] (two float64 in memory), as a complex parameter is. */
function listItemsIn(x, alloc, value, item, what) {
  const complexItems = item === 'complex', T = complexItems ? Float64Array : TYPED[item];
  const buf = alloc(value.length * elemSize(item));
  const items = complexItems
    ? Array.from(value, (v, j) => {
      if (!isArrayLike(v) || v.length !== 2) throw new TypeError(what + '[' + j + '] must be a complex number: [re, im]');
      return [checkScalar(v[0], 'float', what + '[' + j + '][0]'), checkScalar(v[1], 'float', what + '[' + j + '][1]')];
    }).flat()
    : Array.from(value, (v, j) => checkScalar(v, item, what + '[' + j + ']'));
  new T(x.memory.buffer, buf, items.length).set(items);
  return buf;
}

/** kiln_str / kiln_bytes at off (data i32 at 0, len int64 at 8): its text (null for a NULL data of str | None), the buffer freed. */
function readText(x, off, kind) {
  const dv = new DataView(x.memory.buffer), ptr = dv.getUint32(off, true), n = Number(dv.getBigInt64(off + 8, true));
  if (!ptr && (kind === 'S?' || kind === 'B?')) return null;
  const bytes = new Uint8Array(x.memory.buffer, ptr, n).slice();
  if (ptr) x.kiln_free(ptr);
  return kind[0] === 'S' ? new TextDecoder('utf-8', { fatal: true }).decode(bytes) : bytes;
}

/** A dict spec whose values are lists or dicts: its struct has origin (i32 at 16) after the call, then index (i32 at 20). */
function objectValues(spec) { return spec[0] === 'D' && (Array.isArray(spec[2]) || spec[2].startsWith('list_')); }
/** The size of one item of a dict or set array (str: a kiln_str of 16 bytes; a dict's list value, 'list_int': a kiln_list). */
function itemSize(item) { return Array.isArray(item) ? sizeAlign(item)[0] : item === 'str' ? 16 : item.startsWith('list_') ? LIST_STRUCT : elemSize(item); }
/** n items at ptr (a dict's keys or values, a set's items): JS values, then the buffers freed. */
function readItems(x, ptr, n, item, given) {
  const out = [];
  if (!ptr) return out;
  const dv = new DataView(x.memory.buffer);
  for (let j = 0; j < n; j++) {
    out.push(item === 'str' ? readText(x, ptr + j * 16, 'S') : item === 'list_str' ? readOwned(x, ptr + j * LIST_STRUCT, ['LS'])
      : typeof item === 'string' && item.startsWith('list_') ? readOwned(x, ptr + j * LIST_STRUCT, ['l', item.slice(5)])
      : item[0] === 'D' || item[0] === 'Z' ? readOwned(x, ptr + j * itemSize(item), item, given ? given(j) : undefined)
      : read(dv, ptr + j * itemSize(item), itemSpec(item)));
  }
  x.kiln_free(ptr);
  return out;
}

/** The caller's Array, Map or plain object given the contents of v (an Array or a Map), in place. */
function replaceContents(given, v) {
  if (Array.isArray(given)) { given.length = 0; for (const e of v) given.push(e); }
  else if (given instanceof Map) { given.clear(); for (const [k, e] of v) given.set(k, e); }
  else { for (const k of Object.keys(given)) delete given[k]; for (const [k, e] of v) given[k] = e; }
}

/** A JS string as UTF-8 (an Error named UnicodeEncodeError for a lone surrogate, as CPython's encoder). */
function utf8(value, what) {
  if (typeof value !== 'string') throw new TypeError(what + ' must be a string (str)');
  const bad = loneSurrogate(value);
  if (bad) throw bad;
  return new TextEncoder().encode(value);
}

/**
 * A result the library wrote at off (an array, a list, a list of lists, a tuple of them): read, then its buffers freed.
 * given: for a dict parameter after the call, the caller's values in entry order (its origin refers to them).
 */
function readOwned(x, off, spec, given) {
  const dv = new DataView(x.memory.buffer);
  if (spec[0] === 'a') {
    const [, dtype, ndim] = spec;
    const ptr = dv.getUint32(off, true);
    const shape = [];
    for (let k = 0; k < ndim; k++) shape.push(Number(dv.getBigInt64(off + 8 + 8 * k, true)));
    const T = TYPED[dtype];
    const data = new T(product(shape));
    data.set(new T(x.memory.buffer, ptr, data.length));
    if (ptr) x.kiln_free(ptr);
    return ndim === 1 ? data : { data, shape };
  }
  if (spec[0] === 'l') {
    const item = spec[1], n = Number(dv.getBigInt64(off, true)), ptr = dv.getUint32(off + 8, true), es = elemSize(item);
    const list = [];
    for (let j = 0; j < n; j++) list.push(read(dv, ptr + j * es, itemSpec(item)));
    if (ptr) x.kiln_free(ptr);
    return list;
  }
  if (TEXT.includes(spec[0])) return readText(x, off, spec[0]);
  if (spec[0] === 'DA') {
    // kiln_dict_str_array_<dtype> { len, keys, values }: a Map of str to arrays (inner dicts: Maps), every buffer freed.
    const [, dtype, ndim, depth] = spec, n = Number(dv.getBigInt64(off, true)), keys = dv.getUint32(off + 8, true), vals = dv.getUint32(off + 12, true);
    const out = new Map();
    for (let j = 0; j < n; j++) {
      const k = readText(x, keys + j * 16, 'S');
      out.set(k, depth === 1 ? readOwned(x, vals + j * ARRAY_STRUCT, ['a', dtype, ndim]) : readOwned(x, vals + j * LIST_STRUCT, ['DA', dtype, ndim, depth - 1]));
    }
    if (keys) x.kiln_free(keys);
    if (vals) x.kiln_free(vals);
    return out;
  }
  if (spec[0] === 'D' || spec[0] === 'Z') {
    // kiln_dict_<K>_<V> { len, keys, values } / kiln_set_<T> { len, items }: len at 0, the arrays (i32) at 8 and 12.
    // given: a dict parameter's values as the caller passed them (entry order); origin[j] (i32 at 16), the entry index
    // of the caller's list or dict that value j is (-1: one the function made), relative to them.
    const n = Number(dv.getBigInt64(off, true)), org = objectValues(spec) ? dv.getUint32(off + 16, true) : 0;
    const origin = org ? Array.from({ length: n }, (_, j) => Number(dv.getBigInt64(org + 8 * j, true))) : [];
    if (org) x.kiln_free(org);
    const held = (o) => (given && o >= 0 && (Array.isArray(given[o]) || given[o] instanceof Map || isPlainObject(given[o])) ? given[o] : undefined);
    // An inner dict of lists or dicts is read with the values of the caller's inner dict it is, at any depth.
    const inner = (j) => { const g = held(origin.length ? origin[j] : -1); return g instanceof Map ? [...g.values()] : g && !Array.isArray(g) ? Object.values(g) : undefined; };
    const cols = spec.slice(1).map((item, c) => readItems(x, dv.getUint32(off + 8 + 4 * c, true), n, item, c === 1 ? inner : undefined));
    if (spec[0] === 'Z') return new Set(cols[0]);
    // A list or dict the function kept is the caller's own object, updated in place (Python's aliasing).
    const done = new Set();
    origin.forEach((o, j) => {
      const g = held(o);
      if (!g) return;
      if (!done.has(o)) { done.add(o); replaceContents(g, cols[1][j]); }
      cols[1][j] = g;
    });
    return new Map(cols[0].map((k, j) => [k, cols[1][j]]));
  }
  if (spec[0] === 'Q') {
    // kiln_deque_<T> { len, items, maxlen }: an Array, with the deque's maxlen as a property when it has one.
    const n = Number(dv.getBigInt64(off, true)), maxlen = Number(dv.getBigInt64(off + 16, true));
    const items = readItems(x, dv.getUint32(off + 8, true), n, spec[1]);
    if (maxlen >= 0) items.maxlen = maxlen;
    return items;
  }
  if (spec[0] === 'LS') {
    // kiln_list_str: len at 0, data (i32) at 8: len kiln_str of 16 bytes; every buffer freed.
    const n = Number(dv.getBigInt64(off, true)), items = dv.getUint32(off + 8, true);
    const out = [];
    for (let j = 0; j < n; j++) out.push(readText(x, items + j * 16, 'S'));
    if (items) x.kiln_free(items);
    return out;
  }
  if (spec[0] === 'L') {
    const n = Number(dv.getBigInt64(off, true)), rows = dv.getUint32(off + 8, true);
    const out = [];
    for (let j = 0; j < n; j++) out.push(readOwned(x, rows + j * LIST_STRUCT, ['l', spec[1]]));
    if (rows) x.kiln_free(rows);
    return out;
  }
  if (spec[0] === 'LR') {
    // kiln_list_<row> { len, data }: each row read as its spec says (its str buffers freed), then the array.
    const n = Number(dv.getBigInt64(off, true)), rows = dv.getUint32(off + 8, true), size = sizeAlign(spec[1])[0];
    const out = [];
    for (let j = 0; j < n; j++) out.push(readOwned(x, rows + j * size, spec[1]));
    if (rows) x.kiln_free(rows);
    return out;
  }
  if (spec[0] === 't') {
    let o = 0;
    return spec[1].map((item) => { const [s, a] = sizeAlign(item); o = Math.ceil(o / a) * a; const v = readOwned(x, off + o, item); o += s; return v; });
  }
  if (spec[0] === 'R') { const v = readOwned(x, off, spec[2]); return new Map(spec[1].map((k, i) => [k, v[i]])); }
  return read(dv, off, spec);
}

/** CPython's UnicodeEncodeError for a JS string holding a lone surrogate (it has no UTF-8), or null. */
function loneSurrogate(s) {
  const cps = Array.from(s, (c) => c.codePointAt(0));
  const bad = (c) => c >= 0xd800 && c <= 0xdfff;
  const i = cps.findIndex(bad);
  if (i < 0) return null;
  let j = i;
  while (j + 1 < cps.length && bad(cps[j + 1])) j++;
  const e = new Error("'utf-8' codec can't encode " + (i === j ? "character '\\u" + cps[i].toString(16) + "' in position " + i : 'characters in position ' + i + '-' + j) + ': surrogates not allowed');
  e.name = 'UnicodeEncodeError';
  return e;
}
const product = (shape) => shape.reduce((n, k) => n * k, 1);
const isArrayLike = (v) => v != null && typeof v !== 'string' && typeof v === 'object' && typeof v.length === 'number';

/** An array argument as { data, shape, typed }: typed is the caller's own typed array when it is one. */
function arrayInput(value, dtype, ndim, what) {
  const T = TYPED[dtype];
  let data, shape;
  if (value != null && typeof value === 'object' && !isArrayLike(value) && 'data' in value && 'shape' in value) {
    shape = Array.from(value.shape, Number);
    if (shape.length !== ndim) throw new TypeError(what + ' must be a ' + ndim + '-D array, not ' + shape.length + '-D (shape ' + JSON.stringify(shape) + ')');
    if (shape.some((k) => !Number.isInteger(k) || k < 0)) throw new TypeError(what + '.shape must hold lengths (integers >= 0), not ' + JSON.stringify(value.shape));
    data = value.data;
    if (!isArrayLike(data)) throw new TypeError(what + '.data must be a typed array or an array of numbers');
    if (data.length !== product(shape)) throw new TypeError(what + '.data has ' + data.length + ' elements but shape ' + JSON.stringify(shape) + ' needs ' + product(shape));
  } else if (ArrayBuffer.isView(value)) {
    if (ndim !== 1) throw new TypeError(what + ' must be a ' + ndim + '-D array: pass { data, shape } or nested arrays');
    data = value;
    shape = [value.length];
  } else if (isArrayLike(value)) {
    shape = [];
    const flat = [];
    const walk = (v, k) => {
      if (k === ndim) { flat.push(v); return; }
      if (!isArrayLike(v)) throw new TypeError(what + ' must be a ' + ndim + '-D array (arrays nested ' + ndim + ' deep, or { data, shape })');
      if (shape.length === k) shape.push(v.length);
      else if (shape[k] !== v.length) throw new TypeError(what + ' is ragged: dimension ' + k + ' has lengths ' + shape[k] + ' and ' + v.length);
      for (let i = 0; i < v.length; i++) walk(v[i], k + 1);
    };
    walk(value, 0);
    while (shape.length < ndim) shape.push(0);
    data = flat;
  } else {
    throw new TypeError(what + ' must be a ' + (ndim === 1 ? T.name + ' or an array of numbers' : ndim + '-D array ({ data, shape } or nested arrays)'));
  }
  if (ArrayBuffer.isView(data)) {
    if (!(data instanceof T)) throw new TypeError(what + ' must hold ' + dtype + ' elements (' + T.name + '), not a ' + data.constructor.name);
    return { data, shape, typed: data, plain: null };
  }
  const typed = new T(data.length);
  for (let i = 0; i < data.length; i++) typed[i] = checkScalar(data[i], dtype, what + '[' + i + ']');
  // A plain Array as { data, shape }.data is the caller's array's memory: it receives the function's writes.
  return { data: typed, shape, typed: null, plain: data !== value && Array.isArray(data) ? data : null };
}

function makeArrayCall(f, x, cstr, handles) {
  const run = (args) => {
    const temps = [];
    const writeBacks = [];
    const alloc = (bytes, zero) => {
      const p = x.malloc(Math.max(bytes, 8));
      if (!p) { const e = new Error('the wasm module is out of memory'); e.name = 'MemoryError'; throw e; }
      temps.push(p);
      if (zero) new Uint8Array(x.memory.buffer, p, bytes).fill(0);
      return p;
    };
    try {
      const cargs = [];
      const big = f.bigArgs && f.params.some(([, spec], i) => spec[0] === 's' && spec[1] === 'int' && typeof args[i] === 'bigint' && (args[i] < -(2n ** 63n) || args[i] >= 2n ** 63n));
      f.params.forEach(([pname, spec], i) => {
        if (TEXT.includes(spec[0])) {
          // The UTF-8 of a str (or the bytes) in the module's memory: a pointer and a length in bytes (int64);
          // str | None: null (or undefined) is a NULL pointer.
          const value = args[i];
          if ((spec[0] === 'S?' || spec[0] === 'B?') && (value === null || value === undefined)) { cargs.push(0, 0n); return; }
          let bytes;
          if (spec[0][0] === 'S') {
            bytes = utf8(value, pname);
          } else {
            if (!isArrayLike(value)) throw new TypeError(pname + ' must be a Uint8Array (bytes)');
            bytes = Uint8Array.from(value, (v, j) => checkScalar(v, 'uint8', pname + '[' + j + ']'));
          }
          const p = alloc(bytes.length, false);
          new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
          cargs.push(p, BigInt(bytes.length));
          return;
        }
        cargs.push(arg(pname, spec, i));
      });
      /** An array argument copied into the module's memory, its kiln_array struct written at st; writes come back after the call. */
      function arrayIn(value, dtype, ndim, what, st) {
        const { data, shape, typed, plain } = arrayInput(value, dtype, ndim, what);
        const T = TYPED[dtype], n = data.length;
        const buf = alloc(n * elemSize(dtype));
        new T(x.memory.buffer, buf, n).set(data);
        const dv = new DataView(x.memory.buffer);
        dv.setUint32(st, buf, true);
        let stride = 1;
        for (let k = 2; k >= 0; k--) {
          dv.setBigInt64(st + 8 + 8 * k, BigInt(k < ndim ? shape[k] : 1), true);
          dv.setBigInt64(st + 32 + 8 * k, BigInt(k < ndim ? stride : 0), true);
          if (k < ndim) stride *= shape[k];
        }
        // Writes the function makes through the array reach the caller's typed array, as in Python.
        if (typed) writeBacks.push(() => typed.set(new T(x.memory.buffer, buf, n)));
        // A plain Array as { data, shape }.data gets them too, each item the kind it was (bigint, boolean or number).
        else if (plain) writeBacks.push(() => {
          const now = new T(x.memory.buffer, buf, n);
          for (let j = 0; j < n; j++) {
            const v = now[j], was = plain[j];
            plain[j] = typeof was === 'bigint' ? BigInt(v) : typeof was === 'boolean' ? v !== 0 : typeof v === 'bigint' ? Number(v) : v;
          }
        });
        return st;
      }
      /** kiln_str { data, len } at at: a new copy of the string's UTF-8. */
      function strIn(value, what, at) {
        const bytes = utf8(value, what), p = alloc(bytes.length, false);
        new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
        const dv = new DataView(x.memory.buffer);
        dv.setUint32(at, p, true);
        dv.setBigInt64(at + 8, BigInt(bytes.length), true);
      }
      /**
       * A dict (a Map, or a plain object for str keys; its values lists, list of str or inner dicts too) or a set (a Set
       * or an array) in the flat layout at st: its columns of JS values (keys and values, or items) are returned.
       */
      function containerIn(value, spec, pname, st) {
        let cols;
        if (spec[0] === 'D') {
          if (value instanceof Map) cols = [[...value.keys()], [...value.values()]];
          else if (spec[1] === 'str' && isPlainObject(value)) cols = [Object.keys(value), Object.values(value)];
          else throw new TypeError(pname + ' must be a Map (a dict' + (spec[1] === 'str' ? ', or a plain object for str keys)' : ')'));
        } else {
          if (value instanceof Set) cols = [[...value]];
          else if (isArrayLike(value)) cols = [[...new Set(Array.from(value))]];
          else throw new TypeError(pname + ' must be a Set or an array (a set)');
        }
        const n = cols[0].length;
        new DataView(x.memory.buffer).setBigInt64(st, BigInt(n), true);
        spec.slice(1).forEach((item, c) => {
          const what = pname + (spec[0] === 'D' ? (c ? ' value' : ' key') : ' item');
          const arr = alloc(n * itemSize(item), true);
          cols[c].forEach((v, j) => {
            if (item === 'str') strIn(v, what, arr + j * 16);
            else if (item === 'list_str') {
              // A list of str value: kiln_list_str { len, data } of kiln_str.
              if (!isArrayLike(v)) throw new TypeError(what + ' must be an array (a list of str)');
              const strs = alloc(v.length * 16, true);
              Array.from(v).forEach((w, q) => strIn(w, what + '[' + q + ']', strs + q * 16));
              const dv = new DataView(x.memory.buffer);
              dv.setBigInt64(arr + j * LIST_STRUCT, BigInt(v.length), true);
              dv.setUint32(arr + j * LIST_STRUCT + 8, strs, true);
            } else if (typeof item === 'string' && item.startsWith('list_')) {
              // A list value: its items in a new buffer, checked as a list parameter's.
              if (!isArrayLike(v)) throw new TypeError(what + ' must be an array (a list of ' + item.slice(5) + ')');
              const buf = listItemsIn(x, alloc, v, item.slice(5), what), dv = new DataView(x.memory.buffer);
              dv.setBigInt64(arr + j * LIST_STRUCT, BigInt(v.length), true);
              dv.setUint32(arr + j * LIST_STRUCT + 8, buf, true);
            } else if (item[0] === 'D' || item[0] === 'Z') containerIn(v, item, what, arr + j * itemSize(item));
            else write(new DataView(x.memory.buffer), arr + j * itemSize(item), itemSpec(item), v, what);
          });
          new DataView(x.memory.buffer).setUint32(st + 8 + 4 * c, arr, true);
        });
        return cols;
      }
      /** A dict of arrays (a Map or a plain object of arrays; depth > 1: of such dicts) as kiln_dict_str_array_<dtype> at st. */
      function arrayDictIn(value, dtype, ndim, depth, what, st) {
        let entries;
        if (value instanceof Map) entries = [...value.entries()];
        else if (isPlainObject(value)) entries = Object.entries(value);
        else throw new TypeError(what + ' must be a Map or a plain object (a dict of arrays)');
        const n = entries.length, keys = alloc(n * 16, true), vals = alloc(n * (depth === 1 ? ARRAY_STRUCT : LIST_STRUCT), true);
        entries.forEach(([k, v], j) => {
          strIn(k, 'a key of ' + what, keys + j * 16);
          const at = what + '[' + JSON.stringify(k) + ']';
          if (depth === 1) arrayIn(v, dtype, ndim, at, vals + j * ARRAY_STRUCT);
          else arrayDictIn(v, dtype, ndim, depth - 1, at, vals + j * LIST_STRUCT);
        });
        const dv = new DataView(x.memory.buffer);
        dv.setBigInt64(st, BigInt(n), true);
        dv.setUint32(st + 8, keys, true);
        dv.setUint32(st + 12, vals, true);
      }
      /** Weights laid out by ndim= as kiln_tree_<dtype> nodes at st: an array (kind 0), a dict of exactly the layout's keys (1), a list (2). */
      function treeIn(value, dtype, layout, what, st) {
        if (typeof layout === 'number') { arrayIn(value, dtype, layout, what, st + 24); return; }
        let names = null, items;
        if (Array.isArray(layout)) {
          if (!isArrayLike(value)) throw new TypeError(what + ' must be an array (a list)');
          items = Array.from(value);
        } else {
          if (!(value instanceof Map) && !isPlainObject(value)) throw new TypeError(what + ' must be a Map or a plain object (a dict)');
          const have = value instanceof Map ? [...value.keys()] : Object.keys(value);
          names = Object.keys(layout);
          const extra = have.find((k) => !names.includes(k));
          if (extra !== undefined) throw new TypeError(f.name + '() was compiled for ' + what + ' with the keys ' + names.map((k) => JSON.stringify(k)).join(', ') + ' (its ndim= layout), not ' + JSON.stringify(extra));
          const missing = names.find((k) => !have.includes(k));
          if (missing !== undefined) { const e = new Error("'" + missing + "'"); e.name = 'KeyError'; throw e; }
          items = names.map((k) => (value instanceof Map ? value.get(k) : value[k]));
        }
        const n = items.length, nodes = alloc(n * TREE_NODE, true), keys = names ? alloc(n * 16, true) : 0;
        items.forEach((v, j) => {
          if (names) strIn(names[j], 'a key of ' + what, keys + j * 16);
          treeIn(v, dtype, names ? layout[names[j]] : layout[0], what + '[' + (names ? JSON.stringify(names[j]) : j) + ']', nodes + j * TREE_NODE);
        });
        const dv = new DataView(x.memory.buffer);
        dv.setBigInt64(st, BigInt(names ? 1 : 2), true);
        dv.setBigInt64(st + 8, BigInt(n), true);
        dv.setUint32(st + 16, keys, true);
        dv.setUint32(st + 20, nodes, true);
      }
      function arg(pname, spec, i) {
        if (spec[0] === 'H') return handles.arg(args[i], spec, pname);
        if (spec[0] === 'a') return arrayIn(args[i], spec[1], spec[2], pname, alloc(ARRAY_STRUCT, true));
        if (spec[0] === 'DA') {
          const st = alloc(LIST_STRUCT, true);
          arrayDictIn(args[i], spec[1], spec[2], spec[3], pname, st);
          return st;
        }
        if (spec[0] === 'T') {
          const st = alloc(TREE_NODE, true);
          treeIn(args[i], spec[1], spec[2], pname, st);
          return st;
        }
        if (spec[0] === 'l') {
          const item = spec[1], value = args[i];
          if (!isArrayLike(value)) throw new TypeError(pname + ' must be an array (a list of ' + item + ')');
          const n = value.length;
          const buf = listItemsIn(x, alloc, value, item, pname);
          const st = alloc(LIST_STRUCT, true);
          const dv = new DataView(x.memory.buffer);
          dv.setBigInt64(st, BigInt(n), true);
          dv.setUint32(st + 8, buf, true);
          // In-out, as in Python: the list's final state (a new buffer from the library) goes back into the caller's Array.
          writeBacks.push(() => {
            const dv = new DataView(x.memory.buffer), len = Number(dv.getBigInt64(st, true)), ptr = dv.getUint32(st + 8, true), es = elemSize(item);
            if (!ptr || ptr === buf) return;
            const final = [];
            for (let j = 0; j < len; j++) final.push(read(dv, ptr + j * es, itemSpec(item)));
            x.kiln_free(ptr);
            if (Array.isArray(value)) { value.length = 0; for (const v of final) value.push(v); }
          });
          return st;
        }
        if (spec[0] === 'D' || spec[0] === 'Z') {
          // A dict (Map) or a set (Set, or an array): the flat layout; in-out (a Map or Set argument is updated).
          const value = args[i], st = alloc(sizeAlign(spec)[0], true);
          const cols = containerIn(value, spec, pname, st);
          writeBacks.push(() => {
            const dv = new DataView(x.memory.buffer);
            if (spec.slice(1).some((_, c) => !dv.getUint32(st + 8 + 4 * c, true))) { spec.slice(1).forEach((_, c) => { const p = dv.getUint32(st + 8 + 4 * c, true); if (p) x.kiln_free(p); }); return; }
            // The caller's lists and dicts the function kept come back as themselves (readOwned: origin, at any depth).
            const final = readOwned(x, st, spec, spec[0] === 'D' ? cols[1] : undefined);
            if (value instanceof Map || value instanceof Set) { value.clear(); for (const e of final) spec[0] === 'D' ? value.set(e[0], e[1]) : value.add(e); }
            else if (spec[0] === 'D') { for (const k of Object.keys(value)) delete value[k]; for (const [k, v] of final) value[k] = v; }
          });
          return st;
        }
        if (spec[0] === 'Q') {
          // A deque: an Array (its maxlen property, absent or null for None); in-out like a list.
          const value = args[i];
          if (!isArrayLike(value)) throw new TypeError(pname + ' must be an array (a deque)');
          const m = value.maxlen;
          if (m != null && !((typeof m === 'number' && Number.isInteger(m)) || typeof m === 'bigint')) throw new TypeError(pname + '.maxlen must be an integer or null');
          const items = Array.from(value), item = spec[1], n = items.length;
          const st = alloc(DEQUE_STRUCT, true), arr = alloc(n * itemSize(item), true);
          items.forEach((v, j) => {
            if (item === 'str') {
              const bytes = utf8(v, pname + ' item'), p = alloc(bytes.length, false);
              new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
              const dv = new DataView(x.memory.buffer);
              dv.setUint32(arr + j * 16, p, true);
              dv.setBigInt64(arr + j * 16 + 8, BigInt(bytes.length), true);
            } else write(new DataView(x.memory.buffer), arr + j * itemSize(item), ['s', item], v, pname + ' item');
          });
          const dv = new DataView(x.memory.buffer);
          dv.setBigInt64(st, BigInt(n), true);
          dv.setUint32(st + 8, arr, true);
          dv.setBigInt64(st + 16, m == null ? -1n : BigInt(m), true);
          writeBacks.push(() => {
            if (!new DataView(x.memory.buffer).getUint32(st + 8, true)) return;
            const final = readOwned(x, st, spec);
            if (Array.isArray(value)) { value.length = 0; for (const v of final) value.push(v); }
          });
          return st;
        }
        if (spec[0] === 'LS') {
          // list[str]: kiln_list_str { len, data } of kiln_str { data, len }; in-out like every list.
          const value = args[i];
          if (!isArrayLike(value)) throw new TypeError(pname + ' must be an array of strings (a list of str)');
          const items = Array.from(value, (v, j) => utf8(v, pname + '[' + j + ']'));
          const arr = alloc(items.length * 16, true);
          items.forEach((bytes, j) => {
            const p = alloc(bytes.length, false);
            new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
            const dv = new DataView(x.memory.buffer);
            dv.setUint32(arr + j * 16, p, true);
            dv.setBigInt64(arr + j * 16 + 8, BigInt(bytes.length), true);
          });
          const st = alloc(LIST_STRUCT, true);
          const dv = new DataView(x.memory.buffer);
          dv.setBigInt64(st, BigInt(items.length), true);
          dv.setUint32(st + 8, arr, true);
          writeBacks.push(() => {
            const ptr = new DataView(x.memory.buffer).getUint32(st + 8, true);
            if (!ptr || ptr === arr) return;
            const final = readOwned(x, st, ['LS']);
            if (Array.isArray(value)) { value.length = 0; for (const v of final) value.push(v); }
          });
          return st;
        }
        if (spec[0] === 'L') {
          // A list of lists: in-out; rows the function kept come back as the caller's own Arrays (updated in place).
          const item = spec[1], value = args[i];
          if (!isArrayLike(value)) throw new TypeError(pname + ' must be an array of arrays (a list of lists of ' + item + ')');
          const rowsIn = Array.from(value);
          const n = rowsIn.length;
          const rows = alloc(n * LIST_STRUCT, true);
          rowsIn.forEach((row, j) => {
            if (!isArrayLike(row)) throw new TypeError(pname + '[' + j + '] must be an array (a list of ' + item + ')');
            const buf = listItemsIn(x, alloc, row, item, pname + '[' + j + ']');
            const dv = new DataView(x.memory.buffer);
            dv.setBigInt64(rows + j * LIST_STRUCT, BigInt(row.length), true);
            dv.setUint32(rows + j * LIST_STRUCT + 8, buf, true);
          });
          const st = alloc(LIST_STRUCT, true);
          const dv = new DataView(x.memory.buffer);
          dv.setBigInt64(st, BigInt(n), true);
          dv.setUint32(st + 8, rows, true);
          writeBacks.push(() => {
            const dv = new DataView(x.memory.buffer), len = Number(dv.getBigInt64(st, true)), ptr = dv.getUint32(st + 8, true), org = dv.getUint32(st + 12, true);
            if (!ptr || ptr === rows) return;
            const origins = [];
            for (let j = 0; j < len; j++) origins.push(Number(dv.getBigInt64(org + 8 * j, true)));
            const finals = readOwned(x, st, ['L', item]);
            if (org) x.kiln_free(org);
            if (!Array.isArray(value)) return;
            const done = new Set(), out = [];
            finals.forEach((items, j) => {
              const o = origins[j], row = rowsIn[o];
              if (o >= 0 && Array.isArray(row)) {
                if (!done.has(o)) { row.length = 0; for (const v of items) row.push(v); done.add(o); }
                out.push(row);
              } else out.push(items);
            });
            value.length = 0;
            for (const r of out) value.push(r);
          });
          return st;
        }
        if (spec[0] === 't' && leafCount(spec) === 1) { const leaf = firstLeaf(spec); let v = args[i]; while (Array.isArray(v)) v = v[0]; return checkScalar(v, leaf[1], pname); }
        if (spec[0] === 't' || spec[0] === 'u') { const [s] = sizeAlign(spec); const p = alloc(s, true); write(new DataView(x.memory.buffer), p, spec, args[i], pname); return p; }
        // An int past 64 bits where the big-int twin takes any size (beside str parameters): its hex() text, for <symbol>_big.
        if (big && spec[0] === 's' && spec[1] === 'int' && typeof args[i] === 'bigint') {
          const v = args[i], text = new TextEncoder().encode((v < 0n ? '-0x' + (-v).toString(16) : '0x' + v.toString(16)) + '\0');
          const p = alloc(text.length, false); new Uint8Array(x.memory.buffer, p, text.length).set(text); return p;
        }
        return checkScalar(args[i], spec[1], pname);
      }
      const kind = f.ret[0];
      let out = 0;
      if (kind !== 'n') { out = alloc(kind === 'a' ? ARRAY_STRUCT : sizeAlign(f.ret)[0], true); cargs.push(out); }
      const rc = x[big ? f.symbol + '_big' : f.symbol](...cargs);
      for (const back of writeBacks) back();
      // A big-int twin's result past 64 bits (a function of ints and str parameters): a BigInt of its hex() text.
      if (rc === 255 && f.big) { const t = cstr(x.kiln_big_result()); return t[0] === '-' ? -BigInt(t.slice(1)) : BigInt(t); }
      if (rc !== 0) throw handles.error();
      const dv = new DataView(x.memory.buffer);
      if (kind === 'a') {
        const [, dtype, ndim] = f.ret;
        const ptr = dv.getUint32(out, true);
        const shape = [];
        for (let k = 0; k < ndim; k++) shape.push(Number(dv.getBigInt64(out + 8 + 8 * k, true)));
        const T = TYPED[dtype];
        const data = new T(product(shape));
        data.set(new T(x.memory.buffer, ptr, data.length));
        x.kiln_free(ptr);
        return ndim === 1 ? data : { data, shape };
      }
      // kiln_str / kiln_bytes: data (i32) at 0, len (int64) at 8; a new buffer, freed here.
      if (TEXT.includes(kind)) return readText(x, out, kind);
      if (kind === 'l') {
        const item = f.ret[1], n = Number(dv.getBigInt64(out, true)), ptr = dv.getUint32(out + 8, true), es = elemSize(item);
        const list = [];
        for (let j = 0; j < n; j++) list.push(read(dv, ptr + j * es, itemSpec(item)));
        if (ptr) x.kiln_free(ptr);
        return list;
      }
      if (kind === 'L' || kind === 'LS' || kind === 'D' || kind === 'Z' || kind === 'Q' || holdsBuffers(f.ret)) return readOwned(x, out, f.ret);
      if (kind === 'H') return handles.wrap(dv.getUint32(out, true), f.ret[1]);
      return kind === 'n' ? null : read(dv, out, f.ret);
    } finally {
      for (const p of temps) x.free(p);
    }
  };
  const call = (...given) => run(bindArgs(f, given));
  call.run = run;
  Object.defineProperty(call, 'name', { value: f.name });
  return call;
}
`;
