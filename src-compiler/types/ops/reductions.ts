/** NumPy reductions: np.sum(a), a.sum(), ... over a whole array or along one axis of a 2-D array. */
import type { OpDef, OpDomain } from './common.ts';
import { axisOf, reduce, type RedName } from './common_arrays.ts';

function reduction(name: RedName, target: string): OpDef {
  const numpy = target.startsWith('numpy.');
  return {
    target, python: numpy ? `np.${name}(a, axis=None)` : `a.${name}(axis=None)`,
    signatures: ['array -> NumPy scalar (float sums are NumPy\'s pairwise sums, bit for bit)', 'array, axis=k (2-D) -> 1-D array'],
    facts: numpy ? { arrayRuntime: true, keywords: ['a', 'axis'] } : { keywords: ['self', 'axis'] },
    resolve(args, consts) {
      const [x] = args;
      if (!x || x.kind !== 'array') return undefined;
      const axis = axisOf(args[1], consts[1], x.ndim);
      if (typeof axis === 'string') return axis;
      return reduce(name, x, axis);
    },
  };
}

const REDUCTIONS: RedName[] = ['sum', 'prod', 'min', 'max', 'mean', 'std', 'var', 'argmin', 'argmax', 'any', 'all'];

const ops: OpDef[] = [
  ...REDUCTIONS.flatMap((r) => [reduction(r, `numpy.${r}`), reduction(r, `method.${r}`)]),
  reduction('min', 'numpy.amin'), reduction('max', 'numpy.amax'),
];

export const reductions: OpDomain = { name: 'reductions', title: 'NumPy: reductions', ops };
