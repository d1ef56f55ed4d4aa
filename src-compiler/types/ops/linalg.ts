/**
 * np.linalg. The products of arrays (`a @ b`, np.dot, np.matmul, np.einsum) are in products.ts, on the runtime's
 * GEMM.
 */
import type { OpDef, OpDomain } from './common.ts';

const ops: OpDef[] = [];

export const linalg: OpDomain = { name: 'linalg', title: 'NumPy: linear algebra (np.linalg)', ops };
