/** Each construct outside the subset gives a diagnostic whose hint says what to write instead (ir/trace.ts). */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UNSUPPORTED } from '../../src-compiler/ir/trace.ts';
import { compileModule } from '../../src-compiler/pipeline.ts';

/** A function body that uses each construct (Python's parser accepts them all in a plain def). */
const BODIES: Record<string, string> = {
  ClassDef: 'class A:\n        pass',
  AsyncFunctionDef: 'async def g():\n        return 1',
  TryStar: 'try:\n        x = 1\n    except* ValueError:\n        x = 2',
  AsyncWith: 'async with x:\n        pass',
  AsyncFor: 'async for a in x:\n        pass',
  Await: 'x = await x',
  // A generator compiles (an exported one returns an iterator, `y = yield x` too); a yield inside an expression does not.
  Yield: 'y = 1 + (yield x)',
  YieldFrom: 'z = yield from range(x)',
  Import: 'import os',
  ImportFrom: 'from os import path',
  Delete: 'del x',
};

describe('unsupported constructs', () => {
  it('each has a test here', () => {
    expect(Object.keys(BODIES).sort()).toEqual(Object.keys(UNSUPPORTED).sort());
  });

  it('each is reported at its place with its hint, which says what to write and does not repeat the error', async () => {
    const names = Object.keys(BODIES);
    const source = `from kiln import compile\n\n${names.map((k) => `\n@compile\ndef f_${k}(x: int) -> int:\n    ${BODIES[k]}\n    return x\n`).join('\n')}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-hints-'));
    const file = path.join(dir, 'hints_mod.py');
    fs.writeFileSync(file, source);
    const compiled = await compileModule(file);
    for (const k of names) {
      const d = compiled.functions.find((f) => f.name === `f_${k}`)?.error;
      expect(d, k).toBeDefined();
      expect(d!.construct, k).toBe(UNSUPPORTED[k][0]);
      expect(d!.hint, k).toBe(UNSUPPORTED[k][1]);
      expect(d!.hint, k).not.toMatch(/outside the compiled subset|not compiled/);
      expect(source.split('\n')[d!.line - 1], k).toContain(BODIES[k].split('\n')[0].trim());
    }
  });
});
