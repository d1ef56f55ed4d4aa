/** `kiln export FILE --target ... --out DIR`: per-target folders and zips, a Python package and a JS module. */
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import { formatDiagnostic } from '../diagnostics.ts';
import { parseToolchainFlags } from './targets.ts';
import { prepareOutputFolder } from '../folders.ts';
import { compileSpec } from './spec.ts';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command) {
  program
    .command('export')
    .description('write one folder and one .zip per target (library, header, README, manifest.json), a Python package and a JS module')
    .argument('<spec>', 'FILE[::FUNC], DIR (a project: one library of every exported function), pkg.mod[::func]')
    .option('--target <targets>', 'targets: all, host, executable, a group, or ids (comma-separated); default: [tool.kiln] targets, else all')
    .option('--out <dir>', 'output folder', 'kiln-export')
    .option('-O, --opt <level>', 'optimisation level: O0 O1 O2 O3 Os (default: [tool.kiln] opt-level, else O2)')
    .option('--fast-math', 'allow value-changing float rewrites')
    .option('--no-fast-math', "keep Python's float rounding (overrides [tool.kiln] fast-math)")
    .option('--boundscheck', 'check every index (overrides @compile and [tool.kiln])')
    .option('--no-boundscheck', 'check no index')
    .option('--jobs <n>', 'targets built at once (default: cores)')
    .option('--toolchain <target=command>', 'use another toolchain for a target (repeatable)', collect)
    .option('--no-verify', 'build and inspect only (manifests say "built-not-executed")')
    .option('--extension-python <path>', "the Python whose headers the package's CPython extension (abi3, the fast path for scalar functions) is built against", 'python3')
    .option('--no-extension', 'no CPython extension in the Python package (ctypes only)')
    .action(async (spec: string, o: {
      target?: string; out: string; opt?: string; fastMath?: boolean; boundscheck?: boolean; jobs?: string; toolchain?: string[]; verify?: boolean;
      extension?: boolean; extensionPython: string;
    }) => {
      prepareOutputFolder(o.out, '--out');
      const [{ exportModule }, { TARGET_OUTCOME_ICON }] = await Promise.all([import('../export/export.ts'), import('../targets/build.ts')]);
      const python = program.opts().python;
      const { compiled, settings, build } = await compileSpec(spec, { ...o, python, project: program.opts().project });
      const file = compiled.project?.root ?? compiled.module!.file;
      for (const w of compiled.warnings.filter((d) => d.construct === 'syntax')) err(formatDiagnostic(w));
      for (const f of compiled.functions) for (const d of f.errors ?? (f.error ? [f.error] : [])) err(formatDiagnostic(d));
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const r = await exportModule(file, {
          targets: await (await import('../targets/status.ts')).resolveTargetList(o.target ?? settings?.targets ?? 'all'), out: o.out, compiled, python, ...build,
          jobs: o.jobs ? Number(o.jobs) : undefined, toolchains: parseToolchainFlags(o.toolchain), noVerify: o.verify === false, signal: controller.signal,
          pythonExtension: o.extension === false ? false : o.extensionPython,
          onProgress: (e) => { if (e.kind === 'target-done') err(`${TARGET_OUTCOME_ICON[e.result.status]} ${e.target}: ${e.result.status}${e.result.firstLine ? ` — ${e.result.firstLine}` : ''}`); },
        });
        for (const t of r.targets) out(`${t.zip ? path.relative(process.cwd(), t.zip) : `(${t.target}: ${t.status}${t.firstLine ? `: ${t.firstLine}` : ''})`}`);
        if (r.pythonPackage) out(path.relative(process.cwd(), r.pythonPackage));
        if (r.pythonExtension?.ok) err(`Python fast path: ${path.relative(process.cwd(), r.pythonExtension.file!)} (abi3, built against ${r.pythonExtension.python!.executable} ${r.pythonExtension.python!.version}) for ${r.pythonExtension.functions.join(', ')}`);
        else if (r.pythonExtension) err(`Python fast path not built (the package uses ctypes): ${r.pythonExtension.message}`);
        if (r.jsModule) out(path.relative(process.cwd(), r.jsModule));
        const failed = r.targets.some((t) => t.status === 'failed' || t.status === 'cancelled') || compiled.functions.some((f) => f.error);
        if (failed) throw new CommanderError(1, 'kiln.done', '');
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
