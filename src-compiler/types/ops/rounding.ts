/**
 * How each op carries an error already in its float arguments to its result (OpFacts.rounding), for the ops other
 * domains define: what opt/tolerance.ts reads to bound how far a result that went through an inexact op (np.exp,
 * a float matmul) may be from NumPy's. One table, so that the facts of verification live in one place; each entry
 * is an overload that takes no argument types of its own (it only adds the fact).
 */
import type { OpDomain, OpFacts, Overload } from './common.ts';

const RULES: Record<NonNullable<OpFacts['rounding']>, string[]> = {
  same: [
    '_operator.pos', 'builtins.abs', 'numpy.abs', 'numpy.absolute', 'numpy.minimum', 'numpy.maximum', 'numpy.where', 'numpy.clip',
    'builtins.min', 'builtins.max', 'builtins.float', 'numpy.float64', 'numpy.min', 'numpy.max', 'numpy.amin', 'numpy.amax', 'method.min', 'method.max',
    'method.copy', 'method.reshape', 'attr.T', 'numpy.asarray', 'numpy.array', 'method.tolist', 'kiln.make_list', 'method.append',
    'attr.real', 'attr.imag',
  ],
  negate: ['_operator.neg', 'method.conjugate'],
  product: ['_operator.mul', '_operator.truediv', 'numpy.multiply', 'numpy.divide', '_operator.imul', '_operator.itruediv'],
  add: ['_operator.add', 'numpy.add', '_operator.iadd'],
  subtract: ['_operator.sub', 'numpy.subtract', '_operator.isub'],
  pairwise: ['numpy.sum', 'method.sum', 'numpy.mean', 'method.mean'],
};

const overloads: Overload[] = Object.entries(RULES).flatMap(([rule, targets]) =>
  targets.map((target): Overload => ({ target, signatures: [], facts: { rounding: rule as OpFacts['rounding'] }, resolve: () => undefined })));

export const rounding: OpDomain = { name: 'rounding', title: 'Verification facts', ops: [], overloads };
