/**
 * Dicts and sets across the C ABI (docs/design/abi-values.md) on wasm32 (32-bit pointers: the flat layout's arrays
 * at other offsets) and under QEMU: every function of the sample verified against CPython, in-out arguments included.
 * The full sweep (wasm32, linux-arm64, linux-armv7, windows-x64, both abi_ corpus files) is run by hand:
 * `node bin/kiln.mjs compile tests/corpus/abi_strings.py --target wasm32,linux-arm64,linux-armv7,windows-x64`.
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('values across the C ABI on wasm32 and under QEMU', ['abi_collections.py']);
