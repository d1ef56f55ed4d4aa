/**
 * Memory of compiled class instances (types/classes.ts, lower/c_classes.ts): every reference a function owns
 * (instances in locals, in fields of other instances, in lists, narrowed `Node | None` reads) is dropped on every
 * path, normal or error, so the class corpus under valgrind leaks nothing and makes no invalid access; and reference
 * cycles between instances (a doubly linked ring, a tree with parent links) are freed at the latest when the
 * outermost call returns: a driver that includes the generated C counts the live objects after each call.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { compileC, hostToolchain } from '../../src-compiler/targets/toolchain.ts';
import { C_RUNTIME_DIR } from '../../src-compiler/paths.ts';
import { baselineTriple as triple, corpusDir, hasValgrind as valgrind, skipNote, valgrindCorpus, withValgrind } from './valgrind-corpus.ts';

const CLASS_FILES = fs.readdirSync(corpusDir).filter((f) => /^classes_.*\.py$/.test(f)).sort();

describe('compiled class instances do not leak (valgrind)', () => {
  withValgrind(`the class corpus (${CLASS_FILES.length} files) under valgrind${skipNote}`, async () => {
    const { calls, raised } = await valgrindCorpus(CLASS_FILES, { cases: 5 });
    expect(calls).toBeGreaterThan(150);
    // The error paths ran too, releasing what they owned.
    expect([...raised].sort()).toEqual(expect.arrayContaining(['AttributeError', 'IndexError', 'KeyError', 'NotImplementedError']));
  }, 1_800_000);
});

describe('instances are all freed when the outermost call returns (cycles included)', () => {
  it('classes_linked: no object alive after each call', async () => {
    const compiled = await compileModule(path.join(corpusDir, 'classes_linked.py'));
    expect(compiled.functions.filter((f) => f.error)).toEqual([]);
    const unit = compiled.unit!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-classes-'));
    fs.writeFileSync(path.join(dir, unit.sourceName), unit.source);
    fs.writeFileSync(path.join(dir, unit.headerName), unit.header);
    // Calls with int parameters: a ring (a reference cycle), a scheduler of tasks and packets, trees, stacks, queues,
    // and the ones that raise. The driver includes the unit, so it reads the collector's own count of live objects.
    const calls = [
      'ring_walk(10)', 'ring_walk(1)', 'richards(6, 25)', 'stack_sum(100)', 'stack_underflow(3)', 'josephus(7, 3)',
      'reversed_digits(30)', 'missing_link(1)', 'lookup_missing(2)', 'abstract_run(1)',
    ];
    const driver = [
      `#include "${unit.sourceName}"`,
      '#include <stdio.h>',
      'int main(void) {',
      '  int64_t out = 0; int rc;',
      ...calls.map((c) => {
        const [, name, args] = /^(\w+)\((.*)\)$/.exec(c)!;
        return `  rc = kiln_${name}(${args}, &out); printf("%s %d %lld live=%lld\\n", ${JSON.stringify(c)}, rc, (long long)out, (long long)kr_gc.live);`;
      }),
      '  kiln_release_memory();',
      '  return 0;',
      '}',
    ].join('\n');
    const src = path.join(dir, 'driver.c');
    fs.writeFileSync(src, driver);
    const exe = path.join(dir, 'driver');
    const r = await compileC({ toolchain: await hostToolchain(), sources: [src], output: exe, kind: 'exe', triple, optLevel: 'O1', includeDirs: [dir, C_RUNTIME_DIR], extraFlags: ['-g'] });
    expect(r.ok, r.log).toBe(true);
    const ran = valgrind
      ? await execa('valgrind', ['--leak-check=full', '--show-leak-kinds=all', '--errors-for-leak-kinds=all', '--error-exitcode=99', exe], { reject: false, timeout: 300_000 })
      : await execa(exe, [], { reject: false });
    const lines = ran.stdout.split('\n').filter(Boolean);
    expect(lines.length, ran.stderr.slice(-2000)).toBe(calls.length);
    for (const l of lines) expect(l, l).toMatch(/ live=0$/);
    // The ring's cycle needed the collector; the raising calls returned their exception kind.
    expect(lines.filter((l) => / [1-9]\d* -?\d+ live=0$/.test(l)).length).toBeGreaterThanOrEqual(4);
    if (valgrind) {
      expect(ran.exitCode, ran.stderr.slice(-3000)).toBe(0);
      expect(ran.stderr).toMatch(/All heap blocks were freed/);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }, 600_000);
});
