/** The `kiln` command: thin; it parses arguments and calls the compiler. */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { discoverPaths } from '../frontend/python.ts';
import { formatDiagnostic, isKilnError, KilnError, type Diagnostic } from '../diagnostics.ts';
import { formatIRTable } from '../ir/print.ts';
import { buildUnit, compileModule, compileParsedModule, loadModule, runHarness, tracer, RUNTIME_EXTRA_HEADERS } from '../pipeline.ts';
import { typecheckProgram } from '../types/typecheck.ts';
import { callReport, harnessLine, parseCallArgs } from '../run/call.ts';
import { splitSpec } from './spec.ts';
import { verifyModule, formatVerifyReport } from '../run/verify.ts';
import { C_RUNTIME_DIR } from '../paths.ts';
import { register as registerOps } from './ops.ts';
import { hostTargetId, recordCliBuild } from '../store/builds.ts';
import { register as registerServe } from './serve.ts';
import { register as registerBench } from './bench.ts';
import { register as registerTargets } from './targets.ts';
import { register as registerExport } from './export.ts';

export { splitSpec };

function requireFile(file: string) {
  if (!fs.existsSync(file)) {
    throw new KilnError({ severity: 'error', file, line: 0, col: 0, construct: 'file', message: 'no such file' });
  }
}

/** A diagnostic as the CLI prints it: paths relative to the working folder. */
function showDiagnostic(d: Diagnostic): string {
  const rel = path.relative(process.cwd(), d.file);
  return formatDiagnostic({ ...d, file: rel && !rel.startsWith('..') ? rel : d.file });
}

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command();
  program
    .name('kiln')
    .description('Compile type-annotated Python functions to native code, verified against CPython.')
    .option('--python <path>', 'the Python interpreter for reading sources and running references (default: $KILN_PYTHON or python3)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command('discover')
    .description('list every @compile-decorated function (reads sources with ast; never runs them)')
    .argument('<paths...>', 'files or folders')
    .option('--json', 'print JSON')
    .action(async (paths: string[], o: { json?: boolean }) => {
      const python = program.opts().python;
      const found = await discoverPaths(paths.map((p) => path.resolve(p)), python);
      // Whether each function compiles, with the reason when not.
      const rows: Record<string, unknown>[] = [];
      for (const f of found.files) {
        let compiled: Awaited<ReturnType<typeof compileModule>> | undefined;
        try {
          compiled = await compileModule(f.file, { python });
        } catch (e) {
          if (!isKilnError(e)) throw e;
        }
        for (const fn of f.functions) {
          const r = compiled?.functions.find((x) => x.name === fn.name);
          const opts = fn.decorator?.options ?? {};
          rows.push({
            file: path.relative(process.cwd(), f.file) || f.file, line: fn.line, name: fn.name, signature: fn.signature,
            tag: typeof opts.tag === 'string' ? opts.tag : null, description: typeof opts.description === 'string' ? opts.description : (fn.docstring?.split('\n')[0] ?? null),
            compilable: !!r && !r.error, reason: r?.error ? showDiagnostic(r.error) : null,
            decoratorProblems: fn.decorator?.problems ?? [],
          });
        }
      }
      if (o.json) {
        out(JSON.stringify({ functions: rows, errors: found.errors }, null, 2));
      } else {
        for (const e of found.errors) err(`${path.relative(process.cwd(), e.file) || e.file}:${e.line}: skipped: ${e.message}`);
        for (const r of rows) {
          out(`${r.file}:${r.line}  ${r.signature}${r.tag ? `  [${r.tag}]` : ''}`);
          if (r.description) out(`    ${r.description}`);
          out(r.compilable ? '    compiles: yes' : `    compiles: no: ${r.reason}`);
          for (const p of r.decoratorProblems as string[]) out(`    note: ${p}`);
        }
        if (!rows.length) out('no @compile functions found');
      }
    });

  program
    .command('trace')
    .description('print the traced IR of one function')
    .argument('<spec>', 'FILE::FUNC')
    .option('--format <format>', 'table or json', 'table')
    .option('--untyped', 'stop after tracing (no type column)')
    .action(async (spec: string, o: { format: string; untyped?: boolean }) => {
      const { file, func } = splitSpec(spec);
      requireFile(file);
      if (!func) throw new KilnError({ severity: 'error', file, line: 0, col: 0, construct: 'argument', message: 'name the function: FILE::FUNC' });
      const mod = await loadModule(file, program.opts().python);
      const getIR = tracer(mod);
      let ir = getIR(func);
      if (!o.untyped) ir = typecheckProgram(mod, [ir], getIR).entries[0].ir;
      if (o.format === 'json') out(JSON.stringify(ir, null, 2));
      else if (o.format === 'table') out(formatIRTable(ir, { types: !o.untyped }));
      else throw new KilnError({ severity: 'error', file: '--format', line: 0, col: 0, construct: 'option', message: `unknown format '${o.format}' (table or json)` });
    });

  program
    .command('compile')
    .description('write C source, C header and a shared library for the host')
    .argument('<spec>', 'FILE or FILE::FUNC')
    .option('--out <dir>', 'output folder', 'kiln-out')
    .option('--emit <what>', 'c (stop after C) or lib', 'lib')
    .option('-O, --opt <level>', 'optimisation level: O0 O1 O2 O3 Os', 'O2')
    .option('--fast-math', 'allow fused multiply-add and other value-changing float rewrites')
    .option('--db <file>', 'build history database (default: kiln.db in the user-data folder)')
    .action(async (spec: string, o: { out: string; emit: string; opt: string; fastMath?: boolean; db?: string }) => {
      const { file, func } = splitSpec(spec);
      requireFile(file);
      const compiled = await compileModule(file, { functions: func ? [func] : undefined, python: program.opts().python });
      for (const w of compiled.warnings) err(showDiagnostic(w));
      for (const f of compiled.functions) for (const d of f.errors ?? (f.error ? [f.error] : [])) { err(showDiagnostic(d)); code = 1; }
      if (!compiled.unit) {
        if (!compiled.functions.length) err(`${file}: no @compile functions found (name one with FILE::FUNC)`);
        code = 1;
        return;
      }
      const unit = compiled.unit;
      const dir = path.resolve(o.out, compiled.program!.module);
      fs.mkdirSync(dir, { recursive: true });
      const written: string[] = [];
      const put = (name: string, text: string | Buffer) => {
        fs.writeFileSync(path.join(dir, name), text);
        written.push(path.join(dir, name));
      };
      put(unit.sourceName, unit.source);
      put(unit.headerName, unit.header);
      put('kiln_runtime.h', fs.readFileSync(path.join(C_RUNTIME_DIR, 'kiln_runtime.h')));
      for (const h of RUNTIME_EXTRA_HEADERS) put(h, fs.readFileSync(path.join(C_RUNTIME_DIR, h)));
      if (o.emit !== 'c') {
        const built = await buildUnit(unit, { library: true }, { optLevel: o.opt.replace(/^-/, '') as 'O2', fastMath: o.fastMath });
        put(path.basename(built.library!), fs.readFileSync(built.library!));
        err(`built with ${built.toolchain.version} ${built.flags.join(' ')}${built.cached ? ' (cached)' : ''}`);
        const warning = await recordCliBuild(o.db, { file: path.resolve(file), module: compiled.program!.module, functions: unit.exports.map((e) => e.name), source: compiled.module.lines.join('\n'), target: hostTargetId(), toolchain: built.toolchain.command.join(' '), toolchainVersion: built.toolchain.version, flags: built.flags, durationMs: built.durationMs, sizeBytes: fs.statSync(built.library!).size, status: 'built', log: built.log, artifactPath: path.join(dir, path.basename(built.library!)) });
        if (warning) err(warning);
      }
      for (const e of unit.exports) err(`exported ${e.symbol}: ${e.signature}`);
      for (const w of written) out(path.relative(process.cwd(), w));
    });

  program
    .command('run')
    .description('call the native function once; arguments are Python literals')
    .argument('<spec>', 'FILE::FUNC')
    .argument('[args...]', 'arguments as Python literals')
    .option('-O, --opt <level>', 'optimisation level', 'O2')
    .option('--fast-math', 'allow value-changing float rewrites')
    .allowUnknownOption(false)
    .action(async (spec: string, args: string[], o: { opt: string; fastMath?: boolean }) => {
      const { file, func } = splitSpec(spec);
      requireFile(file);
      if (!func) throw new KilnError({ severity: 'error', file, line: 0, col: 0, construct: 'argument', message: 'name the function: FILE::FUNC' });
      // The module's whole build is cached, so running any of its functions again does no compile.
      const mod = await loadModule(file, program.opts().python);
      const decorated = mod.functions.filter((f) => f.decorated).map((f) => f.name);
      const compiled = compileParsedModule(mod, { functions: decorated.includes(func) ? decorated : [func] });
      const fr = compiled.functions.find((f) => f.name === func)!;
      if (fr.error) throw new KilnError(fr.error);
      const fn = compiled.unit!.exports.find((e) => e.name === func)!;
      const values = parseCallArgs(file, fn, args);
      const built = await buildUnit(compiled.unit!, { harness: true }, { optLevel: o.opt.replace(/^-/, '') as 'O2', fastMath: o.fastMath });
      const r = await runHarness(built.harness!, `${harnessLine(fn, values)}\n`);
      const report = callReport(fn, file, r, `${file}::${func}`);
      if (report.stdout !== undefined) out(report.stdout);
      if (report.stderr !== undefined) err(report.stderr);
      code = report.code;
    });

  program
    .command('verify')
    .description('run CPython and the native build on the same inputs and report every mismatch')
    .argument('<spec>', 'FILE or FILE::FUNC')
    .option('--cases <n>', 'generated cases per function', '48')
    .option('--json', 'print JSON')
    .action(async (spec: string, o: { cases: string; json?: boolean }) => {
      const { file, func } = splitSpec(spec);
      requireFile(file);
      const report = await verifyModule(file, { functions: func ? [func] : undefined, python: program.opts().python, maxCases: Number(o.cases) });
      if (o.json) out(JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
      else out(formatVerifyReport(report));
      if (!report.ok) code = 1;
    });

  registerOps(program);
  registerServe(program);
  registerBench(program);
  registerTargets(program);
  registerExport(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isKilnError(e)) {
      err(showDiagnostic(e.diagnostic));
      return 2;
    }
    throw e;
  }
  return code;
}
