/** Printing benchmark runs: a detailed table per case (kiln bench) and one wide table (the suite). */
import { FIXED_LAYOUT } from './session.ts';
import type { BenchCase, BenchRun, BenchVariantResult } from './benchmark.ts';
import { timed } from './benchmark.ts';
import { describeMachine } from './machine.ts';
import { RESOLUTION_NS, formatDuration } from './stats.ts';
import { variantTarget, type VariantId } from './variant-ids.ts';

export function table(rows: string[][], align: ('l' | 'r')[] = []): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((cell, i) => ((align[i] ?? 'l') === 'r' ? (cell ?? '').padStart(widths[i]) : (cell ?? '').padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

/** "1.23 ms" or "1.23 ms ?" when the result is too noisy to trust. */
export function cellTime(r: BenchVariantResult | undefined): string {
  if (!r?.summary) return '-';
  return `${formatDuration(r.summary.medianNs)}${r.summary.noisy ? ' ?' : ''}${r.status === 'mismatch' ? ' !' : ''}`;
}

export function statusWord(r: BenchVariantResult): string {
  switch (r.status) {
    case 'not-installed': return 'not installed';
    case 'does-not-compile': return 'does not compile';
    default: return r.status;
  }
}

export function formatRunHeader(run: BenchRun): string {
  const lines = [
    `machine:   ${describeMachine(run.machine)}`,
    `toolchain: ${run.toolchain.version} (${run.toolchain.source}), flags ${run.flags.join(' ')}`,
  ];
  if (run.python) {
    const peers = Object.entries(run.python.peers).map(([k, v]) => `${k} ${v ?? 'not installed'}`).join(', ');
    lines.push(`python:    ${run.python.executable} ${run.python.version}; ${peers}`);
  }
  lines.push(`method:    warm-up ${run.settings.warmupMs} ms, samples of >= ${run.settings.minSampleMs} ms until ${run.settings.budgetMs} ms and ${run.settings.minSamples} samples (max ${run.settings.maxSamples}); times are medians per call${FIXED_LAYOUT ? '; processes started with address-space randomisation off (setarch -R)' : ''}`);
  return lines.join('\n');
}

/** The detailed table of one case: one row per variant. */
export function formatCase(c: BenchCase): string {
  const cpy = timed(c, 'cpython');
  const rows: string[][] = [['variant', 'median', 'min', 'p90', 'stddev', 'per iter', 'samples', 'vs CPython', 'result / note']];
  for (const r of c.results) {
    const s = r.summary;
    if (!s) {
      rows.push([r.label, '-', '-', '-', '-', '-', '-', '-', `${statusWord(r)}${r.message ? `: ${r.message.split('\n')[0]}` : ''}`]);
      continue;
    }
    const note = [r.resultRepr, r.status === 'mismatch' ? `MISMATCH: ${r.message}` : '', s.noisy ? `too noisy to trust: ${s.noiseReason}` : ''].filter(Boolean).join('; ');
    rows.push([
      r.label, formatDuration(s.medianNs), formatDuration(s.minNs), formatDuration(s.p90Ns), formatDuration(s.stddevNs),
      s.perIterationNs !== undefined ? formatDuration(s.perIterationNs) : '-', `${s.n} x ${s.repsPerSample}`,
      // An emulated time (qemu, wasm under Node, Wine) is never set against native time.
      r.emulated ? 'not native' : cpy?.summary ? `${(cpy.summary.medianNs / s.medianNs).toFixed(s.medianNs > cpy.summary.medianNs / 10 ? 2 : 1)}x` : '-', note,
    ]);
  }
  const head = `${c.kernel}(${c.args.join(', ')})${c.sweep ? `  [${c.sweep.param} = ${c.sweep.value}]` : ''}`;
  const emulated = c.results.filter((r) => r.emulated);
  const foot = emulated.length
    ? `\n(${emulated.map((r) => r.label).join(', ')}: not native time on this machine (emulated or another runtime); not compared with CPython or native variants)`
    : '';
  return `${head}\n${table(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'])}${foot}`;
}

export function formatRun(run: BenchRun): string {
  return [formatRunHeader(run), '', ...run.cases.map(formatCase).join('\n\n').split('\n')].join('\n');
}

// ---- the suite's one table ------------------------------------------------------------------------

export const SUITE_COLUMNS: VariantId[] = ['cpython', 'kiln-native', 'kiln-ctypes', 'c-ref', 'rust-ref', 'numba', 'pythran', 'cython'];

function ratio(a: BenchVariantResult | undefined, b: BenchVariantResult | undefined, digits = 2): string {
  if (!a?.summary || !b?.summary) return '-';
  const x = a.summary.medianNs / b.summary.medianNs;
  const tiny = Math.max(a.summary.medianNs, b.summary.medianNs) < RESOLUTION_NS ? ' ~' : '';
  return `${x >= 100 ? x.toFixed(0) : x.toFixed(digits)}x${tiny}`;
}

function shortCell(c: BenchCase, v: VariantId): string {
  const r = c.results.find((x) => x.variant === v);
  if (!r) return '';
  if (r.summary) return cellTime(r);
  switch (r.status) {
    case 'not-installed': return 'not inst.';
    case 'does-not-compile': return 'no compile';
    case 'skipped': return 'n/a';
    default: return r.status;
  }
}

/** One wide table: a row per case, a column per variant, then Kiln's ratios to C, Numba and CPython. */
export function formatSuiteTable(run: BenchRun): string {
  // Then one column per other target (`--target wasm32,linux-arm64`), after the host's: emulated or
  // another runtime, so never part of a ratio.
  const targetCols = [...new Set(run.cases.flatMap((c) => c.results.filter((r) => variantTarget(r.variant)).map((r) => r.variant)))];
  const cols = [...SUITE_COLUMNS.filter((v) => run.cases.some((c) => c.results.some((r) => r.variant === v))), ...targetCols];
  const header = ['kernel', 'args', ...cols.map((v) => run.cases.flatMap((c) => c.results).find((r) => r.variant === v)!.label), 'Kiln/C', 'Numba/Kiln', 'CPython/Kiln'];
  const rows = [header];
  for (const c of run.cases) {
    const ok = (v: VariantId) => { const r = timed(c, v); return r?.status === 'ok' ? r : undefined; };
    const kiln = ok('kiln-native');
    rows.push([
      c.kernel, c.sweep ? `${c.sweep.param}=${c.sweep.value.toExponential(0).replace('+', '')}` : c.args.join(', '),
      ...cols.map((v) => shortCell(c, v)),
      ratio(kiln, ok('c-ref')), ratio(ok('numba'), kiln), ratio(ok('cpython'), kiln, 1),
    ]);
  }
  const notes: string[] = [];
  const seen = new Set<string>();
  let noisy = 0;
  let timedCount = 0;
  for (const c of run.cases) {
    for (const r of c.results) {
      if (r.summary) {
        timedCount++;
        if (r.summary.noisy) noisy++;
      }
      if (r.status === 'ok' || r.status === 'not-installed' || !r.message) continue;
      const key = `${c.kernel}|${r.variant}|${r.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      notes.push(`${c.kernel} / ${r.label}: ${statusWord(r)}: ${r.message.split('\n').slice(0, 2).join(' ')}`);
    }
  }
  if (noisy) notes.unshift(`${noisy} of ${timedCount} timings are too noisy to trust ("?"): their spread (p90 - min) / median or stddev / mean is above the limit, or there were too few samples; see --json for each reason`);
  const missing = Object.entries(run.python?.peers ?? {}).filter(([, v]) => !v).map(([k]) => k);
  return [
    table(rows, ['l', 'l', ...cols.map(() => 'r' as const), 'r', 'r', 'r']),
    '',
    'Times are medians per call. "?" = too noisy to trust, "!" = result differs from CPython (never used in a ratio).',
    ...(rows.some((r) => r.some((c) => c.endsWith(' ~'))) ? [`"~" = both under ${RESOLUTION_NS} ns a call: the work was removed by the compiler and the harness's loop is what is timed; not a comparison (nor a target).`] : []),
    ...(targetCols.length ? [`${targetCols.map((v) => run.cases.flatMap((c) => c.results).find((r) => r.variant === v)!.label).join(', ')}: not native time on this machine (emulated or another runtime); never used in a ratio or a target.`] : []),
    ...(missing.length ? [`Not installed: ${missing.join(', ')}.`] : []),
    ...(notes.length ? ['Notes:', ...notes.map((n) => `  - ${n}`)] : []),
  ].join('\n');
}
