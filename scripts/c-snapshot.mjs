#!/usr/bin/env node
// The generated C of every Python fixture, written to a folder so that a refactor of the compiler can prove it
// changes nothing: `node scripts/c-snapshot.mjs /tmp/c-base` before, `node scripts/c-snapshot.mjs /tmp/c-new`
// after, then `diff -r /tmp/c-base /tmp/c-new`.
//
// For each Python file with @compile functions under tests/, examples/ and bench/ (the corpus, the target
// fixtures, the examples, the benchmark kernels, ...), one sub-folder named after its path holds what
// `kiln compile FILE --emit c` writes (the C source and header), the exported ABI (exports.json), the typed IR of
// every compiled specialisation (ir.json), the C-to-Python line map (linemap.json) and the parameters that
// verification keeps small (small-params.json); `diagnostics.txt` holds
// the diagnostics (a function that does not compile, warnings). The pipeline is called directly, not the CLI.
// Environment variables of the compiler (KILN_PASSES, ...) apply as usual.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compileModule } = await import('../src-compiler/pipeline.ts');
const { formatDiagnostic, isKilnError } = await import('../src-compiler/diagnostics.ts');
const { loopSizedParams } = await import('../src-compiler/run/inputs.ts');

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write('usage: node scripts/c-snapshot.mjs DIR\n');
  process.exit(2);
}

/** Python files under `dir` (recursively) that mark a function with @compile. */
function pythonFiles(dir) {
  const found = [];
  const visit = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.') && e.name !== '__pycache__') visit(p);
      } else if (e.name.endsWith('.py') && /^\s*@compile\b/m.test(fs.readFileSync(p, 'utf8'))) found.push(p);
    }
  };
  visit(dir);
  return found;
}

const files = ['tests', 'examples', 'bench'].flatMap((d) => pythonFiles(path.join(ROOT, d)));
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const rel = (f) => path.relative(ROOT, f);
const show = (d) => formatDiagnostic({ ...d, file: rel(d.file) });
let units = 0;
let failed = 0;
for (const file of files) {
  const dir = path.join(outDir, rel(file).replace(/[\\/]/g, '__'));
  fs.mkdirSync(dir);
  const put = (name, text) => fs.writeFileSync(path.join(dir, name), text.endsWith('\n') ? text : `${text}\n`);
  let compiled;
  try {
    compiled = await compileModule(file);
  } catch (e) {
    if (!isKilnError(e)) throw e;
    put('diagnostics.txt', show(e.diagnostic));
    failed++;
    continue;
  }
  const diagnostics = [...compiled.functions.filter((f) => f.error).map((f) => f.error), ...compiled.warnings].map(show);
  if (diagnostics.length) put('diagnostics.txt', diagnostics.join('\n'));
  const { unit, program } = compiled;
  if (!unit) {
    failed++;
    continue;
  }
  units++;
  put(unit.sourceName, unit.source);
  put(unit.headerName, unit.header);
  put('exports.json', JSON.stringify(unit.exports, null, 1));
  put('linemap.json', JSON.stringify(unit.lineMap));
  const typed = program.functions.map((f) => ({ key: f.key, cName: f.cName, recursive: f.recursive, returnType: f.returnType, varTypes: f.varTypes, nodes: f.ir.nodes }));
  put('ir.json', JSON.stringify(typed, (k, v) => (k === 'span' ? `${v.line}:${v.col}` : v), 1));
  put('small-params.json', JSON.stringify(Object.fromEntries(program.entries.map((e) => [e.name, [...loopSizedParams(program, e.ir)]]))));
}
process.stdout.write(`${files.length} files: ${units} with C, ${failed} without (see their diagnostics.txt) -> ${outDir}\n`);
