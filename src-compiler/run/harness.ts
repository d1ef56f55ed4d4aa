/**
 * The native harness: a small C program, built with the generated library for any target, that reads
 * one call per line on stdin, calls the exported function and prints the result (exact bits) or the
 * Python exception. `@bench N name args` times N calls with no interpreter in the loop.
 */
import type { CUnit, ExportedFunction } from '../lower/c.ts';
import { cType, type KType } from '../types/types.ts';

function scalarLeaves(t: KType, path: string, out: { t: KType; path: string }[] = []) {
  if (t.kind === 'tuple') t.items.forEach((it, i) => scalarLeaves(it, `${path}.f${i}`, out));
  else if (t.kind === 'scalar') out.push({ t, path });
  return out;
}

function reader(t: KType): string {
  if (t.kind !== 'scalar') return '0';
  switch (t.name) {
    case 'float': case 'float64': return 'rd_f64()';
    case 'float32': return 'rd_f32()';
    case 'bool': return '(bool)rd_i64()';
    case 'uint64': return 'rd_u64()';
    default: return `(${cType(t)})rd_i64()`;
  }
}

function writer(t: KType, e: string): string {
  if (t.kind !== 'scalar') return '';
  switch (t.name) {
    case 'float': case 'float64': return `wr_f64(${e});`;
    case 'float32': return `wr_f32(${e});`;
    case 'uint64': return `printf(" %llu", (unsigned long long)(${e}));`;
    case 'bool': return `printf(" %d", (int)(${e}));`;
    default: return `printf(" %lld", (long long)(${e}));`;
  }
}

export function harnessSource(unit: CUnit): string {
  const cases = unit.exports.map((e) => callCase(e)).join('\n');
  return `/* Kiln's native harness for ${unit.sourceName}: one call per line on stdin, one result per line on stdout. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdbool.h>
#include <time.h>
#ifdef _WIN32
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#endif
#include "${unit.headerName}"

static char *next_token(void) {
  char *t = strtok(NULL, " \\t\\r\\n");
  if (!t) { printf("bad missing-argument\\n"); fflush(stdout); exit(3); }
  return t;
}
static int64_t rd_i64(void) { return (int64_t)strtoll(next_token(), NULL, 10); }
static uint64_t rd_u64(void) { return (uint64_t)strtoull(next_token(), NULL, 10); }
static double rd_f64(void) { uint64_t b = (uint64_t)strtoull(next_token(), NULL, 16); double d; memcpy(&d, &b, 8); return d; }
static float rd_f32(void) { uint32_t b = (uint32_t)strtoul(next_token(), NULL, 16); float f; memcpy(&f, &b, 4); return f; }
static void wr_f64(double d) { uint64_t b; memcpy(&b, &d, 8); printf(" 0x%016llx", (unsigned long long)b); }
static void wr_f32(float f) { uint32_t b; memcpy(&b, &f, 4); printf(" 0x%08lx", (unsigned long)b); }
static void wr_err(void) {
  printf("err %s %d", kiln_error_type(), kiln_error_frame_count());
  for (int i = 0; i < kiln_error_frame_count(); i++) printf(" %s:%d", kiln_error_frame_function(i), kiln_error_frame_line(i));
  printf(" | %s\\n", kiln_error_message());
}
static int64_t now_ns(void) {
#ifdef _WIN32
  LARGE_INTEGER f, c; QueryPerformanceFrequency(&f); QueryPerformanceCounter(&c);
  return (int64_t)((double)c.QuadPart * 1e9 / (double)f.QuadPart);
#else
  struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
#endif
}

int main(void) {
  static char line[1 << 16];
#ifdef _WIN32
  _setmode(_fileno(stdin), _O_BINARY); /* "\n", not "\r\n": the same bytes on every target */
  _setmode(_fileno(stdout), _O_BINARY);
#endif
  while (fgets(line, sizeof line, stdin)) {
    char *name = strtok(line, " \\t\\r\\n");
    long long reps = 0;
    if (!name) continue;
    if (strcmp(name, "@bench") == 0) { reps = strtoll(next_token(), NULL, 10); name = next_token(); }
    if (0) {}
${cases}
    else { printf("bad unknown-function %s\\n", name); }
    fflush(stdout);
  }
  return 0;
}
`;
}

function callCase(e: ExportedFunction): string {
  const lines: string[] = [];
  lines.push(`    else if (strcmp(name, "${e.name}") == 0) {`);
  e.params.forEach((p, i) => {
    lines.push(`      ${cType(p.type)} a${i};`);
    for (const leaf of scalarLeaves(p.type, `a${i}`)) lines.push(`      ${leaf.path} = ${reader(leaf.t)};`);
  });
  const hasRet = e.returnType.kind !== 'none';
  const args = e.params.map((_, i) => `a${i}`);
  lines.push(`      int rc = 0;`);
  if (hasRet) lines.push(`      ${cType(e.returnType)} r;`, `      memset(&r, 0, sizeof r);`);
  const callArgs = [...args, ...(hasRet ? ['&r'] : [])].join(', ');
  lines.push(`      if (reps > 0) {`);
  e.params.forEach((p, i) => lines.push(`        volatile ${cType(p.type)} v${i} = a${i};`));
  if (hasRet) lines.push(`        volatile ${cType(e.returnType)} sink;`);
  lines.push(`        int64_t t0 = now_ns();`);
  lines.push(`        for (long long k = 0; k < reps; k++) {`);
  const vArgs = [...e.params.map((_, i) => `v${i}`), ...(hasRet ? ['&r'] : [])].join(', ');
  lines.push(`          rc |= ${e.symbol}(${vArgs});`);
  if (hasRet) lines.push(`          sink = r;`);
  lines.push(`        }`);
  lines.push(`        int64_t t1 = now_ns();`);
  if (hasRet) lines.push(`        (void)sink;`);
  lines.push(`        printf("bench %lld %d\\n", (long long)(t1 - t0), rc);`);
  lines.push(`      } else {`);
  lines.push(`        rc = ${e.symbol}(${callArgs});`);
  lines.push(`        if (rc) wr_err();`);
  lines.push(`        else {`);
  lines.push(`          printf("ok");`);
  for (const leaf of scalarLeaves(e.returnType, 'r')) lines.push(`          ${writer(leaf.t, leaf.path)}`);
  lines.push(`          printf("\\n");`);
  lines.push(`        }`);
  lines.push(`      }`);
  lines.push(`    }`);
  return lines.join('\n');
}
