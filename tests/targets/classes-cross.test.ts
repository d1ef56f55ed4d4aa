/**
 * Compiled classes on other targets: two class corpus files (linked structures, cycles, a scheduler; iterator
 * classes and the other protocols) built for wasm32 and linux-arm64 and verified against CPython there
 * (tests/targets/corpus-sample.ts). The other class files were swept by hand on wasm32, arm64 and armv7 (README,
 * "Classes"); npm test keeps this sample small to stay within its time.
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('class corpus sample on other targets', ['classes_linked.py', 'classes_protocols.py']);
