/** `kiln bench` (one function) and `kiln bench-suite` (the project's suite, `npm run bench`). */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic, isKilnError, KilnError } from '../diagnostics.ts';
import { KILN_ROOT } from '../paths.ts';
import type { BenchProgress, BenchRun, BenchSpec } from '../bench/benchmark.ts';
import { formatDuration } from '../bench/stats.ts';
import { VARIANTS, benchableTargets, isVariantId, targetVariantId, targetVariantLabel, type VariantId } from '../bench/variant-ids.ts';
import { getTarget } from '../targets/registry.ts';
import { resolveTarget, splitSpec } from './spec.ts';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);

const inputError = (message: string, file = 'arguments') => new KilnError({ severity: 'error', file, line: 0, col: 0, construct: 'bench', message });

function parseVariants(text?: string): VariantId[] | undefined {
  if (!text) return undefined;
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of ids) if (!isVariantId(id)) throw inputError(`unknown variant '${id}' (one of ${VARIANTS.map((v) => v.id).join(', ')}, or kiln-<target>: ${benchableTargets().map((t) => targetVariantId(t.id)).join(', ')})`);
  return ids as VariantId[];
}

/**
 * --target host,wasm32,linux-arm64: "host" is the usual variants; every other target adds `kiln-<target>`
 * (its harness under Node's WASI, qemu-user or Wine), labelled so its time is never read as native time.
 */
export function parseTargets(text: string): { host: boolean; targets: string[] } {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  const targets: string[] = [];
  let host = false;
  for (const p of parts) {
    if (p === 'host') { host = true; continue; }
    const t = getTarget(p);
    if (!t || !benchableTargets().includes(t)) {
      const why = !t ? 'unknown target' : t.harness ? 'the host itself (use host)' : `cannot be executed here (${t.notes ?? 'no emulator'})`;
      throw inputError(`--target ${p}: ${why}; benchmark targets: host, ${benchableTargets().map((x) => `${x.id} [${targetVariantLabel(x).replace(/^Kiln \S+ ?/, '') || 'native'}]`).join(', ')}`);
    }
    if (!targets.includes(t.id)) targets.push(t.id);
  }
  return { host: host || !targets.length, targets };
}

function progressPrinter(quiet?: boolean) {
  return (p: BenchProgress) => {
    if (quiet || p.phase !== 'done' || !p.result) return;
    const r = p.result;
    const t = r.summary ? `${formatDuration(r.summary.medianNs)}${r.summary.noisy ? ' (noisy)' : ''}` : r.status;
    err(`  ${p.kernel}(${p.args.join(', ')}) ${r.label}: ${t}`);
  };
}

interface CommonOptions {
  runPython?: string;
  opt: string;
  fastMath?: boolean;
  json?: boolean;
  csv?: string;
  db?: string;
  store: boolean;
  quiet?: boolean;
}

/** Stores the run; a database problem is a warning (the run was already printed), never a lost run. */
async function store(run: BenchRun, o: CommonOptions): Promise<void> {
  if (!o.store) return;
  const [{ openDb }, { saveRun }] = await Promise.all([import('../store/db.ts'), import('../bench/store.ts')]);
  try {
    const db = openDb(o.db);
    try {
      const id = saveRun(db, run);
      err(`stored as benchmark run ${id} in ${db.name}`);
    } finally {
      db.close();
    }
  } catch (e) {
    const msg = isKilnError(e) ? formatDiagnostic(e.diagnostic) : (e as Error).message;
    err(`warning: the benchmark run was not stored: ${msg}`);
  }
}

function settingsFrom(o: { budget?: string; warmup?: string; samples?: string }) {
  const s: Record<string, number> = {};
  if (o.budget) s.budgetMs = Number(o.budget);
  if (o.warmup) s.warmupMs = Number(o.warmup);
  if (o.samples) s.minSamples = Number(o.samples);
  for (const [k, v] of Object.entries(s)) if (!Number.isFinite(v) || v < 0) throw inputError(`--${k} must be a non-negative number`);
  return s;
}

export function register(program: Command): void {
  const withCommon = (c: Command) => c
    .option('--run-python <path>', 'the interpreter that runs CPython, ctypes, Numba, Pythran and Cython (default: $KILN_BENCH_PYTHON or python3)')
    .option('-O, --opt <level>', 'optimisation level of Kiln and the C/Rust-free references', 'O2')
    .option('--fast-math', 'allow value-changing float rewrites in the native builds')
    .option('--budget <ms>', 'time budget for the samples of each variant')
    .option('--warmup <ms>', 'warm-up time per variant')
    .option('--samples <n>', 'minimum number of samples per variant')
    .option('--json', 'print the run as JSON')
    .option('--csv <file>', 'also write the run as CSV')
    .option('--db <file>', 'the SQLite database (default: $KILN_DB or ~/.local/share/kiln/kiln.db)')
    .option('--no-store', 'do not store the run')
    .option('--quiet', 'no progress lines on stderr');

  withCommon(program
    .command('bench')
    .description('time one function: CPython, Kiln (native and via the exported Python package), references and installed peers, on the same inputs; --target adds wasm32 and emulated targets')
    .argument('<spec>', 'FILE::FUNC')
    .argument('[args...]', 'arguments as Python literals (the swept parameter may be left out)')
    .option('--sweep <param=values>', 'sweep one parameter, e.g. n_iter=1e3,1e4,1e5,1e6')
    .option('--iterations <param>', 'the parameter that counts inner iterations, for time per iteration (default: the swept one)')
    .option('--ref-c <file...>', 'hand-written C defining int ref_<func>(params..., T *out)')
    .option('--ref-rust <crate>', 'a Rust crate (crate-type cdylib, no dependencies) exporting ref_<func>, built with cargo --offline')
    .option('--variants <list>', `comma-separated subset of ${VARIANTS.map((v) => v.id).join(',')}`)
    .option('--target <targets>', 'where to run, comma-separated: host, and/or wasm32 (Node WASI), linux-arm64, linux-armv7, linux-riscv64-musl ... (qemu-user); non-host times are labelled emulated and never compared with native time', 'host'))
    .action(async (spec: string, args: string[], o: CommonOptions & {
      sweep?: string; iterations?: string; refC?: string[]; refRust?: string; variants?: string; target: string;
      budget?: string; warmup?: string; samples?: string;
    }) => {
      // FILE::FUNC, or a module path in the project (pkg.mod::func, DIR::pkg.mod.func).
      const target = fs.existsSync(splitSpec(spec).file)
        ? { kind: 'module' as const, ...splitSpec(spec) }
        : await resolveTarget(spec, { project: program.opts().project });
      if (target.kind !== 'module') throw inputError('name the function: FILE::FUNC or pkg.mod::func', spec);
      const { file, func } = target;
      if (!func) throw inputError('name the function: FILE::FUNC', file);
      if (!fs.existsSync(file)) throw inputError('no such file', file);
      const where = parseTargets(o.target);
      let variants = parseVariants(o.variants);
      // Without the host, CPython still runs: it is the result every target is checked against.
      if (!where.host && !variants) variants = ['cpython'];
      let sweep: BenchSpec['sweep'];
      if (o.sweep) {
        const m = /^([A-Za-z_]\w*)=(.+)$/.exec(o.sweep);
        if (!m) throw inputError(`--sweep expects PARAM=v1,v2,... (got '${o.sweep}')`);
        sweep = { param: m[1], values: m[2].split(',').map((s) => s.trim()).filter(Boolean) };
      }
      const benchSpec: BenchSpec = {
        file, func, args, sweep, iterationsParam: o.iterations, refC: o.refC, refRust: o.refRust, variants, targets: where.targets,
      };
      const [{ BenchInputError, runBenchmarks }, { formatRun }, { runToCsv }] = await Promise.all([import('../bench/benchmark.ts'), import('../bench/format.ts'), import('../bench/store.ts')]);
      let run: BenchRun;
      try {
        run = await runBenchmarks([benchSpec], {
          python: program.opts().python, runPython: o.runPython, optLevel: o.opt.replace(/^-/, '') as 'O2', fastMath: o.fastMath,
          settings: settingsFrom(o), origin: 'cli', onProgress: progressPrinter(o.quiet || o.json),
        });
      } catch (e) {
        if (e instanceof BenchInputError) throw inputError(e.message, file);
        throw e;
      }
      if (o.csv) fs.writeFileSync(o.csv, runToCsv(run));
      out(o.json ? JSON.stringify(run, null, 2) : formatRun(run));
      await store(run, o);
    });

  withCommon(program
    .command('bench-suite')
    .description("run the project's benchmark suite (bench/suite.json) and print one table")
    .argument('[dir]', 'the suite folder', path.join(KILN_ROOT, 'bench'))
    .option('--only <kernels>', 'comma-separated kernel names')
    .option('--quick', 'a short run (smaller budget, fewer samples): for checking, not for quoting')
    .option('--target <targets>', 'where to run the Kiln column, comma-separated: host, and/or wasm32 (Node WASI), linux-arm64, linux-armv7, linux-riscv64-musl ... (qemu-user); each non-host target adds a column labelled emulated / wasm, never used in a ratio or a target', 'host'))
    .action(async (dir: string, o: CommonOptions & { only?: string; quick?: boolean; target: string; budget?: string; warmup?: string; samples?: string }) => {
      if (!fs.existsSync(path.join(dir, 'suite.json'))) throw inputError('no suite.json here', dir);
      const [{ runBenchmarks }, { formatRunHeader, formatSuiteTable }, { evaluateTargets, formatTargets, loadSuite }, { runToCsv }] = await Promise.all([
        import('../bench/benchmark.ts'), import('../bench/format.ts'), import('../bench/suite.ts'), import('../bench/store.ts'),
      ]);
      const where = parseTargets(o.target);
      const suite = loadSuite(path.resolve(dir));
      const only = o.only?.split(',').map((s) => s.trim());
      if (only) for (const k of only) if (!suite.kernels.some((x) => x.kernel === k)) throw inputError(`no kernel '${k}' (kernels: ${suite.kernels.map((x) => x.kernel).join(', ')})`, dir);
      // Other targets add a `kiln-<target>` variant per kernel; without the host only CPython (the result
      // every target is checked against) runs next to them.
      const kernels = suite.kernels.filter((k) => !only || only.includes(k.kernel))
        .map((k) => ({ ...k, targets: where.targets, variants: where.host ? k.variants : ['cpython' as const] }));
      const runPython = o.runPython ?? process.env.KILN_BENCH_PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
      const settings = { ...suite.settings, ...(o.quick ? { budgetMs: 100, warmupMs: 20, minSamples: 3, minSampleMs: 5 } : {}), ...settingsFrom(o) };
      const started = performance.now();
      const run = await runBenchmarks(kernels, {
        python: program.opts().python, runPython, optLevel: o.opt.replace(/^-/, '') as 'O2', fastMath: o.fastMath,
        settings, origin: 'suite', label: o.quick ? 'suite (quick)' : 'suite', onProgress: progressPrinter(o.quiet || o.json),
      });
      if (o.csv) fs.writeFileSync(o.csv, runToCsv(run));
      if (o.json) out(JSON.stringify({ ...run, targets: evaluateTargets(run, suite) }, null, 2));
      else {
        out(formatRunHeader(run));
        out('');
        out(formatSuiteTable(run));
        out('');
        out('Targets for the Kiln column:');
        out(formatTargets(evaluateTargets(run, suite)));
      }
      await store(run, o);
      err(`suite took ${((performance.now() - started) / 1000).toFixed(0)} s`);
    });
}
