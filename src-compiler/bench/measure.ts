/**
 * The sampling loop, independent of what is being timed: calibrate the calls per sample, warm up, then
 * take samples until a time budget or a count is reached. A `Sampler` returns the total nanoseconds of
 * `reps` back-to-back calls, timed inside the process that makes the calls (no IPC in the timing).
 */
import { nextRepetitions, summarize, type NoisePolicy, type SampleSummary } from './stats.ts';

export interface Sampler {
  sample(reps: number): Promise<number>;
}

export interface MeasureSettings {
  /** Time spent in warm-up samples after calibration (JIT compilers, caches, CPU frequency). */
  warmupMs: number;
  /** Stop taking samples once this much time has been spent and `minSamples` are in. */
  budgetMs: number;
  minSamples: number;
  maxSamples: number;
  /** Each sample times enough calls to last at least this long. */
  minSampleMs: number;
  noise?: NoisePolicy;
}

export const DEFAULT_SETTINGS: MeasureSettings = { warmupMs: 100, budgetMs: 1000, minSamples: 5, maxSamples: 50, minSampleMs: 20 };

export interface Measurement {
  summary: SampleSummary;
  /** Per-call time of every sample, ns, in the order taken. */
  samplesNs: number[];
  reps: number;
  wallMs: number;
}

export async function measure(
  sampler: Sampler, settings: Partial<MeasureSettings> = {}, opts: { iterationsPerCall?: number; signal?: AbortSignal } = {},
): Promise<Measurement> {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  const started = performance.now();
  const check = () => {
    if (opts.signal?.aborted) throw new Error('cancelled');
  };
  // Calibrate: grow the calls per sample until one sample lasts minSampleMs (this also warms up).
  const target = s.minSampleMs * 1e6;
  let reps = 1;
  let elapsed = await sampler.sample(reps);
  while (elapsed < target) {
    check();
    reps = nextRepetitions(reps, elapsed, target);
    elapsed = await sampler.sample(reps);
  }
  // Warm-up at the final size.
  const warmEnd = performance.now() + s.warmupMs;
  while (performance.now() < warmEnd) {
    check();
    await sampler.sample(reps);
  }
  const samplesNs: number[] = [];
  const sampleStart = performance.now();
  while (samplesNs.length < s.maxSamples) {
    check();
    samplesNs.push((await sampler.sample(reps)) / reps);
    if (samplesNs.length >= s.minSamples && performance.now() - sampleStart >= s.budgetMs) break;
  }
  return {
    summary: summarize(samplesNs, { repsPerSample: reps, iterationsPerCall: opts.iterationsPerCall, policy: s.noise }),
    samplesNs, reps, wallMs: performance.now() - started,
  };
}
