/**
 * What compiled code may name outside its own function, as the tracer and the type checker ask for it.
 * The answer comes from the project's module graph (project/graph.ts): "what is `utils.SCALE` here?",
 * "which function is `pkg.geometry.area`?". A single module with no project around it answers through
 * `oneModuleScope`, the same questions for its own names only.
 *
 * A new kind of module-level definition (classes, dicts, any module-level value) is a new Binding kind and
 * its case where the tracer turns a Binding into IR: the graph finds it wherever it is defined.
 */
import type { PyClass, PyConstant, PyFunction, PyModule } from '../frontend/ast.ts';
import type { IRFunction, TraceAgain } from '../ir/ir.ts';

/** What a dotted name (`utils.clamp`, `pkg.mod.SCALE`, `math.pi`) refers to, after every re-export. */
export type Binding =
  /** A module-level def of a project module; `qualified` is its canonical name (`pkg.mod.f`). */
  | { kind: 'function'; module: string; name: string; qualified: string; fn: PyFunction; mod: PyModule }
  /** A module-level value (`SCALE = 2.5`, `SIZES = (1, 2)`), read in its own module's scope. */
  | { kind: 'value'; module: string; name: string; qualified: string; constant: PyConstant; mod: PyModule }
  /** A module-level class of a project module (`from .shapes import Vec`); `qualified` is `pkg.shapes.Vec`. */
  | { kind: 'class'; module: string; name: string; qualified: string; cls: PyClass; mod: PyModule }
  /** A module or package of the project (usable only as the base of `mod.name`). */
  | { kind: 'module'; module: string; file: string | null }
  /** Not a project name: a library (`math.sqrt`, `numpy.float64`); `dotted` is its canonical name. */
  | { kind: 'external'; dotted: string }
  /** A project name that does not exist (or is in a module that does not parse), as Python would say it. */
  | { kind: 'missing'; message: string; hint?: string; file?: string; line?: number };

/** The tracer's view of names outside the function. */
export interface NameScope {
  resolve(dotted: string): Binding;
}

/** The type checker's view of a program that may span modules. */
export interface ProgramLinks {
  /** The function a call's target names, when it is a Python function of the program (canonical `pkg.mod.f`). */
  functionAt(target: string): { mod: PyModule; fn: PyFunction } | undefined;
  /** The traced IR of a function, by canonical name (cached by the implementation). */
  getIR(target: string): IRFunction;
  /**
   * Has the function of `ir` traced again reading the iterables of `found.containers` (IRNode.iterable) as dicts or
   * sets, which typecheck found them to hold, and the loops of `found.lengths` (IRNode.lengthOnce) with the lengths
   * read at every step (ir/traces.ts). True when getIR now gives another trace; absent where the links do not trace
   * again (those iterables and loops stay refused).
   */
  traceAgain?(ir: IRFunction, found: Partial<Record<keyof TraceAgain, Iterable<string>>>): boolean;
  /** How the program names a function in keys, C names, frames and exports: its bare name in the primary
   *  module (so a one-file build is named as it always was), its qualified name elsewhere. */
  displayName(target: string): string;
  /** The module a function was traced from. */
  moduleOf(ir: IRFunction): PyModule;
  /** Every module of the program (their classes are the program's classes); the module alone when absent. */
  modules?: () => PyModule[];
  /** Whether a function's indices are checked: the CLI's flag, else `@compile(boundscheck=...)`, else [tool.kiln] boundscheck, else on. */
  boundscheck?: (fn: PyFunction) => boolean;
}

/** A module's dotted name: what the module graph set, else the file's base name (a lone script). */
export function moduleNameOf(mod: { file: string; name?: string }): string {
  return mod.name ?? mod.file.replace(/^.*[\\/]/, '').replace(/\.py$/, '');
}

/** A module on its own: its functions and values are bindings, every other dotted name is external. */
export function oneModuleScope(mod: PyModule): NameScope {
  const name = moduleNameOf(mod);
  return {
    resolve(dotted: string): Binding {
      if (!dotted.startsWith(`${name}.`)) return { kind: 'external', dotted };
      const rest = dotted.slice(name.length + 1);
      const fn = mod.functions.find((f) => f.name === rest);
      if (fn) return { kind: 'function', module: name, name: rest, qualified: dotted, fn, mod };
      const constant = mod.constants[rest];
      if (constant) return { kind: 'value', module: name, name: rest, qualified: dotted, constant, mod };
      return { kind: 'external', dotted };
    },
  };
}

/** A module's traces by bare name (pipeline.ts tracer), which may trace a function again (ProgramLinks.traceAgain). */
export type ModuleTracer = ((name: string) => IRFunction) & Pick<ProgramLinks, 'traceAgain'>;

/** The links of a program inside one module: `getIR` traces by bare name. */
export function oneModuleLinks(mod: PyModule, getIR: ModuleTracer): ProgramLinks {
  const name = moduleNameOf(mod);
  const local = (target: string) => (target.startsWith(`${name}.`) ? target.slice(name.length + 1) : undefined);
  return {
    functionAt(target) {
      const rest = local(target);
      const fn = rest !== undefined ? mod.functions.find((f) => f.name === rest) : undefined;
      return fn ? { mod, fn } : undefined;
    },
    getIR: (target) => getIR(local(target) ?? target),
    ...(getIR.traceAgain ? { traceAgain: getIR.traceAgain } : {}),
    displayName: (target) => local(target) ?? target,
    moduleOf: () => mod,
  };
}
