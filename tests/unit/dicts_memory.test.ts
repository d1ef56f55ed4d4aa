/**
 * Memory of compiled dicts and sets: every reference a function owns (the containers, their str keys and values,
 * the loop states that hold a container) is dropped on every path, normal or error (KeyError, RuntimeError when a
 * loop's container changes size), so the dict and collections corpus run under valgrind leaks nothing and makes no
 * invalid access. Dicts holding NumPy arrays (nested, in a list; `**` of one bound at run time) are checked on a small
 * fixture without the GEMM (tests/corpus/numpy_gpt_dicts.py verifies their results against CPython).
 */
import { describe, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { corpusDir, runUnderValgrind, skipNote, valgrindCorpus, withValgrind } from './valgrind-corpus.ts';

const DICT_FILES = fs.readdirSync(corpusDir).filter((f) => /^(dicts|collections)_.*\.py$/.test(f)).sort();

describe('compiled dicts and sets do not leak (valgrind)', () => {
  withValgrind(`the dict corpus (${DICT_FILES.length} files) under valgrind${skipNote}`, async () => {
    // The examples first: they hold the error paths (a missing key, a container changed during its loop).
    const { calls, raised } = await valgrindCorpus(DICT_FILES, { cases: 8 });
    expect(calls).toBeGreaterThan(200);
    expect([...raised].sort()).toEqual(expect.arrayContaining(['KeyError', 'RuntimeError']));
  }, 1_800_000);

  withValgrind(`dicts of NumPy arrays (tests/fixtures/memory/dict_arrays.py) under valgrind${skipNote}`, async () => {
    const { out } = await runUnderValgrind(path.resolve(import.meta.dirname, '../fixtures/memory/dict_arrays.py'), { cases: 8 });
    expect(out[0]).toMatch(/^ok /);
    expect(out.some((l) => l.startsWith('err KeyError'))).toBe(true);
    expect(out.some((l) => l.startsWith('err TypeError'))).toBe(true); // ** of a dict with a key missing or unexpected
  }, 900_000);

  withValgrind(`dicts owning their lists (tests/fixtures/memory/dict_lists.py: popitem, get and pop with a list default, += on a value) under valgrind${skipNote}`, async () => {
    // opt/dictLists.ts frees a list when its entry goes: a popped, defaulted or replaced list must be neither freed twice
    // nor used after its free (the runtime's free lists are off, so valgrind sees a reused block).
    const { out } = await runUnderValgrind(path.resolve(import.meta.dirname, '../fixtures/memory/dict_lists.py'), { cases: 6 });
    expect(out.filter((l) => l.startsWith('ok ')).length).toBeGreaterThan(30);
    expect(out.some((l) => l.startsWith('err KeyError') && l.includes('popitem(): dictionary is empty'))).toBe(true);
  }, 900_000);
});
