/** Kiln's native value types. Plain JSON data so typed IR can be printed, cached and sent to the studio. */

export type ScalarName =
  | 'int' // Python int, held as int64; overflow raises OverflowError
  | 'float' // Python float: C double
  | 'bool'
  | 'float32' | 'float64'
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64';

export type KType =
  | { kind: 'scalar'; name: ScalarName }
  | { kind: 'tuple'; items: KType[] }
  | { kind: 'none' };

export const T = {
  int: { kind: 'scalar', name: 'int' } as KType,
  float: { kind: 'scalar', name: 'float' } as KType,
  bool: { kind: 'scalar', name: 'bool' } as KType,
  none: { kind: 'none' } as KType,
  np: (name: ScalarName): KType => ({ kind: 'scalar', name }),
  tuple: (items: KType[]): KType => ({ kind: 'tuple', items }),
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
};

export function typeToString(t: KType): string {
  if (t.kind === 'none') return 'None';
  if (t.kind === 'tuple') return `tuple[${t.items.map(typeToString).join(', ')}]`;
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
export const isFloatLike = (t: KType) => t.kind === 'scalar' && SCALARS[t.name].float;
export const isIntLike = (t: KType) => t.kind === 'scalar' && !SCALARS[t.name].float; // includes bool

/** The C type that holds a value of this type. Tuples are named structs. */
export function cType(t: KType): string {
  if (t.kind === 'none') return 'int8_t';
  if (t.kind === 'tuple') return tupleStructName(t);
  return SCALARS[t.name].c;
}

export function tupleStructName(t: KType & { kind: 'tuple' }): string {
  const part = (x: KType): string =>
    x.kind === 'tuple' ? `T${x.items.length}${x.items.map(part).join('')}E` : x.kind === 'none' ? 'n' : x.name;
  return `kiln_tuple_${t.items.map(part).join('_')}`;
}

/** Every tuple type reachable from `t`, innermost first (the order C needs to declare them). */
export function tupleTypesIn(t: KType, out: KType[] = []): KType[] {
  if (t.kind === 'tuple') {
    for (const item of t.items) tupleTypesIn(item, out);
    if (!out.some((x) => sameType(x, t))) out.push(t);
  }
  return out;
}
