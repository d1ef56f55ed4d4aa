/**
 * Inlined generators on other targets: a fixed sample of the generator corpus (tokenizers yielding str, tree walks,
 * early exits through generator bodies, stored and piped generators, a ValueError raised inside a generator),
 * built for wasm32 (run by Node's WASI) and linux-arm64 (under qemu-user), must agree with CPython on every case,
 * messages included. The whole generator corpus on those targets and 32-bit linux-armv7 is
 * `node scripts/strings-cross.mjs --corpus generators`.
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('the generator corpus sample on wasm32 and under QEMU', ['generators_control.py']);
