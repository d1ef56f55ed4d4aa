/**
 * Tuples holding objects in lists, dicts, sets and heaps on 32-bit wasm32 (4-byte pointers: the item layouts of
 * kiln_arrays.h name other offsets) and on linux-arm64 under QEMU, verified against CPython case by case.
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('tuples holding objects on wasm32 and under QEMU', ['tuples_labels.py']);
