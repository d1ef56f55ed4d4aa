/**
 * Compiled classes on other targets: three class corpus files (operators, dataclasses, properties; linked structures,
 * cycles, a scheduler; iterator classes and the other protocols) built for wasm32 and linux-arm64 and verified against
 * CPython there (tests/targets/corpus-sample.ts).
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('class corpus sample on other targets', ['classes_geometry.py', 'classes_linked.py', 'classes_protocols.py']);
