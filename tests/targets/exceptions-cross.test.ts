/**
 * try/except/finally, with and match on other targets: the exception corpus sample (handlers reached from Kiln's own
 * checks, re-raises, finally on every way out) built for wasm32 (Node's WASI) and linux-arm64 (qemu-user) must agree
 * with CPython on every case, messages included.
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('the exception corpus sample on wasm32 and under QEMU', ['exceptions_recovery.py']);
