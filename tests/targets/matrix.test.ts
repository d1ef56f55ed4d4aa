/**
 * Every target from one machine: the fma example and the portable corpus are built for every target;
 * those this machine can execute (natively, qemu-user, Node WASI, Wine) must agree with CPython on every
 * case, the others must be built and inspected (format, architecture, every function exported).
 * One build of all targets is shared by the whole file (Zig builds each libc once, then caches it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
import { buildTargets, type TargetBuildResult } from '../../src-compiler/targets/build.ts';
import { TARGETS } from '../../src-compiler/targets/registry.ts';
import { listTargets, type TargetStatus } from '../../src-compiler/targets/status.ts';
import { inspectFile } from '../../src-compiler/targets/inspect.ts';
import { qemuMissing, skippedBecause } from '../tools.ts';

const root = path.resolve(import.meta.dirname, '../..');
const kiln = (...args: string[]) => execa('node', [path.join(root, 'bin/kiln.mjs'), ...args], { cwd: root, reject: false });
const REQUIRED = ['linux-x64', 'linux-arm64', 'linux-armv7', 'linux-riscv64', 'windows-x64', 'windows-arm64', 'macos-x64', 'macos-arm64', 'wasm32', 'android-arm64', 'android-armv7', 'android-x64', 'ios-arm64'];

let statuses: TargetStatus[];
let fma: TargetBuildResult[];
let corpus: TargetBuildResult[];
const byId = (rs: TargetBuildResult[], id: string) => rs.find((r) => r.target === id)!;

beforeAll(async () => {
  statuses = await listTargets();
  fma = await buildTargets(path.join(root, 'examples/fma.py'), { targets: TARGETS.map((t) => t.id) });
  const executable = statuses.filter((s) => s.executable).map((s) => s.id);
  corpus = await buildTargets(path.join(root, 'tests/targets/fixtures/portable.py'), { targets: executable });
}, 60 * 60_000);

describe('the target registry', () => {
  it('has every platform the product promises, each with its artifact, toolchain and way to run', () => {
    for (const id of REQUIRED) expect(TARGETS.map((t) => t.id)).toContain(id);
    for (const t of TARGETS) {
      expect(t.toolchain).toBe('zig');
      expect(['.so', '.dll', '.dylib', '.wasm', '.a']).toContain(t.sharedExt);
      if (t.os === 'android' || t.os === 'ios') expect(t.library).toBe('static');
    }
  });

  it('this machine can execute the host and wasm32, and the qemu-user targets where qemu-user is installed', () => {
    const can = statuses.filter((s) => s.executable).map((s) => s.id);
    for (const id of ['linux-x64', 'wasm32']) expect(can).toContain(id);
    // Without qemu-user (a fresh machine) each of these is built and inspected, and says why it is not executed.
    for (const [id, qemu] of [['linux-arm64', 'qemu-aarch64'], ['linux-armv7', 'qemu-arm'], ['linux-riscv64-musl', 'qemu-riscv64']]) {
      const s = statuses.find((x) => x.id === id)!;
      if (qemuMissing(qemu)) expect([id, s.executable, s.reason]).toEqual([id, false, `not executed here: ${qemu} not found (install Debian's qemu-user)`]);
      else expect([id, s.executable]).toEqual([id, true]);
    }
    for (const s of statuses) {
      // Zig 0.11 cannot build riscv64 glibc: that one target needs a cross gcc (recorded, with the fix).
      expect([s.id, s.buildable]).toEqual([s.id, !s.zigUnsupported || !!s.toolchainOverride]);
      if (!s.executable) expect(s.reason).toMatch(/not executed here|not buildable with the bundled Zig/);
    }
  });
});

describe('fma for every target', () => {
  it('every target is verified where it can run here, and built and inspected everywhere else', () => {
    for (const r of fma) {
      const s = statuses.find((x) => x.id === r.target)!;
      const expected = !s.buildable ? 'failed' : s.executable ? 'verified' : 'built-not-executed';
      expect({ target: r.target, status: r.status, why: r.firstLine }).toEqual({ target: r.target, status: expected, why: r.firstLine });
      if (!s.buildable) expect(r.unavailable).toBe(true);
    }
  });

  it('verified targets ran every generated case through their own harness', () => {
    for (const r of fma.filter((x) => x.status === 'verified')) {
      expect(r.verification!.functions.map((f) => f.name)).toEqual(['fma', 'fma_loop']);
      for (const f of r.verification!.functions) {
        expect(f.cases.length).toBeGreaterThan(20);
        expect(f.counts.mismatch + f.counts.crash).toBe(0);
      }
    }
  });

  it('each library has the promised format and architecture and exports every function', () => {
    for (const r of fma.filter((x) => !x.unavailable)) {
      const t = TARGETS.find((x) => x.id === r.target)!;
      const info = inspectFile(r.artifacts!.library!);
      expect([r.target, info.format, info.arch]).toEqual([r.target, t.format, t.arch]);
      expect(info.exports).toEqual(expect.arrayContaining(['kiln_fma', 'kiln_fma_loop', 'kiln_error_type', 'kiln_error_message']));
    }
  });

  it('platform details: iOS objects say iOS, macOS dylibs say macOS, Android armv7 uses the soft-float calling convention', () => {
    expect(inspectFile(byId(fma, 'ios-arm64').artifacts!.library!).platform).toBe('ios');
    expect(inspectFile(byId(fma, 'macos-arm64').artifacts!.library!)).toMatchObject({ platform: 'macos', kind: 'shared', arch: 'aarch64' });
    expect(inspectFile(byId(fma, 'android-armv7').artifacts!.library!).floatAbi).toBe('soft');
    expect(inspectFile(byId(fma, 'linux-armv7').artifacts!.library!).floatAbi).toBe('hard');
    expect(inspectFile(byId(fma, 'windows-x64').artifacts!.library!)).toMatchObject({ format: 'pe', kind: 'shared' });
    const wasm = inspectFile(byId(fma, 'wasm32').artifacts!.library!);
    expect(wasm.imports!.every((i) => i.startsWith('wasi_snapshot_preview1.'))).toBe(true);
    expect(wasm.exports).toEqual(expect.arrayContaining(['malloc', 'free', '_initialize']));
  });

  it('writes a log per target', async () => {
    const fs = await import('node:fs');
    for (const r of fma) expect(fs.readFileSync(r.logFile!, 'utf8')).toContain(`# result: ${r.status}`);
  });
});

describe('the portable corpus on every executable target', () => {
  it('agrees with CPython everywhere (armv7 and wasm32 take the runtime path without __int128)', () => {
    // Every target this machine executes: the host, its musl twin and wasm32 anywhere; the qemu-user ones where installed.
    expect(corpus.map((r) => r.target)).toEqual(statuses.filter((s) => s.executable).map((s) => s.id));
    expect(corpus.map((r) => r.target)).toEqual(expect.arrayContaining(['linux-x64', 'linux-x64-musl', 'wasm32', ...(qemuMissing('qemu-arm') ? [] : ['linux-armv7'])]));
    for (const r of corpus) {
      expect({ target: r.target, status: r.status, why: r.firstLine }).toEqual({ target: r.target, status: 'verified', why: r.firstLine });
      expect(r.verification!.functions.length).toBe(6);
    }
  });
});

describe('the command line', () => {
  it('kiln compile examples/fma.py --target all prints a table with every target', async () => {
    const r = await kiln('compile', 'examples/fma.py', '--target', 'all');
    const table = r.stdout.split('\n');
    expect(table[0]).toMatch(/^TARGET\s+STATUS/);
    for (const t of TARGETS) {
      const row = table.find((l) => l.startsWith(`${t.id} `));
      const s = statuses.find((x) => x.id === t.id)!;
      expect(row, t.id).toMatch(new RegExp(`^${t.id}\\s+${!s.buildable ? 'failed' : s.executable ? 'verified' : 'built-not-executed'}\\s`));
    }
    expect(r.exitCode).toBe(0);
  });

  it('kiln targets --json lists every target with toolchain version and runner', async () => {
    const r = await kiln('targets', '--json');
    expect(r.exitCode).toBe(0);
    const list = JSON.parse(r.stdout) as TargetStatus[];
    expect(list.map((t) => t.id)).toEqual(TARGETS.map((t) => t.id));
    const arm64 = list.find((t) => t.id === 'linux-arm64')!;
    if (qemuMissing()) expect(arm64).toMatchObject({ executable: false, runnerKind: 'qemu-user', reason: "not executed here: qemu-aarch64 not found (install Debian's qemu-user)" });
    else expect(arm64.runner!.join(' ')).toMatch(/qemu-aarch64/);
    expect(list.every((t) => /^zig 0\.11/.test(t.toolchainVersion!))).toBe(true);
    expect(list.find((t) => t.id === 'linux-riscv64')!.reason).toMatch(/riscv64-linux-gnu-gcc/);
  });

  it('kiln run --target wasm32 runs under Node WASI', async () => {
    // CPython gives the int -1 for fma(3, -1, 2) (the int specialisation runs), -1.0 with floats.
    const r = await kiln('run', 'examples/fma.py::fma', '3', '-1', '2', '--target', 'wasm32');
    expect([r.stdout, r.exitCode]).toEqual(['-1', 0]);
    const f = await kiln('run', 'examples/fma.py::fma', '3.0', '-1.0', '2.0', '--target', 'wasm32');
    expect([f.stdout, f.exitCode]).toEqual(['-1.0', 0]);
  });

  const noQemu = qemuMissing() || qemuMissing('qemu-riscv64') || qemuMissing('qemu-arm');
  it.skipIf(!!noQemu)(skippedBecause('kiln run --target runs under qemu-user (arm64, riscv64, armv7), Python exceptions included', noQemu), async () => {
    for (const target of ['linux-arm64', 'linux-riscv64-musl']) {
      const r = await kiln('run', 'examples/fma.py::fma', '3', '-1', '2', '--target', target);
      expect([target, r.stdout, r.exitCode]).toEqual([target, '-1', 0]);
    }
    const e = await kiln('run', 'examples/fma.py::fma_loop', '3', '-1', '2', '0', '--target', 'linux-armv7');
    expect(e.exitCode).toBe(1);
    expect(e.stderr).toContain('UnboundLocalError');
  });

  it.skipIf(!qemuMissing())('kiln run --target linux-arm64 without qemu-user says what to install (runs where qemu-aarch64 is missing)', async () => {
    const r = await kiln('run', 'examples/fma.py::fma', '3', '-1', '2', '--target', 'linux-arm64');
    expect([r.exitCode, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain("--target: error: cannot execute linux-arm64 here: not executed here: qemu-aarch64 not found (install Debian's qemu-user)");
  });

  it('an unknown target is a failed row, not a crash', async () => {
    const r = await kiln('compile', 'examples/fma.py', '--target', 'linux-x64,amiga-68k');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/amiga-68k\s+failed.*unknown target/);
  });
});

describe('a toolchain override', () => {
  const gcc = ['/usr/bin/riscv64-linux-gnu-gcc'].find((p) => require('node:fs').existsSync(p));
  const missing = !gcc ? "riscv64-linux-gnu-gcc is not installed (apt-get install gcc-riscv64-linux-gnu)" : qemuMissing('qemu-riscv64');
  it.skipIf(!!missing)(skippedBecause(`linux-riscv64 (glibc) builds with a cross gcc and is verified under qemu-user`, missing), async () => {
    const [r] = await buildTargets(path.join(root, 'examples/fma.py'), { targets: ['linux-riscv64'], toolchains: { 'linux-riscv64': gcc! } });
    expect([r.status, r.firstLine]).toEqual(['verified', expect.stringMatching(/cases agree with CPython \(qemu-riscv64\)/)]);
    expect(r.inspection).toMatchObject({ format: 'elf', arch: 'riscv64', kind: 'shared' });
  });
});
