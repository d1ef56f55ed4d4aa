/**
 * Memory of tuples that hold objects (a str, a list, a dict) inside lists, dicts, sets and heaps: every list op
 * (append, insert, item assignment, slicing, repetition, concatenation, pop, copy, extend, clear), every read out of
 * a container and every dict or set of such tuples keeps exact counts, so the labelled-graph corpus runs under
 * valgrind with no leak and no invalid access (before the item layouts of kiln_arrays.h, `[(w, len(w)) for w in
 * words]` kept borrowed str pointers and crashed once the words were dropped).
 */
import { describe, expect } from 'vitest';
import { skipNote, valgrindCorpus, withValgrind } from './valgrind-corpus.ts';

describe('tuples holding objects in containers do not leak (valgrind)', () => {
  withValgrind(`tuples_labels.py under valgrind${skipNote}`, async () => {
    const { calls, raised } = await valgrindCorpus(['tuples_labels.py'], { cases: 8 });
    expect(calls).toBeGreaterThan(60);
    // The error paths ran too: an index past the end, a missing (str, str) key.
    expect([...raised].sort()).toEqual(expect.arrayContaining(['IndexError', 'KeyError']));
  }, 900_000);
});
