/** Typed IR of a small Python module for the passes' unit tests: traced and typechecked, nothing built. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModule, tracer } from '../../src-compiler/pipeline.ts';
import { typecheckProgram, type TypedFunction, type TypedProgram } from '../../src-compiler/types/typecheck.ts';

/** The typed program of `source` (its @compile functions are the entries). */
export async function typedProgram(source: string): Promise<TypedProgram> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-opt-'));
  const file = path.join(dir, 'opt_mod.py');
  fs.writeFileSync(file, source);
  const mod = await loadModule(file);
  const getIR = tracer(mod);
  return typecheckProgram(mod, mod.functions.filter((f) => f.decorated).map((f) => getIR(f.name)), getIR);
}

/** One typed function (the first specialisation of that name). */
export function fn(program: TypedProgram, name: string): TypedFunction {
  const f = program.functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
}

/** A module header for the tests' sources. */
export const PRELUDE = 'import math\nimport numpy as np\nimport numpy.typing as npt\nfrom kiln import compile\n\n\n';
