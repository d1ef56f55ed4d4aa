/**
 * heapq, bisect, itertools and functools (compiled from Kiln's Python source, project/compiled_stdlib.ts) on other
 * targets: a fixed sample, the heap and bisect corpus (Dijkstra, k-way merge, running medians, heap layouts,
 * IndexError and ValueError paths), built for wasm32 (run by Node's WASI) and linux-arm64 (under qemu-user),
 * must agree with CPython on every case. Both stdlib corpus files on those targets and 32-bit linux-armv7 is
 * `node scripts/strings-cross.mjs --corpus stdlib` (the sweep reported with the change).
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('the heapq/bisect corpus sample on wasm32 and under QEMU', ['stdlib_heapq_bisect.py']);
