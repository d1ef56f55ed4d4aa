/**
 * The numeric-tower specialisations (issue 22: ints where floats are annotated, bools where ints are) built for
 * wasm32 and linux-arm64 and verified against CPython there, result types included; skipped with the reason
 * where a target cannot run.
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('the numeric-tower corpus sample on wasm32 and under QEMU', ['tower_numbers.py']);
