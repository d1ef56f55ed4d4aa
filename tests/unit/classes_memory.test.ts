/**
 * Memory of compiled class instances (types/classes.ts, lower/c_classes.ts): every reference a function owns
 * (instances in locals, in fields of other instances, in lists, narrowed `Node | None` reads) is dropped on every
 * path, normal or error, so the class corpus under valgrind leaks nothing and makes no invalid access; and reference
 * cycles between instances (a doubly linked ring, a tree with parent links) are freed at the latest when the
 * outermost call returns: a driver that includes the generated C counts the live objects after each call.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { corpusDir, runUnitDriver, skipNote, valgrindCorpus, withValgrind } from './valgrind-corpus.ts';

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
    // Calls with int parameters: a ring (a reference cycle), a scheduler of tasks and packets, trees, stacks, queues,
    // items returned by a method (shelf_items: borrowed, or counted when a finally takes them out), instances given
    // over to consumed parameters (kept_pairs), and the ones that raise. The driver includes the unit, so it reads the
    // collector's own count of live objects.
    const calls = [
      'ring_walk(10)', 'ring_walk(1)', 'richards(6, 25)', 'stack_sum(100)', 'stack_underflow(3)', 'josephus(7, 3)',
      'reversed_digits(30)', 'missing_link(1)', 'lookup_missing(2)', 'abstract_run(1)', 'shelf_items(6)',
      // Pairs given over to consumed parameters (opt/consumedParams.ts), one dropped where keep raises first.
      'kept_pairs(3)', 'kept_pairs(5)',
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
    const ran = await runUnitDriver(unit, driver, 300_000);
    const lines = ran.stdout.split('\n').filter(Boolean);
    expect(lines.length, ran.stderr.slice(-2000)).toBe(calls.length);
    for (const l of lines) expect(l, l).toMatch(/ live=0$/);
    // The ring's cycle needed the collector; the raising calls returned their exception kind.
    expect(lines.filter((l) => / [1-9]\d* -?\d+ live=0$/.test(l)).length).toBeGreaterThanOrEqual(4);
  }, 600_000);
});
