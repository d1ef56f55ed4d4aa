/**
 * Python values on the TypeScript side: parsing literals given on the command line, the wire format of
 * the native harness and of the CPython reference runner, exact comparison, and CPython's repr().
 */
import { SCALARS, isFloatLike, typeToString, unionMembers, unionTag, type KType, type ScalarName } from '../types/types.ts';
import { LOOSE_RTOL, instanceClassOf, isWeightTree, pyStringRepr, textKind, type HandleApi, type Tolerance } from '../lower/abi.ts';
import { LiteralSyntaxError, readPyStringLiteral } from '../frontend/pystring.ts';

export type PyValue =
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  /** A complex: its real and imaginary parts; `np`: NumPy's np.complex128 scalar (a subclass of complex). */
  | { kind: 'complex'; re: number; im: number; np?: true }
  | { kind: 'bool'; value: boolean }
  | { kind: 'np'; dtype: ScalarName; value: number | bigint }
  | { kind: 'tuple'; items: PyValue[] }
  | { kind: 'list'; items: PyValue[] }
  /** A NumPy array: values in C order (number for floats, bigint for ints, boolean for bool; complex128: the real and
   *  imaginary parts of each item in turn, two numbers an item: arrayItemWidth). `layout`
   *  says how an input is laid out in memory: C-contiguous, every axis reversed (negative strides), or
   *  every other item of the last axis (a non-contiguous view); the values are the same. */
  | { kind: 'array'; dtype: ScalarName; shape: number[]; values: (number | bigint | boolean)[]; layout?: ArrayLayout }
  | { kind: 'none' }
  /** A str: its code points as a JS string (a lone surrogate stays one, as in Python). */
  | { kind: 'str'; value: string }
  | { kind: 'bytes'; value: Uint8Array }
  /** A dict: its items in insertion order; a set: its items in iteration order (compared as a set). */
  | { kind: 'dict'; items: [PyValue, PyValue][] }
  | { kind: 'set'; items: PyValue[]; frozen?: true }
  /** A collections.deque: its items from left to right and its maxlen (null: None). */
  | { kind: 'deque'; items: PyValue[]; maxlen: number | null }
  /**
   * An instance of a compiled class (docs/design/abi-values.md "Class instances"): its class's name and module, and its
   * attributes (vars(), an unassigned field absent); compared by class name and field by field.
   */
  | { kind: 'object'; cls: string; module: string; fields: [string, PyValue][] }
  | { kind: 'other'; type: string; repr: string };

export type ArrayLayout = 'c' | 'reversed' | 'strided';
const LAYOUT_CODE: Record<ArrayLayout, string> = { c: '0', reversed: '1', strided: '2' };

export const py = {
  int: (v: bigint | number): PyValue => ({ kind: 'int', value: BigInt(v) }),
  float: (v: number): PyValue => ({ kind: 'float', value: v }),
  bool: (v: boolean): PyValue => ({ kind: 'bool', value: v }),
};

// ---- repr -----------------------------------------------------------------------------------------

/** CPython's repr() of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  return formatShortest(x.toExponential(), 16);
}

function formatShortest(expForm: string, fixedLimit: number): string {
  // expForm: "-1.2345e+20" with the shortest digits
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(expForm)!;
  const sign = m[1], digits = m[2] + (m[3] ?? ''), exp = Number(m[4]);
  if (exp < -4 || exp >= fixedLimit) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp >= 0) {
    const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
    const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : '0';
    return `${sign}${intPart}.${frac}`;
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** Shortest digits that round-trip through float32, as NumPy prints np.float32. */
export function float32Repr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  for (let p = 1; p <= 9; p++) {
    const s = x.toExponential(p - 1);
    if (Math.fround(Number(s)) === x) return formatShortest(Number(s).toExponential(), 16);
  }
  return floatRepr(x);
}

export function pyRepr(v: PyValue): string {
  switch (v.kind) {
    case 'int': return v.value.toString();
    case 'float': return floatRepr(v.value);
    // NumPy >= 2 prints its complex128 scalar as np.complex128(1+2j) (parentheses dropped).
    case 'complex': return v.np ? `np.complex128(${complexRepr(v.re, v.im).replace(/^\((.*)\)$/, '$1')})` : complexRepr(v.re, v.im);
    case 'bool': return v.value ? 'True' : 'False';
    case 'none': return 'None';
    case 'tuple': return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : `(${v.items.map(pyRepr).join(', ')})`;
    case 'list': return `[${v.items.map(pyRepr).join(', ')}]`;
    case 'array': return `array(${arrayToListRepr(v)}, dtype=${v.dtype})`;
    case 'np': {
      // NumPy >= 2 prints scalars as np.float32(1.5)
      const inner = v.dtype === 'float32' ? float32Repr(Number(v.value)) : SCALARS[v.dtype].float ? floatRepr(Number(v.value)) : String(v.value);
      return `np.${v.dtype}(${inner})`;
    }
    case 'str': return pyStringRepr(v.value);
    case 'bytes': return bytesRepr(v.value);
    case 'dict': return `{${v.items.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
    case 'set': return v.frozen ? `frozenset(${v.items.length ? `{${v.items.map(pyRepr).join(', ')}}` : ''})` : v.items.length ? `{${v.items.map(pyRepr).join(', ')}}` : 'set()';
    case 'deque': return `deque([${v.items.map(pyRepr).join(', ')}]${v.maxlen === null ? '' : `, maxlen=${v.maxlen}`})`;
    case 'object': return `${v.cls}(${v.fields.map(([k, x]) => `${k}=${pyRepr(x)}`).join(', ')})`;
    case 'other': return v.repr;
  }
}

/** CPython's repr() of a complex: `1j`, `(1+2j)`, `(-0-0j)`, `(nan+infj)`; the parts as float repr without `.0`. */
export function complexRepr(re: number, im: number): string {
  const part = (x: number) => floatRepr(x).replace(/\.0$/, '').replace(/\.0e/, 'e');
  const imag = `${part(im)}j`;
  if (re === 0 && !Object.is(re, -0)) return imag;
  return `(${part(re)}${im < 0 || Object.is(im, -0) ? '' : '+'}${imag})`;
}

/** Python's repr() of bytes: b'...' with \\x escapes, quotes as CPython picks them. */
export function bytesRepr(b: Uint8Array): string {
  const hasSingle = b.includes(0x27), hasDouble = b.includes(0x22);
  const q = hasSingle && !hasDouble ? '"' : "'";
  let out = `b${q}`;
  for (const c of b) {
    if (c === 0x5c || String.fromCharCode(c) === q) out += `\\${String.fromCharCode(c)}`;
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(c);
  }
  return out + q;
}

/** How many numbers of PyValue's `values` hold one item of an array of this dtype: 2 for complex128 (re, im). */
export const arrayItemWidth = (dtype: ScalarName): number => (SCALARS[dtype].complex ? 2 : 1);
/** Whether an array's values are floats (complex128's parts too): compared bit for bit, NaN equal to NaN. */
const floatValues = (dtype: ScalarName): boolean => SCALARS[dtype].float || !!SCALARS[dtype].complex;

/** An array's `.tolist()` as Python prints it: nested lists of Python numbers. */
export function arrayToListRepr(v: PyValue & { kind: 'array' }): string {
  const item = (x: number | bigint | boolean): string =>
    typeof x === 'boolean' ? (x ? 'True' : 'False') : SCALARS[v.dtype].float ? (v.dtype === 'float32' ? floatRepr(Number(x)) : floatRepr(Number(x))) : String(x);
  let k = 0;
  const build = (dim: number): string => {
    if (dim === v.shape.length && SCALARS[v.dtype].complex) { k += 2; return complexRepr(Number(v.values[k - 2]), Number(v.values[k - 1])); }
    if (dim === v.shape.length) return item(v.values[k++]);
    const parts: string[] = [];
    for (let i = 0; i < v.shape[dim]; i++) parts.push(build(dim + 1));
    return `[${parts.join(', ')}]`;
  };
  return build(0);
}

// ---- exact comparison -------------------------------------------------------------------------------

/** Same type and same value; floats bit for bit (so -0.0 != 0.0), any NaN equals any NaN. */
export function sameValue(a: PyValue, b: PyValue): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'int': return a.value === (b as typeof a).value;
    case 'bool': return a.value === (b as typeof a).value;
    case 'none': return true;
    case 'float': return sameFloat(a.value, (b as typeof a).value);
    case 'complex': return a.np === (b as typeof a).np && sameFloat(a.re, (b as typeof a).re) && sameFloat(a.im, (b as typeof a).im);
    case 'np': {
      const bb = b as typeof a;
      if (a.dtype !== bb.dtype) return false;
      return SCALARS[a.dtype].float ? sameFloat(Number(a.value), Number(bb.value)) : BigInt(a.value) === BigInt(bb.value);
    }
    case 'tuple': case 'list': {
      const bb = b as typeof a;
      return a.items.length === bb.items.length && a.items.every((x, i) => sameValue(x, bb.items[i]));
    }
    case 'deque': {
      // The maxlen too: CPython's == ignores it, but its repr shows it and every later append obeys it.
      const bb = b as typeof a;
      return a.maxlen === bb.maxlen && a.items.length === bb.items.length && a.items.every((x, i) => sameValue(x, bb.items[i]));
    }
    case 'array': {
      const bb = b as typeof a;
      if (a.dtype !== bb.dtype || a.shape.join(',') !== bb.shape.join(',') || a.values.length !== bb.values.length) return false;
      const fl = floatValues(a.dtype);
      return a.values.every((x, i) => (fl ? sameFloat(Number(x), Number(bb.values[i])) : String(x) === String(bb.values[i])));
    }
    case 'str': return a.value === (b as typeof a).value;
    case 'bytes': {
      const bb = (b as typeof a).value;
      return a.value.length === bb.length && a.value.every((x, i) => x === bb[i]);
    }
    case 'dict': {
      // Insertion order is part of a dict's value here: CPython's order is the contract.
      const bb = b as typeof a;
      return a.items.length === bb.items.length && a.items.every(([k, x], i) => sameValue(k, bb.items[i][0]) && sameValue(x, bb.items[i][1]));
    }
    case 'set': {
      const bb = b as typeof a;
      return a.items.length === bb.items.length && a.items.every((x) => bb.items.some((y) => sameValue(x, y)));
    }
    case 'object': return sameObject(a, b as typeof a, sameValue);
    case 'other': return a.repr === (b as typeof a).repr && a.type === (b as typeof a).type;
  }
}

/** Two instances: the same class name and the same attributes (in any order), each value compared by `same`. */
function sameObject(a: PyValue & { kind: 'object' }, b: PyValue & { kind: 'object' }, same: (x: PyValue, y: PyValue) => boolean): boolean {
  if (a.cls !== b.cls || a.fields.length !== b.fields.length) return false;
  const of = new Map(b.fields);
  return a.fields.every(([k, x]) => of.has(k) && same(x, of.get(k)!));
}

function sameFloat(x: number, y: number): boolean {
  if (Number.isNaN(x) && Number.isNaN(y)) return true;
  return Object.is(x, y);
}

// ---- comparison within a tolerance (inexact ops: np.exp, a @ b; opt/tolerance.ts decides which) ------------------

/**
 * `a` (CPython's) and `b` (native) are the same value except that floats may differ within `tol`: 'ulps', at most that
 * many units in the last place of their dtype (float32 values in float32 ULPs); 'loose', at most a relative `rtol` of
 * the largest finite magnitude in `a`. Either way NaN, infinities and the sign of zero must agree, and everything that
 * is not a float (types, dtypes, shapes, ints) is compared exactly. 'exact' is sameValue.
 */
export function closeValue(a: PyValue, b: PyValue, tol: Tolerance): boolean {
  if (tol.kind === 'exact') return sameValue(a, b);
  const scale = tol.kind === 'loose' ? largestMagnitude(a) : 0;
  const close = (x: number, y: number, f32: boolean): boolean => {
    if (sameFloat(x, y)) return true;
    if (!Number.isFinite(x) || !Number.isFinite(y) || x === 0 || y === 0 || Math.sign(x) !== Math.sign(y)) {
      // Values of opposite signs or a zero: only a loose comparison (a near-cancellation) accepts them.
      return tol.kind === 'loose' && Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= (f32 ? LOOSE_RTOL.float32 : LOOSE_RTOL.float64) * scale;
    }
    if (tol.kind === 'ulps') return ulpDistance(x, y, f32) <= tol.ulps;
    return Math.abs(x - y) <= (f32 ? LOOSE_RTOL.float32 : LOOSE_RTOL.float64) * scale;
  };
  const walk = (p: PyValue, q: PyValue): boolean => {
    if (p.kind !== q.kind) return false;
    switch (p.kind) {
      case 'float': return close(p.value, (q as typeof p).value, false);
      case 'complex': return p.np === (q as typeof p).np && close(p.re, (q as typeof p).re, false) && close(p.im, (q as typeof p).im, false);
      case 'np': {
        const qq = q as typeof p;
        return p.dtype === qq.dtype && (SCALARS[p.dtype].float ? close(Number(p.value), Number(qq.value), p.dtype === 'float32') : sameValue(p, q));
      }
      case 'tuple': case 'list': case 'deque': {
        const qq = q as typeof p;
        return (p.kind !== 'deque' || p.maxlen === (qq as typeof p & { kind: 'deque' }).maxlen) && p.items.length === qq.items.length && p.items.every((x, i) => walk(x, qq.items[i]));
      }
      case 'dict': {
        const qq = q as typeof p;
        return p.items.length === qq.items.length && p.items.every(([k, x], i) => sameValue(k, qq.items[i][0]) && walk(x, qq.items[i][1]));
      }
      case 'array': {
        const qq = q as typeof p;
        if (!floatValues(p.dtype)) return sameValue(p, q);
        if (p.dtype !== qq.dtype || p.shape.join(',') !== qq.shape.join(',') || p.values.length !== qq.values.length) return false;
        return p.values.every((x, i) => close(Number(x), Number(qq.values[i]), p.dtype === 'float32'));
      }
      case 'object': return sameObject(p, q as typeof p, walk);
      default: return sameValue(p, q);
    }
  };
  return walk(a, b);
}

/** The largest finite float magnitude in a value (0 when it has none). */
function largestMagnitude(v: PyValue): number {
  switch (v.kind) {
    case 'float': return Number.isFinite(v.value) ? Math.abs(v.value) : 0;
    case 'complex': return Math.max(...[v.re, v.im].map((x) => (Number.isFinite(x) ? Math.abs(x) : 0)));
    case 'np': return SCALARS[v.dtype].float && Number.isFinite(Number(v.value)) ? Math.abs(Number(v.value)) : 0;
    case 'tuple': case 'list': case 'deque': return v.items.reduce((m, x) => Math.max(m, largestMagnitude(x)), 0);
    case 'object': return v.fields.reduce((m, [, x]) => Math.max(m, largestMagnitude(x)), 0);
    case 'array': return floatValues(v.dtype) ? v.values.reduce<number>((m, x) => (Number.isFinite(Number(x)) ? Math.max(m, Math.abs(Number(x))) : m), 0) : 0;
    default: return 0;
  }
}

/** How many floats of the dtype lie between two finite floats of the same sign (0: equal). */
export function ulpDistance(x: number, y: number, f32 = false): number {
  if (f32) {
    const f = new Float32Array([Math.abs(x), Math.abs(y)]);
    const i = new Int32Array(f.buffer);
    return Math.abs(i[0] - i[1]);
  }
  const f = new Float64Array([Math.abs(x), Math.abs(y)]);
  const i = new BigInt64Array(f.buffer);
  const d = i[0] - i[1];
  return Number(d < 0n ? -d : d);
}

// ---- Python literal parsing (kiln run ARG...) -------------------------------------------------------

export class LiteralError extends Error {}

/** Parses a Python literal: ints (any base, underscores), floats, inf/nan, True/False/None, tuples, float('inf'). */
export function parsePyLiteral(text: string): PyValue {
  const p = new LiteralParser(text);
  const v = p.value();
  p.end();
  return v;
}

class LiteralParser {
  private i = 0;
  constructor(private s: string) {}
  private ws() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  end() {
    this.ws();
    if (this.i < this.s.length) throw new LiteralError(`unexpected '${this.s.slice(this.i)}' in ${JSON.stringify(this.s)}`);
  }
  value(): PyValue {
    this.ws();
    const rest = this.s.slice(this.i);
    if (rest.startsWith('(')) {
      this.i++;
      const items: PyValue[] = [];
      let trailingComma = false;
      for (;;) {
        this.ws();
        if (this.s[this.i] === ')') { this.i++; break; }
        items.push(this.value());
        this.ws();
        trailingComma = false;
        if (this.s[this.i] === ',') { this.i++; trailingComma = true; continue; }
        if (this.s[this.i] === ')') { this.i++; break; }
        throw new LiteralError(`expected ',' or ')' in ${JSON.stringify(this.s)}`);
      }
      if (items.length === 1 && !trailingComma) return items[0];
      return { kind: 'tuple', items };
    }
    if (rest.startsWith('{')) {
      // {k: v, ...} a dict, {a, b} a set ({} is a dict, as in Python).
      this.i++;
      const pairs: [PyValue, PyValue][] = [];
      const items: PyValue[] = [];
      let isDict: boolean | undefined;
      for (;;) {
        this.ws();
        if (this.s[this.i] === '}') { this.i++; break; }
        const k = this.value();
        this.ws();
        if (isDict === undefined) isDict = this.s[this.i] === ':';
        if (isDict) {
          if (this.s[this.i] !== ':') throw new LiteralError(`expected ':' in ${JSON.stringify(this.s)}`);
          this.i++;
          pairs.push([k, this.value()]);
        } else items.push(k);
        this.ws();
        if (this.s[this.i] === ',') { this.i++; continue; }
        if (this.s[this.i] === '}') { this.i++; break; }
        throw new LiteralError(`expected ',' or '}' in ${JSON.stringify(this.s)}`);
      }
      return isDict === false ? { kind: 'set', items } : { kind: 'dict', items: pairs };
    }
    const deque = /^(?:collections\.)?deque\(/.exec(rest);
    if (deque) {
      // deque(), deque(iterable), deque(iterable, maxlen), deque(iterable, maxlen=n), deque(maxlen=n)
      this.i += deque[0].length;
      const args: PyValue[] = [];
      let maxlen: PyValue | undefined;
      for (;;) {
        this.ws();
        if (this.s[this.i] === ')') { this.i++; break; }
        const kw = /^maxlen\s*=/.exec(this.s.slice(this.i));
        if (kw) { this.i += kw[0].length; maxlen = this.value(); } else args.push(this.value());
        this.ws();
        if (this.s[this.i] === ',') { this.i++; continue; }
        if (this.s[this.i] === ')') { this.i++; break; }
        throw new LiteralError(`expected ',' or ')' in ${JSON.stringify(this.s)}`);
      }
      if (args.length > 1 && !maxlen) maxlen = args.pop();
      const items = args[0] ?? { kind: 'list', items: [] };
      if (args.length > 1 || (items.kind !== 'list' && items.kind !== 'tuple' && items.kind !== 'set')) throw new LiteralError(`deque() takes a list of items and a maxlen: ${JSON.stringify(this.s)}`);
      if (maxlen && maxlen.kind !== 'int' && maxlen.kind !== 'none') throw new LiteralError(`an integer is required for maxlen: ${JSON.stringify(this.s)}`);
      const n = maxlen?.kind === 'int' ? Number(maxlen.value) : null;
      if (n !== null && n < 0) throw new LiteralError('maxlen must be non-negative');
      // As CPython: items past maxlen push the leftmost out.
      return { kind: 'deque', items: n === null ? items.items : items.items.slice(Math.max(0, items.items.length - n)), maxlen: n };
    }
    const emptySet = /^set\(\s*\)/.exec(rest);
    if (emptySet) {
      this.i += emptySet[0].length;
      return { kind: 'set', items: [] };
    }
    // frozenset(), frozenset({1, 2}), frozenset([1, 2]): a set marked frozen.
    const frozen = /^frozenset\(\s*/.exec(rest);
    if (frozen) {
      this.i += frozen[0].length;
      const items = this.s[this.i] === ')' ? { kind: 'set' as const, items: [] } : this.value();
      this.ws();
      if (this.s[this.i] !== ')' || (items.kind !== 'set' && items.kind !== 'list' && items.kind !== 'tuple')) throw new LiteralError(`frozenset() takes one set, list or tuple of items: ${JSON.stringify(this.s)}`);
      this.i++;
      return { kind: 'set', items: items.items, frozen: true };
    }
    if (rest.startsWith('[')) {
      this.i++;
      const items: PyValue[] = [];
      for (;;) {
        this.ws();
        if (this.s[this.i] === ']') { this.i++; break; }
        items.push(this.value());
        this.ws();
        if (this.s[this.i] === ',') { this.i++; continue; }
        if (this.s[this.i] === ']') { this.i++; break; }
        throw new LiteralError(`expected ',' or ']' in ${JSON.stringify(this.s)}`);
      }
      return { kind: 'list', items };
    }
    if (/^[rRbBuU]{0,2}['"]/.test(rest)) {
      try {
        const lit = readPyStringLiteral(this.s, this.i);
        if (lit) {
          this.i = lit.end;
          return lit.kind === 'bytes' ? { kind: 'bytes', value: lit.bytes! } : { kind: 'str', value: lit.value };
        }
      } catch (e) {
        if (e instanceof LiteralSyntaxError) throw new LiteralError(`${e.message} in ${JSON.stringify(this.s)}`);
        throw e;
      }
    }
    const word = /^(True|False|None)\b/.exec(rest);
    if (word) {
      this.i += word[1].length;
      return word[1] === 'None' ? { kind: 'none' } : { kind: 'bool', value: word[1] === 'True' };
    }
    // np.array(nested lists[, dtype=np.<dtype>]): NumPy's dtype of the items unless given (any float: float64; all bools: bool; else int64).
    const npArray = /^(?:np|numpy)\.array\s*\(/.exec(rest);
    if (npArray) {
      this.i += npArray[0].length;
      const inner = this.value();
      this.ws();
      let dtype: ScalarName | undefined;
      const kw = /^,\s*dtype\s*=\s*(?:np|numpy)\.(\w+)\s*/.exec(this.s.slice(this.i));
      if (kw) {
        if (!SCALARS[kw[1] as ScalarName]?.numpy) throw new LiteralError(`np.array(..., dtype=np.${kw[1]}): not a NumPy dtype Kiln compiles`);
        dtype = kw[1] as ScalarName;
        this.i += kw[0].length;
      }
      if (this.s[this.i] !== ')') throw new LiteralError(`expected ')' after np.array(... in ${JSON.stringify(this.s)} (np.array takes nested lists and dtype=np.<type>)`);
      this.i++;
      const leaves: PyValue[] = [];
      let depth = 0;
      for (let l: PyValue | undefined = inner; l && (l.kind === 'list' || l.kind === 'tuple'); l = l.items[0]) depth++;
      const walkLeaves = (x: PyValue) => (x.kind === 'list' || x.kind === 'tuple' ? x.items.forEach(walkLeaves) : leaves.push(x));
      walkLeaves(inner);
      if (depth === 0) throw new LiteralError(`np.array(${pyRepr(inner)}): give nested lists (a 0-d array is not passed to compiled code)`);
      dtype ??= leaves.some((x) => x.kind === 'float' || (x.kind === 'np' && isFloatLike({ kind: 'scalar', name: x.dtype }))) ? 'float64'
        : leaves.length && leaves.every((x) => x.kind === 'bool') ? 'bool' : 'int64';
      return literalToArray(inner, dtype, depth, 'np.array()');
    }
    // A NumPy scalar, as NumPy's constructor makes it: np.float64(1.5), numpy.int64(7) (np.int64(2.9) truncates to 2).
    const npScalar = /^(?:np|numpy)\.(float64|float32|int64|int32|int16|int8|uint64|uint32|uint16|uint8)\s*\(/.exec(rest);
    if (npScalar) {
      this.i += npScalar[0].length;
      const inner = this.value();
      this.ws();
      if (this.s[this.i] !== ')') throw new LiteralError(`expected ')' after np.${npScalar[1]}(... in ${JSON.stringify(this.s)}`);
      this.i++;
      const dtype = npScalar[1] as ScalarName;
      if (inner.kind !== 'int' && inner.kind !== 'float' && inner.kind !== 'bool') throw new LiteralError(`np.${dtype}() takes a number here, not ${pyRepr(inner)}`);
      if (isFloatLike({ kind: 'scalar', name: dtype })) return coerceToType(inner, { kind: 'scalar', name: dtype }, `np.${dtype}()`);
      if (inner.kind === 'float' && !Number.isFinite(inner.value)) throw new LiteralError(`np.${dtype}(${pyRepr(inner)}): cannot convert float ${Number.isNaN(inner.value) ? 'NaN' : 'infinity'} to integer`);
      return coerceToType(inner.kind === 'float' ? { kind: 'int', value: BigInt(Math.trunc(inner.value)) } : inner, { kind: 'scalar', name: dtype }, `np.${dtype}()`);
    }
    const fl = /^float\(\s*(['"])([+-]?(?:inf|infinity|nan))\1\s*\)/i.exec(rest);
    if (fl) {
      this.i += fl[0].length;
      return { kind: 'float', value: specialFloat(fl[2]) };
    }
    const special = /^([+-]?)(inf|nan)\b/i.exec(rest);
    if (special) {
      this.i += special[0].length;
      return { kind: 'float', value: specialFloat(special[0]) };
    }
    // complex(re, im), an imaginary literal `2j`, or `re+imj` / `re-imj` (as ast.literal_eval reads them).
    if (/^complex\s*\(/.test(rest)) {
      this.i += /^complex\s*\(/.exec(rest)![0].length;
      const parts: PyValue[] = [];
      for (;;) {
        this.ws();
        if (this.s[this.i] === ')') { this.i++; break; }
        parts.push(this.value());
        this.ws();
        if (this.s[this.i] === ',') this.i++;
      }
      const real = (p: PyValue | undefined): [number, number] => (!p ? [0, 0] : p.kind === 'complex' ? [p.re, p.im] : p.kind === 'int' || p.kind === 'float' || p.kind === 'bool' ? [Number(p.value), 0] : (() => { throw new LiteralError(`complex() takes numbers: ${pyRepr(p)}`); })());
      const [a, b] = [real(parts[0]), real(parts[1])];
      if (parts.length > 2) throw new LiteralError(`complex() takes at most 2 arguments in ${JSON.stringify(this.s)}`);
      // Real arguments are the parts as given (complex(0.0, -0.0) keeps its -0.0); complex ones combine as a + b*1j.
      return parts[1]?.kind === 'complex' || parts[0]?.kind === 'complex' ? { kind: 'complex', re: a[0] - b[1], im: a[1] + b[0] } : { kind: 'complex', re: a[0], im: b[0] };
    }
    const imag = /^([+-]?)((?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d[\d_]*)?|\d[\d_]*\.)[jJ]/.exec(rest);
    if (imag) {
      this.i += imag[0].length;
      return { kind: 'complex', re: 0, im: (imag[1] === '-' ? -1 : 1) * Number(imag[2].replace(/_/g, '')) };
    }
    const num = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d[\d_]*)?|\d[\d_]*\.)/.exec(rest);
    if (num && num[0] !== '' && num[0] !== '+' && num[0] !== '-') {
      this.i += num[0].length;
      const t = num[0].replace(/_/g, '');
      const plusImag = /^\s*([+-])\s*((?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d[\d_]*)?|\d[\d_]*\.)[jJ]/.exec(this.s.slice(this.i));
      if (plusImag && !/^[+-]?0[xXoObB]/.test(t)) {
        this.i += plusImag[0].length;
        return { kind: 'complex', re: Number(t), im: (plusImag[1] === '-' ? -1 : 1) * Number(plusImag[2].replace(/_/g, '')) };
      }
      if (/^[+-]?0[xXoObB]/.test(t)) {
        const neg = t.startsWith('-');
        const body = t.replace(/^[+-]/, '');
        return { kind: 'int', value: neg ? -BigInt(body) : BigInt(body) };
      }
      if (/[.eE]/.test(t)) return { kind: 'float', value: Number(t) };
      if (/^[+-]?0\d/.test(t) && !/^[+-]?0+$/.test(t)) throw new LiteralError(`leading zeros in decimal integer literals are not permitted: ${t}`);
      return { kind: 'int', value: BigInt(t) };
    }
    throw new LiteralError(`not a Python literal: ${JSON.stringify(this.s.slice(this.i) || this.s)}`);
  }
}

/** An int, float or bool, as a number (1 == 1.0 == True as dict keys and set items). */
const isNumber = (v: PyValue): boolean => v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';
const numberOf = (v: PyValue): number => (v.kind === 'int' ? Number(v.value) : v.kind === 'float' ? v.value : v.kind === 'bool' ? Number(v.value) : NaN);

function specialFloat(s: string): number {
  const neg = s.startsWith('-');
  const v = /nan/i.test(s) ? NaN : Infinity;
  return neg ? -v : v;
}

/**
 * The member of a union a Python value is (types.ts unions): None, a bool, an int, a float, a NumPy scalar of the
 * member's dtype, a tuple of the member's length; an int goes to a float member when there is no int member.
 */
export function unionMemberFor(v: PyValue, u: KType): KType | undefined {
  const ms = unionMembers(u);
  const scalar = (name: string) => ms.find((m) => m.kind === 'scalar' && m.name === name);
  switch (v.kind) {
    case 'none': return ms.find((m) => m.kind === 'none');
    case 'bool': return scalar('bool') ?? scalar('int');
    case 'int': return scalar('int') ?? scalar('float');
    case 'float': return scalar('float') ?? scalar('float64');
    case 'np': return scalar(v.dtype);
    case 'tuple': return ms.find((m) => m.kind === 'tuple' && m.items.length === v.items.length);
    case 'str': case 'bytes': return ms.find((m) => m.kind === v.kind);
    default: return undefined;
  }
}

/**
 * An instance argument of an example (CPython built it, run/verify.ts resolveExampleInstances): of the parameter's
 * class (or None where it allows None), every field of the handle API set (the harness makes it by kiln_<Class>_new)
 * to a value its compiled field holds as CPython has it: an int where the field holds only floats is refused, not
 * converted (CPython's instance keeps the int).
 */
export function checkInstanceArgument(v: PyValue, t: KType, classes: Map<string, HandleApi>, what: string): PyValue {
  const cls = instanceClassOf(t)!;
  const api = classes.get(cls);
  const name = api?.python ?? cls.slice(cls.lastIndexOf('.') + 1);
  if (v.kind === 'none' && t.kind === 'union') return v;
  if (v.kind !== 'object' || !api || v.cls !== name) throw new LiteralError(`${what}: expected ${typeToString(t)}, got ${pyRepr(v)}`);
  const of = new Map(v.fields);
  for (const f of api.fields) {
    const x = of.get(f.name), fw = `${what}: ${name}.${f.name}`;
    if (!x) throw new LiteralError(`${fw} is not set (compiled code takes instances whose fields are all set)`);
    if (instanceClassOf(f.type)) { checkInstanceArgument(x, f.type, classes, fw); continue; }
    const members = f.type.kind === 'union' ? f.type.members : [f.type];
    const holds = members.some((m) => (m.kind === 'scalar' ? ({ int: 'int', float: 'float', bool: 'bool' } as Record<string, string>)[m.name] === x.kind : m.kind === x.kind));
    if (!holds) throw new LiteralError(`${fw} is ${pyRepr(x)}, which the compiled field (${typeToString(f.type)}) does not hold`);
  }
  return v;
}

/** Converts a parsed literal to a parameter's annotated type, as a caller passing it through ctypes would. */
export function coerceToType(v: PyValue, t: KType, what: string): PyValue {
  const bad = () => new LiteralError(`${what}: expected ${typeToString(t)}, got ${pyRepr(v)}`);
  if (t.kind === 'union') {
    const m = unionMemberFor(v, t);
    if (!m) throw bad();
    return coerceToType(v, m, what);
  }
  if (t.kind === 'none') {
    if (v.kind !== 'none') throw bad();
    return v;
  }
  if (t.kind === 'tuple') {
    if (v.kind !== 'tuple' || v.items.length !== t.items.length) throw bad();
    return { kind: 'tuple', items: v.items.map((x, i) => coerceToType(x, t.items[i], `${what}[${i}]`)) };
  }
  if (t.kind === 'list') {
    if (v.kind !== 'list' && v.kind !== 'tuple') throw bad();
    // A tuple[T, ...] is a list in C, a tuple in Python.
    return { kind: t.tuple ? 'tuple' : 'list', items: v.items.map((x, i) => coerceToType(x, t.item, `${what}[${i}]`)) };
  }
  if (t.kind === 'array') {
    // np.array(...) as written: its own dtype and ndim must be the parameter's (as the exported package checks them).
    if (v.kind === 'array' && (v.dtype !== t.dtype || v.shape.length !== t.ndim)) throw new LiteralError(`${what}: expected ${typeToString(t)}, got a ${v.shape.length}-D ${v.dtype} array (np.array(..., dtype=np.${t.dtype}))`);
    return v.kind === 'array' ? v : literalToArray(v, t.dtype, t.ndim, what);
  }
  if (t.kind === 'complex') {
    // A complex, or a real number (Python computes with it as given; the C ABI takes it as complex(x, 0)).
    if (v.kind === 'complex') return v;
    if (v.kind === 'float' || v.kind === 'int' || v.kind === 'bool') return { kind: 'complex', re: v.kind === 'bool' ? Number(v.value) : Number(v.value), im: 0 };
    throw bad();
  }
  if (t.kind === 'record') {
    // Weights laid out by ndim= (a record parameter): exactly the layout's keys, each value of its own type.
    if (v.kind !== 'dict') throw bad();
    const items = v.items.map(([k, x]): [PyValue, PyValue] => {
      const at = k.kind === 'str' ? t.names.indexOf(k.value) : -1;
      if (at < 0) throw new LiteralError(`${what}: the key ${pyRepr(k)} is not one the ndim= layout names (${t.names.join(', ')})`);
      return [k, coerceToType(x, t.items[at], `${what}[${pyRepr(k)}]`)];
    });
    const missing = t.names.find((n) => !items.some(([k]) => k.kind === 'str' && k.value === n));
    if (missing !== undefined) throw new LiteralError(`${what}: the key '${missing}' of the ndim= layout is missing`);
    return { kind: 'dict', items };
  }
  if (t.kind === 'dict') {
    if (v.kind !== 'dict') throw bad();
    // A repeated key keeps its first position and its last value, as Python's dict display.
    const out: [PyValue, PyValue][] = [];
    for (const [k, x] of v.items) {
      const key = coerceToType(k, t.key, `${what} key`), value = coerceToType(x, t.value, `${what}[${pyRepr(k)}]`);
      const at = out.findIndex(([o]) => sameValue(o, key) || (isNumber(o) && isNumber(key) && numberOf(o) === numberOf(key)));
      if (at >= 0) out[at][1] = value; else out.push([key, value]);
    }
    return { kind: 'dict', items: out };
  }
  if (t.kind === 'set') {
    if (v.kind !== 'set' && v.kind !== 'list' && v.kind !== 'tuple') throw bad();
    const out: PyValue[] = [];
    for (const x of v.items) {
      const item = coerceToType(x, t.item, `${what} item`);
      if (!out.some((o) => sameValue(o, item) || (isNumber(o) && isNumber(item) && numberOf(o) === numberOf(item)))) out.push(item);
    }
    // A frozenset parameter's value is a frozenset in CPython too (its repr, hash, and what set algebra makes of it).
    return { kind: 'set', items: out, ...(t.frozen ? { frozen: true as const } : {}) };
  }
  if (t.kind === 'deque') {
    if (v.kind !== 'deque') throw bad();
    return { kind: 'deque', items: v.items.map((x, i) => coerceToType(x, t.item, `${what}[${i}]`)), maxlen: v.maxlen };
  }
  if (t.kind === 'str') {
    if (v.kind !== 'str') throw bad();
    if (!isWellFormed(v.value)) throw new LiteralError(`${what}: a str holding a lone surrogate has no UTF-8 and cannot be passed to compiled code`);
    return v;
  }
  if (t.kind === 'bytes') {
    if (v.kind !== 'bytes') throw bad();
    return v;
  }
  if (t.kind !== 'scalar') throw bad();
  const num = v.kind === 'int' ? Number(v.value) : v.kind === 'float' ? v.value : v.kind === 'bool' ? Number(v.value) : v.kind === 'np' ? Number(v.value) : undefined;
  // A NumPy integer scalar where a Python int is taken: its value (np.float64 is a float subclass, np.int64 is not an int's).
  const npInt = v.kind === 'np' && typeof v.value === 'bigint' ? v.value : undefined;
  switch (t.name) {
    case 'int':
      if (v.kind === 'int' || v.kind === 'bool' || npInt !== undefined) {
        const x = v.kind === 'int' ? v.value : npInt ?? BigInt(num!);
        if (x < -(2n ** 63n) || x >= 2n ** 63n) throw new LiteralError(`${what}: ${x} does not fit in 64 bits`);
        return { kind: 'int', value: x };
      }
      throw bad();
    case 'float':
      if (num === undefined) throw bad();
      return { kind: 'float', value: v.kind === 'int' ? Number(v.value) : num };
    case 'bool':
      if (v.kind === 'bool') return v;
      throw bad();
    default: {
      if (num === undefined) throw bad();
      if (isFloatLike(t)) return { kind: 'np', dtype: t.name, value: t.name === 'float32' ? Math.fround(num) : num };
      if (v.kind === 'float' || (v.kind === 'np' && npInt === undefined)) throw bad();
      const x = v.kind === 'int' ? v.value : npInt ?? BigInt(num);
      const bits = BigInt(SCALARS[t.name].bits);
      const lo = SCALARS[t.name].signed ? -(2n ** (bits - 1n)) : 0n;
      const hi = SCALARS[t.name].signed ? 2n ** (bits - 1n) - 1n : 2n ** bits - 1n;
      if (x < lo || x > hi) throw new LiteralError(`${what}: ${x} is out of bounds for np.${t.name}`);
      return { kind: 'np', dtype: t.name, value: x };
    }
  }
}

/** Whether a value is an int that int64 cannot hold. */
export const pastInt64 = (v: PyValue): boolean => v.kind === 'int' && (v.value < -(2n ** 63n) || v.value >= 2n ** 63n);

/**
 * An argument converted to its parameter's type, except an int past 64 bits at an int parameter of a function whose
 * big-int twin takes ints of any size (ExportedFunction.bigArgs): it stays as it is, and call.ts's harnessLine sends
 * the call to the twin.
 */
export function coerceArgument(v: PyValue, t: KType, bigArgs: boolean | undefined, what: string): PyValue {
  return bigArgs && t.kind === 'scalar' && t.name === 'int' && pastInt64(v) ? v : coerceToType(v, t, what);
}

/** np.array(literal, dtype): nested lists of numbers, rectangular, of `ndim` levels. */
export function literalToArray(v: PyValue, dtype: ScalarName, ndim: number, what: string): PyValue & { kind: 'array' } {
  const shape: number[] = [];
  let level: PyValue = v;
  for (let d = 0; d < ndim; d++) {
    if (level.kind !== 'list' && level.kind !== 'tuple') throw new LiteralError(`${what}: expected a ${ndim}-D array (nested lists), got ${pyRepr(v)}`);
    shape.push(level.items.length);
    level = level.items[0] ?? { kind: 'int', value: 0n };
  }
  const values: (number | bigint | boolean)[] = [];
  const walk = (x: PyValue, d: number) => {
    if (d === ndim && SCALARS[dtype].complex) {
      const z = coerceToType(x, { kind: 'complex' }, what);
      if (z.kind === 'complex') values.push(z.re, z.im);
      return;
    }
    if (d === ndim) {
      const s = dtype === 'bool' ? coerceToType(x, { kind: 'scalar', name: 'bool' }, what) : coerceToType(x.kind === 'int' && SCALARS[dtype].float ? { kind: 'float', value: Number(x.value) } : x, { kind: 'scalar', name: dtype }, what);
      values.push(s.kind === 'bool' ? s.value : s.kind === 'np' ? s.value : 0);
      return;
    }
    if ((x.kind !== 'list' && x.kind !== 'tuple') || x.items.length !== shape[d]) throw new LiteralError(`${what}: the nested lists are not rectangular (NumPy would need dtype=object)`);
    x.items.forEach((y) => walk(y, d + 1));
  };
  walk(v, 0);
  return { kind: 'array', dtype, shape, values };
}

// ---- the native harness's wire format ------------------------------------------------------------------
// One case per line; ints in decimal, floats as the hex of their IEEE bits, bools as 0/1, tuples flattened.

// Arrays: <layout 0|1|2> <ndim> <shape...> <values in C order>; lists: <len> <items...>.

export function encodeForHarness(v: PyValue, t: KType, classes?: ReadonlyMap<string, HandleApi>): string[] {
  const cls = instanceClassOf(t);
  if (cls) return encodeField(v, classes);
  if (isTextOrNone(t)) {
    // str | None: "-" for None, else the text's token.
    return v.kind === 'none' ? ['-'] : encodeForHarness(v, unionMembers(t)[0]);
  }
  if (t.kind === 'union') {
    // <tag> <the member's tokens>
    const m = unionMemberFor(v, t);
    if (!m) throw new Error(`internal: ${pyRepr(v)} is not a ${typeToString(t)}`);
    return [String(unionTag(t, m)), ...encodeForHarness(v, m)];
  }
  if (t.kind === 'tuple') {
    if (v.kind !== 'tuple') throw new Error('internal: tuple expected');
    return t.items.flatMap((it, i) => encodeForHarness(v.items[i], it));
  }
  if (isWeightTree(t)) return encodeTree(v);
  if (t.kind === 'list') {
    if (v.kind !== (t.tuple ? 'tuple' : 'list')) throw new Error(`internal: ${t.tuple ? 'tuple' : 'list'} expected`);
    return [String(v.items.length), ...v.items.flatMap((x) => encodeForHarness(x, t.item))];
  }
  // A dict: <len> then key and value tokens item by item; a set: <len> then its items.
  if (t.kind === 'dict') {
    if (v.kind !== 'dict') throw new Error('internal: dict expected');
    return [String(v.items.length), ...v.items.flatMap(([k, x]) => [...encodeForHarness(k, t.key), ...encodeForHarness(x, t.value)])];
  }
  if (t.kind === 'set') {
    if (v.kind !== 'set') throw new Error('internal: set expected');
    return [String(v.items.length), ...v.items.flatMap((x) => encodeForHarness(x, t.item))];
  }
  // A deque: <len>, its items, then its maxlen (-1: None).
  if (t.kind === 'deque') {
    if (v.kind !== 'deque') throw new Error('internal: deque expected');
    return [String(v.items.length), ...v.items.flatMap((x) => encodeForHarness(x, t.item)), String(v.maxlen ?? -1)];
  }
  if (t.kind === 'array') {
    if (v.kind !== 'array') throw new Error('internal: array expected');
    if (SCALARS[t.dtype].complex) return [LAYOUT_CODE[v.layout ?? 'c'], String(v.shape.length), ...v.shape.map(String), ...v.values.map((x) => doubleBits(Number(x)))];
    const item: KType = { kind: 'scalar', name: t.dtype };
    return [LAYOUT_CODE[v.layout ?? 'c'], String(v.shape.length), ...v.shape.map(String),
      ...v.values.map((x) => encodeForHarness(typeof x === 'boolean' ? { kind: 'bool', value: x } : { kind: 'np', dtype: t.dtype, value: x as number | bigint }, item)[0])];
  }
  if (t.kind === 'complex') {
    if (v.kind !== 'complex') throw new Error('internal: complex expected');
    return [doubleBits(v.re), doubleBits(v.im)];
  }
  if (t.kind === 'str' || t.kind === 'bytes') {
    // x<hex of the UTF-8 / the bytes>: any text on one token.
    const bytes = v.kind === 'str' ? new TextEncoder().encode(v.value) : v.kind === 'bytes' ? v.value : new Uint8Array();
    return [`x${Buffer.from(bytes).toString('hex')}`];
  }
  if (t.kind !== 'scalar') return [];
  const num = v.kind === 'float' ? v.value : v.kind === 'np' ? v.value : v.kind === 'int' ? v.value : v.kind === 'bool' ? (v.value ? 1 : 0) : 0;
  if (t.name === 'float' || t.name === 'float64') return [doubleBits(Number(num))];
  if (t.name === 'float32') return [floatBits(Number(num))];
  if (t.name === 'bool') return [v.kind === 'bool' && v.value ? '1' : '0'];
  return [BigInt(num as number | bigint).toString()];
}

/** A weight tree on the wire (harness.ts rd_tree): `0 <array>`, `1 <len>` then x<hex key> and node per item, `2 <len>` then nodes. */
function encodeTree(v: PyValue): string[] {
  if (v.kind === 'array') return ['0', ...encodeForHarness(v, { kind: 'array', dtype: v.dtype, ndim: v.shape.length })];
  if (v.kind === 'dict') return ['1', String(v.items.length), ...v.items.flatMap(([k, x]) => [...encodeForHarness(k, { kind: 'str' }), ...encodeTree(x)])];
  if (v.kind === 'list') return ['2', String(v.items.length), ...v.items.flatMap(encodeTree)];
  throw new Error(`internal: ${pyRepr(v)} is not a weight tree`);
}

/**
 * Instances on the wire (harness.ts `wr_obj_<Class>`, `rd_obj_<Class>`): `n` for None; `o` then each field of the
 * class in order (harness to native: kiln_<Class>_new's arguments); from the harness `o <Class> <module> <n>` then
 * n pairs `<field> <value>` (the fields assigned), and `!` past OBJECT_DEPTH nested instances. Field values carry
 * their type: `i <int>`, `f <ieee bits>`, `b 0|1`, `s x<hex>`, `n`, an instance.
 */
export const OBJECT_DEPTH = 100;
/** What stands for an instance nested past OBJECT_DEPTH on both sides (kiln_reference.py writes the same). */
const TOO_DEEP: PyValue = { kind: 'other', type: 'deep', repr: '...' };

function encodeField(v: PyValue, classes: ReadonlyMap<string, HandleApi> | undefined): string[] {
  switch (v.kind) {
    case 'none': return ['n'];
    case 'int': return ['i', v.value.toString()];
    case 'float': return ['f', doubleBits(v.value)];
    case 'bool': return ['b', v.value ? '1' : '0'];
    case 'str': return ['s', `x${Buffer.from(new TextEncoder().encode(v.value)).toString('hex')}`];
    case 'object': {
      const api = [...(classes?.values() ?? [])].find((h) => h.python === v.cls && h.module === v.module);
      if (!api) throw new Error(`internal: no handle API for ${v.module}.${v.cls}`);
      const of = new Map(v.fields);
      return ['o', ...api.fields.flatMap((f) => encodeField(of.get(f.name) ?? { kind: 'none' }, classes))];
    }
    default: throw new Error(`internal: ${pyRepr(v)} is not carried in an instance's field`);
  }
}

/** Reads one field value (or instance) the harness wrote, from tokens[at]; returns it and the next position. */
function decodeField(tokens: string[], at: number): [PyValue, number] {
  const tok = (k: number) => {
    if (k >= tokens.length) throw new Error('internal: harness output too short');
    return tokens[k];
  };
  const tag = tok(at);
  switch (tag) {
    case 'n': return [{ kind: 'none' }, at + 1];
    case '!': return [TOO_DEEP, at + 1];
    case 'i': return [{ kind: 'int', value: BigInt(tok(at + 1)) }, at + 2];
    case 'f': return [{ kind: 'float', value: bitsToDouble(tok(at + 1)) }, at + 2];
    case 'b': return [{ kind: 'bool', value: tok(at + 1) === '1' }, at + 2];
    case 's': return [{ kind: 'str', value: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(tok(at + 1).replace(/^x/, ''), 'hex')) }, at + 2];
    case 'o': {
      const cls = tok(at + 1), module = tok(at + 2), n = Number(tok(at + 3));
      const fields: [string, PyValue][] = [];
      let k = at + 4;
      for (let j = 0; j < n; j++) {
        const name = tok(k);
        const [x, after] = decodeField(tokens, k + 1);
        fields.push([name, x]);
        k = after;
      }
      return [{ kind: 'object', cls, module, fields }, k];
    }
    default: throw new Error(`internal: unexpected token ${tag} in an instance`);
  }
}

/**
 * The instance an exception carried out of a call (the harness's ` @ <instance>`), as CPython's vars(e) shows it: its
 * fields without the message the module's BaseException keeps (`__kiln_message`, CPython's e.args).
 */
export function exceptionFields(tokens: string[]): PyValue {
  const [v] = decodeField(tokens, 0);
  return v.kind === 'object' ? { ...v, fields: v.fields.filter(([k]) => !k.startsWith('__kiln_')) } : v;
}

export function decodeFromHarness(tokens: string[], t: KType): PyValue {
  let i = 0;
  const next = () => {
    if (i >= tokens.length) throw new Error('internal: harness output too short');
    return tokens[i++];
  };
  const dec = (tt: KType): PyValue => {
    if (instanceClassOf(tt)) {
      const [v, after] = decodeField(tokens, i);
      i = after;
      return v;
    }
    if (tt.kind === 'tuple') return { kind: 'tuple', items: tt.items.map(dec) };
    // A record result: its values in the keys' order (lower/abi.ts recordAsTuple), a dict as CPython's.
    if (tt.kind === 'record') return { kind: 'dict', items: tt.items.map((x, k): [PyValue, PyValue] => [{ kind: 'str', value: tt.names[k] }, dec(x)]) };
    if (tt.kind === 'none') return { kind: 'none' };
    if (tt.kind === 'complex') return { kind: 'complex', re: bitsToDouble(next()), im: bitsToDouble(next()), ...(tt.np ? { np: true as const } : {}) };
    if (isTextOrNone(tt)) {
      if (tokens[i] === '-') {
        i++;
        return { kind: 'none' };
      }
      return dec(unionMembers(tt)[0]);
    }
    if (tt.kind === 'union') {
      const tag = Number(next());
      const m = tt.members.find((x) => unionTag(tt, x) === tag);
      if (!m) throw new Error(`internal: tag ${tag} is not a member of ${typeToString(tt)}`);
      return dec(m);
    }
    if (tt.kind === 'dict') {
      const n = Number(next());
      return { kind: 'dict', items: Array.from({ length: n }, (): [PyValue, PyValue] => [dec(tt.key), dec(tt.value)]) };
    }
    if (tt.kind === 'set') {
      const n = Number(next());
      return { kind: 'set', items: Array.from({ length: n }, () => dec(tt.item)), ...(tt.frozen ? { frozen: true as const } : {}) };
    }
    if (tt.kind === 'deque') {
      const n = Number(next());
      const items = Array.from({ length: n }, () => dec(tt.item));
      const maxlen = Number(next());
      return { kind: 'deque', items, maxlen: maxlen < 0 ? null : maxlen };
    }
    if (tt.kind === 'list') {
      const n = Number(next());
      const item: KType = tt.item.kind === 'none' ? { kind: 'scalar', name: 'int' } : tt.item;
      return { kind: tt.tuple ? 'tuple' : 'list', items: Array.from({ length: n }, () => dec(item)) };
    }
    if (tt.kind === 'array') {
      const nd = Number(next());
      const shape = Array.from({ length: nd }, () => Number(next()));
      const n = shape.reduce((a, b) => a * b, 1);
      if (SCALARS[tt.dtype].complex) return { kind: 'array', dtype: tt.dtype, shape, values: Array.from({ length: 2 * n }, () => bitsToDouble(next())) };
      const item: KType = { kind: 'scalar', name: tt.dtype };
      const values = Array.from({ length: n }, () => {
        const x = dec(item);
        return x.kind === 'bool' ? x.value : x.kind === 'np' ? x.value : 0;
      });
      return { kind: 'array', dtype: tt.dtype, shape, values };
    }
    if (tt.kind === 'str' || tt.kind === 'bytes') {
      const bytes = Buffer.from(next().replace(/^x/, ''), 'hex');
      if (tt.kind === 'bytes') return { kind: 'bytes', value: new Uint8Array(bytes) };
      return { kind: 'str', value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    }
    if (tt.kind !== 'scalar') throw new Error(`internal: cannot decode ${typeToString(tt)}`);
    const tok = next();
    switch (tt.name) {
      case 'int': return { kind: 'int', value: tok.startsWith('-') ? -BigInt(tok.slice(1)) : BigInt(tok) }; // decimal, or hex() of a big result
      case 'float': return { kind: 'float', value: bitsToDouble(tok) };
      case 'bool': return { kind: 'bool', value: tok === '1' };
      case 'float64': return { kind: 'np', dtype: 'float64', value: bitsToDouble(tok) };
      case 'float32': return { kind: 'np', dtype: 'float32', value: bitsToFloat(tok) };
      default: return { kind: 'np', dtype: tt.name, value: BigInt(tok) };
    }
  };
  return dec(t);
}

export function doubleBits(x: number): string {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return `0x${b.toString('hex')}`;
}
function floatBits(x: number): string {
  const b = Buffer.alloc(4);
  b.writeFloatBE(x);
  return `0x${b.toString('hex')}`;
}
function bitsToDouble(tok: string): number {
  return Buffer.from(tok.replace(/^0x/, '').padStart(16, '0'), 'hex').readDoubleBE();
}
function bitsToFloat(tok: string): number {
  return Buffer.from(tok.replace(/^0x/, '').padStart(8, '0'), 'hex').readFloatBE();
}

// ---- the CPython reference runner's JSON ----------------------------------------------------------------

export type RefJSON =
  | { int: string } | { float: string } | { complex: [string, string]; np?: string } | { bool: boolean } | { none: true }
  | { np: string; v: string } | { tuple: RefJSON[] } | { list: RefJSON[] }
  | { ndarray: string; shape: number[]; v: (string | boolean)[]; layout?: ArrayLayout } | { other: string; type: string }
  | { str: string } | { bytes: string } | { dict: [RefJSON, RefJSON][] } | { set: RefJSON[] } | { frozenset: RefJSON[] }
  | { deque: RefJSON[]; maxlen: number | null }
  | { object: string; module: string; fields: [string, RefJSON][] };

export function toRefJSON(v: PyValue): RefJSON {
  switch (v.kind) {
    case 'int': return { int: v.value.toString() };
    case 'float': return { float: doubleBits(v.value) };
    case 'complex': return { complex: [doubleBits(v.re), doubleBits(v.im)], ...(v.np ? { np: 'complex128' } : {}) };
    case 'bool': return { bool: v.value };
    case 'none': return { none: true };
    case 'np': return { np: v.dtype, v: SCALARS[v.dtype].float ? doubleBits(Number(v.value)) : String(v.value) };
    case 'tuple': return { tuple: v.items.map(toRefJSON) };
    case 'list': return { list: v.items.map(toRefJSON) };
    case 'array': return {
      ndarray: v.dtype, shape: v.shape, layout: v.layout ?? 'c',
      v: v.values.map((x) => (typeof x === 'boolean' ? x : floatValues(v.dtype) ? doubleBits(Number(x)) : String(x))),
    };
    case 'str': return { str: v.value };
    case 'bytes': return { bytes: Buffer.from(v.value).toString('hex') };
    case 'dict': return { dict: v.items.map(([k, x]): [RefJSON, RefJSON] => [toRefJSON(k), toRefJSON(x)]) };
    case 'set': return v.frozen ? { frozenset: v.items.map(toRefJSON) } : { set: v.items.map(toRefJSON) };
    case 'deque': return { deque: v.items.map(toRefJSON), maxlen: v.maxlen };
    case 'object': return { object: v.cls, module: v.module, fields: v.fields.map(([k, x]): [string, RefJSON] => [k, toRefJSON(x)]) };
    case 'other': return { other: v.repr, type: v.type };
  }
}

export function fromRefJSON(j: RefJSON): PyValue {
  // Decimal, or hex() past CPython's 4300-digit str() limit (kiln_reference.py): BigInt reads both, without the sign.
  if ('int' in j) return { kind: 'int', value: j.int.startsWith('-') ? -BigInt(j.int.slice(1)) : BigInt(j.int) };
  if ('float' in j) return { kind: 'float', value: bitsToDouble(j.float) };
  if ('complex' in j) return { kind: 'complex', re: bitsToDouble(j.complex[0]), im: bitsToDouble(j.complex[1]), ...(j.np === 'complex128' ? { np: true as const } : {}) };
  if ('bool' in j) return { kind: 'bool', value: j.bool };
  if ('none' in j) return { kind: 'none' };
  if ('str' in j) return { kind: 'str', value: j.str };
  if ('bytes' in j) return { kind: 'bytes', value: new Uint8Array(Buffer.from(j.bytes, 'hex')) };
  if ('np' in j) {
    const dtype = j.np as ScalarName;
    return { kind: 'np', dtype, value: SCALARS[dtype]?.float ? bitsToDouble(j.v) : BigInt(j.v) };
  }
  if ('tuple' in j) return { kind: 'tuple', items: j.tuple.map(fromRefJSON) };
  if ('dict' in j) return { kind: 'dict', items: j.dict.map(([k, x]): [PyValue, PyValue] => [fromRefJSON(k), fromRefJSON(x)]) };
  if ('set' in j) return { kind: 'set', items: j.set.map(fromRefJSON) };
  if ('frozenset' in j) return { kind: 'set', items: j.frozenset.map(fromRefJSON), frozen: true };
  if ('deque' in j) return { kind: 'deque', items: j.deque.map(fromRefJSON), maxlen: j.maxlen };
  if ('object' in j) return { kind: 'object', cls: j.object, module: j.module, fields: j.fields.map(([k, x]): [string, PyValue] => [k, fromRefJSON(x)]) };
  if ('list' in j) return { kind: 'list', items: j.list.map(fromRefJSON) };
  if ('ndarray' in j) {
    const dtype = j.ndarray as ScalarName;
    if (!SCALARS[dtype]) return { kind: 'other', type: 'ndarray', repr: `array(dtype=${j.ndarray})` };
    const values = j.v.map((x) => (typeof x === 'boolean' ? x : floatValues(dtype) ? bitsToDouble(x) : BigInt(x)));
    return { kind: 'array', dtype, shape: j.shape, values };
  }
  return { kind: 'other', type: j.type, repr: j.other };
}

/** `str | None` or `bytes | None`: text on the wire, `-` for None. */
const isTextOrNone = (t: KType): boolean => t.kind === 'union' && !!textKind(t);

/** True when a JS string holding a Python str has no lone surrogate (so it has a UTF-8 form). */
export function isWellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
