/**
 * The accessor API of dicts whose values are lists or dicts (abi.ts containerApi, lower/c_abi_containers.ts
 * containerApiDefinitions): a C program that uses only the generated header builds a graph adjacency
 * (dict[int, list[int]]) and a table of rows (dict[str, dict[str, float]]) through _set, passes them to compiled
 * functions of tests/corpus/abi_collections.py, reads the results and the parameters after the call through
 * _get (hashed), _iter_next and the inner dicts' own accessors, and frees everything (valgrind: nothing leaks, no
 * invalid access). The same steps in CPython print the same lines.
 */
import { expect, it } from 'vitest';
import path from 'node:path';
import { execa } from 'execa';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { runUnitDriver } from './valgrind-corpus.ts';

const FILE = path.resolve(import.meta.dirname, '../corpus/abi_collections.py');

const C_DRIVER = String.raw`
#include <stdio.h>
static void show_lists(const char *what, kiln_dict_int_list_int *g) {
  int64_t pos = 0, k; kiln_list_int l;
  printf("%s %lld:", what, (long long)kiln_dict_int_list_int_len(g));
  while (kiln_dict_int_list_int_iter_next(g, &pos, &k, &l)) {
    printf(" %lld=[", (long long)k);
    for (int64_t j = 0; j < l.len; j++) printf(j ? ",%lld" : "%lld", (long long)l.data[j]);
    printf("]");
  }
  printf("\n");
}
static void show_table(const char *what, kiln_dict_str_dict_str_float *t) {
  int64_t pos = 0; kiln_str k; kiln_dict_str_float *row;
  printf("%s %lld:", what, (long long)kiln_dict_str_dict_str_float_len(t));
  while (kiln_dict_str_dict_str_float_iter_next(t, &pos, &k, &row)) {
    int64_t p2 = 0; kiln_str c; double v;
    printf(" %s={", k.data);
    while (kiln_dict_str_float_iter_next(row, &p2, &c, &v)) printf("%s%s:%g", p2 > 1 ? "," : "", c.data, v);
    printf("}");
  }
  printf("\n");
}
int main(void) {
  /* A graph of 300 nodes, each pointing at the next two (mod 300), node 7 replaced by [1, 2, 3]. */
  kiln_dict_int_list_int g = {0}, garg, rev = {0};
  for (int64_t n = 0; n < 300; n++) { int64_t succ[2] = { (n + 1) % 300, (n + 2) % 300 }; kiln_dict_int_list_int_set(&g, n, succ, 2); }
  const int64_t seven[3] = { 1, 2, 3 };
  kiln_dict_int_list_int_set(&g, 7, seven, 3);
  kiln_dict_int_list_int_set(&g, 1000, NULL, 0);
  garg = g;
  int rc = kiln_reverse_graph(&garg, &rev);
  kiln_list_int l; int64_t total = 0, found = 0;
  for (int64_t n = 0; n < 1001; n++) if (kiln_dict_int_list_int_get(&rev, n, &l)) { found++; for (int64_t j = 0; j < l.len; j++) total += l.data[j] * (j + 1); }
  printf("reverse %d %lld %lld %lld\n", rc, (long long)kiln_dict_int_list_int_len(&rev), (long long)found, (long long)total);
  kiln_dict_int_list_int_get(&rev, 3, &l);
  printf("into 3:"); for (int64_t j = 0; j < l.len; j++) printf(" %lld", (long long)l.data[j]); printf("\n");
  printf("missing %d %d\n", kiln_dict_int_list_int_get(&rev, -1, &l), kiln_dict_int_list_int_contains(&garg, 1000));
  kiln_dict_int_list_int small = {0}, sarg;
  const int64_t a[2] = { 2, 3 }, b[1] = { 4 };
  kiln_dict_int_list_int_set(&small, 1, a, 2); kiln_dict_int_list_int_set(&small, 2, b, 1); kiln_dict_int_list_int_set(&small, 4, NULL, 0);
  sarg = small;
  kiln_list_int order = {0};
  rc = kiln_bfs_order(&sarg, 1, &order);
  printf("bfs %d:", rc); for (int64_t j = 0; j < order.len; j++) printf(" %lld", (long long)order.data[j]); printf("\n");
  show_lists("graph", &sarg);
  kiln_free(order.data);
  kiln_dict_int_list_int_free(&g); kiln_dict_int_list_int_free(&garg); kiln_dict_int_list_int_free(&rev);
  kiln_dict_int_list_int_free(&small); kiln_dict_int_list_int_free(&sarg);
  /* A table of rows: each row built with its own accessors, then copied in; a row replaced; the result's rows read in place. */
  kiln_dict_str_dict_str_float t = {0}, targ, out = {0}, *rowp;
  kiln_dict_str_float row = {0};
  kiln_dict_str_float_set(&row, "x", -1, 1.5); kiln_dict_str_float_set(&row, "y", -1, 2.0);
  kiln_dict_str_dict_str_float_set(&t, "a", -1, &row);
  kiln_dict_str_float_set(&row, "z", -1, -4.0);
  kiln_dict_str_dict_str_float_set(&t, "b", -1, &row);
  kiln_dict_str_dict_str_float_set(&t, "a", -1, &row); /* "a" keeps its place, takes a copy of the three */
  kiln_dict_str_float_free(&row);
  kiln_dict_str_float empty = {0};
  kiln_dict_str_dict_str_float_set(&t, "c", 1, &empty);
  targ = t;
  rc = kiln_scale_nested(&targ, 2.0, &out);
  printf("scale %d\n", rc);
  show_table("out", &out);
  show_table("table", &targ);
  double v = 0;
  if (kiln_dict_str_dict_str_float_get(&out, "b", -1, &rowp) && kiln_dict_str_float_get(rowp, "total", -1, &v)) printf("b.total %g\n", v);
  printf("row in %d %d %d\n", kiln_dict_str_float_contains(rowp, "z", -1), kiln_dict_str_float_contains(rowp, "w", -1), kiln_dict_str_dict_str_float_get(&out, "new", -1, &rowp));
  kiln_dict_str_dict_str_float_free(&t); kiln_dict_str_dict_str_float_free(&targ); kiln_dict_str_dict_str_float_free(&out);
  /* dict[str, list[str]]: lists of str copied in, appended to by the call. */
  kiln_dict_str_list_str tags = {0}, tagarg;
  kiln_str fruit[2] = { { "fig", -1 }, { "pear", 4 } };
  kiln_dict_str_list_str_set(&tags, "fruit", -1, fruit, 2);
  tagarg = tags;
  int64_t n = 0;
  rc = kiln_add_tag(&tagarg, "fruit", -1, "kiwi", -1, &n);
  kiln_list_str ls;
  kiln_dict_str_list_str_get(&tagarg, "fruit", -1, &ls);
  printf("tags %d %lld:", rc, (long long)n); for (int64_t j = 0; j < ls.len; j++) printf(" %s", ls.data[j].data); printf("\n");
  kiln_dict_str_list_str_free(&tags); kiln_dict_str_list_str_free(&tagarg);
  kiln_release_memory();
  return 0;
}
`;

const PY_DRIVER = String.raw`
import sys
sys.path.insert(0, sys.argv[1])
from abi_collections import *
def show_lists(what, g):
    print(what, "%d:" % len(g), *["%d=[%s]" % (k, ",".join(map(str, v))) for k, v in g.items()])
def show_table(what, t):
    print(what, "%d:" % len(t), *["%s={%s}" % (k, ",".join("%s:%g" % cv for cv in r.items())) for k, r in t.items()])
g = {}
for n in range(300): g[n] = [(n + 1) % 300, (n + 2) % 300]
g[7] = [1, 2, 3]
g[1000] = []
rev = reverse_graph(g)
found = total = 0
for n in range(1001):
    if n in rev:
        found += 1
        total += sum(x * (j + 1) for j, x in enumerate(rev[n]))
print("reverse 0 %d %d %d" % (len(rev), found, total))
print("into 3:", *rev[3])
print("missing", int(-1 in rev), int(1000 in g))
small = {1: [2, 3], 2: [4], 4: []}
print("bfs 0:", *bfs_order(small, 1))
show_lists("graph", small)
row = {"x": 1.5, "y": 2.0}
t = {"a": dict(row)}
row["z"] = -4.0
t["b"] = dict(row)
t["a"] = dict(row)
t["c"] = {}
out = scale_nested(t, 2.0)
print("scale 0")
show_table("out", out)
show_table("table", t)
print("b.total %g" % out["b"]["total"])
print("row in", int("z" in out["b"]), int("w" in out["b"]), int("new" in out))
tags = {"fruit": ["fig", "pear"]}
n = add_tag(tags, "fruit", "kiwi")
print("tags 0 %d:" % n, *tags["fruit"])
`;

it('dicts of lists and of dicts: built, passed, read (hashed) and freed through their accessors, as CPython sees them', async () => {
  const compiled = await compileModule(FILE);
  const unit = compiled.unit!;
  expect(unit.header).toContain('int kiln_dict_int_list_int_get(kiln_dict_int_list_int *d, int64_t key, kiln_list_int *value);');
  const ran = await runUnitDriver(unit, `#include "${unit.sourceName}"\n${C_DRIVER}`, 300_000);
  const py = await execa(process.env.KILN_PYTHON ?? 'python3', ['-c', PY_DRIVER, path.dirname(FILE)], { reject: false, env: { PYTHONPATH: path.resolve(import.meta.dirname, '../../resources/python') } });
  expect(py.exitCode, py.stderr).toBe(0);
  expect(ran.stdout).toBe(py.stdout);
}, 600_000);
