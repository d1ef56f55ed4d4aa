/** The studio's state (Svelte 5 runes). Big data (IR, project, history) is $state.raw: replaced, never mutated. */
import { api, errorMessage } from './api.ts';
import { layout } from './layout.svelte.ts';
import { rememberPlace, savedPlace, type View } from './place.ts';
import type {
  AppInfo, BuildRecord, BuildRunResult, CallTarget, Diagnostic, ExportView, FileView, FunctionView, ProjectConfigView, ProjectRecord, ProjectSettings,
  ProjectView,
  SettingsView, TargetResultView, TargetsView,
} from '../../src-compiler/api/schema.ts';
import type { Severity } from './severity.ts';

export type { View } from './place.ts';

export interface TargetRun {
  target: string;
  phase: 'queued' | 'compiling' | 'verifying' | 'done';
  result?: TargetResultView;
}

/** One problem of the project, with the file (relative to the project) it belongs to. */
export interface Problem {
  file: string;
  diagnostic: Diagnostic;
}

/** A build or an export running, or the last one: its rows per target and how it ended. */
export interface RunState {
  runs: TargetRun[];
  running: boolean;
  stage: string;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
}

const idle = (): RunState => ({ runs: [], running: false, stage: '', error: null, startedAt: 0, finishedAt: null });

/** Applies one progress event of build.run / export.run to its rows. */
function applyProgress(s: RunState, p: { kind: string; target?: string; phase?: 'compiling' | 'verifying'; result?: TargetResultView; file?: string }) {
  if (p.kind === 'compiling-module') { s.stage = `Compiling ${p.file}`; return; }
  if (p.kind === 'bundling') { s.stage = 'Writing the bundles'; return; }
  const i = s.runs.findIndex((r) => r.target === p.target);
  if (i < 0) return;
  if (p.kind === 'target-start') s.runs[i].phase = 'compiling';
  else if (p.kind === 'target-phase') s.runs[i].phase = p.phase!;
  else if (p.kind === 'target-done') { s.runs[i].phase = 'done'; s.runs[i].result = p.result; }
  const active = s.runs.filter((r) => r.phase === 'compiling' || r.phase === 'verifying').map((r) => r.target);
  s.stage = active.length ? `Building ${active.join(', ')}` : s.stage;
}

function failRemaining(s: RunState, message: string) {
  for (const r of s.runs) {
    if (r.phase !== 'done') {
      r.phase = 'done';
      r.result = { target: r.target, status: 'cancelled', firstLine: message, durationMs: 0, sizeBytes: null, artifactPath: null, cases: null, buildId: null, log: '' };
    }
  }
}

class Studio {
  info = $state.raw<AppInfo | null>(null);
  recent = $state.raw<ProjectRecord[]>([]);
  project = $state.raw<ProjectView | null>(null);
  projectLoading = $state(false);
  projectError = $state<string | null>(null);
  view = $state<View>('explore');

  /** The function shown (name), or a file on its own (name null: a file that does not parse). */
  selected = $state<{ file: string; name: string | null } | null>(null);
  fn = $state.raw<FunctionView | null>(null);
  file = $state.raw<FileView | null>(null);
  fnLoading = $state(false);
  fnError = $state<string | null>(null);

  /** Cross-highlighting between Python, IR and C. */
  pyLine = $state<number | null>(null);
  node = $state<string | null>(null);
  /** What the pointer is over (a Python line, a C line or an IR node): shown instead of the pinned
   * pyLine/node while it lasts, as Compiler Explorer does on hover. A click pins (pyLine/node). */
  hover = $state<{ from: 'py' | 'c' | 'ir'; pyLine: number | null; node: string | null } | null>(null);

  targets = $state.raw<TargetsView | null>(null);
  chosen = $state<string[]>([]);
  build = $state<RunState>(idle());
  lastBuild = $state.raw<BuildRunResult | null>(null);
  private buildController: AbortController | null = null;

  exportOpen = $state(false);
  exporting = $state<RunState>(idle());
  exported = $state.raw<ExportView | null>(null);
  private exportController: AbortController | null = null;

  history = $state.raw<{ builds: BuildRecord[]; functions: string[]; targets: string[] }>({ builds: [], functions: [], targets: [] });
  /** True while history.list is in flight: the view says "Loading" rather than "No builds yet" over a stale list. */
  historyLoading = $state(false);
  /** `scope`: the history of the whole project (its files' builds and its own) or of the selected file. */
  historyFilter = $state<{ function: string; target: string; scope: 'project' | 'file' }>({ function: '', target: '', scope: 'project' });
  /** What Build builds: the selected file's module, or the whole project as one library. */
  buildScope = $state<'file' | 'project'>('file');
  /** The project's [tool.kiln] (pyproject.toml), for the project settings. */
  projectConfig = $state.raw<ProjectConfigView | null>(null);

  settings = $state.raw<SettingsView | null>(null);
  toast = $state<{ message: string; severity: Severity } | null>(null);

  /** Every problem of the project, file by file, in line order. */
  problems = $derived<Problem[]>((this.project?.files ?? []).flatMap((f) => f.diagnostics.map((diagnostic) => ({ file: f.file, diagnostic }))));
  problemCounts = $derived({
    error: this.problems.filter((p) => p.diagnostic.severity === 'error').length,
    warning: this.problems.filter((p) => p.diagnostic.severity === 'warning').length,
  });
  /** The selected file's entry in the project. */
  selectedFile = $derived(this.project?.files.find((f) => f.file === this.selected?.file) ?? null);
  /** Whether anything in the selected file compiles (else Build and Export have nothing to do); for the whole project, anything anywhere. */
  canBuild = $derived(this.buildScope === 'project' ? !!this.project?.files.some((f) => f.functions.some((fn) => fn.compilable)) : !!this.selectedFile?.functions.some((f) => f.compilable));

  async init() {
    this.info = await api.call('app.info', {});
    this.recent = await api.call('project.recent', {});
    api.onEvent((e) => {
      if (e.kind === 'project-changed' && this.project) void this.refresh();
    });
    // Back to where this window was (a reload, or the token URL opened again): project, view and function.
    const place = savedPlace();
    const project = place.project ?? this.info.project;
    if (project) await this.openProject(project, { view: place.view, file: place.file, fn: place.fn, quiet: true });
  }

  /** Remembers where the user is (see place.ts). */
  rememberPlace() {
    rememberPlace({ project: this.project?.root ?? null, view: this.view, file: this.selected?.file ?? null, fn: this.selected?.name ?? null });
  }

  async openProject(path: string, o: { view?: View; file?: string | null; fn?: string | null; quiet?: boolean } = {}) {
    this.projectLoading = true;
    this.projectError = null;
    try {
      const project = await api.call('project.open', { path });
      layout.use(project.root);
      this.project = project;
      this.view = o.view ?? 'explore';
      this.selected = null;
      this.fn = null;
      this.file = null;
      this.build = idle();
      this.exported = null;
      // The first function is shown at once; the target list (which probes toolchains and can take seconds on a
      // busy machine) loads alongside, and must not take the selection back from a function the user clicked meanwhile.
      const all = project.files.flatMap((f) => f.functions.map((fn) => ({ file: f.file, name: fn.name as string | null })));
      const wanted = o.file ? project.files.find((f) => f.file === o.file) : undefined;
      const restore = wanted && (o.fn ? wanted.functions.some((f) => f.name === o.fn) : wanted.error) ? { file: wanted.file, name: o.fn ?? null } : undefined;
      const first = restore ?? all[0];
      await Promise.all([
        api.call('targets.list', {}).then((t) => {
          this.targets = t;
          this.chosen = [...t.selected];
        }),
        first ? this.select(first.file, first.name) : Promise.resolve(),
      ]);
    } catch (e) {
      // A remembered project that is gone is forgotten quietly; one the user asked for says why.
      if (o.quiet) this.project = null;
      else this.projectError = errorMessage(e);
    } finally {
      this.projectLoading = false;
      this.rememberPlace();
    }
  }

  closeProject() {
    this.project = null;
    this.fn = null;
    this.file = null;
    this.selected = null;
    layout.use(null);
    this.rememberPlace();
    void api.call('project.recent', {}).then((r) => (this.recent = r));
  }

  async refresh() {
    if (!this.project) return;
    try {
      this.project = await api.call('project.refresh', {});
      if (this.selected) await this.select(this.selected.file, this.selected.name, { keepHighlight: true });
    } catch (e) {
      this.projectError = errorMessage(e);
    }
  }

  async select(file: string, name: string | null, o: { keepHighlight?: boolean } = {}) {
    this.selected = { file, name };
    this.hover = null;
    if (!o.keepHighlight) {
      this.pyLine = null;
      this.node = null;
    }
    this.fnLoading = true;
    this.fnError = null;
    this.rememberPlace();
    try {
      if (name == null) {
        const v = await api.call('file.view', { file });
        if (this.selected?.file === file && this.selected?.name == null) { this.file = v; this.fn = null; }
      } else {
        const v = await api.call('function.view', { file, name });
        if (this.selected?.file === file && this.selected?.name === name) { this.fn = v; this.file = null; }
      }
    } catch (e) {
      this.fnError = errorMessage(e);
    } finally {
      this.fnLoading = false;
    }
  }

  setView(v: View) {
    this.view = v;
    this.rememberPlace();
  }

  /** Opens a problem where it is: its function (or its file) in Explore, its line pinned. */
  async goToProblem(p: Problem) {
    const f = this.project?.files.find((x) => x.file === p.file);
    const fn = p.diagnostic.function && f?.functions.some((x) => x.name === p.diagnostic.function) ? p.diagnostic.function : null;
    const name = fn ?? (f?.error ? null : [...(f?.functions ?? [])].reverse().find((x) => x.line <= p.diagnostic.line)?.name ?? f?.functions[0]?.name ?? null);
    this.setView('explore');
    if (this.selected?.file !== p.file || this.selected?.name !== name) await this.select(p.file, name);
    this.node = null;
    this.pyLine = p.diagnostic.line || null;
  }

  toggleTarget(id: string) {
    this.chosen = this.chosen.includes(id) ? this.chosen.filter((t) => t !== id) : [...this.chosen, id];
    void api.call('targets.remember', { targets: this.chosen });
  }

  /** The chosen targets in the grid's order. */
  orderedChosen(): string[] {
    const order = this.targets?.targets.map((t) => t.id) ?? [];
    return [...this.chosen].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }

  async runBuild() {
    if (!this.selected || !this.chosen.length || this.build.running || !this.canBuild) return;
    const chosen = this.orderedChosen();
    this.build = { ...idle(), runs: chosen.map((target) => ({ target, phase: 'queued' })), running: true, stage: 'Compiling the module', startedAt: Date.now() };
    // Progress in view: the panel with the live rows opens wherever the user is.
    layout.openDock('build');
    this.buildController = new AbortController();
    try {
      this.lastBuild = await api.call('build.run', { file: this.selected.file, targets: chosen, ...(this.buildScope === 'project' ? { scope: 'project' as const } : {}) }, {
        signal: this.buildController.signal,
        onProgress: (p) => applyProgress(this.build, p),
      });
      for (const r of this.lastBuild.results) {
        const i = this.build.runs.findIndex((x) => x.target === r.target);
        if (i >= 0) this.build.runs[i] = { target: r.target, phase: 'done', result: r };
      }
      this.build.stage = 'Done';
    } catch (e) {
      this.build.error = errorMessage(e);
      this.build.stage = '';
      failRemaining(this.build, this.build.error);
    } finally {
      this.build.running = false;
      this.build.finishedAt = Date.now();
      this.buildController = null;
      void this.refresh();
    }
  }

  cancelBuild() {
    this.buildController?.abort();
  }

  /** Export = `kiln export` of the selected file for the given targets, into `folder` (default: the project's). */
  async runExport(targets: string[], folder: string) {
    if (!this.selected || this.exporting.running || !targets.length) return;
    this.exported = null;
    this.exporting = { ...idle(), runs: targets.map((target) => ({ target, phase: 'queued' })), running: true, stage: 'Compiling the module', startedAt: Date.now() };
    this.exportController = new AbortController();
    try {
      this.exported = await api.call('export.run', { file: this.selected.file, targets, folder: folder.trim() || undefined }, {
        signal: this.exportController.signal,
        onProgress: (p) => applyProgress(this.exporting, p),
      });
      this.exporting.stage = 'Done';
    } catch (e) {
      this.exporting.error = errorMessage(e);
      this.exporting.stage = '';
      failRemaining(this.exporting, this.exporting.error);
    } finally {
      this.exporting.running = false;
      this.exporting.finishedAt = Date.now();
      this.exportController = null;
    }
  }

  cancelExport() {
    this.exportController?.abort();
  }

  async loadHistory() {
    const file = this.historyFilter.scope === 'file' ? this.selected?.file : undefined;
    this.historyLoading = true;
    try {
      this.history = await api.call('history.list', {
        function: this.historyFilter.function || undefined, target: this.historyFilter.target || undefined, limit: 300, ...(file ? { file } : {}),
      });
    } finally {
      this.historyLoading = false;
    }
  }

  /** Follows a call into its callee (another module's function, or a helper of this one): opened in Explore. */
  async openCallee(c: CallTarget) {
    this.setView('explore');
    await this.select(c.file, c.name);
  }

  async loadProjectConfig() {
    this.projectConfig = this.project ? await api.call('project.config.get', {}) : null;
  }

  /** Writes [tool.kiln] (only what changed; the file keeps its comments and formatting); refused values throw. */
  async saveProjectConfig(patch: Partial<ProjectSettings>) {
    this.projectConfig = await api.call('project.config.set', patch);
    await this.refresh();
  }

  async loadSettings() {
    this.settings = await api.call('settings.get', {});
  }

  flash(message: string, severity: Severity = 'success') {
    const t = { message, severity };
    this.toast = t;
    setTimeout(() => { if (this.toast === t) this.toast = null; }, 4000);
  }
}

export const studio = new Studio();
