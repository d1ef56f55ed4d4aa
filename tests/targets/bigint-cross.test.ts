/**
 * Big-int twins (lower/c_bigint.ts) on other targets: the bigint corpus (factorials, Fibonacci, big moduli,
 * Collatz, a 127-bit hash; Project-Euler programs through helpers, str() and int() of digits; results past 64 bits
 * as hex() text) built for wasm32 (run by Node's WASI) and
 * linux-arm64 (under qemu-user) must agree with CPython on every case. The same file on those targets and
 * 32-bit linux-armv7 is `node scripts/strings-cross.mjs --corpus bigint`.
 */
import { describeCorpusSample } from './corpus-sample.ts';

describeCorpusSample('the bigint corpora on wasm32 and under QEMU', ['bigint_arithmetic.py']);
