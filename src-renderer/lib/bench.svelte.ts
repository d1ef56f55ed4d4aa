/** The Benchmark panel's state: kept outside the component so a running benchmark survives switching tabs. */
import { api, errorMessage } from './api.ts';
import { saveText } from './charts.ts';
import type {
  BenchRunResult, BenchVariant, HistoryPoint, ProjectSpeedup, ResultOf, RunComparisonRow, Series, StoredRunSummary,
} from '../../src-compiler/api/schema.ts';

export interface BenchForm {
  args: string[];
  sweepParam: string;
  sweepValues: string;
  budgetMs: number;
  variants: BenchVariant[];
}

class BenchState {
  key = $state<string | null>(null);
  defaults = $state.raw<ResultOf<'bench.defaults'> | null>(null);
  form = $state<BenchForm>({ args: [], sweepParam: '', sweepValues: '', budgetMs: 200, variants: ['cpython', 'kiln-native', 'kiln-ctypes', 'c-ref'] });
  running = $state(false);
  progress = $state<{ done: number; total: number; label: string }>({ done: 0, total: 0, label: '' });
  error = $state<string | null>(null);
  last = $state.raw<BenchRunResult | null>(null);

  runs = $state.raw<StoredRunSummary[]>([]);
  runId = $state<number | null>(null);
  sweep = $state.raw<{ param: string | null; series: Series[] } | null>(null);
  times = $state.raw<{
    args: string[]; rows: { variant: string; label: string; medianNs: number; minNs: number; p90Ns: number; noisy: boolean }[];
  } | null>(null);
  speedups = $state.raw<ProjectSpeedup[]>([]);
  compareA = $state<number | null>(null);
  compareB = $state<number | null>(null);
  comparison = $state.raw<RunComparisonRow[] | null>(null);
  historyVariant = $state('kiln-native');
  history = $state.raw<HistoryPoint[]>([]);
  private controller: AbortController | null = null;

  /** Loads the defaults and the stored data of a function (once per function). */
  async open(file: string, name: string) {
    const key = `${file}::${name}`;
    if (this.key === key) return;
    this.key = key;
    this.error = null;
    this.sweep = null;
    this.comparison = null;
    this.runId = null;
    try {
      const d = await api.call('bench.defaults', { file, function: name });
      if (this.key !== key) return;
      this.defaults = d;
      this.form = { ...this.form, args: [...d.args], sweepParam: d.sweepParam ?? '', sweepValues: d.sweepValues.join(', ') };
    } catch (e) {
      this.error = errorMessage(e);
    }
    await this.reload(file, name);
  }

  async reload(file: string, name: string) {
    try {
      this.runs = await api.call('bench.runs', { file, function: name, limit: 50 });
      this.runId ??= this.runs[0]?.id ?? null;
      const ids = new Set(this.runs.map((r) => r.id));
      if (!this.compareA || !this.compareB || !ids.has(this.compareA) || !ids.has(this.compareB) || this.compareA === this.compareB) {
        this.compareA = this.runs[1]?.id ?? null;
        this.compareB = this.runs[0]?.id ?? null;
      }
      await Promise.all([this.loadSweep(name), this.loadSpeedups(), this.loadHistory(file, name), this.compare()]);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  async loadSweep(name: string) {
    this.sweep = this.runId ? await api.call('bench.sweep', { runId: this.runId, function: name }) : null;
    this.times = null;
    if (this.runId && !this.sweep?.series.length) {
      // No sweep: the run's last case of this function, one bar per variant.
      const run = await api.call('bench.get', { runId: this.runId });
      const c = run.cases.filter((k) => k.function === name).at(-1);
      if (c) {
        this.times = {
          args: c.args,
          rows: c.results.filter((r) => r.summary).map((r) => ({
            variant: r.variant, label: r.label, medianNs: r.summary!.medianNs, minNs: r.summary!.minNs, p90Ns: r.summary!.p90Ns, noisy: r.summary!.noisy,
          })),
        };
      }
    }
  }

  async loadSpeedups() {
    this.speedups = await api.call('bench.speedups', {});
  }

  async loadHistory(file: string, name: string) {
    const all = await api.call('bench.history', { file, function: name, variant: this.historyVariant });
    // One line: the largest input each run measured.
    const byRun = new Map<number, HistoryPoint>();
    for (const p of all) {
      const n = (q: HistoryPoint) => Number(q.args[q.args.length - 1]) || 0;
      const cur = byRun.get(p.runId);
      if (!cur || n(p) >= n(cur)) byRun.set(p.runId, p);
    }
    this.history = [...byRun.values()].sort((a, b) => a.runId - b.runId);
  }

  async compare() {
    this.comparison = this.compareA && this.compareB && this.compareA !== this.compareB ? await api.call('bench.compare', { a: this.compareA, b: this.compareB }) : null;
  }

  async run(file: string, name: string) {
    if (this.running) return;
    const f = this.form;
    const sweepValues = f.sweepValues.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
    const sweepIdx = this.defaults?.params.findIndex((p) => p.name === f.sweepParam) ?? -1;
    this.running = true;
    this.error = null;
    this.progress = { done: 0, total: 0, label: 'Compiling' };
    this.controller = new AbortController();
    try {
      const r = await api.call('bench.run', {
        file, function: name, args: f.sweepParam ? f.args.filter((_, i) => i !== sweepIdx) : [...f.args],
        ...(f.sweepParam ? { sweepParam: f.sweepParam, sweepValues } : {}), budgetMs: Number(f.budgetMs) || 200, variants: [...f.variants],
      }, {
        signal: this.controller.signal,
        onProgress: (p) => {
          if (p.kind === 'bench-start') this.progress = { done: 0, total: p.points * p.variants.length, label: 'Starting' };
          else this.progress = { done: p.done, total: p.total, label: `${p.kind === 'variant-start' ? 'Timing' : 'Timed'} ${p.variant} at (${p.args.join(', ')})` };
        },
      });
      this.last = r;
      this.runId = r.runId;
      this.compareA = this.compareB;
      this.compareB = r.runId;
      this.key = `${file}::${name}`;
      await this.reload(file, name);
    } catch (e) {
      this.error = errorMessage(e) === 'cancelled' ? 'Cancelled: nothing was stored.' : errorMessage(e);
    } finally {
      this.running = false;
      this.controller = null;
    }
  }

  cancel() {
    this.controller?.abort();
  }

  async exportRun(format: 'csv' | 'json') {
    if (!this.runId) return;
    try {
      const r = await api.call('bench.export', { runId: this.runId, format });
      saveText(r.content, r.filename, r.mime);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }
}

export const bench = new BenchState();
