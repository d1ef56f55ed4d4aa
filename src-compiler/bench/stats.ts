/**
 * Benchmark statistics: plain functions over samples (nanoseconds per call), no I/O. A sample is the
 * time of `reps` back-to-back calls divided by `reps`; the summary is what gets stored and printed.
 */

export interface SampleSummary {
  /** Number of samples. */
  n: number;
  /** Calls timed per sample. */
  repsPerSample: number;
  /** Per-call time, nanoseconds. */
  minNs: number;
  medianNs: number;
  p90Ns: number;
  meanNs: number;
  maxNs: number;
  /** Sample standard deviation (n - 1), nanoseconds per call. */
  stddevNs: number;
  /** Coefficient of variation: stddev / mean. */
  cv: number;
  /** Relative spread of the middle of the distribution: (p90 - min) / median. */
  spread: number;
  /** True when the spread is too wide to trust the number (see `noiseVerdict`). */
  noisy: boolean;
  noiseReason?: string;
  /** Time per inner iteration (medianNs / iterationsPerCall) when the caller knows the iteration count. */
  perIterationNs?: number;
}

/** Thresholds for the "too noisy to trust" verdict. */
export interface NoisePolicy {
  /** Fewer samples than this cannot be trusted. */
  minSamples: number;
  /** (p90 - min) / median above this is too wide. */
  maxSpread: number;
  /** stddev / mean above this is too wide. */
  maxCv: number;
}

export const DEFAULT_NOISE: NoisePolicy = { minSamples: 5, maxSpread: 0.2, maxCv: 0.15 };

/** The q-quantile (0..1) of sorted values, linear interpolation between closest ranks (numpy's default). */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  if (sorted.length === 1) return sorted[0];
  const pos = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function mean(values: number[]): number {
  if (!values.length) return NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Sample standard deviation (Bessel's n - 1); 0 for fewer than two values. */
export function stddev(values: number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return Math.sqrt(s / (values.length - 1));
}

/** Why a set of samples is too noisy to trust, or undefined when it is fine. */
export function noiseVerdict(s: Pick<SampleSummary, 'n' | 'spread' | 'cv'>, policy: NoisePolicy = DEFAULT_NOISE): string | undefined {
  if (s.n < policy.minSamples) return `only ${s.n} sample${s.n === 1 ? '' : 's'} (need ${policy.minSamples})`;
  if (s.spread > policy.maxSpread) return `spread (p90 - min) / median is ${(s.spread * 100).toFixed(0)}% (limit ${(policy.maxSpread * 100).toFixed(0)}%)`;
  if (s.cv > policy.maxCv) return `coefficient of variation is ${(s.cv * 100).toFixed(0)}% (limit ${(policy.maxCv * 100).toFixed(0)}%)`;
  return undefined;
}

/**
 * Summarises per-call samples (ns). `iterationsPerCall` (e.g. n_iter of a loop kernel) adds the time per
 * inner iteration.
 */
export function summarize(samplesNs: number[], opts: { repsPerSample?: number; iterationsPerCall?: number; policy?: NoisePolicy } = {}): SampleSummary {
  if (!samplesNs.length) throw new Error('summarize: no samples');
  if (samplesNs.some((v) => !Number.isFinite(v) || v < 0)) throw new Error('summarize: samples must be finite, non-negative times');
  const sorted = [...samplesNs].sort((a, b) => a - b);
  const n = sorted.length;
  const medianNs = quantile(sorted, 0.5);
  const meanNs = mean(sorted);
  const sd = stddev(sorted);
  const p90Ns = quantile(sorted, 0.9);
  const spread = medianNs > 0 ? (p90Ns - sorted[0]) / medianNs : 0;
  const cv = meanNs > 0 ? sd / meanNs : 0;
  const noiseReason = noiseVerdict({ n, spread, cv }, opts.policy);
  const summary: SampleSummary = {
    n, repsPerSample: opts.repsPerSample ?? 1,
    minNs: sorted[0], medianNs, p90Ns, meanNs, maxNs: sorted[n - 1], stddevNs: sd, cv, spread,
    noisy: noiseReason !== undefined,
  };
  if (noiseReason) summary.noiseReason = noiseReason;
  if (opts.iterationsPerCall && opts.iterationsPerCall > 0) summary.perIterationNs = medianNs / opts.iterationsPerCall;
  return summary;
}

/**
 * How many calls one sample should time so that it lasts at least `targetNs` (timer resolution and loop
 * overhead become negligible), given that `reps` calls took `elapsedNs`. Grows at most 100x per step.
 */
export function nextRepetitions(reps: number, elapsedNs: number, targetNs: number, maxReps = 1e9): number {
  if (elapsedNs >= targetNs) return reps;
  const perCall = Math.max(elapsedNs, 1) / reps;
  const want = Math.ceil((targetNs / perCall) * 1.1);
  return Math.max(reps + 1, Math.min(want, reps * 100, maxReps));
}

export interface Comparison {
  /** b's median / a's median: above 1 means b is slower. */
  ratio: number;
  /** a's median / b's median: how many times faster b is than a. */
  speedup: number;
  /** True when the difference is larger than the noise: neither median lies in the other's [min, p90] band. */
  significant: boolean;
}

/**
 * Compares two summaries of the same work (two variants, two builds, two machines): the ratio of the
 * medians, and whether the difference is larger than the noise. Two results are "the same within noise"
 * when each one's median lies inside the other's [min, p90] band.
 */
export function compareSummaries(a: Pick<SampleSummary, 'minNs' | 'medianNs' | 'p90Ns'>, b: Pick<SampleSummary, 'minNs' | 'medianNs' | 'p90Ns'>): Comparison {
  const ratio = b.medianNs / a.medianNs;
  const aInB = a.medianNs >= b.minNs && a.medianNs <= b.p90Ns;
  const bInA = b.medianNs >= a.minNs && b.medianNs <= a.p90Ns;
  return { ratio, speedup: a.medianNs / b.medianNs, significant: !(aInB || bInA) };
}

/** A duration in the unit that suits it: "812 ns", "3.41 us", "12.0 ms", "1.52 s". */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '-';
  const abs = Math.abs(ns);
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  if (abs < 1e3) return `${fmt(ns)} ns`;
  if (abs < 1e6) return `${fmt(ns / 1e3)} us`;
  if (abs < 1e9) return `${fmt(ns / 1e6)} ms`;
  return `${fmt(ns / 1e9)} s`;
}

/**
 * Per-call times under this are a few cycles: the kernel's work was removed by the compiler (fma_loop's loop is
 * loop-invariant) and what is left is the harness's own loop, so a ratio between two of them says nothing.
 */
export const RESOLUTION_NS = 5;
