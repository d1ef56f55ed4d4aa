/** Typed IR of a small Python module for the passes' unit tests: traced and typechecked, nothing built. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModule, tracer, typeProgram } from '../../src-compiler/pipeline.ts';
import { oneModuleLinks } from '../../src-compiler/project/scope.ts';
import type { TypedFunction, TypedProgram } from '../../src-compiler/types/typecheck.ts';

/** `source` written to opt_mod.py in a new temporary folder: its path. */
export function sourceFile(source: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-opt-')), 'opt_mod.py');
  fs.writeFileSync(file, source);
  return file;
}

/** The typed program of `source` (its @compile functions are the entries), typed as the pipeline types it. */
export async function typedProgram(source: string): Promise<TypedProgram> {
  const mod = await loadModule(sourceFile(source));
  const getIR = tracer(mod);
  return typeProgram(mod, mod.functions.filter((f) => f.decorated).map((f) => getIR(f.name)), getIR, oneModuleLinks(mod, getIR));
}

/** One typed function (the first specialisation of that name). */
export function fn(program: TypedProgram, name: string): TypedFunction {
  const f = program.functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
}

/** A module header for the tests' sources. */
export const PRELUDE = 'import math\nimport numpy as np\nimport numpy.typing as npt\nfrom kiln import compile\n\n\n';
