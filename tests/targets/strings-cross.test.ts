/**
 * Compiled strings on other targets: a fixed sample of the string corpus (ciphers, every error path),
 * built for wasm32 (run by Node's WASI) and linux-arm64 (run under qemu-user), must agree
 * with CPython on every case, messages included. The whole corpus on those targets and 32-bit linux-armv7 is `node scripts/strings-cross.mjs`.
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('the string corpus sample on wasm32 and under QEMU', ['strings_ciphers.py', 'strings_errors.py']);
