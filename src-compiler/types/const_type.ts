import type { ConstValue } from '../ir/ir.ts';
import { T, type KType } from './types.ts';

/** The type of a constant in the IR (None for a tuple of constants, which only an op's resolver sees). */
export function constType(c: ConstValue): KType | undefined {
  switch (c.kind) {
    case 'int': return T.int;
    case 'float': return T.float;
    case 'bool': return T.bool;
    case 'none': return T.none;
    case 'class': return c.name === 'NoneType' ? T.none : T.dtype(c.name === 'float' ? 'float64' : c.name === 'int' ? 'int64' : 'bool');
    case 'str': return T.str;
    case 'bytes': return T.bytes;
    default: return undefined;
  }
}
