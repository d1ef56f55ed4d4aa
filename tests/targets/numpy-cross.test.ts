/**
 * NumPy code on other targets: the linear algebra corpus file (np.linalg.solve/inv/det, blocked past 32 rows: the
 * same matrices singular, NaN where NumPy's land) built for wasm32 (Node's WASI) and linux-arm64 (qemu-user)
 * must agree with NumPy on the host on every case. The GPT example on those targets and 32-bit linux-armv7 is
 * `node bin/kiln.mjs compile examples/gpt/gpt.py --target wasm32,linux-arm64,linux-armv7`.
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('the NumPy selection, sorting and linear algebra corpus on wasm32 and under QEMU', ['numpy_linalg.py']);
