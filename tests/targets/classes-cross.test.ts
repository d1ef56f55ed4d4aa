/**
 * Compiled classes on other targets: one class corpus file (linked structures, cycles, a scheduler) built for
 * wasm32 and linux-arm64 and verified against CPython there
 * (tests/targets/corpus-sample.ts). The other class files were swept by hand on wasm32, arm64 and armv7 (README,
 * "Classes"); npm test keeps this sample small to stay within its time.
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('class corpus sample on other targets', ['classes_linked.py']);
