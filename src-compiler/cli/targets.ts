/**
 * `kiln targets` / `kiln doctor`: every target with its toolchain, version and whether it can be built
 * and executed here. Also adds `--target` to `kiln compile` and `kiln run` (cross builds, emulated runs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import { KilnError, formatDiagnostic } from '../diagnostics.ts';
import type { TargetBuildResult } from '../targets/build.ts';
import { getTarget } from '../targets/registry.ts';
import { compileSpec, splitSpec, type BuildFlags } from './spec.ts';
import { prepareOutputFolder } from '../folders.ts';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);

/** --toolchain 'android-arm64=/path/clang --target=...' (repeatable). */
export function parseToolchainFlags(values: string[] | undefined): Record<string, string> {
  const r: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw new KilnError({ severity: 'error', file: '--toolchain', line: 0, col: 0, construct: 'option', message: `expected TARGET=COMMAND, got '${v}'` });
    r[v.slice(0, i)] = v.slice(i + 1);
  }
  return r;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export async function printTargets(o: { json?: boolean; toolchain?: string[] }): Promise<number> {
  const { listTargets, machineSummary } = await import('../targets/status.ts');
  const list = await listTargets({ toolchains: parseToolchainFlags(o.toolchain) });
  if (o.json) {
    out(JSON.stringify(list, null, 2));
    return 0;
  }
  out(`Kiln targets on this machine (${machineSummary()})`);
  const rows = list.map((t) => [t.id, t.buildable ? 'yes' : 'no', t.executable ? `yes (${t.runnerKind}${t.runnerKind === 'native' ? '' : `: ${t.runner?.[t.runner.length - 1]?.split('/').pop()}`})` : 'no', `${t.library === 'static' ? 'static ' : ''}${t.sharedExt}`, t.toolchainVersion ?? '-', t.executable ? (t.notes ?? '') : (t.reason ?? '')]);
  const head = ['TARGET', 'BUILD', 'EXECUTE', 'LIBRARY', 'TOOLCHAIN', 'NOTE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 5 ? 0 : r[i].length))));
  for (const r of [head, ...rows]) out(r.map((c, i) => (i === 5 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
  return 0;
}

export async function compileForTargets(
  spec: string,
  o: BuildFlags & {
    target?: string; jobs?: string; logDir?: string; json?: boolean; toolchain?: string[]; verify?: boolean; python?: string; project?: string;
  },
): Promise<number> {
  if (o.logDir) prepareOutputFolder(o.logDir, '--log-dir');
  const [{ buildTargets, formatResultsTable, TARGET_OUTCOME_ICON }, { hostCores }] = await Promise.all([
    import('../targets/build.ts'), import('../run/runners.ts'),
  ]);
  const { compiled, settings, build } = await compileSpec(spec, o);
  const targets = await (await import('../targets/status.ts')).resolveTargetList(o.target ?? settings?.targets ?? 'host');
  if (!targets.length) throw new KilnError({ severity: 'error', file: '--target', line: 0, col: 0, construct: 'option', message: 'no targets named (try --target all, or see kiln targets)' });
  const file = compiled.project?.root ?? compiled.module!.file;
  for (const f of compiled.functions) for (const d of f.errors ?? (f.error ? [f.error] : [])) err(formatDiagnostic(d));
  const controller = new AbortController();
  const onSigint = () => {
    err('cancelling (Ctrl-C again to quit now)...');
    controller.abort();
    process.off('SIGINT', onSigint);
  };
  process.on('SIGINT', onSigint);
  const jobs = o.jobs ? Number(o.jobs) : hostCores();
  err(`building ${targets.length} target${targets.length === 1 ? "" : "s"}, ${Math.min(jobs, targets.length)} at a time`);
  let results: TargetBuildResult[];
  try {
    results = await buildTargets(file, {
      targets, compiled, python: o.python, ...build,
      jobs, logDir: o.logDir ? path.resolve(o.logDir) : undefined, toolchains: parseToolchainFlags(o.toolchain), noVerify: o.verify === false,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind === 'target-done') err(`${TARGET_OUTCOME_ICON[e.result.status]} ${e.target}: ${e.result.status}${e.result.firstLine ? ` — ${e.result.firstLine}` : ''}`);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (o.json) {
    out(JSON.stringify(results.map((r) => ({
      target: r.target, status: r.status, firstLine: r.firstLine, durationMs: Math.round(r.durationMs), cached: r.cached, logFile: r.logFile,
      library: r.artifacts?.library, harness: r.artifacts?.harness, executedWith: r.executedWith,
      inspection: r.inspection && { format: r.inspection.format, arch: r.inspection.arch, kind: r.inspection.kind, platform: r.inspection.platform, exports: r.inspection.exports.filter((s) => s.startsWith('kiln_')) },
      cases: r.verification?.functions.reduce((n, f) => n + f.cases.length, 0),
    })), null, 2));
  } else {
    out(formatResultsTable(results));
    const logs = results.find((r) => r.logFile)?.logFile;
    if (logs) out(`logs: ${path.dirname(logs)}`);
  }
  // A target with no toolchain on this machine is shown with its reason but does not fail the command.
  return results.some((r) => (r.status === 'failed' && !r.unavailable) || r.status === 'cancelled') || compiled.functions.some((f) => f.error) ? 1 : 0;
}

export async function runOnTarget(
  file: string, func: string, args: string[], o: { target: string; opt?: string; fastMath?: boolean; python?: string; toolchain?: string[] },
): Promise<number> {
  const [
    { buildOptionsFor }, { findZig, listTargets }, { toolchainFromCommand }, { buildUnit, compileModule, runHarness },
    { callReport, harnessLine, specialisedCall },
  ] = await Promise.all([
    import('../targets/build.ts'), import('../targets/status.ts'), import('../targets/toolchain.ts'), import('../pipeline.ts'), import('../run/call.ts'),
  ]);
  const t = (await listTargets({ toolchains: parseToolchainFlags(o.toolchain) })).find((x) => x.id === o.target);
  if (!t) throw new KilnError({ severity: 'error', file: '--target', line: 0, col: 0, construct: 'option', message: `unknown target '${o.target}' (see kiln targets)` });
  if (!t.executable) throw new KilnError({ severity: 'error', file: '--target', line: 0, col: 0, construct: t.id, message: `cannot execute ${t.id} here: ${t.reason ?? 'no runner'}` });
  const compiled = await compileModule(file, { functions: [func], python: o.python });
  const fr = compiled.functions[0];
  if (fr.error) throw new KilnError(fr.error);
  const fn = compiled.unit!.exports[0];
  const { fn: chosen, values } = specialisedCall(file, fn, args);
  const info = getTarget(t.id)!;
  const toolchain = t.toolchainOverride ? await toolchainFromCommand(t.toolchainOverride, `toolchain for ${t.id}`) : await findZig();
  if (!toolchain) throw new KilnError({ severity: 'error', file: '--target', line: 0, col: 0, construct: t.id, message: 'no toolchain for this target (see kiln targets)' });
  const built = await buildUnit(compiled.unit!, { harness: true }, { ...buildOptionsFor(info, toolchain), optLevel: (o.opt?.replace(/^-/, '') ?? 'O2') as 'O2', fastMath: o.fastMath });
  const r = await runHarness(built.harness!, `${harnessLine(chosen, values)}\n`, { runner: t.runner });
  const report = callReport(chosen, file, r, `${file}::${func} on ${t.id}`);
  if (report.stdout !== undefined) out(report.stdout);
  if (report.stderr !== undefined) err(report.stderr);
  return report.code;
}

/** The [tool.kiln] targets of the project a SPEC names, if it sets some. */
async function configuredTargets(spec: string, project?: string): Promise<string[] | null> {
  const [{ resolveTarget }, { locateProject }] = await Promise.all([import('./spec.ts'), import('../project/graph.ts')]);
  const t = await resolveTarget(spec, { project });
  return locateProject(t.kind === 'project' ? t.root : t.file).config.settings.targets;
}

function requireFile(file: string) {
  if (!fs.existsSync(file)) throw new KilnError({ severity: 'error', file, line: 0, col: 0, construct: 'file', message: 'no such file' });
}

/** Ends the command with this exit code (main returns a CommanderError's code as the process's). */
function finishWith(code: number): never {
  throw new CommanderError(code, 'kiln.done', '');
}

export function register(program: Command) {
  for (const name of ['targets', 'doctor']) {
    program
      .command(name)
      .description(name === 'targets' ? 'list every target: toolchain, version, whether it can be built and executed here' : 'check toolchains and emulators for every target (same as kiln targets)')
      .option('--json', 'print JSON')
      .option('--toolchain <target=command>', 'use another toolchain for a target (repeatable)', collect)
      .action(async (o: { json?: boolean; toolchain?: string[] }) => {
        const code = await printTargets(o);
        if (code) finishWith(code);
      });
  }

  // `kiln compile FILE --target all|a,b` and `kiln run FILE::F ... --target T`: cross builds, proven by execution.
  const compile = program.commands.find((c) => c.name() === 'compile');
  if (compile) {
    compile
      .option('--target <targets>', 'build for targets: all, host, executable, desktop, mobile, web, embedded, or ids (comma-separated); verified by execution where possible')
      .option('--jobs <n>', 'targets built at once (default: cores)')
      .option('--log-dir <dir>', 'per-target logs (default: the cache)')
      .option('--toolchain <target=command>', 'use another toolchain for a target (repeatable)', collect)
      .option('--no-verify', 'build and inspect only')
      .option('--json', 'print the results as JSON');
    compile.hook('preAction', async (_cmd, action) => {
      const o = action.opts();
      // --target, or the project's [tool.kiln] targets: the cross builds (a plain compile is the host's library).
      if (!o.target && !(await configuredTargets(action.args[0], program.opts().project))) return;
      // The host-only action must not run: stop here with the target builds' exit code.
      const options = { ...o, python: program.opts().python, project: program.opts().project } as Parameters<typeof compileForTargets>[1];
      finishWith(await compileForTargets(action.args[0], options));
    });
  }
  const run = program.commands.find((c) => c.name() === 'run');
  if (run) {
    run.option('--target <target>', 'run on another target (qemu-user, Node WASI, Wine)');
    run.option('--toolchain <target=command>', 'use another toolchain for a target (repeatable)', collect);
    run.hook('preAction', async (_cmd, action) => {
      const o = action.opts();
      if (!o.target) return;
      const { file, func } = splitSpec(action.args[0]);
      requireFile(file);
      if (!func) throw new KilnError({ severity: 'error', file, line: 0, col: 0, construct: 'argument', message: 'name the function: FILE::FUNC' });
      finishWith(await runOnTarget(file, func, action.args.slice(1), { ...o, python: program.opts().python } as Parameters<typeof runOnTarget>[3]));
    });
  }
}
