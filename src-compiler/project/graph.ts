/**
 * A project's module graph: which file is module `pkg.mod`, what each module imports (relative imports made
 * absolute, `from M import *` expanded), and what any dotted name refers to, read with Python's `ast` without
 * running anything. The tracer asks it "what is `utils.SCALE` here?" (NameScope) and the type checker "which
 * function is `pkg.geometry.area`, and what is its IR?" (ProgramLinks).
 *
 * Modules are found as Python's path finder finds them on sys.path = the project's source roots: in each root
 * in turn, a folder with __init__.py (a package), else a `.py` file, else a folder without one (a portion of a
 * namespace package). Names resolve as a completed import would bind them: what a module defines (def,
 * assignment), what it imports, submodules that were imported. A name is looked up only when compiled code
 * reads it, so a module with side effects or code outside the subset is fine until the compiled call tree
 * reaches into it; circular imports need no order (Kiln reads all modules whole).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseModules } from '../frontend/python.ts';
import { COMPILED_STDLIB, COMPILED_STDLIB_DIR, STDLIB_ELSEWHERE, isCompiledStdlib } from './compiled_stdlib.ts';
import type { PyModule } from '../frontend/ast.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { ModuleTraces } from '../ir/traces.ts';
import { PYPROJECT, readConfig, type ProjectConfig } from './config.ts';
import type { Binding, NameScope, ProgramLinks } from './scope.ts';

/** Folders never searched for modules (besides hidden ones and names Python cannot import, such as kiln-export). */
const SKIP_DIRS = new Set(['node_modules', '__pycache__', 'venv', 'dist', 'build', 'site-packages']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;


export interface ModuleEntry {
  /** Dotted name (`pkg.mod`; a package is named by its folder). */
  name: string;
  /** The module's file (`__init__.py` for a package); null for a namespace package. */
  file: string | null;
  isPackage: boolean;
  /** A package's folders (its __path__): one, or every portion of a namespace package. */
  dirs: string[];
  mod?: PyModule;
  /** Set when the file does not parse. */
  error?: Diagnostic;
}

/** Where a project lives: its root (the folder the verifier runs Python from), config, and sys.path. */
export interface ProjectLocation {
  root: string;
  config: ProjectConfig;
  /** Absolute, in order: the folders modules are imported from. */
  sourceRoots: string[];
}

const isDir = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
const isFile = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
const inside = (dir: string, p: string) => { const r = path.relative(dir, p); return !r.startsWith('..') && !path.isAbsolute(r); };

/**
 * The project a folder or a file belongs to. A folder is a project (its pyproject.toml, if any, configures it).
 * A file belongs to the nearest pyproject.toml above it (up to the repository's root) when one of that project's
 * source roots holds it; otherwise it is a script, as `python FILE` runs it: its folder, or the folder above
 * its outermost package (folders with __init__.py), is sys.path.
 */
export function locateProject(p: string): ProjectLocation {
  const abs = fs.existsSync(p) ? fs.realpathSync(path.resolve(p)) : path.resolve(p);
  if (isDir(abs)) {
    const config = readConfig(abs);
    return { root: abs, config, sourceRoots: config.sourceRoots };
  }
  for (let d = path.dirname(abs); ; d = path.dirname(d)) {
    if (isFile(path.join(d, PYPROJECT))) {
      const config = readConfig(d);
      if (config.sourceRoots.some((r) => inside(r, abs))) return { root: d, config, sourceRoots: config.sourceRoots };
      break;
    }
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
  }
  let top = path.dirname(abs);
  while (isFile(path.join(top, '__init__.py')) && path.dirname(top) !== top) top = path.dirname(top);
  const config = readConfig(top);
  return { root: top, config, sourceRoots: [top] };
}

export class ModuleGraph {
  /** The modules loaded so far (the import closure of what was asked for), by dotted name. */
  readonly entries = new Map<string, ModuleEntry>();
  private readonly located = new Map<string, ModuleEntry | null>();
  readonly scope: NameScope = { resolve: (dotted) => this.resolve(dotted) };

  constructor(readonly location: ProjectLocation, private readonly python?: string) {}

  get root() { return this.location.root; }
  get config() { return this.location.config; }

  /** The module `name` as the path finder finds it under the source roots (not loaded); null when it is not the project's. */
  locate(name: string): ModuleEntry | null {
    if (this.located.has(name)) return this.located.get(name)!;
    const parts = name.split('.');
    const last = parts[parts.length - 1];
    let found: ModuleEntry | null = null;
    const parent = parts.length > 1 ? this.locate(parts.slice(0, -1).join('.')) : null;
    // The standard modules Kiln compiles from its own Python source come after the project's roots (compiled_stdlib.ts).
    const roots = COMPILED_STDLIB.has(name) ? [...this.location.sourceRoots, COMPILED_STDLIB_DIR] : this.location.sourceRoots;
    const dirs = parts.length === 1 ? roots : parent?.isPackage ? parent.dirs : [];
    if (IDENTIFIER.test(last)) {
      const portions: string[] = [];
      for (const dir of dirs) {
        const pkg = path.join(dir, last);
        if (isDir(pkg) && isFile(path.join(pkg, '__init__.py'))) { found = { name, file: path.join(pkg, '__init__.py'), isPackage: true, dirs: [pkg] }; break; }
        if (isFile(`${pkg}.py`)) { found = { name, file: `${pkg}.py`, isPackage: false, dirs: [] }; break; }
        if (isDir(pkg) && !SKIP_DIRS.has(last)) portions.push(pkg);
      }
      if (!found && portions.length) found = { name, file: null, isPackage: true, dirs: portions };
    }
    this.located.set(name, found);
    return found;
  }

  /** The dotted name of a file of the project (`src/pkg/mod.py` -> `pkg.mod`), or undefined outside its source roots. */
  nameOfFile(file: string): string | undefined {
    const abs = fs.existsSync(file) ? fs.realpathSync(file) : path.resolve(file);
    for (const root of this.location.sourceRoots) {
      if (!inside(root, abs) || !abs.endsWith('.py')) continue;
      const parts = path.relative(root, abs).slice(0, -3).split(path.sep);
      if (parts[parts.length - 1] === '__init__') parts.pop();
      if (!parts.length || !parts.every((x) => IDENTIFIER.test(x))) continue;
      const name = parts.join('.');
      if (this.locate(name)?.file === abs) return name;
    }
    return undefined;
  }

  /** Every module file under the source roots (the project's modules), in a stable order. */
  moduleFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      let names: fs.Dirent[];
      try { names = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
      for (const e of names.sort((a, b) => a.name.localeCompare(b.name))) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!e.name.startsWith('.') && !SKIP_DIRS.has(e.name) && IDENTIFIER.test(e.name)) walk(p);
        } else if (e.name.endsWith('.py') && !out.includes(p)) out.push(p);
      }
    };
    for (const r of this.location.sourceRoots) walk(r);
    return out.filter((f) => this.nameOfFile(f) !== undefined);
  }

  /** Loads modules (by name) and everything they import from the project, transitively: one Python run per wave. */
  async load(names: string[]): Promise<void> {
    let wave = names;
    while (wave.length) {
      const fresh: ModuleEntry[] = [];
      for (const n of new Set(wave)) {
        if (this.entries.has(n)) continue;
        // Python runs a package's __init__ before its submodules: the parents are part of the graph.
        const parts = n.split('.');
        for (let i = 1; i <= parts.length; i++) {
          const name = parts.slice(0, i).join('.');
          const e = !this.entries.has(name) && this.locate(name);
          if (e) {
            const entry = { ...e };
            this.entries.set(name, entry);
            fresh.push(entry);
          }
        }
      }
      const withFiles = fresh.filter((e) => e.file);
      const parsed = withFiles.length ? await parseModules(withFiles.map((e) => e.file!), this.python) : [];
      const next: string[] = [];
      withFiles.forEach((e, i) => {
        const r = parsed[i];
        if (!('functions' in r)) {
          e.error = r.diagnostic;
          return;
        }
        e.mod = this.absolute(e, r);
        for (const target of [...Object.values(e.mod.imports), ...(e.mod.starImports ?? [])]) {
          if (target.startsWith('.')) continue;
          const p = target.split('.');
          for (let k = 1; k <= p.length; k++) next.push(p.slice(0, k).join('.'));
        }
      });
      wave = next.filter((n) => !this.entries.has(n) && this.locate(n));
    }
    this.expandStars();
  }

  /** Loads the module of a file (and its imports); its name, or undefined when the file is outside the source roots. */
  async loadFile(file: string): Promise<string | undefined> {
    const name = this.nameOfFile(file);
    if (name) await this.load([name]);
    return name;
  }

  /** A parsed module with its name set and its relative imports made absolute (a copy: the parse cache's object stays as it was). */
  private absolute(e: ModuleEntry, mod: PyModule): PyModule {
    const pkg = e.isPackage ? e.name.split('.') : e.name.split('.').slice(0, -1);
    const abs = (v: string): string => {
      const level = /^\.*/.exec(v)![0].length;
      if (!level) return v;
      if (level > pkg.length) return v; // no parent package (or beyond the top one): resolve() says so
      const base = pkg.slice(0, pkg.length - (level - 1));
      const rest = v.slice(level);
      return [...base, ...(rest ? [rest] : [])].join('.');
    };
    const imports = Object.fromEntries(Object.entries(mod.imports).map(([k, v]) => [k, abs(v)]));
    return { ...mod, name: e.name, imports, starImports: (mod.starImports ?? []).map(abs) };
  }

  /** `from M import *` of a project module: M's public names join the importer's imports (as Python binds them). */
  private expandStars() {
    for (let changed = true, round = 0; changed && round < 20; round++) {
      changed = false;
      for (const e of this.entries.values()) {
        for (const star of e.mod?.starImports ?? []) {
          const source = this.entries.get(star)?.mod;
          if (!source) continue;
          const names = [...source.functions.map((f) => f.name), ...Object.keys(source.constants), ...Object.keys(source.imports)].filter((n) => !n.startsWith('_'));
          for (const n of names) {
            const own = e.mod!.functions.some((f) => f.name === n) || n in e.mod!.constants || n in e.mod!.imports;
            if (!own) {
              e.mod!.imports[n] = `${star}.${n}`;
              changed = true;
            }
          }
        }
      }
    }
  }

  module(name: string): PyModule | undefined {
    return this.entries.get(name)?.mod;
  }

  /** Every loaded module's file and its parse problem, if any. */
  files(): string[] {
    return [...this.entries.values()].flatMap((e) => (e.file ? [e.file] : []));
  }

  /** The Python lines of a loaded file (for the C's line comments). */
  linesOf(file: string): string[] {
    for (const e of this.entries.values()) if (e.file === file && e.mod) return e.mod.lines;
    return [];
  }

  /** What a dotted name refers to (`utils.clamp`, `pkg.mod.SCALE`, `math.pi`), through every re-export. */
  resolve(dotted: string, seen = new Set<string>()): Binding {
    if (dotted.startsWith('.')) {
      return { kind: 'missing', message: `the relative import '${dotted.replace(/^(\.+).*$/, '$1')}${dotted.replace(/^\.+/, '')}' has no parent package here (attempted relative import beyond the top-level package, or in a module that is not in a package)`, hint: 'put the module in a package (a folder with __init__.py, under a source root) or import by absolute name' };
    }
    const parts = dotted.split('.');
    if (!this.locate(parts[0])) return { kind: 'external', dotted };
    let b: Binding = this.moduleBinding(parts[0]);
    for (let i = 1; i < parts.length; i++) {
      if (b.kind === 'missing') return b;
      if (b.kind === 'external') return { kind: 'external', dotted: [b.dotted, ...parts.slice(i)].join('.') };
      if (b.kind === 'class' && i + 1 === parts.length) {
        // A method or class attribute through a class bound by import (`shapes.Vec.dot` where this module imports Vec).
        const { mod, module, name } = b;
        const method = mod.functions.find((f) => f.name === `${name}.${parts[i]}`);
        if (method) return { kind: 'function', module, name: method.name, qualified: `${module}.${method.name}`, fn: method, mod };
        const attr = mod.constants[`${name}.${parts[i]}`];
        if (attr) return { kind: 'value', module, name: `${name}.${parts[i]}`, qualified: `${module}.${name}.${parts[i]}`, constant: attr, mod };
      }
      if (b.kind !== 'module') {
        return { kind: 'missing', message: `'${parts.slice(0, i).join('.')}' is a ${b.kind === 'function' ? 'function' : b.kind === 'class' ? 'class' : 'module-level value'}; its attribute .${parts[i]} is outside the compiled subset` };
      }
      // A method of a module-level class (`mod.Vec.dot`): a function record named `Vec.dot` (types/classes.ts).
      const m = i + 2 === parts.length ? this.entries.get(b.module)?.mod : undefined;
      const method = m?.classes?.[parts[i]] ? m.functions.find((f) => f.name === `${parts[i]}.${parts[i + 1]}`) : undefined;
      if (method) return { kind: 'function', module: b.module, name: method.name, qualified: `${b.module}.${method.name}`, fn: method, mod: m! };
      // A class attribute (`Vec.DIM`, `HttpError.status` of an exception class): a module constant `Class.attr`.
      const isClass = !!m?.classes?.[parts[i]] || !!m?.exceptionClasses?.some((c) => c.name === parts[i]);
      const attr = isClass ? m!.constants[`${parts[i]}.${parts[i + 1]}`] : undefined;
      if (attr) return { kind: 'value', module: b.module, name: `${parts[i]}.${parts[i + 1]}`, qualified: `${b.module}.${parts[i]}.${parts[i + 1]}`, constant: attr, mod: m! };
      b = this.member(b.module, parts[i], seen);
    }
    return b;
  }

  private moduleBinding(name: string): Binding {
    const e = this.entries.get(name) ?? this.locate(name);
    return { kind: 'module', module: name, file: e?.file ?? null };
  }

  /** `module.name` as a completed import of `module` binds it. */
  private member(module: string, name: string, seen: Set<string>): Binding {
    const key = `${module}.${name}`;
    const e = this.entries.get(module);
    if (!e) {
      const parent = module.split('.').slice(0, -1).join('.');
      return { kind: 'missing', message: `module '${module}' is not imported${parent ? `: module '${parent}' has no attribute '${module.split('.').pop()}'` : ''}`, hint: `import it: import ${module}` };
    }
    if (e.error) return { kind: 'missing', message: `module '${module}' does not parse (${path.basename(e.error.file)}:${e.error.line}: ${e.error.message}), so '${name}' cannot be read from it`, file: e.error.file, line: e.error.line };
    if (seen.has(key)) return { kind: 'missing', message: `'${key}' is never defined: the modules import it from each other in a circle`, hint: 'define it in one module and import it from there' };
    seen.add(key);
    const mod = e.mod;
    if (mod) {
      const fn = mod.functions.find((f) => f.name === name);
      if (fn) return { kind: 'function', module, name, qualified: key, fn, mod };
      const constant = mod.constants[name];
      if (constant) return { kind: 'value', module, name, qualified: key, constant, mod };
      const imported = mod.imports[name];
      if (imported !== undefined) return this.resolve(imported, seen);
      if (mod.classes && Object.hasOwn(mod.classes, name)) return { kind: 'class', module, name, qualified: key, cls: mod.classes[name], mod };
    }
    if (this.entries.has(key)) return this.moduleBinding(key);
    if (this.locate(key)) return { kind: 'missing', message: `module '${module}' has no attribute '${name}': the submodule ${key} is not imported`, hint: `import it: import ${key}` };
    if (isCompiledStdlib(e.file)) {
      const names = (mod?.functions ?? []).map((f) => f.name.replace(/__\w+$/, '')).filter((n, i, all) => !n.startsWith('_') && all.indexOf(n) === i);
      const more = STDLIB_ELSEWHERE[module] ?? [];
      return { kind: 'missing', message: `${key} is outside the compiled subset`, hint: `Kiln compiles these of ${module}: ${[...names.map((n) => n.replace('_from_', '.from_')), ...more].join(', ')}` };
    }
    const defined = mod ? [...mod.functions.map((f) => f.name), ...Object.keys(mod.constants)] : [];
    return {
      kind: 'missing', message: `'${name}' is not defined in module '${module}'${e.file ? ` (${path.basename(e.file)})` : ' (a namespace package)'}`,
      hint: defined.length ? `it defines: ${defined.slice(0, 20).join(', ')}` : undefined, file: e.file ?? undefined,
    };
  }

  /**
   * The type checker's links for a program of this graph. `primary`: the module whose functions keep their bare
   * names (a one-module build; none for a project's library, whose names are all qualified). `boundscheck`: the
   * CLI's override of every function's bounds checks.
   */
  links(primary?: string, o: { boundscheck?: boolean } = {}): ProgramLinks {
    /** Each module's traces, by module name (ir/traces.ts). */
    const traces = new Map<string, ModuleTraces>();
    const located = new Map<string, { traces: ModuleTraces; name: string }>();
    // Typecheck asks these for every call it types, round after round: the answers of this graph, as loaded, are kept.
    const functions = new Map<string, Extract<Binding, { kind: 'function' }> | undefined>();
    const functionOf = (target: string) => {
      if (!functions.has(target)) {
        const b = this.resolve(target);
        functions.set(target, b.kind === 'function' && b.qualified === target ? b : undefined);
      }
      return functions.get(target);
    };
    const shown = new Map<string, string>();
    const projectDefault = this.config.settings.boundscheck;
    return {
      functionAt: (target) => {
        const b = functionOf(target);
        return b && { mod: b.mod, fn: b.fn };
      },
      getIR: (target) => {
        let at = located.get(target);
        if (!at) {
          // A module-level function, or a def or lambda nested in one (`pkg.mod.outer.<lambda:3:9>`): the
          // module-level function is traced with every function nested in it.
          const parts = target.split('.');
          let b: ReturnType<typeof functionOf>;
          for (let k = parts.length; k > 0 && !b; k--) b = functionOf(parts.slice(0, k).join('.'));
          if (!b) {
            // A module-level lambda (`OPS = (f, lambda x: x + 1.0)`): traced with the function that reads it.
            for (let k = parts.length - 1; k > 0 && !at; k--) {
              const t = traces.get(parts.slice(0, k).join('.'));
              if (t) at = { traces: t, name: parts.slice(k).join('.') };
            }
            if (!at) throw new Error(`internal: ${target} is not a function of the project`);
            located.set(target, at);
            return at.traces.get(at.name);
          }
          let t = traces.get(b.module);
          if (!t) traces.set(b.module, (t = new ModuleTraces(b.mod, this.scope)));
          located.set(target, (at = { traces: t, name: target.slice(b.module.length + 1) }));
        }
        return at.traces.get(at.name);
      },
      traceAgain: (ir, found) => traces.get(ir.module)?.traceAgain(ir, found) ?? false,
      // The primary module's functions (and the functions nested in them) by their bare names.
      displayName: (target) => {
        if (!primary || !target.startsWith(`${primary}.`)) return target;
        let name = shown.get(target);
        if (name === undefined) {
          const rest = target.slice(primary.length + 1);
          name = !rest.includes('.') || this.module(primary)?.functions.some((f) => f.name === rest.split('.')[0]) ? rest : target;
          shown.set(target, name);
        }
        return name;
      },
      modules: () => [...this.entries.values()].flatMap((e) => (e.mod ? [e.mod] : [])),
      moduleOf: (ir) => this.module(ir.module) ?? (() => { throw new Error(`internal: module ${ir.module} is not loaded`); })(),
      boundscheck: (fn) => {
        if (o.boundscheck !== undefined) return o.boundscheck;
        const option = fn.decorator?.options.boundscheck;
        return typeof option === 'boolean' ? option : projectDefault ?? true;
      },
    };
  }
}

/** A graph for a file or a project folder. */
export function graphFor(p: string, python?: string): ModuleGraph {
  return new ModuleGraph(locateProject(p), python);
}
