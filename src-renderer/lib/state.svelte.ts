/** The studio's state (Svelte 5 runes). Big data (IR, project, history) is $state.raw: replaced, never mutated. */
import { api, errorMessage } from './api.ts';
import type {
  AppInfo, BuildRecord, BuildRunResult, FunctionView, ProjectRecord, ProjectView, SettingsView, TargetResultView, TargetsView,
} from '../../src-compiler/api/schema.ts';

export type View = 'explore' | 'build' | 'history' | 'bench' | 'settings';

export interface TargetRun {
  target: string;
  phase: 'queued' | 'compiling' | 'verifying' | 'done';
  result?: TargetResultView;
}

class Studio {
  info = $state.raw<AppInfo | null>(null);
  recent = $state.raw<ProjectRecord[]>([]);
  project = $state.raw<ProjectView | null>(null);
  projectLoading = $state(false);
  projectError = $state<string | null>(null);
  view = $state<View>('explore');

  selected = $state<{ file: string; name: string } | null>(null);
  fn = $state.raw<FunctionView | null>(null);
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
  runs = $state<TargetRun[]>([]);
  building = $state(false);
  buildStage = $state<string>('');
  lastBuild = $state.raw<BuildRunResult | null>(null);
  buildError = $state<string | null>(null);
  private controller: AbortController | null = null;

  history = $state.raw<{ builds: BuildRecord[]; functions: string[]; targets: string[] }>({ builds: [], functions: [], targets: [] });
  historyFilter = $state<{ function: string; target: string }>({ function: '', target: '' });

  settings = $state.raw<SettingsView | null>(null);
  toast = $state<string | null>(null);

  async init() {
    this.info = await api.call('app.info', {});
    this.recent = await api.call('project.recent', {});
    api.onEvent((e) => {
      if (e.kind === 'project-changed' && this.project) void this.refresh();
    });
  }

  async openProject(path: string) {
    this.projectLoading = true;
    this.projectError = null;
    try {
      this.project = await api.call('project.open', { path });
      this.view = 'explore';
      this.selected = null;
      this.fn = null;
      // The first function is shown at once; the target list (which probes toolchains and can take seconds on a
      // busy machine) loads alongside, and must not take the selection back from a function the user clicked meanwhile.
      const first = this.project.files.flatMap((f) => f.functions.map((fn) => ({ file: f.file, name: fn.name })))[0];
      await Promise.all([
        api.call('targets.list', {}).then((t) => {
          this.targets = t;
          this.chosen = [...t.selected];
        }),
        first ? this.select(first.file, first.name) : Promise.resolve(),
      ]);
    } catch (e) {
      this.projectError = errorMessage(e);
    } finally {
      this.projectLoading = false;
    }
  }

  closeProject() {
    this.project = null;
    this.fn = null;
    this.selected = null;
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

  async select(file: string, name: string, o: { keepHighlight?: boolean } = {}) {
    this.selected = { file, name };
    this.hover = null;
    if (!o.keepHighlight) {
      this.pyLine = null;
      this.node = null;
    }
    this.fnLoading = true;
    this.fnError = null;
    try {
      const v = await api.call('function.view', { file, name });
      if (this.selected?.file === file && this.selected?.name === name) this.fn = v;
    } catch (e) {
      this.fnError = errorMessage(e);
    } finally {
      this.fnLoading = false;
    }
  }

  toggleTarget(id: string) {
    this.chosen = this.chosen.includes(id) ? this.chosen.filter((t) => t !== id) : [...this.chosen, id];
    void api.call('targets.remember', { targets: this.chosen });
  }

  async build() {
    if (!this.selected || !this.chosen.length || this.building) return;
    const order = this.targets?.targets.map((t) => t.id) ?? [];
    const chosen = [...this.chosen].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    this.runs = chosen.map((target) => ({ target, phase: 'queued' }));
    this.building = true;
    this.buildError = null;
    this.buildStage = 'Compiling the module';
    this.controller = new AbortController();
    try {
      this.lastBuild = await api.call('build.run', { file: this.selected.file, targets: chosen }, {
        signal: this.controller.signal,
        onProgress: (p) => {
          if (p.kind === 'compiling-module') { this.buildStage = `Compiling ${p.file}`; return; }
          const i = this.runs.findIndex((r) => r.target === p.target);
          if (i < 0) return;
          if (p.kind === 'target-start') this.runs[i].phase = 'compiling';
          else if (p.kind === 'target-phase') this.runs[i].phase = p.phase;
          else if (p.kind === 'target-done') { this.runs[i].phase = 'done'; this.runs[i].result = p.result; }
          this.buildStage = `Building ${p.target}`;
        },
      });
      for (const r of this.lastBuild.results) {
        const i = this.runs.findIndex((x) => x.target === r.target);
        if (i >= 0) this.runs[i] = { target: r.target, phase: 'done', result: r };
      }
      this.buildStage = 'Done';
    } catch (e) {
      this.buildError = errorMessage(e);
      this.buildStage = '';
      for (const r of this.runs) if (r.phase !== 'done') { r.phase = 'done'; r.result = { target: r.target, status: 'cancelled', firstLine: this.buildError, durationMs: 0, sizeBytes: null, artifactPath: null, cases: null, buildId: null, log: '' }; }
    } finally {
      this.building = false;
      this.controller = null;
      void this.refresh();
    }
  }

  cancelBuild() {
    this.controller?.abort();
  }

  async loadHistory() {
    this.history = await api.call('history.list', {
      function: this.historyFilter.function || undefined, target: this.historyFilter.target || undefined, limit: 300,
    });
  }

  async loadSettings() {
    this.settings = await api.call('settings.get', {});
  }

  flash(message: string) {
    this.toast = message;
    setTimeout(() => { if (this.toast === message) this.toast = null; }, 4000);
  }
}

export const studio = new Studio();
