/**
 * Projects, not single files (issue 21): fixture projects under tests/fixtures/projects, each compiled as one
 * library, verified against CPython (which imports the original by its import path from the project's source
 * roots) and exported (one library, one Python package mirroring the original's modules, one JS module); the
 * CLI's project and module-path forms; diagnostics naming the chain of calls across modules; [tool.kiln] with
 * every key and with each kind of mistake, and the studio's writes that keep the file's formatting.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModule, compileProject, type CompiledUnit } from '../../src-compiler/pipeline.ts';
import { verifyModule } from '../../src-compiler/run/verify.ts';
import { exportModule } from '../../src-compiler/export/export.ts';
import { readConfig, writeConfig } from '../../src-compiler/project/config.ts';
import { locateProject, ModuleGraph } from '../../src-compiler/project/graph.ts';
import { KilnError, type Diagnostic } from '../../src-compiler/diagnostics.ts';

const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(root, 'tests/fixtures/projects');
const kiln = path.join(root, 'bin/kiln.mjs');
const python = process.env.KILN_PYTHON ?? 'python3';
const P = (name: string) => path.join(fixtures, name);

/** What CPython itself computes: the original imported from `paths` (the project's source roots). */
async function cpython(paths: string[], code: string): Promise<string> {
  const r = await execa(python, ['-c', code], { env: { PYTHONPATH: [...paths, path.join(root, 'resources/python')].join(path.delimiter), PYTHONDONTWRITEBYTECODE: '1' }, cwd: paths[0], reject: false });
  expect(r.stderr.split('\n').filter((l) => l && !l.includes('io_helpers imported')).join('\n')).toBe('');
  return r.stdout.trim();
}

const exported = (c: CompiledUnit) => c.unit!.exports.map((e) => [e.name, e.symbol]);

describe('a flat project: modules importing each other', () => {
  let compiled: CompiledUnit;
  beforeAll(async () => { compiled = await compileProject(P('flat')); }, 120_000);

  it('compiles every @compile function of every module into one library, named by module path', () => {
    expect(compiled.functions.map((f) => [f.name, f.error?.message ?? null])).toEqual([
      ['main.scaled', null], ['main.weighted', null], ['main.ratio_of_norms', null], ['main.smooth', null],
    ]);
    expect(exported(compiled)).toEqual([['main.scaled', 'kiln_main_scaled'], ['main.weighted', 'kiln_main_weighted'], ['main.ratio_of_norms', 'kiln_main_ratio_of_norms'], ['main.smooth', 'kiln_main_smooth']]);
    expect(compiled.unit!.sourceName).toBe('kiln_flat.c');
    // Functions of other modules compile as if local, each under its module's name.
    const c = compiled.unit!.source;
    for (const f of ['kf_utils_bounded', 'kf_utils_clamp', 'kf_utils_safe_ratio', 'kf_utils_hypot2', 'kf_main_clamp01']) expect(c).toContain(`static int ${f}(`);
    // Constants and tuples of constants of other modules are their values in the C.
    expect(c).toContain('/* line 17: return utils.bounded(x * SCALE + config.OFFSET) */');
    expect(c).toMatch(/SCALE_py = 0x1\.4000000000000p\+1;/);
  });

  it('verifies against CPython importing the original as the project does', async () => {
    const report = await verifyModule(P('flat'), { compiled });
    expect(report.functions.map((f) => [f.name, f.ok, f.counts.mismatch + f.counts.crash])).toEqual([
      ['main.scaled', true, 0], ['main.weighted', true, 0], ['main.ratio_of_norms', true, 0], ['main.smooth', true, 0],
    ]);
  }, 300_000);

  it('a module compiled on its own follows its imports too, and a traceback names each module\'s file', async () => {
    const r = await execa('node', [kiln, 'run', 'tests/fixtures/projects/flat/main.py::ratio_of_norms', '1.0', '0.0'], { cwd: root, reject: false });
    expect(r.exitCode).toBe(1);
    const expected = await cpython([P('flat')], 'import traceback, main\ntry:\n    main.ratio_of_norms(1.0, 0.0)\nexcept Exception as e:\n    tb = traceback.extract_tb(e.__traceback__)[1:]\n    print("\\n".join(f"{f.filename.split(\'/\')[-1]}:{f.lineno}:{f.name}" for f in tb)); print(type(e).__name__ + ": " + str(e))');
    const lines = r.stderr.split('\n');
    const frames = lines.filter((l) => l.startsWith('  File ')).map((l) => { const m = /File "(.*)", line (\d+), in (\w+)/.exec(l)!; return `${path.basename(m[1])}:${m[2]}:${m[3]}`; });
    expect([...frames, lines[lines.length - 1]].join('\n')).toBe(expected);
  }, 120_000);
});

describe('a package: relative imports, re-exports, a namespace subpackage', () => {
  let compiled: CompiledUnit;
  beforeAll(async () => { compiled = await compileProject(P('package')); }, 120_000);

  it('resolves from .x import, from .. import, from ..pkg.mod import and the package\'s own re-exports', () => {
    expect(compiled.functions.filter((f) => f.error)).toEqual([]);
    expect(compiled.functions.map((f) => f.name)).toEqual(['geo.shapes.circle.area', 'geo.shapes.circle.circumference', 'geo.shapes.polygon.regular_area', 'geo.shapes.polygon.inscribed_gap']);
    const c = compiled.unit!.source;
    // geo.tools is a namespace package (no __init__.py); geo.circle_area is geo.shapes.circle.area re-exported.
    expect(c).toContain('static int kf_geo_tools_mathx_clamp(');
    expect(c).toContain('kf_geo_shapes_polygon_tan_pi_over(');
    expect(c.match(/static int kf_geo_shapes_circle_area\([^)]*\);/g)).toHaveLength(1); // one function, one prototype
  });

  it('verifies and exports: the Python package mirrors geo.shapes.circle and friends, and gives CPython\'s results', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-proj-pkg-'));
    // The export verifies the host's library against CPython (verifyModule's run: 'verified' is its report.ok), once.
    const r = await exportModule(P('package'), { targets: ['linux-x64'], out, compiled, pythonExtension: false });
    expect(r.targets.map((t) => [t.status, t.firstLine])).toEqual([['verified', expect.stringMatching(/^([1-9]\d*)\/\1 cases agree with CPython/)]]);
    const pkg = path.join(out, 'python', 'package');
    expect(['__init__.py', '_native.py', 'geo/__init__.py', 'geo/shapes/__init__.py', 'geo/shapes/circle.py', 'geo/shapes/polygon.py'].filter((f) => !fs.existsSync(path.join(pkg, f)))).toEqual([]);
    const call = 'print(repr(area(2.5)), repr(regular_area(6, 2.0)), repr(inscribed_gap(3.0)))\ntry:\n    regular_area(2, 1.0)\nexcept ValueError as e:\n    print("ValueError", e)';
    const native = await execa(python, ['-c', `from package.geo.shapes.circle import area\nfrom package.geo.shapes.polygon import regular_area, inscribed_gap\n${call}`], { cwd: path.join(out, 'python') });
    const original = await cpython([P('package')], `from geo.shapes.circle import area\nfrom geo.shapes.polygon import regular_area, inscribed_gap\n${call}`);
    expect(native.stdout.trim()).toBe(original);
  }, 300_000);

  it('a file inside the package compiles on its own (its package found by walking up __init__.py)', async () => {
    const c = await compileModule(path.join(P('package'), 'geo/shapes/polygon.py'));
    expect(c.name).toBe('geo.shapes.polygon');
    expect(c.functions.map((f) => [f.name, !!f.error])).toEqual([['regular_area', false], ['inscribed_gap', false]]);
    expect(c.unit!.exports.map((e) => e.symbol)).toEqual(['kiln_regular_area', 'kiln_inscribed_gap']);
  }, 60_000);
});

describe('a src layout with pyproject.toml', () => {
  it('finds src/ as the source root, leaves tests/ out, and verifies a namespace package', async () => {
    const graph = new ModuleGraph(locateProject(P('srclayout')));
    expect(graph.location.sourceRoots).toEqual([path.join(P('srclayout'), 'src')]);
    expect(graph.moduleFiles().map((f) => graph.nameOfFile(f))).toEqual(['dsp.filters', 'dsp.windows']);
    const compiled = await compileProject(P('srclayout'));
    expect(compiled.project).toMatchObject({ name: 'dsp_kernels', version: '2.1.0' });
    const report = await verifyModule(P('srclayout'), { compiled });
    expect(report.functions.map((f) => [f.name, f.ok])).toEqual([['dsp.filters.window_energy', true], ['dsp.filters.smooth', true]]);
  }, 300_000);

  it('the CLI takes a module path from inside the project, and DIR::pkg.mod.func from outside', async () => {
    const inside = await execa('node', [kiln, 'run', 'dsp.filters::window_energy', '8'], { cwd: P('srclayout') });
    const outside = await execa('node', [kiln, 'run', `${P('srclayout')}::dsp.filters.window_energy`, '8'], { cwd: os.tmpdir() });
    const expected = await cpython([path.join(P('srclayout'), 'src')], 'from dsp.filters import window_energy; print(repr(window_energy(8)))');
    expect([inside.stdout.trim(), outside.stdout.trim()]).toEqual([expected, expected]);
    const trace = await execa('node', [kiln, 'trace', 'dsp.filters::window_energy', '--project', P('srclayout')], { cwd: os.tmpdir() });
    expect(trace.stdout).toMatch(/call_function\s+hann_result\s+dsp\.windows\.hann\s/);
    const missing = await execa('node', [kiln, 'trace', 'dsp.nothing::f', '--project', P('srclayout')], { cwd: os.tmpdir(), reject: false });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("no module 'dsp.nothing' in the project at");
  }, 120_000);
});

describe('circular imports', () => {
  it('compile as CPython imports them: functions calling each other across the two modules', async () => {
    const compiled = await compileProject(P('circular'));
    expect(compiled.functions.map((f) => [f.name, f.error?.message ?? null])).toEqual([['evens.is_even', null], ['evens.parity_sum', null], ['odds.is_odd', null]]);
    const report = await verifyModule(P('circular'), { compiled });
    expect(report.ok).toBe(true);
    const fns = compiled.program!.functions.filter((f) => f.name === 'evens.is_even' || f.name === 'odds.is_odd');
    expect(fns.every((f) => f.recursive)).toBe(true);
  }, 300_000);

  it('a name the modules import from each other and nobody defines is an error at its use', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-cycle-'));
    fs.writeFileSync(path.join(dir, 'a.py'), 'from kiln import compile\nfrom b import K\n\n@compile\ndef f(x: int) -> int:\n    return x + K\n');
    fs.writeFileSync(path.join(dir, 'b.py'), 'from a import K\n');
    const c = await compileModule(path.join(dir, 'a.py'));
    expect(c.functions[0].error).toMatchObject({ file: path.join(fs.realpathSync(dir), 'a.py'), line: 6, message: "'b.K' is never defined: the modules import it from each other in a circle" });
  }, 60_000);
});

describe('a module with side effects and code outside the subset', () => {
  let compiled: CompiledUnit;
  beforeAll(async () => { compiled = await compileProject(P('sideeffects')); }, 120_000);

  it('is fine while the compiled call tree avoids it; otherwise the diagnostic names the chain, file:line at each step', () => {
    const halved = compiled.functions.find((f) => f.name === 'main.halved')!;
    expect(halved.error).toBeUndefined();
    const d = compiled.functions.find((f) => f.name === 'main.scaled')!.error!;
    expect([path.basename(d.file), d.line, d.message]).toEqual(['io_helpers.py', 13, 'print() has no native equivalent here']);
    expect(d.chain!.map((s) => `${s.function} ${path.basename(s.file)}:${s.line}`)).toEqual(['main.scaled main.py:14', 'utils.clamp utils.py:6', 'io_helpers.log io_helpers.py:13']);
  });

  it('the CLI prints the chain', async () => {
    const r = await execa('node', [kiln, 'compile', 'tests/fixtures/projects/sideeffects/main.py::scaled', '--emit', 'c', '--out', fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-se-'))], { cwd: root, reject: false });
    expect(r.stderr).toContain('tests/fixtures/projects/sideeffects/io_helpers.py:13:5: error in log(): print() has no native equivalent here');
    expect(r.stderr).toContain('called from: scaled (main.py:14) → utils.clamp (utils.py:6) → io_helpers.log (io_helpers.py:13)');
  }, 60_000);

  it('verifies what compiles: CPython imports the module with its side effects', async () => {
    const report = await verifyModule(P('sideeffects'), { compiled });
    expect(report.functions.find((f) => f.name === 'main.halved')!.ok).toBe(true);
  }, 300_000);
});

describe('[tool.kiln] in pyproject.toml', () => {
  it('with every key: name, version, exports by glob and name, opt level, targets', async () => {
    const c = readConfig(P('config-full'));
    expect(c.problems).toEqual([]);
    expect(c.settings).toEqual({ sourceRoots: ['src'], export: ['kernels.stats.*', 'kernels.core.dot3'], targets: ['host', 'wasm32'], optLevel: 'O3', fastMath: false, boundscheck: true, name: 'fastkernels', version: '1.4.2' });
    const compiled = await compileProject(P('config-full'));
    // kernels.core.not_exported is @compile but not picked; dot3 is not decorated but named.
    expect(exported(compiled)).toEqual([['kernels.core.dot3', 'kiln_kernels_core_dot3'], ['kernels.stats.norm3', 'kiln_kernels_stats_norm3'], ['kernels.stats.sum_abs', 'kiln_kernels_stats_sum_abs'], ['kernels.stats.last', 'kiln_kernels_stats_last']]);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-proj-cfg-'));
    // The CLI: targets and opt level from the table (-O3 in the manifest's flags), a flag overriding one.
    const r = await execa('node', [kiln, 'export', P('config-full'), '--out', out, '--no-extension'], { cwd: root, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const index = JSON.parse(fs.readFileSync(path.join(out, 'exports.json'), 'utf8'));
    expect([index.module, index.version, index.targets.map((t: { target: string; status: string }) => `${t.target}:${t.status}`)]).toEqual(['fastkernels', '1.4.2', ['linux-x64:verified', 'wasm32:verified']]);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'fastkernels-linux-x64', 'manifest.json'), 'utf8'));
    expect(manifest.flags).toContain('-O3');
    expect(manifest.project).toEqual({ name: 'fastkernels', version: '1.4.2', modules: ['kernels.core', 'kernels.stats'] });
    expect(manifest.functions.map((f: { python: string }) => f.python)).toEqual(['kernels.core.dot3', 'kernels.stats.norm3', 'kernels.stats.sum_abs', 'kernels.stats.last']);
    const native = await execa(python, ['-c', 'import fastkernels; from fastkernels.kernels.stats import norm3; from fastkernels.kernels import core; print(fastkernels.__version__, repr(norm3(1.0, 2.0, 3.0)), repr(core.dot3(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)))'], { cwd: path.join(out, 'python') });
    const original = await cpython([path.join(P('config-full'), 'src')], 'from kernels.stats import norm3; from kernels import core; print("1.4.2", repr(norm3(1.0, 2.0, 3.0)), repr(core.dot3(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)))');
    expect(native.stdout.trim()).toBe(original);
    const js = await execa('node', ['--input-type=module', '-e', `const m = await import(${JSON.stringify(path.join(out, 'js', 'kiln_fastkernels.mjs'))}); console.log(m.modules['kernels.stats'].norm3(1, 2, 3) === m.kernels_stats_norm3(1, 2, 3), m.kernels_stats_norm3(1, 2, 3))`]);
    expect(js.stdout.trim()).toBe(`true ${Number(original.split(' ')[1])}`);
    // A flag overrides the table.
    const o1 = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-proj-o1-'));
    await execa('node', [kiln, 'export', P('config-full'), '--target', 'linux-x64', '-O', 'O1', '--no-verify', '--no-extension', '--out', o1], { cwd: root });
    expect(JSON.parse(fs.readFileSync(path.join(o1, 'fastkernels-linux-x64', 'manifest.json'), 'utf8')).flags).toContain('-O1');
  }, 600_000);

  it('each kind of mistake is an error at the line of its key, all of them at once', async () => {
    const r = await execa('node', [kiln, 'compile', P('config-errors')], { cwd: root, reject: false });
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.includes(': error'));
    expect(lines.map((l) => l.replace(/^.*pyproject\.toml:/, ''))).toEqual([
      "5:1: error: tool.kiln.source-roots: 'missing' is not a folder of the project",
      '6:1: error: tool.kiln.export must be an array of strings, not a string',
      "7:1: error: tool.kiln.targets: unknown target 'pdp11' (see kiln targets)",
      "8:1: error: tool.kiln.opt-level: 'O9' is not an optimisation level (O0, O1, O2, O3, Os)",
      '9:1: error: tool.kiln.fast-math must be a boolean, not a string',
      '10:1: error: tool.kiln.boundscheck must be a boolean, not a number',
      "11:1: error: tool.kiln.name: 'has-dash' is not a Python package name (letters, digits and _; not starting with a digit)",
      "12:1: error: tool.kiln.version: '' is not a version (such as 1.2.0)",
      "13:1: error: unknown key 'optimise' in [tool.kiln]",
    ]);
  }, 60_000);

  it('a misspelt key gets the nearest one; TOML that does not parse is located; an export that matches nothing is located', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-cfg-'));
    const toml = path.join(dir, 'pyproject.toml');
    fs.writeFileSync(toml, '[tool.kiln]\nfast_math = true\n');
    expect(readConfig(dir).problems.map((p) => [p.line, p.message, p.hint])).toEqual([[2, "unknown key 'fast_math' in [tool.kiln]", "did you mean 'fast-math'?"]]);
    fs.writeFileSync(toml, '[tool.kiln]\nname = = "x"\n');
    expect(readConfig(dir).problems.map((p) => [p.line, p.construct])).toEqual([[2, 'pyproject.toml']]);
    fs.writeFileSync(toml, '[tool.kiln]\n\nexport = ["nothing.*"]\n');
    fs.writeFileSync(path.join(dir, 'm.py'), 'from kiln import compile\n\n@compile\ndef f(x: int) -> int:\n    return x\n');
    const e = await compileProject(dir).catch((x) => x);
    expect(e).toBeInstanceOf(KilnError);
    expect((e as { diagnostics: Diagnostic[] }).diagnostics.map((d) => [d.line, d.message])).toEqual([[3, "tool.kiln.export: 'nothing.*' matches no @compile function"]]);
  });

  it('written back by the studio\'s settings with comments, order and formatting kept', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-cfgw-'));
    const toml = path.join(dir, 'pyproject.toml');
    const before = '# my project\n[project]\nname = "demo"   # the name\n\n[tool.kiln]\n# speed first\nopt-level = "O3"  # keep\nfast-math = false\n\n[tool.other]\nkeep = [1, 2]\n';
    fs.writeFileSync(toml, before);
    writeConfig(dir, { fastMath: true, targets: ['host', 'wasm32'] });
    expect(fs.readFileSync(toml, 'utf8')).toBe(before.replace('fast-math = false', 'fast-math = true\ntargets = ["host", "wasm32"]'));
    writeConfig(dir, { optLevel: null });
    expect(fs.readFileSync(toml, 'utf8')).not.toContain('opt-level');
    expect(fs.readFileSync(toml, 'utf8')).toContain('# my project\n[project]\nname = "demo"   # the name\n');
    expect(() => writeConfig(dir, { optLevel: 'O7' as 'O3' })).toThrow(/opt-level: 'O7' is not an optimisation level/);
    // A pyproject.toml without the table gets one at its end.
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-cfgn-'));
    fs.writeFileSync(path.join(fresh, 'pyproject.toml'), '[project]\nname = "x"\n');
    writeConfig(fresh, { name: 'xlib' });
    expect(fs.readFileSync(path.join(fresh, 'pyproject.toml'), 'utf8')).toBe('[project]\nname = "x"\n\n[tool.kiln]\nname = "xlib"\n');
  });
});
