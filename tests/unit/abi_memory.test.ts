/**
 * Memory of values across the C ABI (lower/c_export.ts, docs/design/abi-values.md): every list[str] parameter's
 * strings made on entry, its final state handed back (new buffers the harness frees with kiln_free), list[str] and
 * str | None results, tuples holding str and list[str], on success and on every error path, including invalid UTF-8
 * in a list[str] item (UnicodeDecodeError on entry: the caller's own items come back as new buffers) and a NULL
 * pointer for None; dicts, sets and deques in the flat layout (lower/c_abi_containers.ts) in and out, invalid UTF-8 in
 * a key, a deque's maxlen out of range.
 * Under valgrind: no leak, no invalid access.
 */
import { describe, expect } from 'vitest';
import { skipNote, valgrindCorpus, withValgrind } from './valgrind-corpus.ts';

describe('values across the C ABI do not leak (valgrind)', () => {
  withValgrind(`tests/corpus/abi_strings.py under valgrind${skipNote}`, async () => {
    const extra = [
      'push_word 3 x61 xff x63 x64', // invalid UTF-8 in an item of an in-out list[str]
      'append_optional 2 x61 x62 -', // None for str | None, the list written back
      'append_optional 1 x61 xc3', // a truncated sequence in the str | None parameter: UnicodeDecodeError after the list was made
      'strip_or_none -',
      'pop_last 0',
    ];
    const { calls, raisedCalls, raised, runs } = await valgrindCorpus(['abi_strings.py'], { cases: 10, extraLines: () => extra });
    const out = runs[0].out.slice(-extra.length);
    expect(out[0]).toBe("err UnicodeDecodeError 0 ; 3 x61 xff x63 | 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    expect(out[1]).toBe('ok 2 x62 x61 ; 2 x61 x62'); // words[::-1], and the list as it was
    expect(out[2]).toBe("err UnicodeDecodeError 0 ; 1 x61 | 'utf-8' codec can't decode byte 0xc3 in position 0: unexpected end of data");
    expect(out[3]).toBe('ok -');
    expect(out[4]).toMatch(/^err IndexError 1 pop_last:\d+ ; 0 \| pop from empty list$/);
    expect(calls).toBeGreaterThan(100);
    expect(raisedCalls).toBeGreaterThan(5);
    for (const k of ['IndexError', 'ValueError', 'UnicodeDecodeError']) expect(raised).toContain(k);
  }, 900_000);

  withValgrind(`tests/corpus/abi_collections.py under valgrind${skipNote}`, async () => {
    const extra = [
      'restock 2 x61 1 xff 2 x62 1', // invalid UTF-8 in a key of an in-out dict: the caller's items come back
      'take 1 x61 5 x7a', // KeyError: 'z'
      'common_ids 2 3 4 0', // a set result in a tuple
      'forget 1 3 3',
      'greet_first 1 x61 1 x62', // a str deque at its maxlen: 'a' falls off the right
      'next_job 2 4 5 -2 0', // maxlen -2: ValueError on entry, the caller's deque comes back as it was
      'add_tag 1 x61 1 xff x62 x63', // invalid UTF-8 in a dict's list of str: the caller's lists come back as they were
      'scale_nested 1 x61 1 xff 0x3ff0000000000000 0x4000000000000000', // ... in an inner dict's key
      'scale_nested 2 x61 1 x78 0x3ff8000000000000 x62 0 0x4000000000000000', // inner dicts kept (origin) and one made
      // Three deep: the first entry made (an inner dict holding one), the second key invalid: what was made is dropped.
      'scale_deep 2 x61 1 x78 1 x70 0x3ff0000000000000 xff 0 0x4000000000000000',
      'push_inner 1 x67 2 x75 1 3 xff 0 7', // invalid UTF-8 in an inner dict of lists' key
      'push_inner 2 x67 1 x75 1 3 x68 0 7', // lists kept two levels down (an origin at each level)
      'add_families 2 1 x61 2 x62 xff x6162', // invalid UTF-8 in a frozenset item: the caller's frozensets come back
      'add_families 1 0 x6261206162', // frozensets in and out
    ];
    const { calls, raisedCalls, raised, runs } = await valgrindCorpus(['abi_collections.py'], { cases: 10, extraLines: () => extra });
    const out = runs[0].out.slice(-extra.length);
    expect(out[0]).toBe("err UnicodeDecodeError 0 ; 2 x61 1 xff 2 | 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    expect(out[1]).toMatch(/^err KeyError 1 take:\d+ ; 1 x61 5 \| 'z'$/);
    expect(out[2]).toBe('ok 0 2 ; 2 3 4 ; 0');
    expect(out[3]).toBe('ok 0 ; 0');
    expect(out[4]).toBe('ok 1 x62 1 ; 1 x62 1');
    expect(out[5]).toBe('err ValueError 0 ; 2 4 5 -2 | maxlen must be non-negative');
    expect(out[6]).toBe("err UnicodeDecodeError 0 ; 1 x61 1 xff | 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    expect(out[7]).toBe("err UnicodeDecodeError 0 ; 1 x61 1 xff 0x3ff0000000000000 | 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    // {'a': {'x': 1.5}, 'b': {}} with k = 2.0: each inner dict gains its 'total', a new one is added; the result doubles them.
    expect(out[8]).toBe('ok 2 x61 2 x78 0x4008000000000000 x746f74616c 0x4008000000000000 x62 1 x746f74616c 0x0000000000000000'
      + ' ; 3 x61 2 x78 0x3ff8000000000000 x746f74616c 0x3ff8000000000000 x62 1 x746f74616c 0x0000000000000000 x6e6577 1 x6b 0x4000000000000000');
    expect(out[9]).toBe("err UnicodeDecodeError 0 ; 2 x61 1 x78 1 x70 0x3ff0000000000000 xff 0 | 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    expect(out[10]).toBe("err UnicodeDecodeError 0 ; 1 x67 2 x75 1 3 xff 0 | 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    expect(out[11]).toBe('ok 2 ; 2 x67 2 x75 2 3 7 x77 1 7 x68 1 x77 1 7');
    expect(out[12]).toBe("err UnicodeDecodeError 0 ; 2 1 x61 2 x62 xff | 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    expect(out[13]).toMatch(/^ok 1 2 x(61 x62|62 x61) 2 ; 2 (0 2 x(61 x62|62 x61)|2 x(61 x62|62 x61) 0)$/);
    expect(calls).toBeGreaterThan(100);
    expect(raisedCalls).toBeGreaterThan(5);
    for (const k of ['KeyError', 'UnicodeDecodeError']) expect(raised).toContain(k);
  }, 900_000);
});
