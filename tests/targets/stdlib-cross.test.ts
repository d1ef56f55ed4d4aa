/**
 * Seeded random streams on other targets: the random corpus (CPython's MT19937 methods and NumPy's default_rng,
 * everything in it built from arithmetic) built for wasm32 (run by Node's WASI) and linux-arm64 (under qemu-user)
 * must give CPython's and NumPy's numbers value for value, messages included. The libm-based variates (gauss,
 * normalvariate, expovariate) are in stdlib_math.py: within an ulp or two of glibc on musl targets
 * (docs/design/numbers.md).
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('the random corpus sample on wasm32 and under QEMU', ['stdlib_random.py']);
