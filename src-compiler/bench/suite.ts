/**
 * The project's benchmark suite (bench/suite.json): which kernels, with which arguments and references,
 * and the targets the compiled column is held to. `evaluateTargets` says honestly which are met.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchRun, BenchSpec } from './benchmark.ts';
import { timed as timedAny } from './benchmark.ts';

/** A timing that counts toward a target: measured, and the result equals CPython's. */
const timed: typeof timedAny = (c, v) => { const r = timedAny(c, v); return r?.status === 'ok' ? r : undefined; };
import type { MeasureSettings } from './measure.ts';
import { RESOLUTION_NS } from './stats.ts';

export interface SuiteKernel extends BenchSpec {
  kernel: string;
  /**
   * 'loop' kernels are held to the >= 25x over CPython target; 'scalar-call' measures per-call overhead; a 'sort'
   * kernel with a `baseline` (a sort by a key) is held to 1.3x of the baseline kernel (the same sort without a key);
   * 'text' kernels (strings) to >= 3x over CPython and within 1.5x of C; 'objects' kernels (class instances made
   * and dropped, method calls, dispatch: issue 15) to >= 10x over CPython and within 1.5x of C; 'dicts' kernels
   * (dicts, sets, deques, Counter, heapq: issue 14) to their own `minSpeedup` over CPython (5x for graph searches,
   * 3x for counting), their C references (open-addressing tables) shown for comparison.
   */
  role: 'loop' | 'recursion' | 'scalar-call' | 'sort' | 'text' | 'objects' | 'dicts';
  baseline?: string;
  /** A 'dicts' kernel's target: at least this many times faster than CPython. */
  minSpeedup?: number;
}

export interface Suite {
  dir: string;
  settings: Partial<MeasureSettings>;
  rust?: string;
  kernels: SuiteKernel[];
}

export function loadSuite(dir: string): Suite {
  const file = path.join(dir, 'suite.json');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { settings?: Partial<MeasureSettings>; rust?: string; kernels: (SuiteKernel & { iterationsParam?: string | null })[] };
  const rust = raw.rust ? path.resolve(dir, raw.rust) : undefined;
  return {
    dir, settings: raw.settings ?? {}, rust,
    kernels: raw.kernels.map((k) => ({
      ...k,
      file: path.resolve(dir, k.file),
      refC: k.refC?.map((f) => path.resolve(dir, f)),
      refRust: k.refRust ? path.resolve(dir, k.refRust) : rust,
      iterationsParam: k.iterationsParam ?? undefined,
    })),
  };
}

export interface TargetVerdict {
  target: string;
  /** true = met, false = missed, undefined = could not be measured. */
  met?: boolean;
  detail: string;
}

/**
 * The compiled column's targets: within 1.10x of hand-written C on every kernel, ahead of Numba on every
 * kernel, >= 25x faster than CPython on loop kernels, a sort by a key within 1.3x of the same sort without one,
 * and < 1 us per call from Python through the exported package for
 * a scalar function (ctypes median minus the native median).
 */
export function evaluateTargets(run: BenchRun, suite: Pick<Suite, 'kernels'>): TargetVerdict[] {
  const roleOf = (kernel: string) => suite.kernels.find((k) => k.kernel === kernel)?.role;
  const baselineOf = (kernel: string) => suite.kernels.find((k) => k.kernel === kernel)?.baseline;
  const name = (c: BenchRun['cases'][number]) => `${c.kernel}${c.sweep ? ` ${c.sweep.param}=${c.sweep.value}` : ''}`;
  const out: TargetVerdict[] = [];
  // An item whose timings are flagged too noisy ("?" in the table) is neither met nor missed: it is listed, and
  // the target cannot be called met until a quieter run.
  const judge = (
    target: string, all: { label: string; value?: number; ok?: boolean; missing?: string; belowResolution?: boolean; noisy?: boolean }[],
    fmt: (v: number) => string,
  ) => {
    const tiny = all.filter((i) => i.belowResolution);
    const items = all.filter((i) => !i.belowResolution);
    const measured = items.filter((i) => i.value !== undefined);
    const noisy = measured.filter((i) => i.noisy);
    const judged = measured.filter((i) => !i.noisy);
    const missed = judged.filter((i) => !i.ok);
    const unmeasured = items.filter((i) => i.value === undefined);
    const parts: string[] = [];
    if (missed.length) parts.push(`missed on ${missed.map((i) => `${i.label} (${fmt(i.value!)})`).join(', ')}`);
    const okItems = judged.filter((i) => i.ok);
    if (okItems.length) parts.push(`met on ${okItems.map((i) => `${i.label} (${fmt(i.value!)})`).join(', ')}`);
    if (noisy.length) parts.push(`too noisy to judge on ${noisy.map((i) => `${i.label} (${fmt(i.value!)}?)`).join(', ')}`);
    if (unmeasured.length) parts.push(`not measured on ${unmeasured.map((i) => `${i.label}${i.missing ? ` (${i.missing})` : ''}`).join(', ')}`);
    if (tiny.length) parts.push(`not comparable on ${tiny.map((i) => `${i.label} (${fmt(i.value!)})`).join(', ')}: both take under ${RESOLUTION_NS} ns a call, so the work was removed by both compilers and what is timed is the harness's loop`);
    if (!all.length) parts.push('no kernel of this kind was run');
    const met = missed.length ? false : judged.length && !noisy.length && !unmeasured.length ? true : undefined;
    out.push({ target, met, detail: parts.join('; ') });
  };
  const why = (c: BenchRun['cases'][number], v: string) => {
    const r = c.results.find((x) => x.variant === v);
    return r ? (r.status === 'ok' ? undefined : r.status) : 'not run';
  };
  const timedCases = run.cases.filter((c) => roleOf(c.kernel) !== 'scalar-call');
  const numericCases = timedCases.filter((c) => !['text', 'objects', 'dicts'].includes(roleOf(c.kernel) ?? ''));
  const noisyPair = (a?: { summary?: { noisy?: boolean } }, b?: { summary?: { noisy?: boolean } }) => !!(a?.summary?.noisy || b?.summary?.noisy);

  judge('Kiln within 1.10x of hand-written C', numericCases.map((c) => {
    const k = timed(c, 'kiln-native');
    const ref = timed(c, 'c-ref');
    const value = k && ref ? k.summary!.medianNs / ref.summary!.medianNs : undefined;
    const belowResolution = !!k && !!ref && Math.max(k.summary!.medianNs, ref.summary!.medianNs) < RESOLUTION_NS;
    return { label: name(c), value, ok: value !== undefined && value <= 1.1, missing: why(c, k ? 'c-ref' : 'kiln-native'), belowResolution, noisy: noisyPair(k, ref) };
  }), (v) => `${v.toFixed(2)}x`);

  judge('Kiln ahead of Numba', timedCases.map((c) => {
    const k = timed(c, 'kiln-native');
    const nb = timed(c, 'numba');
    const value = k && nb ? nb.summary!.medianNs / k.summary!.medianNs : undefined;
    return { label: name(c), value, ok: value !== undefined && value > 1, missing: why(c, k ? 'numba' : 'kiln-native'), noisy: noisyPair(k, nb) };
  }), (v) => `Numba/Kiln ${v.toFixed(2)}x`);

  judge('Kiln >= 25x faster than CPython on loop kernels', run.cases.filter((c) => roleOf(c.kernel) === 'loop').map((c) => {
    const k = timed(c, 'kiln-native');
    const cp = timed(c, 'cpython');
    const value = k && cp ? cp.summary!.medianNs / k.summary!.medianNs : undefined;
    return { label: name(c), value, ok: value !== undefined && value >= 25, missing: why(c, k ? 'cpython' : 'kiln-native'), noisy: noisyPair(k, cp) };
  }), (v) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}x`);

  judge('a sort by a key within 1.3x of the same sort without one', run.cases.filter((c) => roleOf(c.kernel) === 'sort' && baselineOf(c.kernel)).map((c) => {
    const k = timed(c, 'kiln-native');
    const base = run.cases.find((b) => b.kernel === baselineOf(c.kernel));
    const b = base && timed(base, 'kiln-native');
    const value = k && b ? k.summary!.medianNs / b.summary!.medianNs : undefined;
    return { label: `${name(c)} / ${baselineOf(c.kernel)}`, value, ok: value !== undefined && value <= 1.3, missing: base ? why(k ? base : c, 'kiln-native') : `${baselineOf(c.kernel)} not run`, noisy: noisyPair(k, b) };
  }), (v) => `${v.toFixed(2)}x`);

  // Strings (issue 13): every character and word goes through Python's str semantics (code points, Unicode case
  // and whitespace), where the C references work on the ASCII bytes of the same text.
  const textCases = run.cases.filter((c) => roleOf(c.kernel) === 'text');
  judge('Kiln >= 3x faster than CPython on text kernels', textCases.map((c) => {
    const k = timed(c, 'kiln-native');
    const cp = timed(c, 'cpython');
    const value = k && cp ? cp.summary!.medianNs / k.summary!.medianNs : undefined;
    return { label: name(c), value, ok: value !== undefined && value >= 3, missing: why(c, k ? 'cpython' : 'kiln-native'), noisy: noisyPair(k, cp) };
  }), (v) => `${v.toFixed(1)}x`);

  judge('Kiln within 1.5x of hand-written C on text kernels', textCases.map((c) => {
    const k = timed(c, 'kiln-native');
    const ref = timed(c, 'c-ref');
    const value = k && ref ? k.summary!.medianNs / ref.summary!.medianNs : undefined;
    return { label: name(c), value, ok: value !== undefined && value <= 1.5, missing: why(c, k ? 'c-ref' : 'kiln-native'), noisy: noisyPair(k, ref) };
  }), (v) => `${v.toFixed(2)}x`);

  // Objects (issue 15): instances allocated and freed as the program goes, where the C references keep structs by value.
  const objectCases = run.cases.filter((c) => roleOf(c.kernel) === 'objects');
  judge('Kiln >= 10x faster than CPython on object kernels', objectCases.map((c) => {
    const k = timed(c, 'kiln-native');
    const cp = timed(c, 'cpython');
    const value = k && cp ? cp.summary!.medianNs / k.summary!.medianNs : undefined;
    return { label: name(c), value, ok: value !== undefined && value >= 10, missing: why(c, k ? 'cpython' : 'kiln-native'), noisy: noisyPair(k, cp) };
  }), (v) => `${v.toFixed(1)}x`);

  judge('Kiln within 1.5x of hand-written C on object kernels', objectCases.map((c) => {
    const k = timed(c, 'kiln-native');
    const ref = timed(c, 'c-ref');
    const value = k && ref ? k.summary!.medianNs / ref.summary!.medianNs : undefined;
    return { label: name(c), value, ok: value !== undefined && value <= 1.5, missing: why(c, k ? 'c-ref' : 'kiln-native'), noisy: noisyPair(k, ref) };
  }), (v) => `${v.toFixed(2)}x`);

  // Dicts (issue 14): the C references are open-addressing tables without Python's insertion order or hashes.
  const minSpeedupOf = (kernel: string) => suite.kernels.find((k) => k.kernel === kernel)?.minSpeedup ?? 1;
  judge('Kiln at its speed-up over CPython on dict kernels (5x graph searches, 3x counting)', run.cases.filter((c) => roleOf(c.kernel) === 'dicts').map((c) => {
    const k = timed(c, 'kiln-native');
    const cp = timed(c, 'cpython');
    const value = k && cp ? cp.summary!.medianNs / k.summary!.medianNs : undefined;
    return { label: `${name(c)} >= ${minSpeedupOf(c.kernel)}x`, value, ok: value !== undefined && value >= minSpeedupOf(c.kernel), missing: why(c, k ? 'cpython' : 'kiln-native'), noisy: noisyPair(k, cp) };
  }), (v) => `${v.toFixed(1)}x`);

  judge('per-call overhead from Python through the exported package < 1 us (scalar function)', run.cases.filter((c) => roleOf(c.kernel) === 'scalar-call').map((c) => {
    const k = timed(c, 'kiln-native');
    const ct = timed(c, 'kiln-ctypes');
    const value = k && ct ? ct.summary!.medianNs - k.summary!.medianNs : undefined;
    return { label: name(c), value, ok: value !== undefined && value < 1000, missing: why(c, ct ? 'kiln-native' : 'kiln-ctypes'), noisy: noisyPair(k, ct) };
  }), (v) => `${v.toFixed(0)} ns`);
  return out;
}

export function formatTargets(verdicts: TargetVerdict[]): string {
  return verdicts.map((v) => `${v.met === true ? 'MET   ' : v.met === false ? 'MISSED' : 'N/A   '} ${v.target}: ${v.detail}`).join('\n');
}
