/**
 * Memory of inlined generators (src-compiler/ir/generators.ts): a generator has no object at run time, its locals
 * are the consumer's, so a generator abandoned half-way (a break, a return from the consumer, zip or any() that
 * stop early) or stopped by an exception releases what its body holds (str tokens, lists, a stack) as any local is
 * released; a generator object read with next() (a state machine whose locals are the function's) likewise. The
 * generator corpus under valgrind: no leak, no invalid access, with the error paths run.
 */
import { describe, expect } from 'vitest';
import fs from 'node:fs';
import { corpusDir, skipNote, valgrindCorpus, withValgrind } from './valgrind-corpus.ts';

const FILES = fs.readdirSync(corpusDir).filter((f) => /^generators_.*\.py$/.test(f)).sort();

describe('inlined generators do not leak (valgrind)', () => {
  withValgrind(`the generator corpus (${FILES.length} files) under valgrind${skipNote}`, async () => {
    // The examples first: they hold the early exits and the error paths.
    const { calls, raised } = await valgrindCorpus(FILES, { cases: 10 });
    expect(calls).toBeGreaterThan(150);
    // An exception raised inside a generator's body (strict_fields), by an index inside one (walk_order), and by
    // next() on an exhausted generator object (collatz_third).
    expect([...raised].sort()).toEqual(expect.arrayContaining(['IndexError', 'StopIteration', 'ValueError']));
  }, 1_800_000);
});
