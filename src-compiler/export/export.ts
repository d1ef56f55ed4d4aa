/**
 * `kiln export`: one folder and one .zip per target (library, C header, README, manifest.json with
 * SHA-256 of every file), plus a Python package (ctypes; a drop-in import for the original module) and an
 * ES module for the wasm build. Reproducible: no timestamps anywhere, files in sorted order, zips with a
 * fixed mtime, so an unchanged project exports byte-identical bundles.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { compileModule, type CompiledUnit } from '../pipeline.ts';
import { buildTargets, type BuildProgress, type TargetBuildResult } from '../targets/build.ts';
import { getTarget, hostTargetId, type TargetId, type TargetInfo } from '../targets/registry.ts';
import type { ToolchainChoice } from '../targets/toolchain.ts';
import { instanceTransportProblem, type ExportedFunction } from '../lower/abi.ts';
import { toleranceText } from '../run/verify.ts';
import { holdsComplexArray, typeToString } from '../types/types.ts';
import { pythonPackageSource } from './python.ts';
import { buildPythonExtension, pythonFastPathSource, type PythonExtensionBuild } from './pyext.ts';
import { jsModuleSource, jsTypesSource } from './js.ts';
import { makeFolder, prepareOutputFolder } from '../folders.ts';

/** 1980-01-01T00:00:00 local: the earliest time a zip can hold; the same for every export. */
const ZIP_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export interface ExportOptions {
  targets: TargetId[];
  out: string;
  functions?: string[];
  python?: string;
  optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os';
  fastMath?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: BuildProgress) => void;
  jobs?: number;
  toolchains?: Record<TargetId, string>;
  /** The user's compiler in place of the detected one (the studio's Settings › Toolchain path). */
  compiler?: ToolchainChoice;
  /** Build and inspect only; manifests then say "not verified". */
  noVerify?: boolean;
  compiled?: CompiledUnit;
  /** The Python whose headers the package's CPython extension is built against (default: python3); false: ctypes only. */
  pythonExtension?: string | false;
}

export interface ExportedTarget {
  target: TargetId;
  status: TargetBuildResult['status'];
  firstLine?: string;
  dir?: string;
  zip?: string;
  files: { path: string; sha256: string; size: number }[];
}

export interface ExportResult {
  module: string;
  out: string;
  targets: ExportedTarget[];
  pythonPackage?: string;
  /** The package's CPython fast path (host only): built, or why not. */
  pythonExtension?: PythonExtensionBuild;
  jsModule?: string;
  results: TargetBuildResult[];
}

export const sha256File = (p: string) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');

function signatureJson(e: ExportedFunction, project?: CompiledUnit['project']) {
  // A function whose floats go through np.exp or a float product was verified within a tolerance: say which.
  const within = e.tolerance && e.tolerance.kind !== 'exact' ? { floatsVerifiedWithin: toleranceText(e.tolerance) } : {};
  return { ...signatureFields(e, project), ...within };
}

/**
 * The vector paths a library's NumPy kernels (GEMM, vector math) carry, from the target's library flags (those of
 * the bundled Zig; another toolchain brings its own): with KILN_DISPATCH (x86-64) the baseline and the AVX2/AVX-512
 * clones chosen at load time; SIMD128 on wasm32. Undefined for a unit without those kernels, or with only its baseline.
 */
export function vectorPaths(unitSource: string, flags: string[]): { paths: string[]; selection: string } | undefined {
  if (!/#include "kiln_(gemm|products|vmath)\.h"/.test(unitSource)) return undefined;
  if (flags.includes('-DKILN_DISPATCH')) return { paths: ['sse2', 'avx2', 'avx512'], selection: 'the best the CPU has, at the first call (KILN_ISA=base or avx2 caps it)' };
  if (flags.includes('-msimd128')) return { paths: ['simd128'], selection: 'WebAssembly SIMD128 (Chrome 91+, Firefox 89+, Safari 16.4+, Node 16.4+)' };
  return undefined;
}

const withVectorPaths = (source: string, libraryFlags: string[]) => {
  const v = vectorPaths(source, libraryFlags);
  return v ? { vectorPaths: v } : {};
};

function signatureFields(e: ExportedFunction, project?: CompiledUnit['project']) {
  return { name: e.name, ...(project ? { module: e.module, python: `${e.module}.${e.name.split('.').pop()}`, file: e.file ? path.relative(project.root, e.file) : null } : {}), symbol: e.symbol, signature: e.signature, params: e.params.map((p) => ({ name: p.name, type: typeToString(p.type), ktype: p.type, ...(p.otherKind ? { otherKind: true } : {}) })), returns: typeToString(e.returnType), returnKType: e.returnType, line: e.line,
    // Its specialisations for other accepted argument types (types/tower.ts), and the candidates left out and why.
    ...(e.variants?.length
      ? { specialisations: e.variants.map((v) => ({ code: v.code, symbol: v.symbol, signature: v.signature, returns: typeToString(v.returnType) })) }
      : {}),
    ...(e.listed ? { specialisationsListedBy: '@compile(signatures=[...])' } : {}),
    ...(e.skipped?.length ? { specialisationsLeftOut: e.skipped } : {}),
    ...(e.boolAliases && Object.keys(e.boolAliases).length ? { boolAliases: e.boolAliases } : {}) };
}


function readmeFor(moduleName: string, t: TargetInfo, lib: string, header: string, exports: ExportedFunction[], r: TargetBuildResult, project?: CompiledUnit['project']): string {
  const how: Record<string, string> = {
    linux: `Link with \`-L. -lkiln_${moduleName}\` (and \`-Wl,-rpath,'$ORIGIN'\`), or load it with dlopen / Python's ctypes.`,
    windows: `Load it with LoadLibrary, ctypes.CDLL, or link against it with MinGW (\`-L. -lkiln_${moduleName}\`).`,
    macos: `Link with \`-L. -lkiln_${moduleName}\` or load it with dlopen. It is not signed by you: sign it with your identity (or \`codesign -s - ${lib}\`) before shipping in an app.`,
    wasi: `A WASI reactor module: instantiate it with any WASI runtime (call \`_initialize\` first) or use \`kiln_${moduleName}.mjs\` from the JS package of this export, which works in Node and browsers.`,
    android: `A static library: add it to your NDK build (CMake: \`add_library(kiln_${moduleName} STATIC IMPORTED)\` with IMPORTED_LOCATION set to this file) and call the functions from your JNI code. ${t.notes ?? ''}`,
    ios: `A static library for iOS devices: add it to the Xcode target ("Link Binary With Libraries") with the header on the header search path, and call the functions from C, Objective-C or Swift (through a bridging header). ${t.notes ?? ''}`,
  };
  const status = r.status === 'verified'
    ? `Verified: ${r.firstLine}.`
    : r.status === 'built-not-executed' ? `Built and inspected (format ${r.inspection?.format}, architecture ${r.inspection?.arch}, every function exported), not executed on the machine that exported it.` : `Status: ${r.status}.`;
  return `# kiln_${moduleName} for ${t.label} (\`${t.id}\`)

Generated by Kiln from ${project ? `the project \`${project.name}\` ${project.version} (every exported function of every module, one library)` : `\`${moduleName}.py\``}. ${status}

Files:
- \`${lib}\`: the ${t.library === 'static' ? 'static library' : 'library'} (${t.triple ?? 'host'})
- \`${header}\`: the C header
- \`manifest.json\`: signatures, toolchain, flags, sizes and SHA-256 of every file

## Use
${how[t.os] ?? ''}

## Functions
${exports.map((e) => `- \`${project ? `${e.module}.` : ''}${e.signature}\` → \`int ${e.symbol}(...)\``).join('\n')}

Every function returns 0 and writes its result to the last (out) argument, or returns a nonzero error kind
when the Python code would raise; \`kiln_error_type()\` and \`kiln_error_message()\` then name the exception
as Python would. int is int64_t (OverflowError past 64 bits), float is double, bool is bool.
${exports.some((e) => [...e.params.map((p) => p.type), e.returnType].some((t) => t.kind === 'array' || t.kind === 'list'))
    ? `
Arrays pass as \`kiln_array_<dtype>\` (data pointer, shape, strides in elements: NumPy views need no copy) and
lists as \`kiln_list_<item> *\` (len, data), in-out as in Python: after every call (also one that raised) the
struct holds the list's final state in a NEW buffer the caller releases with \`kiln_free(xs->data)\` (its own
buffer is never written). An array or list result is a new buffer the caller releases with
\`kiln_free(out->data)\`. The header's comment has the details.
` : ''}`;
}

function writeIfChanged(p: string, data: string | Uint8Array) {
  makeFolder(path.dirname(p));
  const buf = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
  if (fs.existsSync(p) && fs.readFileSync(p).equals(buf)) return;
  fs.writeFileSync(p, buf);
}

/** A zip of a folder: sorted entries, fixed mtime, fixed compression: the same bytes every time. */
export function zipFolder(dir: string, rootName: string): Uint8Array {
  const files: Zippable = {};
  const walk = (d: string, rel: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (fs.statSync(p).isDirectory()) walk(p, r);
      else files[`${rootName}/${r}`] = [new Uint8Array(fs.readFileSync(p)), { mtime: ZIP_MTIME, level: 9 }];
    }
  };
  walk(dir, '');
  return zipSync(files, { mtime: ZIP_MTIME });
}

function listFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(dir).sort().flatMap((name) => {
    const p = path.join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    return fs.statSync(p).isDirectory() ? listFiles(p, r) : [r];
  });
}

/**
 * The exported functions under names Python and JavaScript can use: a project's library names them by module
 * path (`geometry.area` is `geometry_area`, its symbol without `kiln_`); a module's keep their own.
 */
export function flatExports(exports: ExportedFunction[]): ExportedFunction[] {
  return exports.map((e) => {
    if (!e.name.includes('.')) return e;
    const name = e.symbol.replace(/^kiln_/, '');
    return { ...e, name, ...(e.variants ? { variants: e.variants.map((v) => ({ ...v, name })) } : {}) };
  });
}

/**
 * A project's Python package mirrors the original's import paths: `<lib>/geometry.py` holds
 * `from ._native import geometry_area as area`, so `from <lib>.geometry import area` is the native `area`.
 * Packages on the way get an __init__.py (a package's own functions go there). Returns file -> text.
 */
export function pythonSubmodules(libName: string, exports: ExportedFunction[]): Map<string, string> {
  const byModule = new Map<string, { py: string; flat: string }[]>();
  for (const e of exports) {
    const list = byModule.get(e.module!) ?? [];
    list.push({ py: e.name.split('.').pop()!, flat: e.symbol.replace(/^kiln_/, '') });
    byModule.set(e.module!, list);
  }
  const modules = [...byModule.keys()];
  const packages = new Set<string>();
  for (const m of modules) {
    const parts = m.split('.');
    for (let i = 1; i < parts.length; i++) packages.add(parts.slice(0, i).join('.'));
    if (modules.some((other) => other.startsWith(`${m}.`))) packages.add(m);
  }
  const files = new Map<string, string>();
  for (const m of new Set([...modules, ...packages])) {
    const parts = m.split('.');
    const file = packages.has(m) ? `${parts.join('/')}/__init__.py` : `${parts.join('/')}.py`;
    const depth = packages.has(m) ? parts.length : parts.length - 1;
    const fns = byModule.get(m) ?? [];
    const lines = [`"""${libName}.${m}: the native build of the project's module ${m} (generated by Kiln)."""`];
    if (fns.length) {
      lines.push(`from ${'.'.repeat(depth + 1)}_native import ${fns.map((f) => `${f.flat} as ${f.py}`).join(', ')}`, '', `__all__ = [${fns.map((f) => `"${f.py}"`).join(', ')}]`);
    }
    files.set(file, `${lines.join('\n')}\n`);
  }
  return files;
}

export async function exportModule(file: string, o: ExportOptions): Promise<ExportResult> {
  // Before anything is built: an export folder that cannot be written would waste every build.
  const out = prepareOutputFolder(o.out, 'export folder');
  const compiled = o.compiled ?? (await compileModule(file, { functions: o.functions, python: o.python }));
  const results = await buildTargets(file, {
    targets: o.targets, compiled, python: o.python, optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal,
    onProgress: o.onProgress, jobs: o.jobs, toolchains: o.toolchains, compiler: o.compiler, noVerify: o.noVerify,
  });
  const unit = compiled.unit;
  const moduleName = compiled.program?.module ?? path.basename(file, '.py');
  const project = compiled.project;
  const flat = unit ? flatExports(unit.exports) : [];
  const exported: ExportedTarget[] = [];
  const pyLibs: { target: TargetInfo; dir: string; lib: string; result: TargetBuildResult }[] = [];
  let wasmLib: string | undefined;
  for (const r of results) {
    const t = getTarget(r.target);
    if (!t || !unit || !r.artifacts?.library || (r.status !== 'verified' && r.status !== 'built-not-executed')) {
      exported.push({ target: r.target, status: r.status, firstLine: r.firstLine, files: [] });
      continue;
    }
    const folderName = `${moduleName}-${t.id}`;
    const dir = path.join(out, folderName);
    fs.rmSync(dir, { recursive: true, force: true });
    // The built file's own name: some formats record it (Mach-O install name, PE export name).
    const lib = path.basename(r.artifacts.library);
    writeIfChanged(path.join(dir, lib), fs.readFileSync(r.artifacts.library));
    writeIfChanged(path.join(dir, unit.headerName), unit.header);
    writeIfChanged(path.join(dir, 'README.md'), readmeFor(moduleName, t, lib, unit.headerName, unit.exports, r, project));
    const files = listFiles(dir).map((f) => ({ path: f, sha256: sha256File(path.join(dir, f)), size: fs.statSync(path.join(dir, f)).size }));
    const total = r.verification?.functions.reduce((n, f) => n + f.cases.length, 0) ?? 0;
    const agree = r.verification?.functions.reduce((n, f) => n + f.counts.match + f.counts.limit, 0) ?? 0;
    const manifest = {
      kiln: 1,
      module: moduleName,
      ...(project ? { project: { name: project.name, version: project.version, modules: [...new Set(unit.exports.map((e) => e.module))] } } : {}),
      source: project ? '.' : path.basename(file),
      target: { id: t.id, label: t.label, os: t.os, arch: t.arch, libc: t.libc, triple: t.triple, library: t.library },
      toolchain: { id: r.artifacts.toolchain.id, version: r.artifacts.toolchain.version },
      flags: r.artifacts.flags,
      ...withVectorPaths(unit.source, r.artifacts.toolchain.id === 'zig' ? t.libraryFlags ?? [] : []),
      library: lib,
      header: unit.headerName,
      functions: unit.exports.map((e) => signatureJson(e, project)),
      inspection: r.inspection && { format: r.inspection.format, arch: r.inspection.arch, kind: r.inspection.kind, platform: r.inspection.platform ?? null, floatAbi: r.inspection.floatAbi ?? null, exports: r.inspection.exports.filter((s) => s.startsWith('kiln_')) },
      verification: r.status === 'verified'
        ? { status: 'verified', against: 'CPython', cases: total, agree, executedWith: r.executedWith }
        : { status: 'built-not-executed', reason: r.firstLine ?? null },
      files,
    };
    writeIfChanged(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const zip = path.join(out, `${folderName}.zip`);
    writeIfChanged(zip, zipFolder(dir, folderName));
    exported.push({ target: t.id, status: r.status, firstLine: r.firstLine, dir, zip, files: [...files, { path: 'manifest.json', sha256: sha256File(path.join(dir, 'manifest.json')), size: fs.statSync(path.join(dir, 'manifest.json')).size }] });
    if (t.library === 'shared' && t.os !== 'wasi') pyLibs.push({ target: t, dir, lib, result: r });
    if (t.os === 'wasi') wasmLib = path.join(dir, lib);
  }
  let pythonPackage: string | undefined;
  let pythonExtension: PythonExtensionBuild | undefined;
  let jsModule: string | undefined;
  if (unit) {
    // Python package: <out>/python/<module>/ (import <module> is a drop-in for the original).
    if (pyLibs.length) {
      const pkg = path.join(out, 'python', moduleName);
      fs.rmSync(pkg, { recursive: true, force: true });
      for (const l of pyLibs) writeIfChanged(path.join(pkg, '_libs', l.target.id, l.lib), fs.readFileSync(path.join(l.dir, l.lib)));
      const runtime = pythonPackageSource(moduleName, flat, pyLibs.map((l) => ({ target: l.target, file: `_libs/${l.target.id}/${l.lib}` }))) + pythonFastPathSource(flat);
      if (project) {
        // One package for the project: the native functions in _native, the original's modules around them.
        writeIfChanged(path.join(pkg, '_native.py'), runtime);
        const subs = pythonSubmodules(moduleName, unit.exports);
        const top = [...new Set([...subs.keys()].map((f) => f.split('/')[0].replace(/\.py$/, '')))].sort();
        writeIfChanged(path.join(pkg, '__init__.py'), `"""${moduleName} ${project.version}: Kiln's native build of the project ${moduleName} (generated by Kiln).\n\nIts modules mirror the original's: ${top.join(', ')}.\n"""\n__version__ = "${project.version}"\n__all__ = [${top.map((m) => `"${m}"`).join(', ')}]\n`);
        for (const [rel, text] of subs) writeIfChanged(path.join(pkg, ...rel.split('/')), text);
      } else {
        writeIfChanged(path.join(pkg, '__init__.py'), runtime);
      }
      // The CPython fast path, for the host's own library (built from the same C, same toolchain and flags: KILN_DISPATCH too).
      const host = pyLibs.find((l) => l.target.id === hostTargetId());
      if (host && o.pythonExtension !== false) {
        const a = host.result.artifacts!;
        pythonExtension = await buildPythonExtension({
          moduleName, exports: flat, unitSource: a.source, headerName: unit.headerName, buildDir: a.dir, outDir: pkg,
          toolchain: a.toolchain, triple: a.toolchain.id === 'zig' ? host.target.triple : undefined, python: o.pythonExtension ?? o.python ?? 'python3',
          optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal, libraryFlags: a.toolchain.id === 'zig' ? host.target.libraryFlags : undefined,
        });
      }
      writeIfChanged(path.join(pkg, 'manifest.json'), `${JSON.stringify({ kiln: 1, module: moduleName, ...(project ? { version: project.version } : {}), functions: unit.exports.map((e) => signatureJson(e, project)), libraries: listFiles(path.join(pkg, '_libs')).map((f) => ({ path: `_libs/${f}`, sha256: sha256File(path.join(pkg, '_libs', f)) })),
        extension: pythonExtension?.ok ? { path: path.basename(pythonExtension.file!), sha256: sha256File(pythonExtension.file!), abi: 'abi3 (CPython >= 3.10)', builtAgainst: `${pythonExtension.python!.executable} ${pythonExtension.python!.version}`, functions: pythonExtension.functions, numpy: pythonExtension.numpy ? `array functions built against NumPy ${pythonExtension.python!.numpyVersion}'s headers; they run with NumPy >= 1.23 (else through ctypes)` : null } : { path: null, reason: pythonExtension?.message ?? 'not built' } }, null, 2)}\n`);
      writeIfChanged(path.join(out, 'python', `${moduleName}-python.zip`), zipFolder(pkg, moduleName));
      pythonPackage = pkg;
    }
    if (wasmLib) {
      const js = path.join(out, 'js');
      fs.rmSync(js, { recursive: true, force: true });
      writeIfChanged(path.join(js, path.basename(wasmLib)), fs.readFileSync(wasmLib));
      // Functions whose class instances cannot be carried (lower/abi.ts instanceTransportProblem: subclasses, NamedTuples,
      // fields without accessors) cross the C ABI only, and dicts of arrays and complex128 arrays (JS has no complex typed
      // array) the C ABI and the Python package: the JS module leaves them out.
      const jsLeavesOut = (e: ExportedFunction) => !!instanceTransportProblem(e)
        || [...e.params.map((p) => p.type), e.returnType].some(holdsComplexArray);
      const jsExports = unit.exports.filter((e) => !jsLeavesOut(e));
      const modules = project ? Object.fromEntries([...new Set(jsExports.map((e) => e.module!))].map((m) => [m, Object.fromEntries(jsExports.filter((e) => e.module === m).map((e) => [e.name.split('.').pop()!, e.symbol.replace(/^kiln_/, '')]))])) : undefined;
      const jsFlat = flat.filter((e) => !jsLeavesOut(e));
      writeIfChanged(path.join(js, `kiln_${moduleName}.mjs`), jsModuleSource(moduleName, jsFlat, path.basename(wasmLib), modules));
      writeIfChanged(path.join(js, `kiln_${moduleName}.d.mts`), jsTypesSource(moduleName, jsFlat, modules));
      writeIfChanged(path.join(js, 'package.json'), `${JSON.stringify({ name: `kiln-${moduleName.replace(/_/g, '-')}`, version: project?.version ?? '0.0.0', type: 'module', main: `kiln_${moduleName}.mjs`, types: `kiln_${moduleName}.d.mts`, files: [`kiln_${moduleName}.mjs`, `kiln_${moduleName}.d.mts`, path.basename(wasmLib)] }, null, 2)}\n`);
      jsModule = path.join(js, `kiln_${moduleName}.mjs`);
    }
  }
  // The export's own index: what was exported, and how each target went.
  writeIfChanged(path.join(out, 'exports.json'), `${JSON.stringify({
    kiln: 1, module: moduleName, ...(project ? { project: project.name, version: project.version } : {}),
    targets: exported.map((e) => ({
      target: e.target, status: e.status, detail: e.firstLine ?? null, zip: e.zip ? path.basename(e.zip) : null, sha256: e.zip ? sha256File(e.zip) : null,
    })),
    python: pythonPackage ? path.relative(out, pythonPackage) : null, js: jsModule ? path.relative(out, jsModule) : null,
  }, null, 2)}\n`);
  return { module: moduleName, out, targets: exported, pythonPackage, pythonExtension, jsModule, results };
}
