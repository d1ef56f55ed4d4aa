/** Type annotations as Kiln reads them: the text of a parameter's or a return's annotation -> a KType. */
import { ARRAY_DTYPES, SCALARS, T, typeToString, unionOf, type KType, type ScalarName } from './types.ts';
import { readPyStringLiteral } from '../frontend/pystring.ts';
import type { PyLiteral } from '../ir/ir.ts';

/** Annotation text -> type. `np.float32`, `numpy.int8`, `float`, ... (aliases through the module's imports). */
export function annotationType(text: string | null, imports: Record<string, string>, ndim?: number): KType | undefined {
  if (!text) return undefined;
  const s = text.trim();
  const union = unionAnnotation(s, imports, ndim);
  if (union !== null) return union;
  const arrayOrList = arrayAnnotationType(s, imports, ndim, (x) => annotationType(x, imports));
  if (arrayOrList) return arrayOrList;
  if (s === 'int') return T.int;
  if (s === 'float') return T.float;
  if (s === 'bool') return T.bool;
  if (s === 'None') return T.none;
  if (s === 'str') return T.str;
  if (s === 'bytes') return T.bytes;
  if (s === 'complex') return { kind: 'complex' };
  if (literalValues(s, imports)) return T.str;
  const tuple = /^(?:tuple|typing\.Tuple|Tuple)\[(.*)\]$/.exec(s);
  if (tuple) {
    const parts = splitTopLevel(tuple[1]);
    // tuple[int, ...]: a tuple whose length is known only at run time, of numbers or str (types.ts T.vtuple).
    if (parts.length === 2 && parts[1].trim() === '...') {
      const item = annotationType(parts[0], imports);
      return item && (item.kind === 'str' || (item.kind === 'scalar' && !SCALARS[item.name].numpy)) ? T.vtuple(item) : undefined;
    }
    const items = parts.map((p) => annotationType(p, imports));
    return items.every(Boolean) ? T.tuple(items as KType[]) : undefined;
  }
  const dot = s.indexOf('.');
  if (dot > 0) {
    const mod = imports[s.slice(0, dot)] ?? s.slice(0, dot);
    const attr = s.slice(dot + 1);
    if (mod === 'numpy' && (SCALARS as Record<string, unknown>)[attr] && SCALARS[attr as ScalarName].numpy) return T.np(attr as ScalarName);
  }
  const origin = imports[s];
  if (origin?.startsWith('numpy.')) {
    const attr = origin.slice(6) as ScalarName;
    if (SCALARS[attr]?.numpy) return T.np(attr);
  }
  return undefined;
}

/**
 * An exported parameter annotated with a union of `list[int]` and `list[float]` (`list[int] | list[float]`,
 * `Union[list[float], list[int]]`): list[float], whose list[int] specialisation is built too (types/tower.ts), so a
 * call runs the one its list's items pick, as the union says. Undefined for any other annotation.
 */
export function listUnionParameterType(text: string | null, imports: Record<string, string>): KType | undefined {
  if (!text) return undefined;
  const m = /^([\w.]+)\[(.*)\]$/.exec(text.trim());
  const head = m && resolveDotted(m[1], imports);
  const parts = head === 'typing.Union' || head === 'Union' ? splitTopLevel(m![2]) : splitTopLevel(text, '|');
  const items = parts.map((p) => annotationType(p.trim(), imports)).map((t) => (t?.kind === 'list' && t.item.kind === 'scalar' ? t.item.name : undefined));
  return parts.length === 2 && items.includes('int') && items.includes('float') ? T.list(T.float) : undefined;
}

/**
 * An exported parameter annotated with a constrained TypeVar of the module (`T = TypeVar("T", int, float)`; `xs:
 * list[T]` or `x: T`): the type whose specialisations are the constraints, when they are the numeric tower's
 * (`list[T]` is list[float] with its list[int] specialisation, `T` is float with its int one; a call runs the one its
 * arguments' types pick, as the TypeVar lets them). Undefined for any other annotation or TypeVar (refused).
 */
export function typeVarParameterType(text: string | null, imports: Record<string, string>, constants: Record<string, { value: unknown }>): KType | undefined {
  if (!text) return undefined;
  const constraintsOf = (name: string): string[] | undefined => {
    type Node = { _t: string; id?: string; attr?: string; value?: { id?: string } };
    const v = constants[name]?.value as { _t?: string; func?: Node; args?: Node[] } | undefined;
    if (v?._t !== 'Call' || !v.func || !v.args) return undefined;
    const f = v.func;
    const callee = f._t === 'Name' ? imports[f.id!] ?? f.id : f._t === 'Attribute' ? `${imports[f.value?.id ?? ''] ?? f.value?.id}.${f.attr}` : undefined;
    if (callee !== 'typing.TypeVar' || v.args[0]?._t !== 'Constant' || v.args.length < 3) return undefined;
    const names = v.args.slice(1).map((a) => (a._t === 'Name' ? a.id : undefined));
    return names.every(Boolean) ? (names as string[]) : undefined;
  };
  const vars = [...new Set(text.match(/[A-Za-z_]\w*/g) ?? [])].filter((w) => constraintsOf(w));
  if (vars.length !== 1) return undefined;
  const types = constraintsOf(vars[0])!.map((c) => annotationType(text.replace(new RegExp(`\\b${vars[0]}\\b`, 'g'), c), imports));
  const shown = new Set(types.map((t) => (t ? typeToString(t) : '?')));
  const is = (...names: string[]) => shown.size === names.length && names.every((n) => shown.has(n));
  return is('int', 'float') ? T.float : is('list[int]', 'list[float]') ? T.list(T.float) : shown.size === 1 && types[0] ? types[0] : undefined;
}

/**
 * `npt.NDArray[np.float64]` (1-D unless `ndim` says otherwise: `@compile(ndim={"a": 2})`),
 * `np.ndarray[tuple[int, int], np.dtype[np.float64]]` (the shape tuple gives the dimensions),
 * `list[float]`, `list[list[int]]`, `List[int]`, `dict[K, V]`, `set[T]`, `deque[T]` (collections.deque).
 */
function arrayAnnotationType(
  s: string, imports: Record<string, string>, ndim: number | undefined, scalar: (x: string) => KType | undefined,
): KType | undefined {
  const m = /^([\w.]+)\[(.*)\]$/.exec(s);
  if (!m) return undefined;
  const head = resolveDotted(m[1], imports);
  const parts = splitTopLevel(m[2]).map((p) => p.trim());
  if (head === 'dict' || head === 'typing.Dict' || head === 'builtins.dict') {
    if (parts.length !== 2) return undefined;
    // `ndim` (an exported parameter's @compile(ndim={"params": 2})) is the rank of a dict's array values.
    const [k, v] = parts.map((p, i) => arrayAnnotationType(p, imports, i ? ndim : undefined, scalar) ?? scalar(p));
    return k && v ? T.dict(k, v) : undefined;
  }
  if (head === 'set' || head === 'typing.Set' || head === 'builtins.set') {
    if (parts.length !== 1) return undefined;
    const item = scalar(parts[0]);
    return item ? T.set(item) : undefined;
  }
  // A frozenset: a set compiled code never changes (types.ts).
  if (head === 'frozenset' || head === 'typing.FrozenSet' || head === 'builtins.frozenset') {
    if (parts.length !== 1) return undefined;
    const item = scalar(parts[0]);
    return item ? { kind: 'set', item, frozen: true } : undefined;
  }
  if (head === 'collections.deque' || head === 'typing.Deque') {
    if (parts.length !== 1) return undefined;
    const item = scalar(parts[0]);
    return item ? T.deque(item) : undefined;
  }
  if (head === 'list' || head === 'typing.List' || head === 'builtins.list') {
    if (parts.length !== 1) return undefined;
    const item = arrayAnnotationType(parts[0], imports, undefined, scalar) ?? scalar(parts[0]);
    // A tuple of numbers as an item: a local's annotation (`heap: list[tuple[float, int]] = []`); entry parameters refuse it.
    const numberTuple = item?.kind === 'tuple' && item.items.every((m) => m.kind === 'scalar');
    if (!item || (item.kind !== 'scalar' && item.kind !== 'list' && item.kind !== 'str' && item.kind !== 'complex' && !numberTuple)) return undefined;
    return T.list(item);
  }
  const dtypeOfText = (x: string): ScalarName | undefined => {
    const inner = /^([\w.]+)\[(.*)\]$/.exec(x);
    if (inner && ['numpy.dtype'].includes(resolveDotted(inner[1], imports))) return dtypeOfText(inner[2].trim());
    const r = resolveDotted(x, imports);
    if (r === 'builtins.float' || r === 'float') return 'float64';
    if (r === 'builtins.int' || r === 'int') return 'int64';
    if (r === 'builtins.bool' || r === 'bool' || r === 'numpy.bool_') return 'bool';
    if (r === 'builtins.complex' || r === 'complex' || r === 'numpy.complex128') return 'complex128';
    const name = r.startsWith('numpy.') ? r.slice(6) : undefined;
    return name && (ARRAY_DTYPES as string[]).includes(name) ? (name as ScalarName) : undefined;
  };
  if (head === 'numpy.typing.NDArray') {
    if (parts.length !== 1) return undefined;
    const d = dtypeOfText(parts[0]);
    return d ? T.array(d, ndim ?? 1) : undefined;
  }
  if (head === 'numpy.ndarray') {
    if (parts.length !== 2) return undefined;
    const shape = /^(?:tuple|typing\.Tuple|Tuple)\[(.*)\]$/.exec(parts[0]);
    const nd = shape ? splitTopLevel(shape[1]).length : ndim ?? 1;
    const d = dtypeOfText(parts[1]);
    return d && nd >= 1 && nd <= 3 ? T.array(d, nd) : undefined;
  }
  return undefined;
}

/**
 * `Optional[T]`, `T | None`, `Union[int, float]`, `int | float` (typing. or bare): the union (types.ts), undefined
 * when a part is outside the subset; null when the text is not a union at all.
 */
function unionAnnotation(s: string, imports: Record<string, string>, ndim?: number): KType | undefined | null {
  let parts = splitTopLevel(s, '|');
  if (parts.length < 2) {
    const m = /^([\w.]+)\[(.*)\]$/.exec(s);
    const head = m && resolveDotted(m[1], imports);
    if (!m || !head) return null;
    if (head === 'typing.Optional' || head === 'Optional') parts = [m[2], 'None'];
    else if (head === 'typing.Union' || head === 'Union') parts = splitTopLevel(m[2]);
    else return null;
  }
  const types = parts.map((p) => (p.trim() === 'None' ? T.none : annotationType(p, imports, ndim)));
  if (types.some((t) => !t)) return undefined;
  const u = unionOf(types as KType[]);
  return typeof u === 'string' ? undefined : u;
}

/** Whether the annotation names None among its types: `T | None`, `Optional[T]`, `Union[..., None]`, `None`. */
export function annotationNamesNone(text: string, imports: Record<string, string>): boolean {
  const s = text.trim();
  if (s === 'None') return true;
  const parts = splitTopLevel(s, '|');
  if (parts.length > 1) return parts.some((p) => annotationNamesNone(p, imports));
  const m = /^([\w.]+)\[(.*)\]$/.exec(s);
  const head = m ? resolveDotted(m[1], imports) : '';
  if (head === 'typing.Optional' || head === 'Optional') return true;
  return (head === 'typing.Union' || head === 'Union') && splitTopLevel(m![2]).some((p) => annotationNamesNone(p, imports));
}

/**
 * The type a generator annotated `Generator[Y, S, R]` receives through send() (S), or undefined for another
 * annotation (`Iterator[Y]`) or an S of None.
 */
export function generatorSendType(text: string | null, imports: Record<string, string>): KType | undefined {
  const m = text ? /^([\w.]+)\[(.*)\]$/.exec(text.trim()) : null;
  const head = m ? resolveDotted(m[1], imports) : '';
  if (head !== 'typing.Generator' && head !== 'collections.abc.Generator' && head !== 'Generator') return undefined;
  const s = splitTopLevel(m![2])[1]?.trim();
  return s && s !== 'None' ? annotationType(s, imports) : undefined;
}

/** True when the annotation is an array type that does not give the number of dimensions (`npt.NDArray[np.float64]`). */
export function arrayRankOpen(text: string | null, imports: Record<string, string>): boolean {
  const m = text ? /^([\w.]+)\[(.*)\]$/.exec(text.trim()) : null;
  if (!m) return false;
  const head = resolveDotted(m[1], imports);
  if (head === 'numpy.typing.NDArray') return true;
  return head === 'numpy.ndarray' && !/^(?:tuple|typing\.Tuple|Tuple)\[/.test(splitTopLevel(m[2])[0]?.trim() ?? '');
}

/** A dotted name through the module's imports: `np.float64` -> `numpy.float64`. */
function resolveDotted(x: string, imports: Record<string, string>): string {
  const dot = x.indexOf('.');
  const first = dot < 0 ? x : x.slice(0, dot);
  const origin = imports[first];
  if (origin) return dot < 0 ? origin : `${origin}${x.slice(dot)}`;
  return x;
}

/** Splits `a, b[c, d], e` at the commas (or another separator) outside brackets. */
function splitTopLevel(s: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

/**
 * `Literal["a", "b"]` (typing.Literal, through the module's imports): the allowed strings, or undefined when the
 * annotation is not a Literal of string literals. The parameter is a str; the exported wrapper checks on entry
 * that the value is one of these (ValueError otherwise: see lower/c_export.ts).
 */
export function literalValues(text: string | null, imports: Record<string, string>): string[] | undefined {
  if (!text) return undefined;
  const m = /^([\w.]+)\[(.*)\]$/s.exec(text.trim());
  if (!m || !['typing.Literal', 'typing_extensions.Literal'].includes(resolveDotted(m[1], imports))) return undefined;
  const values: string[] = [];
  const body = m[2];
  for (let i = 0; ;) {
    while (/\s/.test(body[i] ?? '')) i++;
    const lit = (() => { try { return readPyStringLiteral(body, i); } catch { return undefined; } })();
    if (!lit || lit.kind !== 'str') return undefined;
    values.push(lit.value);
    i = lit.end;
    while (/\s/.test(body[i] ?? '')) i++;
    if (i >= body.length) break;
    if (body[i] !== ',') return undefined;
    i++;
    while (/\s/.test(body[i] ?? '')) i++;
    if (i >= body.length) break;
  }
  return values.length ? values : undefined;
}

/**
 * The type of a parameter whose `@compile(ndim=...)` entry is a structure rather than an int: model weights nested as
 * picoGPT keeps them. `{"w": 2, "b": 1}` is a record of a matrix and a vector, `[{...}]` a list of such records,
 * an int the rank of an array of `dtype` (the one NDArray dtype of the annotation). Records, since the keys are
 * the signature's: compiled code reads them by name, as it reads a dict display of constant keys.
 */
export function weightTreeType(spec: PyLiteral, dtype: ScalarName): KType | string {
  if (spec && typeof spec === 'object' && '_t' in spec) {
    if (spec._t === 'int') {
      const n = Number(spec.dec);
      return n >= 1 && n <= 3 ? T.array(dtype, n) : `${n} dimensions (arrays of 1 to 3 dimensions cross the boundary)`;
    }
    if (spec._t === 'list' && spec.items.length === 1) {
      const item = weightTreeType(spec.items[0], dtype);
      return typeof item === 'string' ? item : item.kind === 'array' ? 'a list of arrays (a list holds dicts of arrays here: pass the arrays stacked in one array)' : T.list(item);
    }
    if (spec._t === 'dict' && spec.items.length) {
      const names: string[] = [];
      const items: KType[] = [];
      for (const [k, v] of spec.items) {
        if (typeof k !== 'string') return 'a key that is not a str';
        const t = weightTreeType(v, dtype);
        if (typeof t === 'string') return t;
        names.push(k);
        items.push(t);
      }
      return { kind: 'record', names, items };
    }
  }
  return 'a value other than an int (an array\'s dimensions), a dict of those or a list of one of those';
}

/**
 * The dtypes of the `NDArray[...]`s an annotation names (`list[dict[str, npt.NDArray[np.float32]]]`: float32), in
 * order, each once; undefined when one of them is not an array dtype.
 */
export function annotationArrayDtypes(text: string, imports: Record<string, string>): ScalarName[] | undefined {
  const found = [...text.matchAll(/NDArray\[\s*([\w.]+)\s*\]/g)].map((m) => annotationType(m[1], imports));
  const names = [...new Set(found.map((t) => (t?.kind === 'scalar' ? t.name : undefined)))];
  return names.every((d): d is ScalarName => !!d && ARRAY_DTYPES.includes(d)) ? names : undefined;
}
