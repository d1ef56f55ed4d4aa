/**
 * The ONE description of the studio's API: every call with its argument and result types, the progress
 * events it may send, and a validator for its arguments. Shared by the Electron IPC transport, the
 * browser-mode WebSocket transport and the renderer's typed client. Pure: no Node, no DOM (the renderer
 * imports it), and only `import type` from the compiler.
 */
import type { IRFunction } from '../ir/ir.ts';
import type { TableRow } from '../ir/print.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { TargetGroup } from '../targets/registry.ts';
import type { TargetOutcome } from '../targets/build.ts';
import type { BuildDetail, BuildRecord, ProjectRecord } from '../store/builds.ts';
import type { BenchRun, BenchVariantResult, Series, Speedup, HistoryPoint, RunComparisonRow, StoredRunSummary } from '../bench/index.ts';
import type { FunctionAbi } from '../lower/abi.ts';

export type { IRFunction, IRNode, IRRegion, Arg } from '../ir/ir.ts';
export type { TableRow } from '../ir/print.ts';
export type { Diagnostic } from '../diagnostics.ts';
export type { BuildDetail, BuildRecord, ProjectRecord } from '../store/builds.ts';
export type { BenchRun, BenchVariantResult, Series, SeriesPoint, Speedup, HistoryPoint, RunComparisonRow, StoredRunSummary } from '../bench/index.ts';
export type { FunctionAbi, AbiParam } from '../lower/abi.ts';

export type OptLevel = 'O0' | 'O1' | 'O2' | 'O3' | 'Os';

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  platform: string;
  dbPath: string;
  /** The project currently open in this session, if any. */
  project: string | null;
}

export interface FunctionSummary {
  name: string;
  line: number;
  signature: string;
  tag: string | null;
  description: string | null;
  compilable: boolean;
  error: Diagnostic | null;
  /** Latest build status per target, from the history. */
  targets: Record<string, string>;
}

export interface ProjectFile {
  /** Path relative to the project root, with forward slashes. */
  file: string;
  /** Its import path in the project (`geo.shapes.circle`), or null for a file outside the source roots. */
  module: string | null;
  functions: FunctionSummary[];
  /** Set when the file does not parse: shown in place; the rest of the project keeps working. */
  error: Diagnostic | null;
  /** Every problem of the file, in line order: its syntax error, each function's error, the warnings. */
  diagnostics: Diagnostic[];
}

export interface ProjectView {
  root: string;
  name: string;
  files: ProjectFile[];
  /** The project's library: its name and version ([tool.kiln], else [project], else the folder), and its pyproject.toml's problems. */
  library: { name: string; version: string; configFile: string | null; problems: Diagnostic[] };
  /** Where Export writes unless told otherwise: `<root>/kiln-export` (as `kiln export` run in the project). */
  exportFolder: string;
}

/** A file's source and problems, for a file that does not parse (it has no function to open). */
export interface FileView {
  file: string;
  source: string[];
  diagnostics: Diagnostic[];
}

export interface CLine {
  cLine: number;
  pyLine: number;
  function: string;
  node?: string;
}

export interface FunctionView {
  file: string;
  name: string;
  /** Every line of the Python file. */
  source: string[];
  span: { line: number; endLine: number };
  signature: string;
  ir: IRFunction | null;
  table: string;
  rows: TableRow[];
  /** The generated C of the whole module, and which C lines came from which Python line and IR node. */
  c: string | null;
  cName: string | null;
  lineMap: CLine[];
  diagnostics: Diagnostic[];
  /** The function's exported C ABI (the header's prototype; per parameter: struct fields and how it crosses). */
  abi: FunctionAbi | null;
  /** Its import path (`geo.shapes.polygon`), when the file is a module of the project. */
  module: string | null;
  /** Each call of another Python function (IR node name), with where the callee is: opened by a click in Explore. */
  calls: CallTarget[];
}

/** A call's callee: its file (relative to the project) and name, and what the program calls it (`utils.clamp`). */
export interface CallTarget {
  node: string;
  file: string;
  name: string;
  qualified: string;
  /** The C function the call goes to (`kf_utils_clamp`), to find the call in the C pane. */
  cName: string | null;
}

/** [tool.kiln] of the project's pyproject.toml, as the studio's project settings show and edit it. */
export interface ProjectConfigView {
  /** The pyproject.toml (it may not exist yet: saving makes it). */
  file: string;
  exists: boolean;
  settings: ProjectSettings;
  /** The values builds use when a setting is not set. */
  resolved: { sourceRoots: string[]; name: string; version: string };
  problems: Diagnostic[];
}

export interface ProjectSettings {
  sourceRoots: string[] | null;
  export: string[] | null;
  targets: string[] | null;
  optLevel: OptLevel | null;
  fastMath: boolean | null;
  boundscheck: boolean | null;
  name: string | null;
  version: string | null;
}

export interface TargetView {
  id: string;
  label: string;
  group: TargetGroup;
  triple: string | null;
  buildable: boolean;
  executable: boolean;
  reason: string | null;
  toolchain: string | null;
}

export interface TargetsView {
  targets: TargetView[];
  /** The targets chosen last time for this project (or the default targets setting). */
  selected: string[];
  /** What a new project starts with when Settings › Default targets is empty: this machine's first runnable target. */
  hostDefault: string[];
}

export interface TargetResultView {
  target: string;
  status: TargetOutcome;
  firstLine: string | null;
  durationMs: number;
  sizeBytes: number | null;
  artifactPath: string | null;
  cases: { total: number; matched: number } | null;
  buildId: number | null;
  log: string;
  /** Something the user must know that did not fail the build, e.g. that it could not be recorded in the history. */
  warning?: string;
}

export interface BuildRunResult {
  batchId: string;
  /** The file built, or the project's folder for a build of the whole project. */
  file: string;
  functions: string[];
  results: TargetResultView[];
}

export type BuildProgressEvent =
  | { kind: 'compiling-module'; file: string }
  | { kind: 'target-start'; target: string }
  | { kind: 'target-phase'; target: string; phase: 'compiling' | 'verifying' }
  | { kind: 'target-done'; target: string; result: TargetResultView };

export interface ExportRunArgs {
  /** The Python file, relative to the project. */
  file: string;
  targets: string[];
  /** Absolute, or relative to the project; default: the project's exportFolder. */
  folder?: string;
}

/** What `kiln export` wrote (the same function wrote it: src-compiler/export/export.ts exportModule). */
export interface ExportView {
  folder: string;
  module: string;
  targets: {
    target: string;
    status: TargetOutcome;
    firstLine: string | null;
    /** The bundle: `<folder>/<module>-<target>.zip` and its unzipped folder, when the target built. */
    zip: string | null;
    dir: string | null;
    files: { path: string; size: number; sha256: string }[];
  }[];
  /** `<folder>/python/<module>`: the drop-in Python package. */
  pythonPackage: string | null;
  /** The package's CPython fast path (host only): built, or why not. */
  pythonExtension: { ok: boolean; file: string | null; message: string | null } | null;
  /** `<folder>/js/kiln_<module>.mjs`: the ES module for the wasm build. */
  jsModule: string | null;
  /** Functions of the file that did not compile (left out of every bundle). */
  skippedFunctions: { name: string; message: string }[];
}

export type ExportProgressEvent = BuildProgressEvent | { kind: 'bundling' };

/** A folder under the browse root (the home folder), for browser mode's folder picker. */
export interface FolderListing {
  root: string;
  path: string;
  parent: string | null;
  folders: { name: string; path: string; python: boolean }[];
  /** The folder itself holds .py files. */
  python: boolean;
}

/** One setting checked as it is typed: usable, or why not. */
export interface SettingCheck {
  ok: boolean;
  message: string;
}

export interface Settings {
  python: string;
  toolchainPath: string;
  defaultTargets: string[];
  optLevel: OptLevel;
  fastMath: boolean;
}

export interface SettingsView {
  settings: Settings;
  detected: { python: string | null; pythonVersion: string | null; toolchain: string | null; toolchainSource: string | null };
}

// ---- benchmarks ----------------------------------------------------------------------------------

/** The variants the studio's Benchmark panel runs (the CLI's `kiln bench` offers the peers too). */
export const BENCH_VARIANTS = ['cpython', 'kiln-native', 'kiln-ctypes', 'c-ref'] as const;
/**
 * Optional variants: the compiled function in a harness for another target, run here by Node's WASI or
 * qemu-user. Their times are not native time: labelled so, and left out of the speed-up chart.
 */
export const BENCH_TARGET_VARIANTS = ['kiln-wasm32', 'kiln-linux-arm64', 'kiln-linux-armv7', 'kiln-linux-riscv64-musl'] as const;
/** The labels the CLI table uses too (src-compiler/bench/variant-ids.ts: targetVariantLabel). */
export const BENCH_TARGET_LABELS: Record<(typeof BENCH_TARGET_VARIANTS)[number], string> = {
  'kiln-wasm32': 'Kiln wasm32 (wasm, Node)',
  'kiln-linux-arm64': 'Kiln linux-arm64 (emulated)',
  'kiln-linux-armv7': 'Kiln linux-armv7 (emulated)',
  'kiln-linux-riscv64-musl': 'Kiln linux-riscv64-musl (emulated)',
};
export type BenchVariant = (typeof BENCH_VARIANTS)[number] | (typeof BENCH_TARGET_VARIANTS)[number];
const ALL_BENCH_VARIANTS: readonly string[] = [...BENCH_VARIANTS, ...BENCH_TARGET_VARIANTS];

export interface BenchRunArgs {
  file: string;
  function: string;
  /** One Python literal per parameter; the swept one may be left out. Default: the function's first `examples` entry. */
  args?: string[];
  sweepParam?: string;
  /** Python literals, e.g. ["1e3", "1e4"]. */
  sweepValues?: string[];
  /** Sampling time budget per variant and point, ms (default 200). */
  budgetMs?: number;
  variants?: BenchVariant[];
  /** Hand-written C reference, relative to the project; default: a `.c` file next to the Python file defining `ref_<function>`. */
  refC?: string;
}

export type BenchProgressEvent =
  | { kind: 'bench-start'; points: number; variants: string[] }
  | { kind: 'variant-start'; args: string[]; variant: string; done: number; total: number }
  | { kind: 'variant-done'; args: string[]; variant: string; done: number; total: number; result: BenchVariantResult };

export interface BenchRunResult {
  runId: number | null;
  run: BenchRun;
  /** Where the C reference came from, when there was one. */
  refC: string | null;
}

/** Speed-up over CPython of one function (its newest stored run, the largest swept value), per variant. */
export interface ProjectSpeedup extends Speedup {
  runId: number;
  createdAt: string;
}

/** Events the host pushes without a call (the project folder changed on disk). */
export type ApiEvent = { kind: 'project-changed'; files: string[] };

/** The map of calls: name -> argument type, result type, progress event type. */
export interface ApiCalls {
  'app.info': { args: Record<string, never>; result: AppInfo; progress: never };
  'project.recent': { args: Record<string, never>; result: ProjectRecord[]; progress: never };
  /** Native folder dialog (Electron); browser mode answers { path: null } and the UI asks for a path. */
  'project.pick': { args: Record<string, never>; result: { path: string | null }; progress: never };
  'project.open': { args: { path: string }; result: ProjectView; progress: never };
  'project.refresh': { args: Record<string, never>; result: ProjectView; progress: never };
  'function.view': { args: { file: string; name: string }; result: FunctionView; progress: never };
  'targets.list': { args: Record<string, never>; result: TargetsView; progress: never };
  'targets.remember': { args: { targets: string[] }; result: { ok: true }; progress: never };
  /** `scope: 'project'` builds the project's one library (every exported function of every module); `file` is then ignored. */
  'build.run': { args: { file: string; functions?: string[]; targets: string[]; optLevel?: OptLevel; fastMath?: boolean; scope?: 'file' | 'project' }; result: BuildRunResult; progress: BuildProgressEvent };
  /** Builds of the open project (its files' and its own), or of one file (`file`, relative to the project), or of every project (`all`). */
  'history.list': { args: { function?: string; target?: string; limit?: number; all?: boolean; file?: string }; result: { builds: BuildRecord[]; functions: string[]; targets: string[] }; progress: never };
  /** The project's [tool.kiln] (pyproject.toml). */
  'project.config.get': { args: Record<string, never>; result: ProjectConfigView; progress: never };
  /** Writes [tool.kiln] settings (null removes one); comments and formatting of the file are kept. A bad value is refused, named. */
  'project.config.set': { args: Partial<ProjectSettings>; result: ProjectConfigView; progress: never };
  'history.get': { args: { id: number }; result: BuildDetail; progress: never };
  'export.pick': { args: Record<string, never>; result: { path: string | null }; progress: never };
  'export.run': { args: ExportRunArgs; result: ExportView; progress: ExportProgressEvent };
  'file.view': { args: { file: string }; result: FileView; progress: never };
  /** Browser mode's folder picker: the folders under the home folder (names only, never file contents). */
  'folders.list': { args: { path?: string }; result: FolderListing; progress: never };
  'settings.get': { args: Record<string, never>; result: SettingsView; progress: never };
  /** Refuses a Python or toolchain path that does not work (code 'invalid-setting', the message names the setting). */
  'settings.set': { args: Partial<Settings>; result: SettingsView; progress: never };
  /** Checks settings as they are typed, without saving them. */
  'settings.check': { args: { python?: string; toolchainPath?: string }; result: { python?: SettingCheck; toolchainPath?: SettingCheck }; progress: never };
  'shell.openExternal': { args: { url: string }; result: { opened: boolean }; progress: never };
  /** Shows a folder (an export) in the system's file manager: desktop only; browser mode answers { opened: false }. */
  'shell.openFolder': { args: { path: string }; result: { opened: boolean }; progress: never };
  'bench.defaults': { args: { file: string; function: string }; result: { params: { name: string; type: string }[]; args: string[]; sweepParam: string | null; sweepValues: string[]; refC: string | null }; progress: never };
  'bench.run': { args: BenchRunArgs; result: BenchRunResult; progress: BenchProgressEvent };
  'bench.runs': { args: { file?: string; function?: string; limit?: number }; result: StoredRunSummary[]; progress: never };
  'bench.get': { args: { runId: number }; result: BenchRun & { id: number }; progress: never };
  'bench.sweep': { args: { runId: number; function: string; file?: string }; result: { param: string | null; series: Series[] }; progress: never };
  'bench.speedups': { args: Record<string, never>; result: ProjectSpeedup[]; progress: never };
  'bench.compare': { args: { a: number; b: number }; result: RunComparisonRow[]; progress: never };
  'bench.history': { args: { function: string; file?: string; variant?: string }; result: HistoryPoint[]; progress: never };
  'bench.export': { args: { runId: number; format: 'csv' | 'json' }; result: { filename: string; mime: string; content: string }; progress: never };
}

export type CallName = keyof ApiCalls;
export type ArgsOf<N extends CallName> = ApiCalls[N]['args'];
export type ResultOf<N extends CallName> = ApiCalls[N]['result'];
export type ProgressOf<N extends CallName> = ApiCalls[N]['progress'];

// ---- the wire -------------------------------------------------------------------------------------

/** Messages of both transports (WebSocket frames as JSON; IPC carries the same objects). */
export type ClientMessage =
  | { type: 'call'; id: number; name: string; args: unknown }
  | { type: 'cancel'; id: number };

export type ServerMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: ApiErrorBody }
  | { type: 'progress'; id: number; progress: unknown }
  | { type: 'event'; event: ApiEvent };

export interface ApiErrorBody {
  message: string;
  /** 'invalid-arguments' | 'invalid-setting' | 'not-found' | 'cancelled' | 'diagnostic' | 'forbidden' | 'internal' */
  code: string;
  diagnostic?: Diagnostic;
}

// ---- argument validation ------------------------------------------------------------------------

type Field = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'variant[]' | 'string[]|null' | 'boolean|null' | 'string|null' | 'opt-level|null' | readonly string[];
type Spec = Record<string, { type: Field; optional?: boolean }>;

const req = (type: Field) => ({ type });
const opt = (type: Field) => ({ type, optional: true });
const OPT_LEVELS = ['O0', 'O1', 'O2', 'O3', 'Os'] as const;

export const ARG_SPECS: Record<CallName, Spec> = {
  'app.info': {},
  'project.recent': {},
  'project.pick': {},
  'project.open': { path: req('string') },
  'project.refresh': {},
  'function.view': { file: req('string'), name: req('string') },
  'targets.list': {},
  'targets.remember': { targets: req('string[]') },
  'build.run': { file: req('string'), functions: opt('string[]'), targets: req('string[]'), optLevel: opt(OPT_LEVELS), fastMath: opt('boolean'), scope: opt(['file', 'project'] as const) },
  'history.list': { function: opt('string'), target: opt('string'), limit: opt('number'), all: opt('boolean'), file: opt('string') },
  'project.config.get': {},
  'project.config.set': {
    sourceRoots: opt('string[]|null'), export: opt('string[]|null'), targets: opt('string[]|null'), optLevel: opt('opt-level|null'),
    fastMath: opt('boolean|null'), boundscheck: opt('boolean|null'), name: opt('string|null'), version: opt('string|null'),
  },
  'history.get': { id: req('number') },
  'export.pick': {},
  'export.run': { file: req('string'), targets: req('string[]'), folder: opt('string') },
  'file.view': { file: req('string') },
  'folders.list': { path: opt('string') },
  'settings.get': {},
  'settings.set': { python: opt('string'), toolchainPath: opt('string'), defaultTargets: opt('string[]'), optLevel: opt(OPT_LEVELS), fastMath: opt('boolean') },
  'settings.check': { python: opt('string'), toolchainPath: opt('string') },
  'shell.openExternal': { url: req('string') },
  'shell.openFolder': { path: req('string') },
  'bench.defaults': { file: req('string'), function: req('string') },
  'bench.run': {
    file: req('string'), function: req('string'), args: opt('string[]'), sweepParam: opt('string'), sweepValues: opt('string[]'),
    budgetMs: opt('number'), variants: opt('variant[]'), refC: opt('string'),
  },
  'bench.runs': { file: opt('string'), function: opt('string'), limit: opt('number') },
  'bench.get': { runId: req('number') },
  'bench.sweep': { runId: req('number'), function: req('string'), file: opt('string') },
  'bench.speedups': {},
  'bench.compare': { a: req('number'), b: req('number') },
  'bench.history': { function: req('string'), file: opt('string'), variant: opt('string') },
  'bench.export': { runId: req('number'), format: req(['csv', 'json'] as const) },
};

export class ApiArgumentError extends Error {
  override name = 'ApiArgumentError';
}

function checkField(v: unknown, t: Field): boolean {
  if (Array.isArray(t)) return typeof v === 'string' && t.includes(v);
  switch (t) {
    case 'string': return typeof v === 'string' && v.length <= 4096;
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'string[]': return Array.isArray(v) && v.length <= 1000 && v.every((x) => typeof x === 'string' && x.length <= 4096);
    case 'variant[]': return Array.isArray(v) && v.length <= ALL_BENCH_VARIANTS.length && v.every((x) => typeof x === 'string' && ALL_BENCH_VARIANTS.includes(x));
    case 'number[]': return Array.isArray(v) && v.length <= 10000 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    case 'string[]|null': return v === null || checkField(v, 'string[]');
    case 'boolean|null': return v === null || typeof v === 'boolean';
    case 'string|null': return v === null || checkField(v, 'string');
    case 'opt-level|null': return v === null || (typeof v === 'string' && (OPT_LEVELS as readonly string[]).includes(v));
  }
  return false;
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ARG_SPECS, name);
}

/** Checks a call's arguments against its spec: known keys only, right types; throws ApiArgumentError. */
export function validateArgs<N extends CallName>(name: N, args: unknown): ArgsOf<N> {
  const spec = ARG_SPECS[name];
  const a = args ?? {};
  if (typeof a !== 'object' || Array.isArray(a)) throw new ApiArgumentError(`${name}: arguments must be an object`);
  for (const k of Object.keys(a)) if (!(k in spec)) throw new ApiArgumentError(`${name}: unknown argument '${k}'`);
  for (const [k, f] of Object.entries(spec)) {
    const v = (a as Record<string, unknown>)[k];
    if (v === undefined) {
      if (!f.optional) throw new ApiArgumentError(`${name}: missing argument '${k}'`);
      continue;
    }
    if (!checkField(v, f.type)) throw new ApiArgumentError(`${name}: argument '${k}' must be ${Array.isArray(f.type) ? `one of ${f.type.join(', ')}` : `a ${f.type}`}`);
  }
  return a as ArgsOf<N>;
}
