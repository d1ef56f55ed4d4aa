/**
 * Memory of compiled strings (and of the functions corpus, which holds str in closures and tuples): every
 * reference a function owns is dropped on every path, normal or error, so
 * (a) the string corpus run under valgrind (every function on its generated inputs, the ones that raise included,
 * through the C ABI the harness calls: UTF-8 in, kiln_free'd results out) leaks nothing and makes no invalid
 * access; (b) a loop that makes and drops strings runs in bounded memory (peak RSS does not grow with the
 * number of iterations); (c) `s += piece` in a loop is linear (kr_str_iadd appends in place).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { buildUnit, compileModule, type CompiledModule } from '../../src-compiler/pipeline.ts';
import { hostToolchain, compileC } from '../../src-compiler/targets/toolchain.ts';
import { corpusDir, skipNote, valgrindCorpus, withValgrind } from './valgrind-corpus.ts';

const root = path.resolve(import.meta.dirname, '../..');
const STRING_FILES = fs.readdirSync(corpusDir).filter((f) => /^strings_.*\.py$/.test(f)).sort();
/** The corpus of issue 12 (functions as values, iterators, key sorts, tuples and nested lists). */
const FUNCTION_FILES = fs.readdirSync(corpusDir).filter((f) => /^(fn_|iter_|sort_|tuples_|nested_).*\.py$/.test(f)).sort();
const gnuTime = fs.existsSync('/usr/bin/time') && process.platform === 'linux';

/** Invalid UTF-8 given for a str parameter: UnicodeDecodeError on entry, nothing made is kept. */
function invalidUtf8Call(compiled: CompiledModule): string[] {
  const strFn = compiled.unit!.exports.find((e) => e.params.some((p) => p.type.kind === 'str') && e.params.every((p) => p.type.kind === 'str' || p.type.kind === 'bytes' || p.type.kind === 'scalar'));
  if (!strFn) return [];
  return [[strFn.name, ...strFn.params.map((p) => (p.type.kind === 'str' ? 'x61ff62' : p.type.kind === 'bytes' ? 'x00' : p.type.kind === 'scalar' && p.type.name === 'float' ? '0x3ff0000000000000' : '1'))].join(' ')];
}

/**
 * Every function of the corpus files on its generated inputs (12 cases each, the ones that raise included) under
 * valgrind: no leak, no invalid access. Returns the number of calls and of calls that raised.
 */
async function underValgrind(files: string[]): Promise<{ calls: number; raised: number }> {
  const { calls, raisedCalls, runs } = await valgrindCorpus(files, { cases: 12, examples: false, extraLines: invalidUtf8Call });
  for (const run of runs) {
    if (invalidUtf8Call(run.compiled).length) expect(run.out[run.out.length - 1]).toMatch(/^err UnicodeDecodeError 0 \| 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte/);
  }
  return { calls, raised: raisedCalls };
}

describe('compiled strings do not leak (valgrind)', () => {
  withValgrind(`the string corpus (${STRING_FILES.length} files) under valgrind${skipNote}`, async () => {
    const { calls, raised } = await underValgrind(STRING_FILES);
    expect(calls).toBeGreaterThan(1000);
    expect(raised).toBeGreaterThan(100); // the error paths ran too
  }, 1_800_000);

  // Functions as values over strings and lists: closures' environments and tuples holding str own their
  // references; key sorts, iterators, defaults and *args over lists and str, and the per-call heap's cells.
  withValgrind(`the functions corpus (${FUNCTION_FILES.length} files) under valgrind${skipNote}`, async () => {
    const { calls, raised } = await underValgrind(FUNCTION_FILES);
    expect(calls).toBeGreaterThan(1000);
    expect(raised).toBeGreaterThan(20); // the error paths ran too
  }, 1_800_000);
});

describe('strings in loops', () => {
  let exe: string | undefined;
  const build = async (): Promise<string> => {
    if (exe) return exe;
    const compiled = await compileModule(path.join(root, 'tests/fixtures/strings/churn.py'));
    const built = await buildUnit(compiled.unit!, { library: true }, {});
    const main = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-churn-')), 'main.c');
    fs.writeFileSync(main, `#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "${compiled.unit!.headerName}"
int main(int argc, char **argv) {
  int64_t n = atoll(argv[2]), r = 0;
  struct timespec a, b;
  /* CPU time of the process (page faults included): wall time on a shared machine swings several-fold */
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
  int rc = argv[1][0] == 'c' ? kiln_churn(n, &r) : kiln_grow(n, &r);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
  printf("%d %lld %lld\\n", rc, (long long)r, (long long)((b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec)));
  return 0;
}
`);
    exe = main.replace(/\.c$/, '');
    const r = await compileC({ toolchain: await hostToolchain(), sources: [main, built.source], output: exe, kind: 'exe', includeDirs: [built.dir], optLevel: 'O2' });
    expect(r.ok, r.log).toBe(true);
    return exe;
  };

  (gnuTime ? it : it.skip)(`make-and-drop loops run in bounded memory${gnuTime ? '' : ' (skipped: needs Linux and /usr/bin/time)'}`, async () => {
    const bin = await build();
    const rss = async (n: number) => {
      const r = await execa('/usr/bin/time', ['-f', '%M', bin, 'c', String(n)], { reject: false });
      expect(r.stdout.split(' ')[0]).toBe('0');
      return Number(r.stderr.trim().split('\n').pop());
    };
    const small = await rss(20_000);
    const large = await rss(400_000); // 20 times the iterations, 2 million strings made and dropped
    expect(large - small, `peak RSS ${small} KB for 20,000 iterations, ${large} KB for 400,000`).toBeLessThan(512);
  }, 300_000);

  it('s += piece is linear in the number of pieces (appended in place)', async () => {
    const bin = await build();
    const ns = async (n: number) => {
      let best = Infinity;
      for (let k = 0; k < 5; k++) {
        const [rc, len, t] = (await execa(bin, ['g', String(n)])).stdout.split(' ').map(Number);
        expect([rc, len]).toEqual([0, 5 * n]);
        best = Math.min(best, t);
      }
      return best;
    };
    const t1 = await ns(100_000);
    const t10 = await ns(1_000_000);
    // Quadratic would be about 100 times slower for 10 times the pieces; linear is about 10 (the machine is shared).
    expect(t10 / t1, `100,000 pieces: ${(t1 / 1e6).toFixed(2)} ms; 1,000,000: ${(t10 / 1e6).toFixed(2)} ms`).toBeLessThan(30);
  }, 300_000);
});
