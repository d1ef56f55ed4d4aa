#!/usr/bin/env bash
# Runs a command as a fresh machine would: without qemu-user, Wine, Chromium and Xvfb on PATH (this machine has
# them all). Each PATH folder that holds one of them is replaced by a folder of links to everything else in it.
#   scripts/without-tools.sh npx vitest run tests/targets/matrix.test.ts
set -euo pipefail
hide='^(qemu-.*|wine.*|chromium.*|Xvfb|xvfb-run)$'
links=$(mktemp -d "${TMPDIR:-/tmp}/kiln-fresh-path-XXXXXX")
trap 'rm -rf "$links"' EXIT
path=()
IFS=: read -ra dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  if ! ls -1 "$d" | grep -Eq "$hide"; then path+=("$d"); continue; fi
  f="$links/$(echo "$d" | tr / _)"
  mkdir -p "$f"
  for e in "$d"/*; do
    name=$(basename "$e")
    [[ $name =~ $hide ]] || ln -s "$e" "$f/$name"
  done
  path+=("$f")
done
PATH=$(IFS=:; echo "${path[*]}")
export PATH
unset KILN_CHROMIUM
for t in qemu-aarch64 qemu-arm qemu-riscv64 wine wine64 chromium xvfb-run; do
  if command -v "$t" >/dev/null; then echo "without-tools: $t is still on PATH" >&2; exit 1; fi
done
"$@"
