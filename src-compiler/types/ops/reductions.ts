/**
 * NumPy reductions: np.sum(a), a.sum(), ... over a whole array or along one axis, with keepdims= and (var, std)
 * ddof=. An axis out of range raises NumPy's AxisError where the call runs.
 */
import type { KType } from '../types.ts';
import { isIdx, isNone, isScalarType, type OpDef, type OpDomain } from './common.ts';
import { axisArg, raising, reduce, type RedName } from './common_arrays.ts';

/** Each reduction's parameters in NumPy's order (np.sum(a, axis, dtype, out, keepdims), ...). */
const PARAMS: Record<RedName, readonly string[]> = {
  sum: ['axis', 'dtype', 'out', 'keepdims'], prod: ['axis', 'dtype', 'out', 'keepdims'], mean: ['axis', 'dtype', 'out', 'keepdims'],
  var: ['axis', 'dtype', 'out', 'ddof', 'keepdims'], std: ['axis', 'dtype', 'out', 'ddof', 'keepdims'],
  min: ['axis', 'out', 'keepdims'], max: ['axis', 'out', 'keepdims'], argmin: ['axis', 'out', 'keepdims'], argmax: ['axis', 'out', 'keepdims'],
  any: ['axis', 'out', 'keepdims'], all: ['axis', 'out', 'keepdims'],
};

function reduction(name: RedName, target: string): OpDef {
  const numpy = target.startsWith('numpy.');
  const params = PARAMS[name];
  const shown = params.filter((p) => p !== 'out' && p !== 'dtype').map((p) => `${p}=${p === 'ddof' ? '0' : p === 'keepdims' ? 'False' : 'None'}`).join(', ');
  return {
    target, python: numpy ? `np.${name}(a, ${shown})` : `a.${name}(${shown})`,
    signatures: [
      'array -> NumPy scalar (float sums are NumPy\'s pairwise sums, bit for bit)',
      'array, axis=k -> array of one dimension less (keepdims=True: the axis kept with size 1)',
    ],
    facts: numpy ? { arrayRuntime: true, keywords: ['a', ...params] } : { keywords: ['self', ...params] },
    resolve(args, consts) {
      const [x] = args;
      if (!x || x.kind !== 'array') return undefined;
      const at = (p: string) => 1 + params.indexOf(p);
      const given = (p: string): KType | undefined => (params.includes(p) && !isNone(args[at(p)]) ? args[at(p)] : undefined);
      if (given('out')) return `${name}(): out= is not compiled; assign the result (r = np.${name}(a, axis=k))`;
      if (given('dtype')) return `${name}(): dtype= is not compiled; convert first (a.astype(np.float64).${name}())`;
      let keepdims = false;
      if (given('keepdims')) {
        const c = consts[at('keepdims')];
        if (c?.kind !== 'bool') return `${name}(): keepdims must be the constant True or False`;
        keepdims = c.value;
      }
      let ddof: number | undefined;
      const dt = given('ddof');
      if (dt) {
        if (!isScalarType(dt) || (dt.kind === 'scalar' && dt.name === 'bool')) return `${name}(): ddof must be a number`;
        ddof = at('ddof');
      }
      const ax = axisArg(args[1], consts[1], x.ndim);
      if (typeof ax === 'string') return ax;
      const r = reduce(name, x, 'raise' in ax ? (x.ndim === 1 ? undefined : 0) : ax.axis, { keepdims, ddof, ddofInt: dt !== undefined && isIdx(dt) });
      if (typeof r === 'string') return r;
      if ('raise' in ax) return raising(r.result, args, 'AxisError', ax.raise);
      // The lowering sees every argument (ddof is read at run time).
      return { ...r, argTypes: args };
    },
  };
}

const REDUCTIONS: RedName[] = ['sum', 'prod', 'min', 'max', 'mean', 'std', 'var', 'argmin', 'argmax', 'any', 'all'];

const ops: OpDef[] = [
  ...REDUCTIONS.flatMap((r) => [reduction(r, `numpy.${r}`), reduction(r, `method.${r}`)]),
  reduction('min', 'numpy.amin'), reduction('max', 'numpy.amax'),
];

export const reductions: OpDomain = { name: 'reductions', title: 'NumPy: reductions', ops };
