/**
 * Compiled dicts and sets on other targets: a fixed sample of the dict corpus (graph search, memo tables, set
 * orders, KeyError and RuntimeError paths), built
 * for wasm32 (run by Node's WASI) and linux-arm64 (under qemu-user), must agree with CPython on every case, messages
 * included: hashes, table sizes and so iteration orders are CPython's 64-bit ones on every target. The whole dict
 * corpus on those targets and 32-bit linux-armv7 is `node scripts/strings-cross.mjs --corpus dicts` (and
 * `--corpus collections`).
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('the dict corpus sample on wasm32 and under QEMU', ['dicts_algorithms.py']);
