/** `kiln fuzz`: the differential fuzzer against CPython (src-compiler/fuzz/). Thin: parses options, runs, prints. */
import fs from 'node:fs';
import { setMaxListeners } from 'node:events';
import { CommanderError, type Command } from 'commander';
import { KilnError } from '../diagnostics.ts';

const int = (flag: string, v: string, min = 0): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new KilnError({ severity: 'error', file: flag, line: 0, col: 0, construct: 'option', message: `${flag} takes an integer >= ${min}, got '${v}'` });
  return n;
};

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

export function register(program: Command) {
  program
    .command('fuzz')
    .description('generate random well-typed programs, run each under CPython and natively on edge inputs, report every difference (reduced to a reproducer)')
    .option('--seed <n>', 'seed of the program generator (the same seed gives the same programs)', '1')
    .option('--count <m>', 'programs to generate', '200')
    .option('--only <list>', 'only these program indices of the seed (to reproduce a problem)')
    .option('--features <list>', 'feature modules: scalars, lists, strings, dicts (comma-separated; scalars is always in)', 'scalars')
    .option('--targets <list>', 'host and targets to run on (e.g. host,wasm32,linux-arm64)', 'host')
    .option('--out <dir>', 'where reduced reproducers are written (default: a new temporary folder)')
    .option('--jobs <j>', 'batches evaluated at once (default: cores)')
    .option('--batch <n>', 'programs per batch module', '40')
    .option('--cases <n>', 'inputs per program', '24')
    .option('--reduce <n>', 'distinct problems to reduce to reproducers (0: none)', '5')
    .option('--mixed <share>', 'share of programs that may hold numbers whose type depends on the path (0 to 1)', '0.3')
    .option('--keep', 'keep the batch modules and build folders')
    .option('--json <file>', 'also write the figures as JSON')
    .action(async (o: {
      seed: string; count: string; only?: string; features: string; targets: string; out?: string; jobs?: string;
      batch: string; cases: string; reduce: string; mixed: string; keep?: boolean; json?: string;
    }) => {
      const mixed = Number(o.mixed);
      if (!(mixed >= 0 && mixed <= 1)) throw new KilnError({ severity: 'error', file: '--mixed', line: 0, col: 0, construct: 'option', message: `--mixed takes a share from 0 to 1, got '${o.mixed}'` });
      // The runner (and the compiler under it) is loaded when the command runs.
      const { runFuzz, formatFuzzReport } = await import('../fuzz/runner.ts');
      const { resolveFeatures } = await import('../fuzz/gen/index.ts');
      // runners.ts loads execa: imported when the command runs, so other commands start without it (cli-startup test).
      const { hostCores } = await import('../run/runners.ts');
      let features: string[];
      try {
        features = resolveFeatures(list(o.features)).map((f) => f.name);
      } catch (e) {
        throw new KilnError({ severity: 'error', file: '--features', line: 0, col: 0, construct: 'option', message: (e as Error).message });
      }
      const controller = new AbortController();
      // Every compiler and interpreter run listens to it: many at once is expected, not a leak.
      setMaxListeners(0, controller.signal);
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const stats = await runFuzz({
          seed: int('--seed', o.seed), count: int('--count', o.count, 1), only: o.only ? list(o.only).map((v) => int('--only', v)) : undefined, features, targets: list(o.targets), out: o.out,
          jobs: o.jobs ? int('--jobs', o.jobs, 1) : hostCores(), batchSize: int('--batch', o.batch, 1), maxCases: int('--cases', o.cases, 1),
          reduce: int('--reduce', o.reduce), mixedRate: mixed, keep: o.keep, python: program.opts().python, signal: controller.signal,
          log: (line) => process.stderr.write(`${line}\n`),
        });
        process.stdout.write(`${formatFuzzReport(stats)}\n`);
        if (o.json) fs.writeFileSync(o.json, `${JSON.stringify(stats, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
        if (stats.mismatches || stats.failures) throw new CommanderError(1, 'kiln.fuzz', '');
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
