/**
 * Memory of try/except/finally (lower/c_exceptions.ts): an error that jumps from a try body to an except clause leaves
 * the body's values in the function's slots, released by their next definition or the function's exit; a finally
 * clause that keeps an exception in flight frees its copy of the message. The exception corpus run under valgrind
 * leaks nothing and makes no invalid access, through every handler its examples reach.
 */
import { describe, expect } from 'vitest';
import fs from 'node:fs';
import { corpusDir, skipNote, valgrindCorpus, withValgrind } from './valgrind-corpus.ts';

const FILES = fs.readdirSync(corpusDir).filter((f) => /^(exceptions_|match_).*\.py$/.test(f)).sort();

describe('try/except/finally do not leak (valgrind)', () => {
  withValgrind(`the exception corpus (${FILES.join(', ')}) under valgrind${skipNote}`, async () => {
    const { calls, raised } = await valgrindCorpus(FILES, { cases: 5 });
    expect(calls).toBeGreaterThan(100);
    expect(raised.size).toBeGreaterThan(0); // the raising paths ran too
  }, 1_800_000);
});
