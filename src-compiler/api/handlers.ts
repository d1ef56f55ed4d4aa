/**
 * The handlers of the studio's API: the same functions behind Electron IPC and browser mode. Thin: each
 * one validates where a path may point, then calls the compiler (discoverPaths, compileModule,
 * formatIRTable/irRows, listTargets/buildTargets, the store). Long calls take an AbortSignal and report
 * progress. Paths from the UI are relative to the project the user opened and may not leave it.
 */
import { functionAbi } from '../lower/abi.ts';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { discoverPaths, pythonInterpreter } from '../frontend/python.ts';
import { compileModule, type CompiledModule } from '../pipeline.ts';
import { formatIRTable, irRows } from '../ir/print.ts';
import { buildTargets, listTargets, type TargetBuildResult } from '../targets/matrix.ts';
import { hostToolchain, type ToolchainChoice } from '../targets/toolchain.ts';
import { isKilnError, KilnError, type Diagnostic } from '../diagnostics.ts';
import { openDb, type KilnDb } from '../store/db.ts';
import {
  buildFacets, getBuild, getSetting, listBuilds, newBatchId, projectTargets, recentProjects, recordBuild, setProjectTargets,
  setSetting, touchProject,
} from '../store/builds.ts';
import { exportBuilds } from './export.ts';
import { BenchApiError, benchDefaults, runStudioBenchmark, projectSpeedups, exportRun } from './bench.ts';
import { compareRuns, functionHistory, getRun, listRuns, sweepSeries } from '../bench/index.ts';
import type {
  ApiCalls, ApiEvent, ArgsOf, CallName, FunctionSummary, FunctionView, ProjectFile, ProjectView, ResultOf, Settings,
  SettingsView, TargetResultView, TargetsView, ProgressOf,
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
  private compiled = new Map<string, { key: string; value: Promise<CompiledModule> }>();

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

  private compile(file: string): Promise<CompiledModule> {
    const st = fs.statSync(file);
    const key = `${st.mtimeMs}:${st.size}:${this.python() ?? ''}`;
    const hit = this.compiled.get(file);
    if (hit && hit.key === key) return hit.value;
    const value = compileModule(file, { python: this.python() });
    value.catch(() => this.compiled.delete(file));
    this.compiled.set(file, { key, value });
    return value;
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
        if (!name || !String(name).endsWith('.py')) return;
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
    const found = await discoverPaths([root], this.python());
    const statuses = this.latestStatuses(root);
    const files: ProjectFile[] = [];
    for (const e of found.errors) {
      files.push({ file: toPosix(path.relative(root, e.file)), functions: [], error: { severity: 'error', file: e.file, line: e.line, col: e.col, construct: 'syntax', message: e.message } });
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
      files.push({ file: toPosix(path.relative(root, f.file)), functions, error });
    }
    files.sort((a, b) => a.file.localeCompare(b.file));
    return { root, name: path.basename(root), files };
  }

  private resultView(r: TargetBuildResult, buildId: number | null): TargetResultView {
    const lib = r.artifacts?.library;
    const cases = r.verification ? r.verification.functions.reduce((a, f) => ({ total: a.total + f.cases.length, matched: a.matched + f.counts.match + f.counts.limit }), { total: 0, matched: 0 }) : null;
    return {
      target: r.target, status: r.status, firstLine: r.firstLine ?? null, durationMs: Math.round(r.durationMs),
      sizeBytes: lib && fs.existsSync(lib) ? fs.statSync(lib).size : null, artifactPath: lib ?? null, cases, buildId, log: r.log,
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
      'function.view': async ({ file, name }): Promise<FunctionView> => {
        const abs = this.resolveInProject(file);
        const source = fs.readFileSync(abs, 'utf8').split(/\r?\n/);
        let compiled: CompiledModule;
        try {
          compiled = await this.compile(abs);
        } catch (e) {
          if (!isKilnError(e)) throw e;
          return { file, name, source, span: { line: e.diagnostic.line, endLine: e.diagnostic.line }, signature: name, ir: null, table: '', rows: [], c: null, cName: null, lineMap: [], diagnostics: [e.diagnostic], abi: null };
        }
        const pyFn = compiled.module.functions.find((f) => f.name === name);
        if (!pyFn) throw new ApiError('not-found', `no function '${name}' in ${file}`);
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
        };
      },
      'targets.list': async (): Promise<TargetsView> => {
        const targets = (await listTargets({ compiler: this.compiler() })).map((t) => ({
          id: t.id, label: t.label, group: t.group, triple: t.triple ?? null, buildable: t.buildable, executable: t.executable,
          reason: t.reason ?? null, toolchain: t.toolchain ?? null,
        }));
        const remembered = this.root ? projectTargets(this.database(), this.root) : null;
        const defaults = this.settings().defaultTargets;
        const selected = (remembered ?? (defaults.length ? defaults : targets.filter((t) => t.executable).slice(0, 1).map((t) => t.id))).filter((id) => targets.some((t) => t.id === id));
        return { targets, selected };
      },
      'targets.remember': async ({ targets }) => {
        setProjectTargets(this.database(), this.requireRoot(), targets);
        return { ok: true as const };
      },
      'build.run': async (a, ctx) => {
        const abs = this.resolveInProject(a.file);
        const s = this.settings();
        ctx.progress({ kind: 'compiling-module', file: a.file });
        const compiled = await this.compile(abs);
        const functions = a.functions ?? compiled.functions.filter((f) => !f.error).map((f) => f.name);
        const batchId = newBatchId();
        const source = compiled.module.lines.join('\n');
        const results: TargetResultView[] = [];
        const record = (r: TargetBuildResult): number | null => {
          try {
            return recordBuild(this.database(), {
              project: this.root, file: abs, module: compiled.program?.module ?? path.basename(abs, '.py'), functions, source, target: r.target,
              toolchain: r.artifacts?.toolchain.command.join(' ') ?? null, toolchainVersion: r.artifacts?.toolchain.version ?? null,
              flags: r.artifacts?.flags ?? [], durationMs: r.durationMs,
              sizeBytes: r.artifacts?.library && fs.existsSync(r.artifacts.library) ? fs.statSync(r.artifacts.library).size : null,
              status: r.status, firstLine: r.firstLine ?? null, log: r.log, artifactPath: r.artifacts?.library ?? null,
              verification: r.verification, origin: 'studio', batchId,
            });
          } catch {
            return null;
          }
        };
        await buildTargets(abs, {
          targets: a.targets, functions, python: this.python(), optLevel: a.optLevel ?? s.optLevel, fastMath: a.fastMath ?? s.fastMath, compiler: this.compiler(),
          signal: ctx.signal, compiled: a.functions ? undefined : compiled,
          onProgress: (e) => {
            if (e.kind === 'target-done') {
              const view = this.resultView(e.result, record(e.result));
              results.push(view);
              ctx.progress({ kind: 'target-done', target: e.target, result: view });
            } else ctx.progress(e);
          },
        });
        return { batchId, file: a.file, functions, results };
      },
      'history.list': async (q) => {
        const db = this.database();
        const under = q.all ? undefined : (this.root ?? undefined);
        const builds = listBuilds(db, { function: q.function, target: q.target, limit: q.limit, under });
        const facets = buildFacets(db);
        return { builds, ...facets };
      },
      'history.get': async ({ id }) => {
        const b = getBuild(this.database(), id);
        if (!b) throw new ApiError('not-found', `no build #${id}`);
        return b;
      },
      'export.pick': async () => ({ path: this.o.pickFolder ? await this.o.pickFolder('export') : null }),
      'export.run': async ({ buildIds, folder }) => {
        if (!path.isAbsolute(folder)) throw new ApiError('invalid-arguments', `the export folder must be an absolute path: ${folder}`);
        return exportBuilds(this.database(), buildIds, folder);
      },
      'settings.get': async () => this.settingsView(),
      'settings.set': async (patch) => {
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
