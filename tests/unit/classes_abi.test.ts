/**
 * Class instances across the C ABI (lower/c_abi_instances.ts): a C program that uses only the generated header makes,
 * passes, reads, changes and frees handles, and prints what it sees; a Python script doing the same with the original
 * module prints what CPython sees. The two must match, nothing may stay alive, and (with valgrind) nothing leaks.
 * The same driver builds a dict[str, int] and a set[int] parameter through their structs' accessor API
 * (abi.ts containerApi), reads the results and the parameters after the call in order, looks up a missing key, and
 * frees everything.
 */
import { afterAll, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { functionAbi } from '../../src-compiler/lower/abi.ts';
import { buildClassCalls, verifyModule } from '../../src-compiler/run/verify.ts';
import { instanceArguments, specialisedCall } from '../../src-compiler/run/call.ts';
import { pyRepr, sameValue, type PyValue } from '../../src-compiler/run/values.ts';
import { exportModule } from '../../src-compiler/export/export.ts';
import { runUnitDriver } from './valgrind-corpus.ts';

const FILE = path.resolve(import.meta.dirname, '../fixtures/classes/handles.py');

// The same steps in C (over the header's API) and in Python (over the original module), printing the same lines.
const C_DRIVER = String.raw`
#include <stdio.h>
static void pu(const char *what, kiln_union_int_float u) {
  if (u.tag == KILN_TAG_INT) printf("%s i:%lld\n", what, (long long)u.v.i); else printf("%s f:%.17g\n", what, u.v.f);
}
int main(void) {
  kiln_Vec *v = NULL, *pos = NULL; kiln_Node *head = NULL, *next = NULL, *solo = NULL; kiln_Point *p = NULL, *q = NULL;
  kiln_union_int_float u; int64_t n; kiln_str s;
  kiln_make_vec(3.0, 4.0, &v);
  kiln_norm2(v, &u); pu("norm2", u);
  kiln_scale(v, 2.0);
  kiln_Vec_get_x(v, &u); pu("x", u);
  kiln_union_int_float one = { KILN_TAG_INT, { .i = 1 } };
  kiln_Vec_set_x(v, one);
  kiln_norm2(v, &u); pu("norm2", u);
  kiln_chain(4, &head);
  kiln_total(head, &n); printf("total %lld\n", (long long)n);
  kiln_Node_get_label(head, &s); printf("label %s\n", s.data); kiln_free(s.data);
  kiln_Node_get_next(head, &next); kiln_Node_get_value(next, &n); printf("next %lld\n", (long long)n);
  kiln_Node_get_pos(next, &pos); kiln_Vec_get_y(pos, &u); pu("pos.y", u); kiln_Vec_free(pos); pos = NULL;
  kiln_total(NULL, &n); printf("total %lld\n", (long long)n);
  kiln_Node_new(10, "solo", -1, next, v, &solo);
  kiln_total(solo, &n); printf("total %lld\n", (long long)n);
  kiln_union_int_float half = { KILN_TAG_FLOAT, { .f = 0.5 } };
  kiln_Vec_set_y(v, half);
  kiln_Node_get_pos(solo, &pos); kiln_norm2(pos, &u); pu("solo.pos", u); kiln_Vec_free(pos);
  kiln_Node_set_next(solo, NULL);
  kiln_total(solo, &n); printf("total %lld\n", (long long)n);
  kiln_make_point(1, 2, &p); kiln_origin(p, &q);
  kiln_Point_get_x(q, &n); printf("origin.x %lld\n", (long long)n); kiln_Point_get_y(q, &n); printf("origin.y %lld\n", (long long)n);
  kiln_Point_free(p); kiln_Point_free(q);
  kiln_Point_new(5, 6, &p); kiln_origin(p, &q);
  kiln_Point_get_x(q, &n); printf("origin.x %lld\n", (long long)n);
  kiln_Point_free(p); kiln_Point_free(q);
  kiln_Node_free(next); kiln_Node_free(head); kiln_Node_free(solo); kiln_Vec_free(v);
  /* dict[str, int] and set[int] through their structs' accessor API: built, passed (in-out), read, freed. */
  kiln_dict_str_int d = {0}, darg, dres = {0};
  kiln_dict_str_int_set(&d, "pear", -1, 3); kiln_dict_str_int_set(&d, "apple", -1, 1); kiln_dict_str_int_set(&d, "figs", 3, 2);
  kiln_dict_str_int_set(&d, "gone", -1, 9); kiln_dict_str_int_set(&d, "pear", -1, 5); /* pear keeps its place */
  darg = d;
  int drc = kiln_tally(&darg, "apple", -1, &dres);
  kiln_str dk; int64_t dv, ip = 0;
  printf("tally %d %lld:", drc, (long long)kiln_dict_str_int_len(&dres));
  while (kiln_dict_str_int_iter_next(&dres, &ip, &dk, &dv)) printf(" %s=%lld", dk.data, (long long)dv);
  printf("\ncounts"); ip = 0;
  while (kiln_dict_str_int_iter_next(&darg, &ip, &dk, NULL)) { kiln_dict_str_int_get(&darg, dk.data, dk.len, &dv); printf(" %s=%lld", dk.data, (long long)dv); }
  dv = -1;
  printf("\nget %d %d %lld", kiln_dict_str_int_get(&dres, "kiwi", -1, &dv), kiln_dict_str_int_get(&dres, "pear!", -1, &dv), (long long)dv);
  printf(" in %d %d\n", kiln_dict_str_int_contains(&darg, "gone", -1), kiln_dict_str_int_contains(&d, "gone", -1));
  kiln_dict_str_int_free(&d); kiln_dict_str_int_free(&darg); kiln_dict_str_int_free(&dres);
  kiln_set_int ns = {0}, sarg, sres = {0}; int64_t sx;
  const int64_t adds[] = { 7, 3, 12, 3, 1001, -5, 40, 9 };
  for (int i = 0; i < 8; i++) kiln_set_int_add(&ns, adds[i]);
  sarg = ns;
  int src = kiln_spread(&sarg, 12, &sres);
  printf("spread %d %lld:", src, (long long)kiln_set_int_len(&sres)); ip = 0;
  while (kiln_set_int_iter_next(&sres, &ip, &sx)) printf(" %lld", (long long)sx);
  printf("\nxs"); ip = 0;
  while (kiln_set_int_iter_next(&sarg, &ip, &sx)) printf(" %lld", (long long)sx);
  printf("\nin %d %d %d\n", kiln_set_int_contains(&sres, 21), kiln_set_int_contains(&sres, 22), kiln_set_int_contains(&sarg, 12000));
  kiln_set_int_free(&ns); kiln_set_int_free(&sarg); kiln_set_int_free(&sres);
  /* Many keys: hashed lookups while the arrays and the index grow; a repeated key keeps its place and takes the value. */
  kiln_dict_str_int big = {0}; char kb[16]; int64_t hits = 0, sum = 0;
  for (int i = 0; i < 3000; i++) { snprintf(kb, sizeof kb, "w%d", i % 2000); kiln_dict_str_int_set(&big, kb, -1, i); }
  for (int i = 0; i < 2500; i++) { snprintf(kb, sizeof kb, "w%d", i); if (kiln_dict_str_int_get(&big, kb, -1, &dv)) { hits++; sum += dv; } }
  ip = 0; kiln_dict_str_int_iter_next(&big, &ip, &dk, &dv);
  printf("big %lld %lld %lld %s=%lld\n", (long long)kiln_dict_str_int_len(&big), (long long)hits, (long long)sum, dk.data, (long long)dv);
  kiln_dict_str_int_free(&big);
  kiln_set_int bs = {0};
  for (int64_t i = 0; i < 5000; i++) kiln_set_int_add(&bs, (i * 7919) % 4001 - 2000);
  hits = 0; for (int64_t i = -2500; i < 2500; i++) hits += kiln_set_int_contains(&bs, i);
  printf("bigset %lld %lld\n", (long long)kiln_set_int_len(&bs), (long long)hits);
  kiln_set_int_free(&bs);
  /* A NULL handle where None is not allowed: TypeError, as a C caller's mistake. */
  int rc = kiln_norm2(NULL, &u);
  fprintf(stderr, "null %d %s: %s\n", rc, kiln_error_type(), kiln_error_message());
  kiln_release_memory();
  fprintf(stderr, "live %lld\n", (long long)kr_gc.live);
  return 0;
}
`;

const PY_DRIVER = String.raw`
import sys
sys.path.insert(0, sys.argv[1])
from handles import *
def pu(what, u):
    print(what, "i:%d" % u if isinstance(u, int) else "f:%.17g" % u)
v = make_vec(3.0, 4.0)
pu("norm2", norm2(v))
scale(v, 2.0)
pu("x", v.x)
v.x = 1
pu("norm2", norm2(v))
head = chain(4)
print("total", total(head))
print("label", head.label)
nxt = head.next
print("next", nxt.value)
pu("pos.y", nxt.pos.y)
print("total", total(None))
solo = Node(10, "solo")
solo.next, solo.pos = nxt, v
print("total", total(solo))
v.y = 0.5
pu("solo.pos", norm2(solo.pos))
solo.next = None
print("total", total(solo))
q = origin(make_point(1, 2))
print("origin.x", q.x)
print("origin.y", q.y)
print("origin.x", origin(Point(5, 6)).x)
d = {}
d["pear"] = 3; d["apple"] = 1; d["fig"] = 2; d["gone"] = 9; d["pear"] = 5
res = tally(d, "apple")
print("tally 0 %d:" % len(res), *["%s=%d" % kv for kv in res.items()])
print("counts", *["%s=%d" % kv for kv in d.items()])
print("get", int("kiwi" in res), int("pear!" in res), res.get("pear!", -1), "in", int("gone" in d), 1)
s = set()
for x in (7, 3, 12, 3, 1001, -5, 40, 9): s.add(x)
res = spread(s, 12)
print("spread 0 %d:" % len(res), *res)
print("xs", *s)
print("in", int(21 in res), int(22 in res), int(12000 in s))
big = {}
for i in range(3000): big["w%d" % (i % 2000)] = i
hits = sm = 0
for i in range(2500):
    if "w%d" % i in big: hits += 1; sm += big["w%d" % i]
k0 = next(iter(big))
print("big", len(big), hits, sm, "%s=%d" % (k0, big[k0]))
bs = set()
for i in range(5000): bs.add((i * 7919) % 4001 - 2000)
print("bigset", len(bs), sum(1 for i in range(-2500, 2500) if i in bs))
`;

it('instances cross the C ABI as handles: made, passed, read, changed and freed as CPython sees them', async () => {
  const compiled = await compileModule(FILE);
  expect(compiled.functions.filter((f) => f.error).map((f) => f.error)).toEqual([]);
  const unit = compiled.unit!;
  // The studio's panel shows the handle API of the classes a function takes or returns.
  const abi = functionAbi(unit.exports.find((e) => e.name === 'chain')!);
  expect(abi.out?.kind).toBe('handle');
  expect(abi.handles.map((h) => h.handle)).toEqual(['kiln_Node', 'kiln_Vec']);
  expect(abi.release).toMatch(/kiln_Node_free\(\*out\)/);
  // The methods compiled code calls are exported too, and the panel lists them with the class's API.
  expect(functionAbi(unit.exports.find((e) => e.name === 'norm2')!).handles[0].functions.map((f) => f.prototype)).toContain('int kiln_Vec__dot(kiln_Vec *self, kiln_Vec *o, kiln_union_int_float *out)');
  expect(unit.header).toMatch(/int kiln_Node_new\(int64_t value, const char \*label, int64_t label_len, kiln_Node \*next, kiln_Vec \*pos, kiln_Node \*\*out\);/);
  // A method compiled code calls with an int and with a float: both exported, one symbol each.
  expect(unit.header).toMatch(/int kiln_Box__times__i\(kiln_Box \*self, int64_t k_py, int64_t \*out\);\n.*\nint kiln_Box__times__f\(kiln_Box \*self, double k_py, double \*out\);/);
  // A frozen dataclass has no setters.
  expect(unit.header).not.toMatch(/kiln_Point_set_/);
  // dict and set parameters and results: the header declares each struct's accessor API with its contract, the panel lists it.
  expect(unit.header).toMatch(/\/\* d\[key\] \(UTF-8 .*missing \(\*value untouched\) \*\/\nint kiln_dict_str_int_get\(kiln_dict_str_int \*d, const char \*key, int64_t key_len, int64_t \*value\);/);
  expect(unit.header).toContain('int kiln_set_int_add(kiln_set_int *s, int64_t item);');
  const tallyAbi = functionAbi(unit.exports.find((e) => e.name === 'tally')!);
  expect(tallyAbi.containers.map((c) => [c.struct, c.functions.map((f) => f.name).join(' ')])).toEqual([['kiln_dict_str_int', 'len get contains iter_next set free']]);
  const ran = await runUnitDriver(unit, `#include "${unit.sourceName}"\n${C_DRIVER}`, 120_000);
  const py = await execa(process.env.KILN_PYTHON ?? 'python3', ['-c', PY_DRIVER, path.dirname(FILE)], { reject: false, env: { PYTHONPATH: path.resolve(import.meta.dirname, '../../resources/python') } });
  expect(py.exitCode, py.stderr).toBe(0);
  expect(ran.stdout).toBe(py.stdout);
  expect(ran.stderr).toMatch(/null 6 TypeError: argument 'v' must be a Vec, not None/);
  expect(ran.stderr).toMatch(/live 0\n/);
  // kiln verify makes instances from generated fields and reads results (and instance arguments after the call)
  // field by field, against CPython.
  const report = await verifyModule(FILE, { compiled, maxCases: 6 });
  expect(report.functions.filter((f) => f.unverified).map((f) => `${f.name}: ${f.unverified}`)).toEqual([]);
  for (const f of report.functions) {
    expect(f.ok && f.counts.match > 0, `${f.name}: ${JSON.stringify(f.cases.filter((c) => c.status !== 'match'))}`).toBe(true);
  }
  expect(report.functions.map((f) => f.name).sort()).toEqual(['area', 'chain', 'make_point', 'make_vec', 'norm2', 'origin', 'scale', 'spread', 'tally', 'total']);
  // Instances in examples= are built by CPython (Vec(1, y=0.5): __init__ runs, the int stays an int) and run as given.
  const examples = (name: string) => report.functions.find((f) => f.name === name)!.cases.filter((c) => c.example).map((c) => [c.args.join(', '), c.status, c.python]);
  expect(report.functions.flatMap((f) => f.exampleProblems ?? [])).toEqual([]);
  expect(examples('norm2')).toEqual([['Vec(x=3.0, y=4.0)', 'match', '25.0'], ['Vec(x=1, y=0.5)', 'match', '1.25']]);
  expect(examples('total')).toEqual([["Node(value=5, label='five', next=None, pos=Vec(x=0.0, y=0.0))", 'match', '5'], ['None', 'match', '0']]);
  // `kiln run file.py::total 'Node(5, label="five")'`: the argument is built by CPython as an example's instance is.
  const total = unit.exports.find((e) => e.name === 'total')!;
  const given = ['Node(5, label="five")'];
  const instances = instanceArguments(FILE, total, given, new Set(['Vec', 'Node', 'Box', 'Point']));
  await buildClassCalls(compiled, compiled.module!, total.module ?? '', [...instances.values()], {});
  expect(specialisedCall(FILE, total, given, instances).values.map(pyRepr)).toEqual(["Node(value=5, label='five', next=None, pos=Vec(x=0.0, y=0.0))"]);
  const vec = instanceArguments(FILE, total, ['Vec(1.0, 2.0)'], new Set(['Vec']));
  await buildClassCalls(compiled, compiled.module!, total.module ?? '', [...vec.values()], {});
  expect(() => specialisedCall(FILE, total, ['Vec(1.0, 2.0)'], vec)).toThrow(/expected Node \| None, got Vec\(x=1\.0, y=2\.0\)/);
}, 300_000);

// The same calls through the exported Python package and through the original module print the same lines.
const PACKAGE_DRIVER = String.raw`
import importlib.util, sys
sys.path.insert(0, sys.argv[1])
import handles as m
spec = importlib.util.spec_from_file_location("original", sys.argv[2])
orig = importlib.util.module_from_spec(spec)
spec.loader.exec_module(orig)
v = m.make_vec(3.0, 4.0)
print(m.norm2(v))
m.scale(v, 2.0)
print(v.x, v.y)
v.x = 1
print(m.norm2(v), m.norm2(orig.Vec(0.5, 2)))
head = m.chain(4)
print(m.total(head), head.label, head.next.value, head.next.pos.y, type(head).__name__, m.total(None), m.total(head.next.next))
q = m.origin(m.make_point(1, 2))
print(q, q.x, q.y, m.origin(orig.Point(5, 6)))
# Methods of the package's classes run the compiled methods (self in-out, as any instance argument).
w = m.make_vec(1.0, 0.5)
w.scaled(3)
print(w.x, w.y, v.dot(w), m.Vec.dot(w, w))
# A class compiled code never makes (field types from __init__'s annotations); a method with two specialisations.
b = orig.Box(2.0, 3.0, True)
print(m.area(b), m.Box.times(b, 2), m.Box.times(b, 0.5), b.free)
try:
    q.x = 5
except Exception as e:
    print(type(e).__name__, e)
try:
    m.norm2(None)  # CPython: AttributeError (None.dot); the package: TypeError, as for any argument of another type
except (TypeError, AttributeError):
    print("refused")
`;

// One export (the Python package and the JS module) for the tests below.
let exported: Promise<string> | undefined;
const exportOnce = () => (exported ??= (async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-handles-pkg-'));
  await exportModule(FILE, { targets: ['linux-x64', 'wasm32'], out: dir, noVerify: true });
  return dir;
})());
afterAll(async () => { if (exported) fs.rmSync(await exported, { recursive: true, force: true }); });

it('the exported Python package returns instances as copies of a class of the package, and takes them back', async () => {
  const dir = await exportOnce();
  const python = process.env.KILN_PYTHON ?? 'python3';
  const env = { PYTHONPATH: path.resolve(import.meta.dirname, '../../resources/python') };
  const native = await execa(python, ['-c', PACKAGE_DRIVER, path.join(dir, 'python'), FILE], { reject: false, env });
  const original = await execa(python, ['-c', PACKAGE_DRIVER, path.dirname(FILE), FILE], { reject: false, env });
  expect(original.exitCode, original.stderr).toBe(0);
  expect(native.stderr).toBe('');
  expect(native.stdout).toBe(original.stdout);
  // A returned dataclass compares equal to one the original module builds (both ways), and hashes as it.
  const eq = await execa(python, ['-c', `${PACKAGE_DRIVER}
print(q == orig.Point(0, 3), orig.Point(0, 3) == q, hash(q) == hash(orig.Point(0, 3)), q != orig.Point(1, 3))`, path.join(dir, 'python'), FILE], { reject: false, env });
  expect(eq.stdout.trim().split('\n').pop()).toBe('True True True True');
}, 300_000);

// The JS module: a class per compiled class, its objects handles to the library's instances. The same steps through
// the original module in CPython print the same lines (numbers as Python prints them: a bigint is an int, a number
// a float). Then memory: 20000 chains dropped with $free() and 20000 left to the FinalizationRegistry leave the
// module's memory bounded.
const JS_DRIVER = String.raw`
let memory;
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async (...a) => { const r = await instantiate(...a); memory = (r.instance ?? r).exports.memory; return r; };
const m = await import(process.argv[1]);
const py = (v) => typeof v === 'number' ? (Number.isInteger(v) ? v.toFixed(1) : String(v)) : typeof v === 'boolean' ? (v ? 'True' : 'False') : v === null ? 'None' : String(v);
const p = (...xs) => console.log(xs.map(py).join(' '));
const v = m.make_vec(3.0, 4.0);
p(m.norm2(v));
m.scale(v, 2.0);
p(v.x, v.y);
v.x = 1n;
p(m.norm2(v), m.norm2(new m.Vec(0.5, 2n)));
const head = m.chain(4);
p(m.total(head), head.label, head.next.value, head.next.pos.y, head.constructor.name, m.total(null), m.total(head.next.next), head.next.next.next.next);
p(head.next === head.next, head.next.pos === head.next.next.pos);
const solo = new m.Node(10n, 'solo', head.next, v);
p(m.total(solo), solo.pos === v);
m.scale(solo.pos, 0.5);
p(v.x, v.y);
const w = m.make_vec(1.0, 0.5);
w.scaled(3.0);
p(w.x, w.y, v.dot(w), m.Vec.prototype.dot.call(w, w));
const b = new m.Box(2.0, 3.0, true);
p(m.area(b), b.times(2n), b.times(0.5), b.free, typeof b.$free, b[Symbol.dispose] === b.$free);
b.$free();
solo.label = 'só ✓';
solo.next = null;
p(m.total(solo), solo.label, solo.next);
const q = m.origin(m.make_point(1n, 2n));
p(q.x, q.y, m.origin(new m.Point(5n, 6n)).x);
try { q.x = 5n; } catch (e) { p(e.name, e.message); }
for (const bad of [() => m.norm2(null), () => m.total(v), () => new m.Vec(1.0)]) try { bad(); } catch (e) { console.error(e.name + ': ' + e.message); }
v.$free();
try { v.x; } catch (e) { console.error(e.message); }
let before;
for (let i = 0; i < 40000; i++) {
  const h = m.chain(4);
  if (i < 20000) { m.total(h); h.$free(); } else if (i % 500 === 499) { gc(); await new Promise((r) => setTimeout(r, 0)); }
  if (i === 999) before = memory.buffer.byteLength;
}
console.error('grew ' + (memory.buffer.byteLength - before));
`;

const JS_MIRROR = String.raw`
import sys
sys.path.insert(0, sys.argv[1])
import handles as m
def p(*xs): print(*xs)
v = m.make_vec(3.0, 4.0)
p(m.norm2(v))
m.scale(v, 2.0)
p(v.x, v.y)
v.x = 1
p(m.norm2(v), m.norm2(m.Vec(0.5, 2)))
head = m.chain(4)
p(m.total(head), head.label, head.next.value, head.next.pos.y, type(head).__name__, m.total(None), m.total(head.next.next), head.next.next.next.next)
p(head.next is head.next, head.next.pos is head.next.next.pos)
solo = m.Node(10, "solo")
solo.next, solo.pos = head.next, v
p(m.total(solo), solo.pos is v)
m.scale(solo.pos, 0.5)
p(v.x, v.y)
w = m.make_vec(1.0, 0.5)
w.scaled(3.0)
p(w.x, w.y, v.dot(w), m.Vec.dot(w, w))
b = m.Box(2.0, 3.0, True)
p(m.area(b), b.times(2), b.times(0.5), b.free, "function", True)
solo.label = "só ✓"
solo.next = None
p(m.total(solo), solo.label, solo.next)
q = m.origin(m.make_point(1, 2))
p(q.x, q.y, m.origin(m.Point(5, 6)).x)
try:
    q.x = 5
except Exception as e:
    p(type(e).__name__, e)
`;

it('the JS module passes instances as objects of a JS class per compiled class, and frees them', async () => {
  const dir = await exportOnce();
  const js = await execa('node', ['--expose-gc', '--input-type=module', '-e', JS_DRIVER, path.join(dir, 'js/kiln_handles.mjs')], { reject: false });
  const py = await execa(process.env.KILN_PYTHON ?? 'python3', ['-c', JS_MIRROR, path.dirname(FILE)], { reject: false, env: { PYTHONPATH: path.resolve(import.meta.dirname, '../../resources/python') } });
  expect(py.exitCode, py.stderr).toBe(0);
  expect(js.exitCode, js.stderr).toBe(0);
  expect(js.stdout).toBe(py.stdout);
  expect(js.stderr.split('\n').slice(0, 4)).toEqual([
    "TypeError: argument 'v' must be a Vec, not None", "TypeError: argument 'node' must be a Node, not Vec",
    'TypeError: Vec() takes its 2 fields (x, y), in order, but 1 was given', 'this Vec was released ($free() was called on it)',
  ]);
  // Leaked, the 40000 chains would take over 20 MB; a batch of 500 lives until the collector runs.
  const grew = Number(/^grew (\d+)$/m.exec(js.stderr)?.[1]);
  expect(grew).toBeLessThan(2 ** 21);
  // The types: a declared class per compiled class, frozen fields read-only.
  const dts = fs.readFileSync(path.join(dir, 'js/kiln_handles.d.mts'), 'utf8');
  expect(dts).toMatch(/export declare class Point \{\n[^}]*constructor\(x: bigint \| number, y: bigint \| number\);[^}]*readonly x: bigint;/);
  expect(dts).toMatch(/chain\(n: bigint \| number\): Node;/);
  expect(dts).toMatch(/total\(node: Node \| null\): bigint;/);
  expect(dts).toMatch(/export declare class Vec \{[^}]*dot\(o: Vec\): bigint \| number;[^}]*scaled\(k: number\): null;[^}]*\$free\(\): void;/);
  // A field named free is a field; the release is $free (a method with two specialisations: an overload each).
  expect(dts).toMatch(/export declare class Box \{[^}]*get free\(\): boolean;[^}]*times\(k: bigint \| number\): bigint;\n[^}]*times\(k: number\): number;/);
}, 300_000);

it('verify compares instances by class name and attributes in any order, floats bit for bit', () => {
  const vec = (cls: string, fields: [string, number][]): PyValue => ({ kind: 'object', cls, module: 'm', fields: fields.map(([k, v]) => [k, { kind: 'float', value: v }]) });
  expect(sameValue(vec('Vec', [['x', 1], ['y', 2]]), vec('Vec', [['y', 2], ['x', 1]]))).toBe(true);
  expect(sameValue(vec('Vec', [['x', 1], ['y', 2]]), vec('Pt', [['x', 1], ['y', 2]]))).toBe(false);
  expect(sameValue(vec('Vec', [['x', 1], ['y', 2]]), vec('Vec', [['x', 1]]))).toBe(false);
  expect(sameValue(vec('Vec', [['x', 0], ['y', 2]]), vec('Vec', [['x', -0], ['y', 2]]))).toBe(false);
  expect(pyRepr(vec('Vec', [['x', 1], ['y', 2.5]]))).toBe('Vec(x=1.0, y=2.5)');
});
