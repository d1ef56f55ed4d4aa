/**
 * No module of src-compiler imports itself through others (type-only imports count: they tie the modules'
 * designs together just the same). The op registry is split by domain so that its imports run one way.
 * ESLint's import-x/no-cycle (npm run lint) finds value cycles everywhere but skips type-only imports, and has
 * no option to count them: this test is the one that sees a cycle closed by `import type`.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../src-compiler');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The relative modules a file imports or re-exports. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gms)].map((m) => m[1]);
  return found.map((s) => path.resolve(path.dirname(file), s));
}

/** Every cycle of the import graph, each as the list of files around it (found by depth-first search). */
function cycles(files: string[]): string[][] {
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => known.has(t))]));
  const found: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'active');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'active') found.push(stack.slice(stack.indexOf(t)).map((x) => path.relative(root, x)));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

describe('imports', () => {
  it('form no cycle in src-compiler', () => {
    expect(cycles(sources(root))).toEqual([]);
  });

  it('are found by this test (a cycle between two test modules is reported)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-cycle-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b.ts';\nexport const a = b;\n");
      fs.writeFileSync(path.join(dir, 'b.ts'), "import type { a } from './a.ts';\nexport const b: typeof a | 1 = 1;\n");
      const files = [path.join(dir, 'a.ts'), path.join(dir, 'b.ts')];
      expect(cycles(files).map((c) => c.map((x) => path.basename(x)))).toEqual([['a.ts', 'b.ts']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
