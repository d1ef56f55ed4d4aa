/**
 * What the CLI's SPEC argument names. Every command that takes code takes:
 *   FILE[::FUNC]              a Python file (its @compile functions, or one of them)
 *   DIR                       a project folder: every exported function of every module, one library
 *   DIR::pkg.mod.func         one function of a project ...
 *   DIR::pkg.mod::func        ... spelt either way
 *   pkg.mod[::func]           a module by its import path, in the project of --project (default: the one
 *                             holding the working folder: the nearest pyproject.toml above it, else the folder)
 */
import fs from 'node:fs';
import path from 'node:path';
import { KilnError } from '../diagnostics.ts';

/** `FILE::FUNC` as the CLI takes it: the last `::` separates the function from the file. */
export function splitSpec(spec: string): { file: string; func?: string } {
  const i = spec.lastIndexOf('::');
  if (i < 0) return { file: spec };
  return { file: spec.slice(0, i), func: spec.slice(i + 2) || undefined };
}

export type Target =
  /** One module's functions (or `func` alone). `display` is what messages call the file. */
  | { kind: 'module'; file: string; func?: string; display: string }
  /** A whole project: one library. */
  | { kind: 'project'; root: string; display: string };

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The folder whose project module paths are read in: --project, else the nearest pyproject.toml above the working folder, else the working folder. */
export function defaultProjectRoot(project?: string): string {
  if (project) return path.resolve(project);
  for (let d = process.cwd(); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'pyproject.toml'))) return d;
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) return process.cwd();
  }
}

/** Resolves a SPEC (see above) to a module or a project; a name that finds nothing is an error saying what was tried. */
export async function resolveTarget(spec: string, o: { project?: string } = {}): Promise<Target> {
  const parts = spec.split('::');
  const head = parts[0];
  const fail = (message: string, hint?: string): never => { throw new KilnError({ severity: 'error', file: spec, line: 0, col: 0, construct: 'argument', message, hint }); };
  if (parts.length > 3 || parts.some((p, i) => i > 0 && !p)) fail(`'${spec}' is not FILE[::FUNC], DIR[::pkg.mod::func] or pkg.mod[::func]`);
  if (fs.existsSync(head)) {
    if (fs.statSync(head).isFile()) {
      if (parts.length > 2) fail(`'${spec}': a file takes one function: FILE::FUNC`);
      return { kind: 'module', file: head, func: parts[1], display: head };
    }
    if (parts.length === 1) return { kind: 'project', root: head, display: head };
    // DIR::pkg.mod::func or DIR::pkg.mod.func
    const dotted = parts.length === 3 ? `${parts[1]}.${parts[2]}` : parts[1];
    return moduleOf(head, dotted, fail, true);
  }
  if (DOTTED.test(head) && !head.endsWith('.py')) {
    const root = defaultProjectRoot(o.project);
    if (parts.length === 3) fail(`'${spec}': a module path takes one function: pkg.mod::func`);
    const t = await moduleOf(root, parts[1] ? `${head}.${parts[1]}` : head, fail, !!parts[1]);
    return t;
  }
  return fail('no such file or folder', DOTTED.test(head) ? undefined : 'name a Python file, a project folder, or a module by its import path (pkg.mod::func)');
}

/** `pkg.mod.func` (withFunction) or `pkg.mod` in the project at `root`. */
async function moduleOf(root: string, dotted: string, fail: (m: string, h?: string) => never, withFunction: boolean): Promise<Target> {
  const { locateProject, ModuleGraph } = await import('../project/graph.ts');
  const graph = new ModuleGraph(locateProject(root), undefined);
  const where = `the project at ${path.relative(process.cwd(), graph.root) || '.'} (source roots: ${graph.location.sourceRoots.map((r) => path.relative(graph.root, r) || '.').join(', ')})`;
  const moduleFile = (m: string) => graph.locate(m)?.file ?? undefined;
  if (!withFunction) {
    const file = moduleFile(dotted);
    if (!file) fail(`no module '${dotted}' in ${where}`);
    return { kind: 'module', file: file!, display: path.relative(process.cwd(), file!) || file! };
  }
  const i = dotted.lastIndexOf('.');
  if (i > 0) {
    const file = moduleFile(dotted.slice(0, i));
    if (file) return { kind: 'module', file, func: dotted.slice(i + 1), display: path.relative(process.cwd(), file) || file };
  }
  return fail(`no module '${i > 0 ? dotted.slice(0, i) : dotted}' in ${where}`, 'name the function with its module: pkg.mod::func or DIR::pkg.mod.func');
}

/** The flags every compiling command shares, which override [tool.kiln]. */
export interface BuildFlags { opt?: string; fastMath?: boolean; boundscheck?: boolean }

/**
 * A SPEC compiled: the module's functions or the project's library, its [tool.kiln] settings, and the build
 * options (the command's flags, else the project's settings, else Kiln's defaults).
 */
export async function compileSpec(spec: string, o: BuildFlags & { python?: string; project?: string }) {
  const { compileTarget, unitSettings } = await import('../pipeline.ts');
  const target = await resolveTarget(spec, { project: o.project });
  const compiled = await compileTarget(target.kind === 'project' ? target : { kind: 'module', file: target.file, func: target.func }, { python: o.python, boundscheck: o.boundscheck });
  const settings = unitSettings(compiled);
  const optLevel = (o.opt?.replace(/^-/, '') ?? settings?.optLevel ?? 'O2') as 'O0' | 'O1' | 'O2' | 'O3' | 'Os';
  if (!['O0', 'O1', 'O2', 'O3', 'Os'].includes(optLevel)) throw new KilnError({ severity: 'error', file: '-O', line: 0, col: 0, construct: 'option', message: `unknown optimisation level '${o.opt}' (O0, O1, O2, O3, Os)` });
  return { target, compiled, settings, build: { optLevel, fastMath: o.fastMath ?? settings?.fastMath ?? false } };
}
