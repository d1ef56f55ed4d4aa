/**
 * The target registry: data only, one entry per platform Kiln builds for (triple, library kind, binary
 * format, how its harness runs), the host's own target, and how a user's target list is read.
 * What this machine can build and execute is in status.ts; building and verifying is in build.ts.
 */
import type { RunnerKind } from '../run/runners.ts';

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

const STRIP = ['-s'];
// Install name relative to the loading app's rpath (not the build folder), so builds are path-independent.
const DYLIB = ['-s', '-Wl,-install_name,@rpath/{lib}'];
// SIMD128 (Chrome 91+, Firefox 89+, Safari 16.4+, Node 16.4+): the runtime's vector types (GEMM, vector math) are
// wasm vectors instead of scalar code, 4-6x faster (docs/design/numpy-kernels.md, "Flags").
const WASM_SIMD = ['-msimd128'];
const WASM_LIB = ['-s', '-mexec-model=reactor', '-Wl,--export=malloc', '-Wl,--export=free', ...WASM_SIMD];
// x86-64 libraries are built for the baseline ISA so that they load on any x86-64 CPU; KILN_DISPATCH adds AVX2 and
// AVX-512 clones of the GEMM chosen at the first call (kiln_gemm.h). The harness that verifies them has it too.
const X64_DISPATCH = ['-DKILN_DISPATCH'];
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

/** One entry per platform. */
export const TARGETS: TargetInfo[] = [
  { id: 'linux-x64', label: 'Linux x86-64 (glibc)', group: 'desktop', triple: 'x86_64-linux-gnu', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'x86_64', libc: 'glibc', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: [...STRIP, ...X64_DISPATCH], harness: { triple: 'x86_64-linux-gnu', runner: 'native', exeExt: '', flags: X64_DISPATCH } },
  { id: 'linux-x64-musl', label: 'Linux x86-64 (musl)', group: 'desktop', triple: 'x86_64-linux-musl', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'x86_64', libc: 'musl', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: [...STRIP, ...X64_DISPATCH], harness: musl('x86_64-linux-musl', 'native', undefined, X64_DISPATCH) },
  { id: 'linux-arm64', label: 'Linux ARM64 (glibc)', group: 'desktop', triple: 'aarch64-linux-gnu', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'aarch64', libc: 'glibc', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('aarch64-linux-musl', 'qemu-user', 'qemu-aarch64'), notes: 'verified with a static musl harness under qemu-user (the same C; no glibc sysroot needed)' },
  { id: 'linux-arm64-musl', label: 'Linux ARM64 (musl)', group: 'desktop', triple: 'aarch64-linux-musl', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'aarch64', libc: 'musl', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('aarch64-linux-musl', 'qemu-user', 'qemu-aarch64') },
  { id: 'linux-armv7', label: 'Linux ARMv7 hard-float (glibc)', group: 'embedded', triple: 'arm-linux-gnueabihf', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'arm', libc: 'glibc', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('arm-linux-musleabihf', 'qemu-user', 'qemu-arm'), notes: 'verified with a static musl harness under qemu-user' },
  { id: 'linux-armv7-musl', label: 'Linux ARMv7 hard-float (musl)', group: 'embedded', triple: 'arm-linux-musleabihf', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'arm', libc: 'musl', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('arm-linux-musleabihf', 'qemu-user', 'qemu-arm') },
  { id: 'linux-riscv64', label: 'Linux RISC-V 64 (glibc)', group: 'embedded', triple: 'riscv64-linux-gnu', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'riscv64', libc: 'glibc', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('riscv64-linux-musl', 'qemu-user', 'qemu-riscv64'), notes: 'verified with a static musl harness under qemu-user', zigUnsupported: "Zig 0.11 cannot build riscv64 glibc (its start.S fails: unknown directive .cfi_label); use linux-riscv64-musl, or a cross gcc: --toolchain 'linux-riscv64=riscv64-linux-gnu-gcc' (Debian: gcc-riscv64-linux-gnu)" },
  { id: 'linux-riscv64-musl', label: 'Linux RISC-V 64 (musl)', group: 'embedded', triple: 'riscv64-linux-musl', sharedExt: '.so', exeExt: '', os: 'linux', arch: 'riscv64', libc: 'musl', library: 'shared', format: 'elf', toolchain: 'zig', libraryFlags: STRIP, harness: musl('riscv64-linux-musl', 'qemu-user', 'qemu-riscv64') },
  { id: 'windows-x64', label: 'Windows x64', group: 'desktop', triple: 'x86_64-windows-gnu', sharedExt: '.dll', exeExt: '.exe', os: 'windows', arch: 'x86_64', libc: 'mingw', library: 'shared', format: 'pe', toolchain: 'zig', libraryFlags: [...STRIP, ...X64_DISPATCH], harness: { triple: 'x86_64-windows-gnu', runner: 'wine', exeExt: '.exe', note: 'Wine', flags: [...WINDOWS_EXE, ...X64_DISPATCH] } },
  { id: 'windows-arm64', label: 'Windows ARM64', group: 'desktop', triple: 'aarch64-windows-gnu', sharedExt: '.dll', exeExt: '.exe', os: 'windows', arch: 'aarch64', libc: 'mingw', library: 'shared', format: 'pe', toolchain: 'zig', libraryFlags: STRIP, notes: 'no ARM64 Windows emulator on a Linux host: built and inspected' },
  { id: 'macos-x64', label: 'macOS x86-64', group: 'desktop', triple: 'x86_64-macos', sharedExt: '.dylib', exeExt: '', os: 'macos', arch: 'x86_64', libc: 'darwin', library: 'shared', format: 'macho', toolchain: 'zig', libraryFlags: [...DYLIB, ...X64_DISPATCH], notes: 'built and inspected; not signed (macOS loads unsigned dylibs from a signed host app; run `codesign -s -` to ad-hoc sign)' },
  { id: 'macos-arm64', label: 'macOS Apple silicon', group: 'desktop', triple: 'aarch64-macos', sharedExt: '.dylib', exeExt: '', os: 'macos', arch: 'aarch64', libc: 'darwin', library: 'shared', format: 'macho', toolchain: 'zig', libraryFlags: DYLIB, notes: 'built and inspected; arm64 macOS requires a code signature to load: zig writes an ad-hoc one' },
  { id: 'wasm32', label: 'WebAssembly (WASI reactor; Node and browsers)', group: 'web', triple: 'wasm32-wasi', sharedExt: '.wasm', exeExt: '.wasm', os: 'wasi', arch: 'wasm32', libc: 'wasi-libc', library: 'module', format: 'wasm', toolchain: 'zig', libraryFlags: WASM_LIB, harness: { triple: 'wasm32-wasi', runner: 'node-wasi', exeExt: '.wasm', note: "Node's WASI", flags: WASM_SIMD }, notes: 'a WASI reactor module exporting the functions, malloc and free; imports only wasi_snapshot_preview1' },
  { id: 'android-arm64', label: 'Android arm64-v8a', group: 'mobile', triple: 'aarch64-linux-musl', sharedExt: '.a', exeExt: '', os: 'android', arch: 'aarch64', libc: 'bionic', library: 'static', format: 'ar', toolchain: 'zig', notes: 'static library (.a) built with musl headers (Zig 0.11 has no bionic); links into an NDK app (API 29+ for ELF TLS); for a .so use the NDK (toolchains/ndk.json)' },
  { id: 'android-armv7', label: 'Android armeabi-v7a', group: 'mobile', triple: 'arm-linux-musleabi', sharedExt: '.a', exeExt: '', os: 'android', arch: 'arm', libc: 'bionic', library: 'static', format: 'ar', toolchain: 'zig', libraryFlags: ARMV7, notes: 'static library (.a), soft-float calling convention with VFPv3/NEON code (as armeabi-v7a); API 29+ for ELF TLS; for a .so use the NDK' },
  { id: 'android-x64', label: 'Android x86_64', group: 'mobile', triple: 'x86_64-linux-musl', sharedExt: '.a', exeExt: '', os: 'android', arch: 'x86_64', libc: 'bionic', library: 'static', format: 'ar', toolchain: 'zig', libraryFlags: X64_DISPATCH, notes: 'static library (.a) built with musl headers; API 29+ for ELF TLS; for a .so use the NDK' },
  { id: 'ios-arm64', label: 'iOS arm64', group: 'mobile', triple: 'aarch64-ios', sharedExt: '.a', exeExt: '', os: 'ios', arch: 'aarch64', libc: 'darwin', library: 'static', format: 'ar', toolchain: 'zig', libraryFlags: zigLibcInclude('aarch64-macos.13-none', 'any-macos.13-any', 'any-macos-any'), notes: 'static library (.a) for platform iOS, compiled against the Darwin headers Zig ships; a .dylib/.framework needs Xcode (toolchains/xcode.json)' },
];

/**
 * This machine's target id, as every build of it is named (the CLI, the studio and benchmarks record it
 * in the history): the registry's shared-library target for the host's OS and architecture (linux-x64,
 * macos-arm64, windows-x64, ...). On a host Kiln has no target for it is `<os>-<arch>` as Node names them
 * (freebsd-x64), which getTarget() does not know.
 */
export function hostTargetId(): TargetId {
  const arch = { x64: 'x86_64', arm64: 'aarch64', arm: 'arm', riscv64: 'riscv64' }[process.arch as string];
  const osName = { linux: 'linux', win32: 'windows', darwin: 'macos' }[process.platform as string];
  return TARGETS.find((t) => t.os === osName && t.arch === arch && t.library === 'shared')?.id ?? `${process.platform}-${process.arch}`;
}

export function getTarget(id: TargetId): TargetInfo | undefined {
  return TARGETS.find((t) => t.id === id);
}

