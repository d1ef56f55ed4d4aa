#!/usr/bin/env node
// Peak memory of the text kernels (bench/kernels/word_freq.py, vigenere.py, str_build.py) and of a list kernel
// (permutations.py: every permutation of 9 items as lists, built recursively), and of a list made per iteration inside
// a try (bench/exceptions/try_costs.py rows_in_try, 10^6 iterations, one in seven raising), and of lists held by object
// fields (bench/kernels/field_lists.py: 10^6 objects each holding a new list; one field a new list replaces 10^6 times), and
// of lists held by dict entries (bench/kernels/dict_lists.py: an entry a new list replaces 10^6 times; lists popped): each compiled with Kiln and called once
// from a small C program on the suite's 1 MB text, against CPython running the Python original on the same text, both
// measured by /usr/bin/time (maximum resident set size). The C program and the CPython script
// do the same work around the call: read the text file, call, check the result. Results must agree. A baseline row
// runs both programs without the call (the C program reads the text; CPython starts, imports the kernel's module,
// reads the text), and the +KB columns are each kernel's peak above its baseline: the memory the work itself took.
//   node bench/rss.mjs [--bytes 1000000] [--only field_lists,field_overwrite]   (--only: those rows after the baseline)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaSync } from 'execa';
import { register } from 'tsx/esm/api';

register();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compileModule, buildUnit } = await import('../src-compiler/pipeline.ts');
const { compileC, hostToolchain } = await import('../src-compiler/targets/toolchain.ts');
const { generateText } = await import('../src-compiler/bench/inputs.ts');

const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const bytes = Number(arg('--bytes', '1000000'));
const only = arg('--only', '')?.split(',').filter(Boolean) ?? [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-rss-'));
const text = path.join(dir, 'text.txt');
fs.writeFileSync(text, generateText({ text: 'words', bytes, seed: 2 }, { kind: 'str' }, 'text').value);

// kernel, C call and how its result is printed, Python call (no file: the baseline, which makes no call)
const KERNELS = [
  { name: 'baseline', c: 'rc = 0; sum = n;', py: 's = len(t)', file: 'word_freq' },
  { name: 'word_freq', c: 'kiln_list_int r; rc = kiln_word_freq(buf, n, &r); if (!rc) { for (int64_t i = 0; i < r.len; i++) sum += r.data[i] * (i + 1); kiln_free(r.data); }', py: 'r = m.word_freq(t); s = sum(v * (i + 1) for i, v in enumerate(r))' },
  { name: 'vigenere', c: 'kiln_str r; rc = kiln_vigenere(buf, n, "LEMON", 5, &r); if (!rc) { for (int64_t i = 0; i < r.len; i++) sum += (unsigned char)r.data[i]; kiln_free(r.data); }', py: 'r = m.vigenere(t, "LEMON"); s = sum(r.encode())' },
  { name: 'str_build', c: 'int64_t r; rc = kiln_str_build(1000000, &r); sum = r;', py: 's = m.str_build(1000000)' },
  { name: 'permutations', c: 'int64_t r; rc = kiln_permutations(9, &r); sum = r;', py: 's = m.permutations(9)' },
  { name: 'rows_in_try', src: 'exceptions/try_costs', c: 'int64_t r; rc = kiln_rows_in_try(1000000, &r); sum = r;', py: 's = m.rows_in_try(1000000)' },
  { name: 'field_lists', c: 'int64_t r; rc = kiln_field_lists(1000000, &r); sum = r;', py: 's = m.field_lists(1000000)' },
  { name: 'field_overwrite', src: 'kernels/field_lists', c: 'int64_t r; rc = kiln_field_overwrite(1000000, &r); sum = r;', py: 's = m.field_overwrite(1000000)' },
  { name: 'dict_list_values', src: 'kernels/dict_lists', c: 'int64_t r; rc = kiln_dict_list_values(1000000, &r); sum = r;', py: 's = m.dict_list_values(1000000)' },
  { name: 'dict_list_pop', src: 'kernels/dict_lists', c: 'int64_t r; rc = kiln_dict_list_pop(1000000, &r); sum = r;', py: 's = m.dict_list_pop(1000000)' },
];

const rssOf = (cmd) => {
  const r = execaSync('/usr/bin/time', ['-f', '%M', ...cmd], { reject: false });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr}`);
  return { out: r.stdout.trim(), kb: Number(r.stderr.trim().split('\n').pop()) };
};

console.log(`text: ${bytes} bytes (words[${bytes}]#2); peak RSS from /usr/bin/time -f %M; python3 = ${execaSync('python3', ['--version']).stdout}`);
console.log(`${'kernel'.padEnd(15)} ${'Kiln KB'.padStart(9)} ${'+KB'.padStart(7)} ${'CPython KB'.padStart(11)} ${'+KB'.padStart(7)}  result`);
const toolchain = await hostToolchain();
let base;
for (const k of KERNELS.filter((r) => r.name === 'baseline' || !only.length || only.includes(r.name))) {
  const file = path.join(ROOT, 'bench', `${k.src ?? `kernels/${k.file ?? k.name}`}.py`);
  const compiled = await compileModule(file);
  const built = await buildUnit(compiled.unit, { library: true }, {});
  const main = path.join(dir, `${k.name}.c`);
  fs.writeFileSync(main, `#include <stdio.h>
#include <stdlib.h>
${k.file ? '#include <stdint.h>' : `#include "${compiled.unit.headerName}"`}
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "rb"); fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1); if (fread(buf, 1, (size_t)n, f) != (size_t)n) return 2; fclose(f);
  int rc; long long sum = 0;
  ${k.c}
  printf("%d %lld\\n", rc, sum);
  return rc;
}
`);
  const exe = main.replace(/\.c$/, '');
  const r = await compileC({ toolchain, sources: k.file ? [main] : [main, built.source], output: exe, kind: 'exe', includeDirs: [built.dir], optLevel: 'O2' });
  if (!r.ok) throw new Error(r.log);
  const script = path.join(dir, `${k.name}.py`);
  fs.writeFileSync(script, `import importlib.util, sys
sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'resources/python'))})
spec = importlib.util.spec_from_file_location("m", ${JSON.stringify(file)}); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
t = open(sys.argv[1], encoding="utf-8").read()
${k.py}
print(0, s)
`);
  const native = rssOf([exe, text]);
  const py = rssOf(['python3', script, text]);
  const same = native.out === py.out;
  base ??= { native: native.kb, py: py.kb };
  const above = (kb, b) => (k.file ? '' : String(kb - b)).padStart(7);
  console.log(`${k.name.padEnd(15)} ${String(native.kb).padStart(9)} ${above(native.kb, base.native)} ${String(py.kb).padStart(11)} ${above(py.kb, base.py)}  ${same ? 'equal' : `DIFFER: ${native.out} / ${py.out}`}`);
  if (!same) process.exitCode = 1;
}
fs.rmSync(dir, { recursive: true, force: true });
