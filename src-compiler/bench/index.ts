/**
 * Kiln's benchmarks, for the CLI and the studio: run (`runBenchmarks`, with progress and cancellation),
 * store and read back (`saveRun`, `getRun`, `listRuns`), and the data behind each chart:
 *   - time against a swept parameter, one line per variant (log-log): `sweepSeries`
 *   - speed-up over CPython per function: `speedups`
 *   - two runs side by side with the ratio and whether it is above the noise: `compareRuns`
 *   - one function's time across builds: `functionHistory`
 *   - export: `runToCsv`, or JSON.stringify(run)
 * Everything returned is plain JSON-serialisable data.
 */
export { runBenchmarks, expandCases, parseSweepValue, timed, BenchInputError } from './benchmark.ts';
export type { BenchRun, BenchCase, BenchSpec, BenchVariantResult, BenchProgress, BenchRunOptions, VariantStatus, KilnBuildInfo } from './benchmark.ts';
export { saveRun, getRun, listRuns, sweepSeries, speedups, functionHistory, compareRuns, runToCsv, recordBenchBuild } from './store.ts';
export type { Series, SeriesPoint, Speedup, HistoryPoint, RunComparisonRow, StoredRunSummary } from './store.ts';
export { summarize, compareSummaries, formatDuration, DEFAULT_NOISE } from './stats.ts';
export type { SampleSummary, NoisePolicy, Comparison } from './stats.ts';
export { machineInfo, describeMachine } from './machine.ts';
export type { MachineInfo } from './machine.ts';
export { DEFAULT_SETTINGS } from './measure.ts';
export type { MeasureSettings } from './measure.ts';
export { VARIANTS, variantLabel } from './variant-ids.ts';
export type { VariantId } from './variant-ids.ts';
export { loadSuite, evaluateTargets } from './suite.ts';
export { formatRun, formatSuiteTable } from './format.ts';
