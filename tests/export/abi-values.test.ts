/**
 * Text values across the exported boundary (tests/corpus/abi_strings.py): list[str] parameters (in-out: the caller's
 * list ends as Python leaves it, also when the call raised) and results, tuples holding str and list[str], and
 * str | None parameters and results, through the Python package (its CPython extension for the str | None
 * functions, and ctypes) and the JS module (wasm32, Node). Every case is compared with CPython: the outcome (value or
 * exception type and message) and the arguments after the call. What cannot cross is an explicit error: a lone
 * surrogate in a list[str] item (UnicodeEncodeError, as for a str parameter), an item that is not a str (TypeError).
 * Then dicts, sets and deques (tests/corpus/abi_collections.py): dict, set and collections.deque in the Python package,
 * Map, Set and Array (a deque's maxlen as its property) in the JS module, in-out both ways, KeyError as CPython words it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'tests/corpus/abi_strings.py');
const compare = path.join(root, 'tests/export/pyext-compare.py');
const kiln = (...args: string[]) => execa('node', [path.join(root, 'bin/kiln.mjs'), ...args], { cwd: root, reject: false });

// (function, args): every value is JSON, and a Python literal as JSON writes it (null is None below).
const CASES: [string, unknown[]][] = [
  ['tokenize', ['the quick  brown 😀 fox']], ['tokenize', ['']], ['tokenize', ['\u00a0nbsp\u2003em\u3000ideo\n']],
  ['longer_than', [['pear', 'fig', 'ß😀日本'], 3]], ['longer_than', [[], 0]],
  ['join_sorted', [['b', 'ä', 'a', 'B'], '-']], ['join_sorted', [[], '+']], ['dedupe', [['x', 'y', 'x', '', 'X']]],
  ['push_word', [['a', 'b'], 'c']], ['push_word', [[], '日本']], ['pop_last', [['x', 'y']]], ['pop_last', [[]]],
  ['sort_in_place', [['b', 'C', 'a', 'é', '']]], ['index_of', [['red', 'green'], 'green']], ['index_of', [['red'], 'pink']],
  ['longest_name', [['ann', 'bartholomew', 'cy']]], ['longest_name', [[]]], ['split_pair', ['k=v=w']], ['split_pair', ['novalue']],
  ['fields_and_count', ['a,b;c']], ['fields_and_count', ['']], ['find_prefix', [['alpha', 'beta'], 'be']], ['find_prefix', [['alpha'], 'z']],
  ['greet', [null]], ['greet', ['Ada']], ['greet', ['']], ['strip_or_none', [null]], ['strip_or_none', ['  x ']], ['strip_or_none', ['   ']],
  ['rejoin', ['a b  c', null]], ['rejoin', ['a-b-c', '-']], ['rejoin', ['abc', '']],
  ['append_optional', [['x', 'y'], null]], ['append_optional', [['x'], 'z']],
];
const pyLiteral = (v: unknown): string => (v === null ? 'None' : JSON.stringify(v));
const pyCases = (cs: [string, unknown[]][]) => `[${cs.map(([f, a]) => `(${JSON.stringify(f)}, (${a.map(pyLiteral).join(', ')},), {})`).join(', ')}]`;

describe('list[str], tuples of str and str | None in the exported packages', () => {
  let dir: string;
  let pkg: string;
  let js: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-abi-values-'));
    // The corpus test verifies these functions against CPython; here the packages are the subject.
    const r = await kiln('export', fixture, '--target', 'host,wasm32', '--no-verify', '--out', dir);
    expect(r.exitCode, r.stderr).toBe(0);
    pkg = path.join(dir, 'python/abi_strings');
    js = path.join(dir, 'js/kiln_abi_strings.mjs');
  }, 900_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = async (backend: string, cases: string) => {
    const r = await execa('python3', [compare, fixture, pkg, cases], { env: { ...process.env, KILN_PYTHON_BACKEND: backend } });
    return JSON.parse(r.stdout) as { backend: Record<string, string>; cases: Case[] };
  };

  for (const backend of ['extension', 'ctypes']) {
    it(`the Python package (${backend}) gives CPython's values, exceptions and lists after the call`, async () => {
      const c = await run(backend === 'ctypes' ? 'ctypes' : '', pyCases(CASES));
      // The str | None functions take the extension (when it is used at all); lists go through ctypes.
      expect(c.backend.greet).toBe(backend);
      expect(c.backend.strip_or_none).toBe(backend);
      expect(c.backend.push_word).toBe('ctypes');
      for (const x of c.cases) {
        expect(x.package, `${x.function}${x.args}`).toEqual(x.original);
        expect(x.after[1], `${x.function}${x.args}: the arguments after the call`).toBe(x.after[0]);
      }
      const kinds = c.cases.map((x) => x.package[0]);
      for (const k of ['IndexError', 'ValueError', 'ok']) expect(kinds).toContain(k);
      // In-out: an append made before the result was returned reached the caller's list, and so did the pop of a call.
      expect(c.cases.find((x) => x.function === 'push_word')!.after[1]).toBe("(['a', 'b', 'c', 'C'], 'c')");
    }, 120_000);
  }

  it('says what cannot cross: a lone surrogate in a list[str] item, an item that is not a str, and leaves the list as it was', async () => {
    const c = await run('ctypes', `[("push_word", (["a", "\\ud800"], "c"), {}), ("longer_than", (["a", 1], 0), {}), ("greet", (3,), {})]`);
    expect(c.cases.map((x) => x.package)).toEqual([
      ['UnicodeEncodeError', "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed"],
      ['TypeError', 'words[1] must be str, not int'],
      ['TypeError', 'name must be str, not int'],
    ]);
    expect(c.cases[0].after[1]).toBe("(['a', '\\ud800'], 'c')");
  }, 120_000);

  it('the JS module takes and returns strings, string[] (in-out Arrays) and null for None, as CPython', async () => {
    // CPython's outcomes and arguments after each call, as JSON (ints as {"int": "..."}, tuples as arrays).
    const expected = JSON.parse((await execa('python3', ['-c', `
import copy, importlib.util, json, sys
sys.path.insert(0, "${path.join(root, 'resources/python')}")
spec = importlib.util.spec_from_file_location("o", "${fixture}")
o = importlib.util.module_from_spec(spec); spec.loader.exec_module(o)
def enc(v):
    if isinstance(v, bool) or v is None or isinstance(v, str): return v
    if isinstance(v, int): return {"int": str(v)}
    return [enc(x) for x in v]
out = []
for f, args in json.loads(sys.stdin.read()):
    try:
        out.append(["ok", enc(getattr(o, f)(*args)), enc(args)])
    except Exception as e:
        out.append([type(e).__name__, str(e), enc(args)])
print(json.dumps(out))`], { input: JSON.stringify(CASES) })).stdout);
    const script = `
import * as m from ${JSON.stringify(js)};
const enc = (v) => (typeof v === 'bigint' ? { int: String(v) } : Array.isArray(v) ? v.map(enc) : v === undefined ? null : v);
const out = [];
for (const [f, args] of JSON.parse(process.argv[2])) {
  const a = args.map((x) => (typeof x === 'number' ? BigInt(x) : x));
  try { out.push(['ok', enc(m[f](...a)), enc(a)]); } catch (e) { out.push([e.name, e.message, enc(a)]); }
}
let lone;
const words = ['a', '\\ud800'];
try { m.push_word(words, 'c'); lone = 'no error'; } catch (e) { lone = [e.name, e.message, words]; }
console.log(JSON.stringify({ out, lone }));`;
    const file = path.join(dir, 'check.mjs');
    fs.writeFileSync(file, script);
    const got = JSON.parse((await execa('node', [file, JSON.stringify(CASES)])).stdout);
    CASES.forEach(([f, a], i) => expect(got.out[i], `${f}(${JSON.stringify(a)})`).toEqual(expected[i]));
    expect(got.lone).toEqual(['UnicodeEncodeError', "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed", ['a', '\ud800']]);
  }, 120_000);

  it('documents the C ABI in the header: kiln_list_str, NULL for None, who frees what', () => {
    const header = fs.readFileSync(path.join(dir, 'abi_strings-linux-x64/kiln_abi_strings.h'), 'utf8');
    expect(header).toContain('typedef struct { int64_t len; kiln_str *data; } kiln_list_str;');
    expect(header).toContain('int kiln_push_word(kiln_list_str *stack, const char *word, int64_t word_len, int64_t *out);');
    expect(header).toContain('int kiln_greet(const char *name, int64_t name_len, kiln_str *out);');
    expect(header).toContain('typedef struct { kiln_str f0; int64_t f1; } kiln_abi_tuple_S_int;');
    expect(header).toMatch(/s == NULL for None/);
    expect(header).toMatch(/the caller frees each xs->data\[i\]\.data, then xs->data, with kiln_free/);
  });
});

// (function, args) for tests/corpus/abi_collections.py: {"d": [[k, v], ...]} is a dict, {"s": [...]} a set,
// {"q": [...], "maxlen": n} a deque.
const COLLECTION_CASES: [string, unknown[]][] = [
  ['word_counts', ['the cat and the hat']], ['word_counts', ['']], ['in_stock', [{ d: [['apple', 3], ['pear', 0], ['fig', 2]] }]],
  ['with_tax', [{ d: [['apple', 1.5], ['fig', 0.25], ['z', 2.5]] }, 0.1]], ['restock', [{ d: [['apple', 3]] }, 'kiwi', 2]],
  ['restock', [{ d: [['apple', 3]] }, 'apple', -3]], ['take', [{ d: [['a', 1]] }, 'b']], ['take', [{ d: [['a', 1], ['b', 2]] }, 'b']],
  ['invert_tally', [{ d: [[1, 10], [2, 20], [3, 10]] }]], ['total_value', [{ d: [[3, 1], [1, 2]] }]], ['unique_ids', [[3, 1, 3, -2, 7, 1, 2 ** 40]]],
  ['common_ids', [{ s: [1, 2, 3] }, { s: [2, 3, 4] }]], ['mark_seen', [{ s: [5, 1, 9] }, 4]], ['mark_seen', [{ s: [5, 1, 9] }, 5]],
  ['forget', [{ s: [5, 1] }, 9]], ['forget', [{ s: [5, 1] }, 5]], ['letters', ['hello wörld']], ['sorted_tags', [{ s: ['b', 'a', 'c'] }]],
  ['has_tag', [{ s: ['red', 'blue'] }, 'red']], ['has_tag', [{ s: [] }, 'x']], ['tally_words', ['b a b c']], ['index_sums', [[3, 1, 3]]],
  ['last_readings', [[3, 1, 4, 1, 5], 3]], ['last_readings', [[7], 0]], ['next_job', [{ q: [1, 2, 3], maxlen: 5 }, 1]], ['next_job', [{ q: [] }, 2]],
  ['greet_first', [{ q: ['ann', 'bo'], maxlen: 2 }, 'cy']], ['greet_first', [{ q: [] }, 'dee']], ['drain_total', [{ q: [1.5, -0.25, 2.5] }]],
  // Dicts of lists: an adjacency list in, a dict of lists out, a list value appended to in place (in-out).
  ['bfs_order', [{ d: [[1, [2, 3]], [2, [4]], [3, [4, 1]], [4, []]] }, 1]], ['word_positions', ['to be or not to be']],
  ['reverse_graph', [{ d: [[1, [2, 3]], [2, [4]], [3, [4, 1]], [4, []], [9, [1, 1]]] }]], ['reverse_graph', [{ d: [] }]],
  ['add_reading', [{ d: [['a', [1.5]], ['b', []]] }, 'b', 2.5]], ['add_reading', [{ d: [] }, 'c', -0.5]],
  // Tuple keys: a tuple in Python, an Array in JS.
  ['scaled_transpose', [{ d: [[{ t: [0, 1] }, 2.5], [{ t: [1, 1] }, -1.5]] }, 2.5]],
  // Nested dicts of numbers and dicts of lists of str, in-out and returned.
  ['scale_nested', [{ d: [['a', { d: [['x', 1.5], ['y', 2.25]] }], ['b', { d: [] }]] }, 2.5]], ['scale_nested', [{ d: [] }, 0.5]],
  ['add_tag', [{ d: [['fruit', ['fig']], ['veg', []]] }, 'fruit', 'kiwi']], ['add_tag', [{ d: [] }, 'x', 'é']], ['by_length', [['ox', 'cat', 'dog', 'a']]],
  // A frozenset parameter ({"f": [...]}) and result.
  ['frozen_union', [{ f: [3, 1, 2] }, { s: [2, 5] }]],
  // A record result: a dict in Python, a Map in JS.
  ['word_summary', ['b a b']], ['word_summary', ['']],
  // A record inside a tuple result, holding a record: dicts in Python, Maps in JS.
  ['word_report', ['b a b', 2]], ['word_report', ['', 0]],
  // Dicts three deep and inner dicts of lists, in-out (an origin at every depth).
  ['scale_deep', [{ d: [['a', { d: [['x', { d: [['p', 1.5]] }], ['y', { d: [] }]] }], ['b', { d: [] }]] }, 2.5]],
  ['push_inner', [{ d: [['g', { d: [['u', [1, 2]], ['v', []]] }], ['h', { d: [] }]] }, 5]],
  // Frozensets as set items (in-out) and dict keys (a result): frozensets in Python, Sets in JS.
  ['add_families', [{ s: [{ f: ['a', 'b'] }, { f: [] }] }, 'ba ab c']], ['add_families', [{ s: [] }, '']],
  // Records and tuples inside list results: dicts and tuples in Python, Maps and Arrays in JS.
  ['word_rows', ['b a é']], ['word_rows', ['']],
];
const collPy = (v: unknown): string => {
  if (v && typeof v === 'object' && 'd' in v) return `{${(v as { d: unknown[][] }).d.map(([k, x]) => `${collPy(k)}: ${collPy(x)}`).join(', ')}}`;
  if (v && typeof v === 'object' && 's' in v) return (v as { s: unknown[] }).s.length ? `{${(v as { s: unknown[] }).s.map(collPy).join(', ')}}` : 'set()';
  if (v && typeof v === 'object' && 'f' in v) return `frozenset(${collPy((v as { f: unknown[] }).f)})`;
  if (v && typeof v === 'object' && 'q' in v) return `deque(${collPy((v as { q: unknown[] }).q)}, ${(v as { maxlen?: number }).maxlen ?? 'None'})`;
  if (Array.isArray(v)) return `[${v.map(collPy).join(', ')}]`;
  if (v && typeof v === 'object' && 't' in v) return `(${(v as { t: unknown[] }).t.map(collPy).join(', ')},)`;
  return Object.is(v, -0) ? '-0.0' : typeof v === 'number' && !Number.isInteger(v) ? String(v) : JSON.stringify(v);
};
const FLOAT_ARGS = new Set(['with_tax', 'drain_total', 'add_reading', 'scaled_transpose', 'scale_nested', 'scale_deep']);

type Case = { function: string; args: string; original: [string, string]; package: [string, string]; after: [string, string] };

describe('dicts, sets and deques in the exported packages', () => {
  let dir: string;
  let pkg: string;
  let js: string;
  const collections = path.join(root, 'tests/corpus/abi_collections.py');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-abi-collections-'));
    const r = await kiln('export', collections, '--target', 'host,wasm32', '--no-verify', '--out', dir);
    expect(r.exitCode, r.stderr).toBe(0);
    pkg = path.join(dir, 'python/abi_collections');
    js = path.join(dir, 'js/kiln_abi_collections.mjs');
  }, 900_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the Python package takes and returns dict and set (in-out), with CPython\'s values and exceptions', async () => {
    const cases = `[${COLLECTION_CASES.map(([f, a]) => `(${JSON.stringify(f)}, (${a.map(collPy).join(', ')},), {})`).join(', ')}]`;
    const r = await execa('python3', [compare, collections, pkg, cases]);
    const c = JSON.parse(r.stdout) as { cases: Case[] };
    for (const x of c.cases) {
      expect(x.package, `${x.function}${x.args}`).toEqual(x.original);
      expect(x.after[1], `${x.function}${x.args}: the arguments after the call`).toBe(x.after[0]);
    }
    expect(c.cases.filter((x) => x.package[0] === 'KeyError').map((x) => x.package[1])).toEqual(["'b'", '9']);
    expect(c.cases.find((x) => x.function === 'restock')!.after[1]).toBe("({'apple': 3, 'kiwi': 2}, 'kiwi', 2)");
    // A deque comes back as a collections.deque with its maxlen; a deque argument keeps it.
    expect(c.cases.find((x) => x.function === 'greet_first')!.package).toEqual(['ok', "deque(['cy', 'ann'], maxlen=2)"]);
    expect(c.cases.find((x) => x.function === 'next_job')!.after[1]).toBe('(deque([1, 2], maxlen=5), 1)');
    expect(c.cases.find((x) => x.function === 'add_reading')!.after[1]).toBe("({'a': [1.5], 'b': [2.5]}, 'b', 2.5)");
    expect(c.cases.find((x) => x.function === 'scaled_transpose')!.package).toEqual(['ok', '{(1, 0): 6.25, (1, 1): -3.75}']);
    expect(c.cases.find((x) => x.function === 'reverse_graph')!.package).toEqual(['ok', '{1: [3, 9, 9], 2: [1], 3: [1], 4: [2, 3], 9: []}']);
    expect(c.cases.find((x) => x.function === 'word_positions')!.package).toEqual(['ok', "{'to': [0, 4], 'be': [1, 5], 'or': [2], 'not': [3]}"]);
    expect(c.cases.find((x) => x.function === 'scale_nested')!.after[1]).toBe("({'a': {'x': 1.5, 'y': 2.25, 'total': 3.75}, 'b': {'total': 0.0}, 'new': {'k': 2.5}}, 2.5)");
    expect(c.cases.find((x) => x.function === 'by_length')!.package).toEqual(['ok', "{2: ['ox'], 3: ['cat', 'dog'], 1: ['a']}"]);
    expect(c.cases.find((x) => x.function === 'frozen_union')!.package).toEqual(['ok', '(frozenset({1, 2, 3, 5}), 1)']);
    // The frozenset the function added reached the caller's set.
    expect(c.cases.find((x) => x.function === 'word_rows')!.package).toEqual(['ok', "([{'word': 'b', 'at': 0, 'share': 0.5, 'first': True}, {'word': 'a', 'at': 1, 'share': 0.5, 'first': False}, {'word': 'é', 'at': 2, 'share': 0.5, 'first': False}], [(0, 'bb'), (1, 'aa'), (2, 'éé')])"]);
    expect(c.cases.find((x) => x.function === 'add_families')!.after[1]).toBe("({frozenset(), frozenset({'a', 'b'}), frozenset({'c'})}, 'ba ab c')");
    expect(c.cases.find((x) => x.function === 'word_summary')!.package).toEqual(['ok', "{'count': 3, 'sorted': ['a', 'b', 'b'], 'first': 'b', 'share': 0.6666666666666666}"]);
    expect(c.cases.find((x) => x.function === 'word_report')!.package).toEqual(['ok', "({'top': ['a', 'b'], 'first': 'b', 'stats': {'n': 3, 'letters': True, 'mean': 1.0}}, 3)"]);
    // A list or dict the function kept in a dict parameter is the caller's own object afterwards, as in Python: one
    // taken out before the call sees the function's appends and stores.
    const alias = `
import importlib, importlib.util, sys
sys.path[:0] = [sys.argv[1], sys.argv[3]]
spec = importlib.util.spec_from_file_location("o", sys.argv[2])
o = importlib.util.module_from_spec(spec)
spec.loader.exec_module(o)
for m in (importlib.import_module("abi_collections"), o):
    r = {"a": [1.5], "b": []}; ra = r["a"]; m.add_reading(r, "a", 2.0)
    t = {"x": ["p"]}; tx = t["x"]; m.add_tag(t, "x", "q")
    n = {"u": {"v": 0.5}}; nu = n["u"]; m.scale_nested(n, 2.0)
    g = {"g": {"u": [1]}}; gg = g["g"]; gu = gg["u"]; m.push_inner(g, 7)
    e = {"a": {"x": {"p": 1.5}}}; ea = e["a"]; ex = ea["x"]; m.scale_deep(e, 2.0)
    print(ra is r["a"], ra, tx is t["x"], tx, nu is n["u"], nu, gg is g["g"], gu is g["g"]["u"], gu, ea is e["a"], ex is e["a"]["x"], ex)`;
    const lines = (await execa('python3', ['-c', alias, path.dirname(pkg), collections, path.join(root, 'resources/python')])).stdout.split('\n');
    expect(lines[0]).toBe("True [1.5, 2.0] True ['p', 'q'] True {'v': 0.5, 'total': 0.5} True True [1, 7] True True {'p': 3.0}");
    expect(lines[1]).toBe(lines[0]);
  }, 120_000);

  it('the JS module takes and returns Map and Set (in-out), as CPython', async () => {
    const expected = JSON.parse((await execa('python3', ['-c', `
import importlib.util, json, sys
from collections import deque
sys.path.insert(0, "${path.join(root, 'resources/python')}")
spec = importlib.util.spec_from_file_location("o", "${collections}")
o = importlib.util.module_from_spec(spec); spec.loader.exec_module(o)
def arg(v):
    if isinstance(v, dict) and "d" in v: return {arg(k): arg(x) for k, x in v["d"]}
    if isinstance(v, dict) and "s" in v: return {arg(x) for x in v["s"]}
    if isinstance(v, dict) and "f" in v: return frozenset(arg(x) for x in v["f"])
    if isinstance(v, dict) and "q" in v: return deque([arg(x) for x in v["q"]], v.get("maxlen"))
    if isinstance(v, dict) and "t" in v: return tuple(arg(x) for x in v["t"])
    return [arg(x) for x in v] if isinstance(v, list) else v
def enc(v):
    if isinstance(v, bool) or v is None or isinstance(v, str): return v
    if isinstance(v, int): return {"int": str(v)}
    if isinstance(v, float): return {"float": repr(v)}
    if isinstance(v, dict): return {"map": [[enc(k), enc(x)] for k, x in v.items()]}
    if isinstance(v, (set, frozenset)): return {"set": sorted((enc(x) for x in v), key=lambda x: json.dumps(x, ensure_ascii=False))}
    if isinstance(v, deque) and v.maxlen is not None: return {"deque": [enc(x) for x in v], "maxlen": v.maxlen}
    return [enc(x) for x in v]
out = []
for f, args in json.loads(sys.stdin.read()):
    a = [arg(x) for x in args]
    try: out.append(["ok", enc(getattr(o, f)(*a)), enc(a)])
    except Exception as e: out.append([type(e).__name__, str(e), enc(a)])
print(json.dumps(out))`], { input: JSON.stringify(COLLECTION_CASES) })).stdout);
    const script = `
import * as m from ${JSON.stringify(js)};
const floats = new Set(${JSON.stringify([...FLOAT_ARGS])});
const arg = (v, f) => (v && typeof v === 'object' && 'd' in v ? new Map(v.d.map(([k, x]) => [arg(k, f), arg(x, f)]))
  : v && typeof v === 'object' && 't' in v ? v.t.map((x) => BigInt(x))
  : v && typeof v === 'object' && ('s' in v || 'f' in v) ? new Set((v.s ?? v.f).map((x) => arg(x, f))) : v && typeof v === 'object' && 'q' in v ? Object.assign(v.q.map((x) => arg(x, f)), { maxlen: v.maxlen })
  : Array.isArray(v) ? v.map((x) => arg(x, f))
  : typeof v === 'number' && !floats.has(f) ? BigInt(v) : v);
const enc = (v) => (typeof v === 'bigint' ? { int: String(v) } : typeof v === 'number' ? { float: Object.is(v, -0) ? '-0.0' : Number.isInteger(v) ? v.toFixed(1) : String(v) }
  : v instanceof Map ? { map: [...v].map(([k, x]) => [enc(k), enc(x)]) } : v instanceof Set ? { set: [...v].map(enc).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) }
  : Array.isArray(v) && v.maxlen != null ? { deque: v.map(enc), maxlen: v.maxlen } : Array.isArray(v) ? v.map(enc) : v);
const out = [];
for (const [f, args] of JSON.parse(process.argv[2])) {
  const a = args.map((x) => arg(x, f));
  try { out.push(['ok', enc(m[f](...a)), enc(a)]); } catch (e) { out.push([e.name, e.message, enc(a)]); }
}
console.log(JSON.stringify(out));`;
    const file = path.join(dir, 'check.mjs');
    fs.writeFileSync(file, script);
    const got = JSON.parse((await execa('node', [file, JSON.stringify(COLLECTION_CASES)])).stdout);
    COLLECTION_CASES.forEach(([f, a], i) => expect(got[i], `${f}(${JSON.stringify(a)})`).toEqual(expected[i]));
    // A plain object is a dict[str, V] too (updated in place), also as the last argument when a key names no parameter.
    const plain = path.join(dir, 'plain.mjs');
    fs.writeFileSync(plain, `import * as m from ${JSON.stringify(js)};
const stock = { apple: 3n };
const n = m.restock(stock, 'kiwi', 2n);
const r = { a: [1.5], b: [] }, ra = r.a; m.add_reading(r, 'a', 2.0);
const t = new Map([['x', ['p']]]), tx = t.get('x'); m.add_tag(t, 'x', 'q');
const nu = new Map([['v', 0.5]]), nd = new Map([['u', nu]]); m.scale_nested(nd, 2.0);
const gu = [1n], gg = new Map([['u', gu]]), g = { g: gg }; m.push_inner(g, 7n);
const ex = { p: 1.5 }, ea = new Map([['x', ex]]), e = new Map([['a', ea]]); m.scale_deep(e, 2.0);
console.log(JSON.stringify([String(n), Object.entries(stock).map(([k, v]) => [k, String(v)]), m.in_stock({ apple: 3n, pear: 0n }), m.in_stock({ stock: new Map([['fig', 1n]]) }),
  ra === r.a, ra, tx === t.get('x'), tx, nu === nd.get('u'), [...nu], gg === g.g, gu === g.g.get('u'), gu.map(String), ea === e.get('a'), ex === e.get('a').get('x'), ex]));`);
    // The caller's own Arrays and Maps kept in a dict parameter are updated in place (Python's aliasing).
    expect(JSON.parse((await execa('node', [plain])).stdout)).toEqual(['2', [['apple', '3'], ['kiwi', '2']], ['apple'], ['fig'],
      true, [1.5, 2], true, ['p', 'q'], true, [['v', 0.5], ['total', 0.5]], true, true, ['1', '7'], true, true, { p: 3 }]);
  }, 120_000);

  it('documents the flat layout in the header', () => {
    const header = fs.readFileSync(path.join(dir, 'abi_collections-linux-x64/kiln_abi_collections.h'), 'utf8');
    expect(header).toContain('typedef struct { int64_t len; kiln_str *keys; int64_t *values; void *index; } kiln_dict_str_int;');
    expect(header).toContain('typedef struct { int64_t len; int64_t *items; void *index; } kiln_set_int;');
    expect(header).toContain('typedef struct { int64_t len; kiln_set_str *items; void *index; } kiln_set_frozenset_str;');
    expect(header).toMatch(/typedef struct \{ int64_t len; kiln_abi_tuple_\w+ \*data; \} kiln_list_abi_tuple_\w+;/);
    expect(header).toContain('int kiln_restock(kiln_dict_str_int *stock, const char *item, int64_t item_len, int64_t n, int64_t *out);');
    expect(header).toContain('int kiln_common_ids(kiln_set_int *a, kiln_set_int *b, kiln_abi_tuple_ZintE_int *out);');
    expect(header).toContain('typedef struct { int64_t len; kiln_str *items; int64_t maxlen; } kiln_deque_str;');
    expect(header).toContain('int kiln_greet_first(kiln_deque_str *names, const char *name, int64_t name_len, kiln_deque_str *out);');
    expect(header).toContain('typedef struct { int64_t len; int64_t *keys; kiln_list_int *values; int64_t *origin; void *index; } kiln_dict_int_list_int;');
    expect(header).toContain('typedef struct { int64_t len; kiln_str *keys; kiln_dict_str_float *values; int64_t *origin; void *index; } kiln_dict_str_dict_str_float;');
    expect(header).toContain('typedef struct { int64_t len; kiln_str *keys; kiln_dict_str_list_int *values; int64_t *origin; void *index; } kiln_dict_str_dict_str_list_int;');
    expect(header).toContain('int kiln_add_tag(kiln_dict_str_list_str *tags, const char *group, int64_t group_len, const char *word, int64_t word_len, int64_t *out);');
    expect(header).toContain('int kiln_word_positions(const char *text, int64_t text_len, kiln_dict_str_list_int *out);');
    // Dicts of lists and of dicts have accessors too: a list value by its items, an inner dict by a pointer to it.
    expect(header).toContain('int kiln_dict_int_list_int_set(kiln_dict_int_list_int *d, int64_t key, const int64_t *value, int64_t value_len);');
    expect(header).toContain('int kiln_dict_str_dict_str_float_get(kiln_dict_str_dict_str_float *d, const char *key, int64_t key_len, kiln_dict_str_float **value);');
    expect(header).toContain('int kiln_dict_str_list_str_set(kiln_dict_str_list_str *d, const char *key, int64_t key_len, const kiln_str *value, int64_t value_len);');
  });
});
