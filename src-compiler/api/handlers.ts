/**
 * The handlers of the studio's API: the same functions behind Electron IPC and browser mode. Thin: each
 * one validates where a path may point, then calls the compiler (discoverPaths, compileModule,
 * formatIRTable/irRows, listTargets/buildTargets, the store). Long calls take an AbortSignal and report
 * progress. Paths from the UI are relative to the project the user opened and may not leave it.
 */
import { functionAbi } from '../lower/abi.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { discoverPaths, pythonInterpreter } from '../frontend/python.ts';
import { compileModule, compileProject, unitSource, type CompiledModule, type CompiledUnit } from '../pipeline.ts';
import { locateProject, ModuleGraph } from '../project/graph.ts';
import { walkNodes } from '../ir/ir.ts';
import { readConfig, writeConfig, type KilnSettings } from '../project/config.ts';
import { formatIRTable, irRows } from '../ir/print.ts';
import { buildTargets, type TargetBuildResult } from '../targets/build.ts';
import { getTarget } from '../targets/registry.ts';
import { listTargets } from '../targets/status.ts';
import { hostToolchain, type ToolchainChoice } from '../targets/toolchain.ts';
import { isKilnError, KilnError, type Diagnostic } from '../diagnostics.ts';
import { defaultDbPath, openDb, type KilnDb } from '../store/db.ts';
import {
  buildFacets, getBuild, getSetting, listBuilds, newBatchId, notRecordedWarning, projectTargets, recentProjects, recordBuild, setProjectTargets,
  setSetting, touchProject,
} from '../store/builds.ts';
import { exportModule, type ExportResult } from '../export/export.ts';
import { BenchApiError, benchDefaults, runStudioBenchmark, projectSpeedups, exportRun } from './bench.ts';
import { compareRuns, functionHistory, getRun, listRuns, sweepSeries } from '../bench/index.ts';
import type {
  ApiCalls, ApiEvent, ArgsOf, CallName, CallTarget, ExportView, FolderListing, FunctionSummary, FunctionView, ProjectConfigView, ProjectFile,
  ProjectView, ResultOf,
  SettingCheck, Settings, SettingsView, TargetResultView, TargetsView, ProgressOf,
} from './schema.ts';

export class ApiError extends Error {
  constructor(public readonly code: string, message: string, public readonly diagnostic?: Diagnostic) {
    super(message);
  }
}

export interface ApiHostOptions {
  mode: 'electron' | 'browser';
  dbPath?: string;
  version?: string;
  /** Native dialogs (Electron only). */
  pickFolder?: (purpose: 'project' | 'export') => Promise<string | null>;
  openExternal?: (url: string) => Promise<void>;
  /** Shows a folder in the system's file manager (Electron only). */
  openFolder?: (folder: string) => Promise<void>;
  /** The folder browser mode's folder picker lists from (default $KILN_BROWSE_ROOT, else the home folder). */
  browseRoot?: string;
  /** Watch the open project and push 'project-changed' events (default true). */
  watch?: boolean;
}

export interface CallContext<N extends CallName> {
  signal: AbortSignal;
  progress: (p: ProgressOf<N>) => void;
}

type Handler<N extends CallName> = (args: ArgsOf<N>, ctx: CallContext<N>) => Promise<ResultOf<N>>;
export type Handlers = { [N in CallName]: Handler<N> };

/** How errors about the toolchain setting name it. */
export const TOOLCHAIN_SETTING = 'Settings › Toolchain path';
export const PYTHON_SETTING = 'Settings › Python interpreter';
/** The folder Export writes to inside the project unless told otherwise (`kiln export`'s default --out). */
export const EXPORT_FOLDER = 'kiln-export';

const DEFAULT_SETTINGS: Settings = { python: '', toolchainPath: '', defaultTargets: [], optLevel: 'O2', fastMath: false };

const toPosix = (p: string) => p.split(path.sep).join('/');

/** One studio session's state (the open project, caches, the database) and its handlers. */
export class ApiHost {
  readonly handlers: Handlers;
  private db?: KilnDb;
  private root: string | null = null;
  private watcher?: fs.FSWatcher;
  private changeTimer?: NodeJS.Timeout;
  private changed = new Set<string>();
  private listeners = new Set<(e: ApiEvent) => void>();
  /** Compiled modules, each with the files it was read from (its module and every module it imports) and their stats. */
  private compiled = new Map<string, { key: string; sources?: { file: string; stat: string }[]; value: Promise<CompiledModule> }>();

  constructor(private readonly o: ApiHostOptions) {
    this.handlers = this.makeHandlers();
  }

  onEvent(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.watcher?.close();
    clearTimeout(this.changeTimer);
    this.db?.close();
    this.db = undefined;
  }

  /** The database, opened on first use; a corrupt file is reported (KilnError), never overwritten. */
  database(): KilnDb {
    this.db ??= openDb(this.o.dbPath);
    return this.db;
  }

  private settings(): Settings {
    return { ...DEFAULT_SETTINGS, ...(getSetting<Partial<Settings>>(this.database(), 'studio') ?? {}) };
  }

  private python(): string | undefined {
    return this.settings().python || undefined;
  }

  /** Settings › Toolchain path: the compiler every build, benchmark and target status uses, when set. */
  private compiler(): ToolchainChoice | undefined {
    const p = this.settings().toolchainPath.trim();
    return p ? { path: p, source: TOOLCHAIN_SETTING } : undefined;
  }

  private requireRoot(): string {
    if (!this.root) throw new ApiError('no-project', 'open a project folder first');
    return this.root;
  }

  /** A path from the UI, relative to the project: resolved, and refused if it leaves the project. */
  resolveInProject(rel: string): string {
    const root = this.requireRoot();
    const abs = path.resolve(root, rel);
    const real = fs.existsSync(abs) ? fs.realpathSync(abs) : abs;
    const inside = (p: string) => { const r = path.relative(root, p); return r !== '' && !r.startsWith('..') && !path.isAbsolute(r); };
    if (!inside(abs) || !inside(real)) throw new ApiError('forbidden', `'${rel}' is outside the open project`);
    if (!fs.existsSync(real)) throw new ApiError('not-found', `no such file in the project: ${rel}`);
    return real;
  }

  /**
   * A module compiled (cached): the cache key is the stat of every file the result was read from, the module's
   * and those of every module it imports, transitively: a change to utils.py recompiles main.py, which calls it.
   */
  private compile(file: string, functions?: string[]): Promise<CompiledModule> {
    const stat = (f: string) => { const st = fs.statSync(f, { throwIfNoEntry: false }); return st ? `${st.mtimeMs}:${st.size}` : 'gone'; };
    const key = `${this.python() ?? ''}:${functions?.join(',') ?? ''}`;
    const id = `${file}::${functions?.join(',') ?? ''}`;
    const hit = this.compiled.get(id);
    if (hit && hit.key === key && (hit.sources ? hit.sources.every((s) => stat(s.file) === s.stat) : stat(file) === hit.key)) return hit.value;
    const value = compileModule(file, { python: this.python(), functions });
    const entry: { key: string; sources?: { file: string; stat: string }[]; value: Promise<CompiledModule> } = { key, value };
    value.then((c) => { entry.sources = c.sources.map((f) => ({ file: f, stat: stat(f) })); }, () => this.compiled.delete(id));
    this.compiled.set(id, entry);
    return value;
  }

  /** The calls of a function to other Python functions (of its module or another), with where each callee is. */
  private callsOf(compiled: CompiledModule, name: string): CallTarget[] {
    const root = this.requireRoot();
    const fr = compiled.functions.find((f) => f.name === name);
    const typed = compiled.program?.entries.find((e) => e.name === name);
    if (!fr?.ir) return [];
    const out: CallTarget[] = [];
    walkNodes(fr.ir.nodes, (n) => {
      if (n.op !== 'call_function') return;
      const b = compiled.graph?.resolve(n.target);
      if (!b || b.kind !== 'function') return;
      const rel = path.relative(root, b.mod.file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return; // a module outside the open folder cannot be opened
      const key = typed?.calls.get(n.name);
      const cName = compiled.program?.functions.find((f) => f.key === key)?.cName ?? null;
      out.push({ node: n.name, file: toPosix(rel), name: b.name, qualified: b.qualified, cName });
    });
    return out;
  }

  /** The project's library compiled: every exported function of every module. */
  private compileWholeProject(): Promise<CompiledUnit> {
    return compileProject(this.requireRoot(), { python: this.python() });
  }

  /** The project's [tool.kiln], for the studio's project settings. */
  private configView(): ProjectConfigView {
    const root = this.requireRoot();
    const c = readConfig(root);
    return {
      file: path.join(root, 'pyproject.toml'), exists: !!c.file, settings: c.settings, problems: c.problems,
      resolved: { sourceRoots: c.sourceRoots.map((r) => toPosix(path.relative(root, r)) || '.'), name: c.name, version: c.version },
    };
  }

  private emit(e: ApiEvent) {
    for (const l of this.listeners) l(e);
  }

  private watch(root: string) {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.o.watch === false) return;
    try {
      this.watcher = fs.watch(root, { recursive: true }, (_ev, name) => {
        // The export folder's Python package is ours, not the project's.
        if (!name || !String(name).endsWith('.py') || toPosix(String(name)).split('/')[0] === EXPORT_FOLDER) return;
        this.changed.add(toPosix(String(name)));
        clearTimeout(this.changeTimer);
        this.changeTimer = setTimeout(() => {
          const files = [...this.changed];
          this.changed.clear();
          this.emit({ kind: 'project-changed', files });
        }, 150);
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // Watching is a convenience: without it the UI's refresh still works.
    }
  }

  private latestStatuses(root: string): Map<string, Record<string, string>> {
    // file|function -> target -> newest status
    const out = new Map<string, Record<string, string>>();
    for (const b of listBuilds(this.database(), { under: root, limit: 1000 }).reverse()) {
      for (const fn of b.functions) {
        const k = `${b.file}|${fn}`;
        const m = out.get(k) ?? {};
        m[b.target] = b.status;
        out.set(k, m);
      }
    }
    return out;
  }

  private async projectView(): Promise<ProjectView> {
    const root = this.requireRoot();
    const c = readConfig(root);
    return {
      root, name: path.basename(root), files: await this.projectFiles(root), exportFolder: path.join(root, EXPORT_FOLDER),
      library: { name: c.name, version: c.version, configFile: c.file, problems: c.problems },
    };
  }

  /** The project's files with @compile functions (or one file, `under` being that file): functions and problems. */
  private async projectFiles(under: string): Promise<ProjectFile[]> {
    const root = this.requireRoot();
    const found = await discoverPaths([under], this.python());
    const statuses = this.latestStatuses(root);
    const files: ProjectFile[] = [];
    // Each file's import path in the project (the sidebar groups functions by it).
    const graph = new ModuleGraph(locateProject(root), this.python());
    const moduleOf = (f: string) => graph.nameOfFile(f) ?? null;
    for (const e of found.errors) {
      const error: Diagnostic = { severity: 'error', file: e.file, line: e.line, col: e.col, construct: 'syntax', message: e.message, hint: 'fix the syntax: until the file parses, none of its functions can be read' };
      files.push({ file: toPosix(path.relative(root, e.file)), module: moduleOf(e.file), functions: [], error, diagnostics: [error] });
    }
    for (const f of found.files) {
      const decorated = f.functions.filter((fn) => fn.decorated);
      if (!decorated.length) continue;
      let compiled: CompiledModule | undefined;
      let error: Diagnostic | null = null;
      try {
        compiled = await this.compile(f.file);
      } catch (e) {
        if (!isKilnError(e)) throw e;
        error = e.diagnostic;
      }
      const functions: FunctionSummary[] = decorated.map((fn) => {
        const r = compiled?.functions.find((x) => x.name === fn.name);
        const o = fn.decorator?.options ?? {};
        return {
          name: fn.name, line: fn.line, signature: fn.signature,
          tag: typeof o.tag === 'string' ? o.tag : null,
          description: typeof o.description === 'string' ? o.description : (fn.docstring?.split('\n')[0] ?? null),
          compilable: !!r && !r.error, error: r?.error ?? null,
          targets: statuses.get(`${f.file}|${fn.name}`) ?? {},
        };
      });
      const diagnostics = [
        ...(error ? [error] : []),
        ...functions.flatMap((fn) => (fn.error ? [{ ...fn.error, function: fn.error.function ?? fn.name }] : [])),
        ...(compiled?.warnings ?? []),
      ].sort((a, b) => a.line - b.line || a.col - b.col);
      files.push({ file: toPosix(path.relative(root, f.file)), module: moduleOf(f.file), functions, error, diagnostics });
    }
    // By module path (a package's modules together), files outside the source roots last.
    return files.sort((a, b) => (a.module === null ? 1 : 0) - (b.module === null ? 1 : 0) || (a.module ?? a.file).localeCompare(b.module ?? b.file));
  }

  /** `recorded`: the build's row in the history, or why it could not be stored; none for an export's builds. */
  private resultView(r: TargetBuildResult, recorded?: { buildId: number } | { warning: string }): TargetResultView {
    const lib = r.artifacts?.library;
    const cases = r.verification
      ? r.verification.functions.reduce(
        (a, f) => ({ total: a.total + f.cases.length, matched: a.matched + f.counts.match + f.counts.limit }),
        { total: 0, matched: 0 },
      )
      : null;
    return {
      target: r.target, status: r.status, firstLine: r.firstLine ?? null, durationMs: Math.round(r.durationMs),
      sizeBytes: lib && fs.existsSync(lib) ? fs.statSync(lib).size : null, artifactPath: lib ?? null, cases, log: r.log,
      ...(!recorded ? { buildId: null } : 'buildId' in recorded ? { buildId: recorded.buildId } : { buildId: null, warning: recorded.warning }),
    };
  }

  private async settingsView(): Promise<SettingsView> {
    const s = this.settings();
    const python = pythonInterpreter(s.python || undefined);
    let pythonVersion: string | null = null;
    try {
      const r = await execa(python, ['--version'], { reject: false, timeout: 10_000 });
      pythonVersion = r.exitCode === 0 ? (r.stdout || r.stderr).trim() : null;
    } catch {
      pythonVersion = null;
    }
    let toolchain: string | null = null;
    let toolchainSource: string | null = null;
    try {
      const t = await hostToolchain(this.compiler());
      toolchain = t.version;
      toolchainSource = `${t.source}: ${t.command.join(' ')}`;
    } catch (e) {
      toolchainSource = isKilnError(e) ? e.diagnostic.message : (e as Error).message;
    }
    return { settings: s, detected: { python, pythonVersion, toolchain, toolchainSource } };
  }

  /** Whether a Python interpreter setting works: it runs and is Python 3.9 or newer. */
  private async checkPython(value: string): Promise<SettingCheck> {
    const python = pythonInterpreter(value.trim() || undefined);
    const r = await execa(python, ['-c', 'import sys; print(sys.version.split()[0]); print(sys.version_info >= (3, 9))'], { reject: false, timeout: 15_000 });
    if (r.exitCode === undefined) return { ok: false, message: `${PYTHON_SETTING}: ${python} ${(r as { code?: string }).code === 'ENOENT' ? 'not found' : 'does not run'}` };
    if (r.exitCode !== 0) return { ok: false, message: `${PYTHON_SETTING}: ${python} does not run (exit code ${r.exitCode})` };
    const [version, recent] = String(r.stdout).trim().split('\n');
    if (recent !== 'True') return { ok: false, message: `${PYTHON_SETTING}: ${python} is Python ${version}; Kiln needs 3.9 or newer` };
    return { ok: true, message: `Python ${version} (${python})` };
  }

  /** Whether a toolchain path works: the compiler Kiln would use with it, or why not. */
  private async checkToolchain(value: string): Promise<SettingCheck> {
    const p = value.trim();
    try {
      const t = await hostToolchain(p ? { path: p, source: TOOLCHAIN_SETTING } : undefined);
      return { ok: true, message: `${t.version} (${t.command.join(' ')})` };
    } catch (e) {
      return { ok: false, message: isKilnError(e) ? e.diagnostic.message : (e as Error).message };
    }
  }

  /** The folders under the browse root: what browser mode's folder picker shows (names only). */
  private listFolders(rel?: string): FolderListing {
    const root = fs.realpathSync(this.o.browseRoot ?? process.env.KILN_BROWSE_ROOT ?? os.homedir());
    const wanted = rel ? path.resolve(root, rel) : root;
    const real = fs.existsSync(wanted) ? fs.realpathSync(wanted) : wanted;
    const r = path.relative(root, real);
    if (r.startsWith('..') || path.isAbsolute(r)) throw new ApiError('forbidden', `the folder picker shows folders under ${root} only; type the path of a folder elsewhere`);
    if (!fs.existsSync(real) || !fs.statSync(real).isDirectory()) throw new ApiError('not-found', `not a folder: ${rel}`);
    const hasPython = (dir: string) => {
      try { return fs.readdirSync(dir).some((n) => n.endsWith('.py')); } catch { return false; }
    };
    let entries: fs.Dirent[] = [];
    try { entries = fs.readdirSync(real, { withFileTypes: true }); } catch (e) { throw new ApiError('forbidden', `cannot read ${real}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
    const folders = entries
      .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== '__pycache__' && (e.isDirectory() || (e.isSymbolicLink() && fs.statSync(path.join(real, e.name), { throwIfNoEntry: false })?.isDirectory())))
      .map((e) => e.name).sort((a, b) => a.localeCompare(b)).slice(0, 500)
      .map((name) => ({ name, path: path.join(real, name), python: hasPython(path.join(real, name)) }));
    return { root, path: real, parent: real === root ? null : path.dirname(real), folders, python: hasPython(real) };
  }

  /** The answer of `export.run`: what exportModule wrote, in the API's plain terms. */
  private exportView(r: ExportResult, compiled: CompiledModule): ExportView {
    return {
      folder: r.out, module: r.module,
      targets: r.targets.map((t) => ({
        target: t.target, status: t.status, firstLine: t.firstLine ?? null, zip: t.zip ?? null, dir: t.dir ?? null, files: t.files,
      })),
      pythonPackage: r.pythonPackage ?? null,
      pythonExtension: r.pythonExtension
        ? { ok: r.pythonExtension.ok, file: r.pythonExtension.file ?? null, message: r.pythonExtension.message ?? null }
        : null,
      jsModule: r.jsModule ?? null,
      skippedFunctions: compiled.functions.filter((f) => f.error).map((f) => ({ name: f.name, message: f.error!.message })),
    };
  }

  private makeHandlers(): Handlers {
    return {
      'app.info': async () => ({
        version: this.o.version ?? '0.1.0', mode: this.o.mode, platform: `${process.platform}-${process.arch}`,
        dbPath: this.database().name, project: this.root,
      }),
      'project.recent': async () => recentProjects(this.database()).filter((p) => fs.existsSync(p.path)),
      'project.pick': async () => ({ path: this.o.pickFolder ? await this.o.pickFolder('project') : null }),
      'project.open': async ({ path: p }) => {
        const abs = path.resolve(p);
        if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new ApiError('not-found', `not a folder: ${p}`);
        this.root = fs.realpathSync(abs);
        this.compiled.clear();
        touchProject(this.database(), this.root, path.basename(this.root));
        this.watch(this.root);
        return this.projectView();
      },
      'project.refresh': async () => this.projectView(),
      'file.view': async ({ file }) => {
        const abs = this.resolveInProject(file);
        if (!fs.statSync(abs).isFile()) throw new ApiError('not-found', `not a file: ${file}`);
        const source = fs.readFileSync(abs, 'utf8').split(/\r?\n/);
        return { file, source, diagnostics: (await this.projectFiles(abs))[0]?.diagnostics ?? [] };
      },
      'function.view': async ({ file, name }): Promise<FunctionView> => {
        const abs = this.resolveInProject(file);
        const source = fs.readFileSync(abs, 'utf8').split(/\r?\n/);
        let compiled: CompiledModule;
        try {
          compiled = await this.compile(abs);
        } catch (e) {
          if (!isKilnError(e)) throw e;
          return { file, name, source, span: { line: e.diagnostic.line, endLine: e.diagnostic.line }, signature: name, ir: null, table: '', rows: [], c: null, cName: null, lineMap: [], diagnostics: [e.diagnostic], abi: null, module: null, calls: [] };
        }
        const pyFn = compiled.module.functions.find((f) => f.name === name);
        if (!pyFn) throw new ApiError('not-found', `no function '${name}' in ${file}`);
        // A helper without @compile (opened by following a call): compiled on its own, typed by its annotations.
        if (!pyFn.decorated && !compiled.functions.some((f) => f.name === name)) compiled = await this.compile(abs, [name]);
        const r = compiled.functions.find((f) => f.name === name);
        const diagnostics = [...(r?.errors ?? (r?.error ? [r.error] : [])), ...compiled.warnings.filter((w) => !w.function || w.function === name)];
        const ir = r?.ir ?? null;
        const exported = compiled.unit?.exports.find((e) => e.name === name);
        return {
          file, name, source: compiled.module.lines.length ? compiled.module.lines : source,
          span: { line: pyFn.span.line, endLine: pyFn.span.endLine }, signature: pyFn.signature,
          ir, table: ir ? formatIRTable(ir, { lines: true }) : '', rows: ir ? irRows(ir.nodes) : [],
          c: compiled.unit?.source ?? null, cName: compiled.unit?.sourceName ?? null,
          lineMap: compiled.unit?.lineMap ?? [], diagnostics,
          abi: exported ? functionAbi(exported) : null,
          module: compiled.module.name ?? null,
          calls: this.callsOf(compiled, name),
        };
      },
      'project.config.get': async () => this.configView(),
      'project.config.set': async (patch) => {
        try {
          writeConfig(this.requireRoot(), patch as Partial<KilnSettings>);
        } catch (e) {
          if (isKilnError(e)) throw new ApiError('invalid-setting', e.diagnostic.message, e.diagnostic);
          throw e;
        }
        this.compiled.clear();
        return this.configView();
      },
      'targets.list': async (): Promise<TargetsView> => {
        const targets = (await listTargets({ compiler: this.compiler() })).map((t) => ({
          id: t.id, label: t.label, group: t.group, triple: t.triple ?? null, buildable: t.buildable, executable: t.executable,
          reason: t.reason ?? null, toolchain: t.toolchain ?? null,
        }));
        const remembered = this.root ? projectTargets(this.database(), this.root) : null;
        const setting = this.settings().defaultTargets.filter((id) => targets.some((t) => t.id === id));
        const hostDefault = targets.filter((t) => t.executable).slice(0, 1).map((t) => t.id);
        const selected = (remembered ?? (setting.length ? setting : hostDefault)).filter((id) => targets.some((t) => t.id === id));
        return { targets, selected, hostDefault };
      },
      'targets.remember': async ({ targets }) => {
        setProjectTargets(this.database(), this.requireRoot(), targets);
        return { ok: true as const };
      },
      'build.run': async (a, ctx) => {
        const whole = a.scope === 'project';
        const abs = whole ? this.requireRoot() : this.resolveInProject(a.file);
        const s = this.settings();
        ctx.progress({ kind: 'compiling-module', file: whole ? path.basename(abs) : a.file });
        const compiled: CompiledUnit = whole ? await this.compileWholeProject() : await this.compile(abs);
        const functions = a.functions ?? compiled.functions.filter((f) => !f.error).map((f) => f.name);
        const batchId = newBatchId();
        const source = compiled.module && !compiled.project ? compiled.module.lines.join('\n') : unitSource(compiled);
        const results: TargetResultView[] = [];
        // A build that cannot be recorded (a full disk, a locked or read-only database) still stands, but the
        // user is told: it will be missing from the history and cannot be exported from there.
        const record = (r: TargetBuildResult): { buildId: number } | { warning: string } => {
          try {
            return { buildId: recordBuild(this.database(), {
              project: this.root, file: abs, module: compiled.program?.module ?? compiled.name, functions, source, target: r.target,
              toolchain: r.artifacts?.toolchain.command.join(' ') ?? null, toolchainVersion: r.artifacts?.toolchain.version ?? null,
              flags: r.artifacts?.flags ?? [], durationMs: r.durationMs,
              sizeBytes: r.artifacts?.library && fs.existsSync(r.artifacts.library) ? fs.statSync(r.artifacts.library).size : null,
              status: r.status, firstLine: r.firstLine ?? null, log: r.log, artifactPath: r.artifacts?.library ?? null,
              verification: r.verification, origin: 'studio', batchId,
            }) };
          } catch (e) {
            return { warning: notRecordedWarning(this.db?.name ?? this.o.dbPath ?? defaultDbPath(), e) };
          }
        };
        await buildTargets(abs, {
          targets: a.targets, functions, python: this.python(), optLevel: a.optLevel ?? s.optLevel, fastMath: a.fastMath ?? s.fastMath,
          compiler: this.compiler(),
          signal: ctx.signal, compiled: a.functions && !whole ? undefined : compiled,
          onProgress: (e) => {
            if (e.kind === 'target-done') {
              const view = this.resultView(e.result, record(e.result));
              results.push(view);
              ctx.progress({ kind: 'target-done', target: e.target, result: view });
            } else ctx.progress(e);
          },
        });
        return { batchId, file: whole ? '.' : a.file, functions, results };
      },
      'history.list': async (q) => {
        const db = this.database();
        const under = q.all || q.file ? undefined : (this.root ?? undefined);
        const file = q.file ? this.resolveInProject(q.file) : undefined;
        const builds = listBuilds(db, { function: q.function, target: q.target, limit: q.limit, under, file });
        const facets = buildFacets(db);
        return { builds, ...facets };
      },
      'history.get': async ({ id }) => {
        const b = getBuild(this.database(), id);
        if (!b) throw new ApiError('not-found', `no build #${id}`);
        return b;
      },
      'export.pick': async () => ({ path: this.o.pickFolder ? await this.o.pickFolder('export') : null }),
      // The studio's Export is `kiln export`: the same function (exportModule) with the same options, so the
      // folder holds the same bundles, byte for byte.
      'export.run': async (a, ctx) => {
        const root = this.requireRoot();
        const abs = this.resolveInProject(a.file);
        for (const t of a.targets) if (!getTarget(t)) throw new ApiError('invalid-arguments', `unknown target '${t}'`);
        if (!a.targets.length) throw new ApiError('invalid-arguments', 'choose at least one target to export');
        const out = a.folder?.trim() ? path.resolve(root, a.folder.trim()) : path.join(root, EXPORT_FOLDER);
        const s = this.settings();
        ctx.progress({ kind: 'compiling-module', file: a.file });
        const compiled = await this.compile(abs);
        const r = await exportModule(abs, {
          targets: a.targets, out, compiled, python: this.python(), optLevel: s.optLevel, fastMath: s.fastMath, compiler: this.compiler(), signal: ctx.signal,
          onProgress: (e) => {
            if (e.kind === 'target-done') {
              ctx.progress({ kind: 'target-done', target: e.target, result: this.resultView(e.result) });
              if (e.target === a.targets[a.targets.length - 1] || a.targets.length === 1) ctx.progress({ kind: 'bundling' });
            } else ctx.progress(e);
          },
        });
        return this.exportView(r, compiled);
      },
      'folders.list': async ({ path: p }) => this.listFolders(p),
      'settings.get': async () => this.settingsView(),
      'settings.check': async (a) => ({
        ...(a.python !== undefined ? { python: await this.checkPython(a.python) } : {}),
        ...(a.toolchainPath !== undefined ? { toolchainPath: await this.checkToolchain(a.toolchainPath) } : {}),
      }),
      'settings.set': async (patch) => {
        // A setting that cannot work is refused here, named, rather than saved to fail every build later.
        if (patch.python?.trim()) {
          const c = await this.checkPython(patch.python);
          if (!c.ok) throw new ApiError('invalid-setting', c.message);
        }
        if (patch.toolchainPath?.trim()) {
          const c = await this.checkToolchain(patch.toolchainPath);
          if (!c.ok) throw new ApiError('invalid-setting', c.message);
        }
        const unknown = (patch.defaultTargets ?? []).filter((t) => !getTarget(t));
        if (unknown.length) throw new ApiError('invalid-setting', `Settings › Default targets: unknown target${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
        setSetting(this.database(), 'studio', { ...this.settings(), ...patch });
        this.compiled.clear();
        return this.settingsView();
      },
      'bench.defaults': async ({ file, function: name }) => benchDefaults(await this.compile(this.resolveInProject(file)), name, this.requireRoot()),
      'bench.run': async (a, ctx) => {
        const abs = this.resolveInProject(a.file);
        const refC = a.refC ? this.resolveInProject(a.refC) : undefined;
        const s = this.settings();
        return runStudioBenchmark(this.database(), this.requireRoot(), abs, a, await this.compile(abs), {
          python: this.python(), optLevel: s.optLevel, fastMath: s.fastMath, compiler: this.compiler(), refC, signal: ctx.signal, progress: ctx.progress,
        });
      },
      'bench.runs': async (q) => listRuns(this.database(), { file: q.file ? this.resolveInProject(q.file) : undefined, function: q.function, limit: q.limit }),
      'bench.get': async ({ runId }) => {
        const r = getRun(this.database(), runId);
        if (!r) throw new ApiError('not-found', `no benchmark run #${runId}`);
        return r;
      },
      'bench.sweep': async ({ runId, function: fn, file }) => sweepSeries(this.database(), runId, { function: fn, file: file ? this.resolveInProject(file) : undefined }),
      'bench.speedups': async () => projectSpeedups(this.database(), this.requireRoot()),
      'bench.compare': async ({ a, b }) => {
        for (const id of [a, b]) if (!getRun(this.database(), id)) throw new ApiError('not-found', `no benchmark run #${id}`);
        return compareRuns(this.database(), a, b);
      },
      'bench.history': async ({ function: fn, file, variant }) => functionHistory(this.database(), { function: fn, file: file ? this.resolveInProject(file) : undefined, variant }),
      'bench.export': async ({ runId, format }) => {
        const r = getRun(this.database(), runId);
        if (!r) throw new ApiError('not-found', `no benchmark run #${runId}`);
        return exportRun(r, format);
      },
      'shell.openExternal': async ({ url }) => {
        let u: URL;
        try { u = new URL(url); } catch { throw new ApiError('invalid-arguments', `not a URL: ${url}`); }
        if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ApiError('forbidden', 'only http(s) links open outside the studio');
        if (!this.o.openExternal) return { opened: false };
        await this.o.openExternal(u.toString());
        return { opened: true };
      },
      'shell.openFolder': async ({ path: p }) => {
        // Folders only: opening a file would run it.
        if (!path.isAbsolute(p) || !fs.existsSync(p) || !fs.statSync(p).isDirectory()) throw new ApiError('not-found', `not a folder: ${p}`);
        if (!this.o.openFolder) return { opened: false };
        await this.o.openFolder(p);
        return { opened: true };
      },
    };
  }
}

/** Turns any failure of a handler into the wire's error body. */
export function errorBody(e: unknown, signal?: AbortSignal): { message: string; code: string; diagnostic?: Diagnostic } {
  if (signal?.aborted) return { message: 'cancelled', code: 'cancelled' };
  if (e instanceof ApiError) return { message: e.message, code: e.code, diagnostic: e.diagnostic };
  if (e instanceof BenchApiError) return { message: e.message, code: e.code };
  if (e instanceof KilnError) return { message: e.message, code: 'diagnostic', diagnostic: e.diagnostic };
  if (e && (e as Error).name === 'ApiArgumentError') return { message: (e as Error).message, code: 'invalid-arguments' };
  return { message: (e as Error)?.message ?? String(e), code: 'internal' };
}

export type { ApiCalls };
