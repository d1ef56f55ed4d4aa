/**
 * The `kiln` command: thin; it parses arguments and calls the compiler. Each command imports what it uses
 * when it runs (the SQLite store, the export code and the studio's server are never loaded by `kiln trace`):
 * every `kiln` start pays only for commander and this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { formatDiagnostic, internalErrorDiagnostic, isKilnError, KilnError, type Diagnostic } from '../diagnostics.ts';
import type { CompiledModule, FunctionResult } from '../pipeline.ts';
import type { PyFunction } from '../frontend/ast.ts';
import { compileSpec, resolveTarget, splitSpec, type BuildFlags } from './spec.ts';
import { C_RUNTIME_DIR } from '../paths.ts';
import { register as registerOps } from './ops.ts';
import { register as registerServe } from './serve.ts';
import { register as registerBench } from './bench.ts';
import { register as registerTargets } from './targets.ts';
import { register as registerExport } from './export.ts';
import { register as registerFuzz } from './fuzz.ts';
import { prepareOutputFolder } from '../folders.ts';

export { splitSpec };

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
    .option('--project <dir>', 'the project module paths (pkg.mod::func) are read in (default: the nearest pyproject.toml above the working folder, else the working folder)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command('discover')
    .description('list every @compile function of files, folders or projects (reads sources with ast; never runs them)')
    .argument('<paths...>', 'files or project folders')
    .option('--json', 'print JSON')
    .action(async (paths: string[], o: { json?: boolean }) => {
      const [{ discoverPaths }, { compileInGraph, compileModule }, { locateProject, ModuleGraph }] = await Promise.all([import('../frontend/python.ts'), import('../pipeline.ts'), import('../project/graph.ts')]);
      const python = program.opts().python;
      const rows: Record<string, unknown>[] = [];
      const errors: { file: string; line: number; col: number; message: string }[] = [];
      const row = (file: string, module: string | undefined, fn: PyFunction, r: FunctionResult | undefined) => {
        const opts = fn.decorator?.options ?? {};
        rows.push({
          file: path.relative(process.cwd(), file) || file, module: module ?? null, line: fn.line, name: fn.name, signature: fn.signature,
          tag: typeof opts.tag === 'string' ? opts.tag : null, description: typeof opts.description === 'string' ? opts.description : (fn.docstring?.split('\n')[0] ?? null),
          compilable: !!r && !r.error, reason: r?.error ? showDiagnostic(r.error) : null,
          decoratorProblems: fn.decorator?.problems ?? [],
        });
      };
      for (const p of paths) {
        if (fs.existsSync(p) && fs.statSync(p).isDirectory()) {
          // A project: every module under its source roots, each compiled with what it imports.
          const location = locateProject(p);
          for (const d of location.config.problems) err(showDiagnostic(d));
          const graph = new ModuleGraph(location, python);
          const files = graph.moduleFiles();
          await graph.load(files.map((f) => graph.nameOfFile(f)!));
          for (const f of files) {
            const entry = graph.entries.get(graph.nameOfFile(f)!);
            if (entry?.error) { errors.push({ file: f, line: entry.error.line, col: entry.error.col, message: entry.error.message }); continue; }
            const mod = entry?.mod;
            const decorated = mod?.functions.filter((fn) => fn.decorated) ?? [];
            if (!mod || !decorated.length) continue;
            const compiled = compileInGraph(graph, decorated.map((fn) => `${mod.name}.${fn.name}`), { primary: mod.name, unitName: mod.name! });
            for (const fn of decorated) row(f, mod.name, fn, compiled.functions.find((x) => x.name === fn.name));
          }
          continue;
        }
        const found = await discoverPaths([path.resolve(p)], python);
        errors.push(...found.errors);
        for (const f of found.files) {
          let compiled: CompiledModule | undefined;
          try {
            compiled = await compileModule(f.file, { python });
          } catch (e) {
            if (!isKilnError(e)) throw e;
          }
          for (const fn of f.functions) row(f.file, compiled?.module.name, fn, compiled?.functions.find((x) => x.name === fn.name));
        }
      }
      if (o.json) {
        out(JSON.stringify({ functions: rows, errors }, null, 2));
      } else {
        for (const e of errors) err(`${path.relative(process.cwd(), e.file) || e.file}:${e.line}: skipped: ${e.message}`);
        for (const r of rows) {
          const qualified = r.module && r.module !== path.basename(String(r.file), '.py') ? `${r.module}.` : '';
          out(`${r.file}:${r.line}  ${qualified}${r.signature}${r.tag ? `  [${r.tag}]` : ''}`);
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
    .argument('<spec>', 'FILE::FUNC, pkg.mod::func or DIR::pkg.mod.func')
    .option('--format <format>', 'table or json', 'table')
    .option('--untyped', 'stop after tracing (no type column)')
    .action(async (spec: string, o: { format: string; untyped?: boolean }) => {
      const target = await resolveTarget(spec, { project: program.opts().project });
      if (target.kind !== 'module' || !target.func) throw new KilnError({ severity: 'error', file: target.display, line: 0, col: 0, construct: 'argument', message: 'name the function: FILE::FUNC, pkg.mod::func or DIR::pkg.mod.func' });
      const [{ loadModuleGraph, tracer, typeProgram }, { formatIRTable }, { oneModuleLinks }] = await Promise.all([import('../pipeline.ts'), import('../ir/print.ts'), import('../project/scope.ts')]);
      const { graph, module: mod } = await loadModuleGraph(target.file, program.opts().python);
      const links = mod.name ? graph.links(mod.name) : oneModuleLinks(mod, tracer(mod));
      const q = `${mod.name ?? path.basename(mod.file, '.py')}.${target.func}`;
      if (!links.functionAt(q)) {
        throw new KilnError({ severity: 'error', file: mod.file, line: 0, col: 0, construct: 'function', message: `no function named '${target.func}' at module level`, hint: `functions here: ${mod.functions.map((f) => f.name).join(', ') || '(none)'}` });
      }
      let ir = links.getIR(q);
      if (!o.untyped) ir = typeProgram(mod, [ir], (n) => links.getIR(n), links).entries[0].ir;
      if (o.format === 'json') out(JSON.stringify(ir, null, 2));
      else if (o.format === 'table') out(formatIRTable(ir, { types: !o.untyped }));
      else throw new KilnError({ severity: 'error', file: '--format', line: 0, col: 0, construct: 'option', message: `unknown format '${o.format}' (table or json)` });
    });

  program
    .command('compile')
    .description('write C source, C header and a shared library for the host (a file, a module path, or a whole project: one library)')
    .argument('<spec>', 'FILE[::FUNC], DIR (a project), pkg.mod[::func] or DIR::pkg.mod.func')
    .option('--out <dir>', 'output folder', 'kiln-out')
    .option('--emit <what>', 'c (stop after C) or lib', 'lib')
    .option('-O, --opt <level>', 'optimisation level: O0 O1 O2 O3 Os (default: [tool.kiln] opt-level, else O2)')
    .option('--fast-math', 'allow fused multiply-add and other value-changing float rewrites')
    .option('--no-fast-math', 'keep Python\'s float rounding (overrides [tool.kiln] fast-math)')
    .option('--boundscheck', 'check every index (overrides @compile and [tool.kiln])')
    .option('--no-boundscheck', 'check no index (overrides @compile and [tool.kiln])')
    .option('--db <file>', 'build history database (default: kiln.db in the user-data folder)')
    .action(async (spec: string, o: BuildFlags & { out: string; emit: string; db?: string }) => {
      prepareOutputFolder(o.out, '--out');
      const { compiled, build } = await compileSpec(spec, { ...o, python: program.opts().python, project: program.opts().project });
      const { buildUnit, unitRuntimeHeaders, unitSource } = await import('../pipeline.ts');
      for (const w of compiled.warnings) err(showDiagnostic(w));
      for (const f of compiled.functions) for (const d of f.errors ?? (f.error ? [f.error] : [])) { err(showDiagnostic(d)); code = 1; }
      if (!compiled.unit) {
        if (!compiled.functions.length) err(`${spec}: no @compile functions found (name one with FILE::FUNC)`);
        code = 1;
        return;
      }
      const unit = compiled.unit;
      const dir = prepareOutputFolder(path.join(o.out, compiled.name), '--out');
      const written: string[] = [];
      const put = (name: string, text: string | Buffer) => {
        const p = path.join(dir, name);
        // Unchanged files are left alone (a rebuild after a one-line change rewrites only what changed).
        if (!fs.existsSync(p) || !fs.readFileSync(p).equals(Buffer.from(text))) fs.writeFileSync(p, text);
        written.push(path.join(dir, name));
      };
      put(unit.sourceName, unit.source);
      for (const x of unit.objects ?? []) put(x.sourceName, x.source); // what a project's library is built from
      put(unit.headerName, unit.header);
      // The runtime headers this unit includes, and only those.
      for (const h of unitRuntimeHeaders(unit)) put(h, fs.readFileSync(path.join(C_RUNTIME_DIR, h)));
      if (o.emit !== 'c') {
        const built = await buildUnit(unit, { library: true }, build);
        put(path.basename(built.library!), fs.readFileSync(built.library!));
        err(`built with ${built.toolchain.version} ${built.flags.join(' ')}${built.cached ? ' (cached)' : built.objects ? ` (${built.objects.compiled} of ${built.objects.total} objects compiled)` : ''}`);
        const [{ recordCliBuild }, { hostTargetId }] = await Promise.all([import('../store/builds.ts'), import('../targets/registry.ts')]);
        const warning = await recordCliBuild(o.db, { file: compiled.project?.root ?? path.resolve(compiled.module!.file), project: compiled.project?.root, module: compiled.name, functions: unit.exports.map((e) => e.name), source: unitSource(compiled), target: hostTargetId(), toolchain: built.toolchain.command.join(' '), toolchainVersion: built.toolchain.version, flags: built.flags, durationMs: built.durationMs, sizeBytes: fs.statSync(built.library!).size, status: 'built', log: built.log, artifactPath: path.join(dir, path.basename(built.library!)) });
        if (warning) err(warning);
      }
      for (const e of unit.exports) err(`exported ${e.symbol}: ${e.signature}${e.module && !e.name.includes('.') ? '' : e.module ? `  (${e.module})` : ''}`);
      for (const w of written) out(path.relative(process.cwd(), w));
    });

  program
    .command('run')
    .description('call the native function once; arguments are Python literals')
    .argument('<spec>', 'FILE::FUNC, pkg.mod::func or DIR::pkg.mod.func')
    .argument('[args...]', 'arguments as Python literals')
    .option('-O, --opt <level>', 'optimisation level (default: [tool.kiln] opt-level, else O2)')
    .option('--fast-math', 'allow value-changing float rewrites')
    .option('--no-fast-math', 'keep Python\'s float rounding')
    .option('--boundscheck', 'check every index')
    .option('--no-boundscheck', 'check no index')
    .allowUnknownOption(false)
    .action(async (spec: string, args: string[], o: BuildFlags) => {
      const target = await resolveTarget(spec, { project: program.opts().project });
      if (target.kind !== 'module' || !target.func) throw new KilnError({ severity: 'error', file: target.display, line: 0, col: 0, construct: 'argument', message: 'name the function: FILE::FUNC' });
      const func = target.func;
      const [{ buildUnit, compileModule, loadModuleGraph, runHarness, unitSettings }, { callReport, harnessLine, instanceArguments, specialisedCall }] = await Promise.all([import('../pipeline.ts'), import('../run/call.ts')]);
      // The module's whole build is cached, so running any of its functions again does no compile.
      const { module: mod } = await loadModuleGraph(target.file, program.opts().python);
      const decorated = mod.functions.filter((f) => f.decorated).map((f) => f.name);
      const functions = decorated.includes(func) ? decorated : [func];
      const compiled = await compileModule(target.file, { functions, python: program.opts().python, boundscheck: o.boundscheck });
      const fr = compiled.functions.find((f) => f.name === func)!;
      if (fr.error) throw new KilnError(fr.error);
      const fn = compiled.unit!.exports.find((e) => e.name === func)!;
      const file = target.display;
      // Arguments that call a class of the module (`'Vec(1.0, 2.0)'`): CPython builds them (__init__ runs), as examples=.
      const instances = instanceArguments(file, fn, args, new Set(Object.keys(mod.classes ?? {})));
      if (instances.size) {
        const { buildClassCalls } = await import('../run/verify.ts');
        await buildClassCalls(compiled, compiled.module ?? mod, fn.module ?? '', [...instances.values()], { python: program.opts().python });
      }
      const { fn: chosen, values } = specialisedCall(file, fn, args, instances);
      const settings = unitSettings(compiled);
      const built = await buildUnit(compiled.unit!, { harness: true }, { optLevel: (o.opt?.replace(/^-/, '') ?? settings?.optLevel ?? 'O2') as 'O2', fastMath: o.fastMath ?? settings?.fastMath ?? false });
      const r = await runHarness(built.harness!, `${harnessLine(chosen, values)}\n`);
      const report = callReport(chosen, file, r, `${file}::${func}`, compiled.unit!.frameFiles);
      if (report.stdout !== undefined) out(report.stdout);
      if (report.stderr !== undefined) err(report.stderr);
      code = report.code;
    });

  program
    .command('verify')
    .description('run CPython and the native build on the same inputs and report every mismatch')
    .argument('<spec>', 'FILE[::FUNC], DIR (a project), pkg.mod[::func] or DIR::pkg.mod.func')
    .option('--cases <n>', 'generated cases per function', '48')
    .option('--json', 'print JSON')
    .option('--boundscheck', 'check every index')
    .option('--no-boundscheck', 'check no index')
    .action(async (spec: string, o: { cases: string; json?: boolean; boundscheck?: boolean }) => {
      const { compiled, build } = await compileSpec(spec, { boundscheck: o.boundscheck, python: program.opts().python, project: program.opts().project });
      const { verifyModule, formatVerifyReport } = await import('../run/verify.ts');
      for (const d of compiled.warnings.filter((w) => w.construct === 'syntax')) err(showDiagnostic(d));
      const where = compiled.project?.root ?? compiled.module!.file;
      const report = await verifyModule(where, { compiled, python: program.opts().python, maxCases: Number(o.cases), build });
      if (o.json) out(JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
      else out(formatVerifyReport(report));
      if (!report.ok) code = 1;
    });

  registerOps(program);
  registerServe(program);
  registerBench(program);
  registerTargets(program);
  registerExport(program);
  registerFuzz(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isKilnError(e)) {
      // A configuration reports all its problems at once.
      for (const d of (e as { diagnostics?: Diagnostic[] }).diagnostics ?? [e.diagnostic]) err(showDiagnostic(d));
      return 2;
    }
    // A bug in Kiln: its message and what to do, never a stack trace (KILN_DEBUG=1 prints it).
    err(showDiagnostic(internalErrorDiagnostic(e, { file: `kiln ${argv[0] ?? ''}`.trim(), line: 0, col: 0 })));
    return 70;
  }
  return code;
}
