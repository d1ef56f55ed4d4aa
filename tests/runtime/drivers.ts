/**
 * Building and running the C drivers of the runtime tests (tests/runtime/*.c) on every target this machine can
 * execute: natively, under valgrind, on wasm32 under Node's WASI, under qemu-user (arm64, armv7) and under Wine.
 * Each driver is built with the project's own compiler flags (compileC: -O2, -ffp-contract=off, ...).
 */
import { expect } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileC, hostToolchain } from '../../src-compiler/targets/toolchain.ts';
import { which, WASI_RUNNER } from '../../src-compiler/run/runners.ts';
import { noLtoFlags } from '../tools.ts';

export interface DriverTarget {
  /** A name for test titles: host, wasm32, linux-arm64 ... */
  name: string;
  triple?: string;
  /** How to run it; undefined when the tool is missing (then `missing` says which). */
  run?: (exe: string, args: string[], input?: string) => Promise<{ stdout: string; stderr: string; exitCode?: number }>;
  missing?: string;
  flags?: string[];
  ext?: string;
}

const emu = (tool: string, name: string, triple: string, flags: string[] = []): DriverTarget => {
  const bin = which(tool);
  return bin
    ? { name, triple, flags, run: (exe, args, input) => execa(bin, [exe, ...args], { input, reject: false, timeout: 600_000, maxBuffer: 1 << 28 }) }
    : { name, triple, missing: `${tool} is not installed` };
};

/** The targets a driver runs on: wasm32 is built twice, without and with SIMD128 (-msimd128). */
export function driverTargets(): Record<'host' | 'wasm32' | 'wasm32simd' | 'arm64' | 'armv7' | 'windows', DriverTarget> {
  const wasm = (name: string, flags: string[]): DriverTarget => ({
    name, triple: 'wasm32-wasi', flags, ext: '.wasm',
    run: (exe, args, input) => execa(process.execPath, ['--no-warnings', WASI_RUNNER, exe, ...args], { input, reject: false, timeout: 600_000, maxBuffer: 1 << 28 }),
  });
  const wine = which('wine');
  return {
    host: { name: 'host', run: (exe, args, input) => execa(exe, args, { input, reject: false, timeout: 600_000, maxBuffer: 1 << 28 }) },
    wasm32: wasm('wasm32', []),
    wasm32simd: wasm('wasm32 with -msimd128', ['-msimd128']),
    arm64: emu('qemu-aarch64', 'linux-arm64 (QEMU)', 'aarch64-linux-musl'),
    armv7: emu('qemu-arm', 'linux-armv7 (QEMU)', 'arm-linux-musleabihf'),
    windows: wine
      // Zig 0.11 links MinGW executables without a TLS directory unless _tls_used is pulled in (see targets/matrix.ts).
      ? { name: 'windows-x64 (Wine)', triple: 'x86_64-windows-gnu', flags: ['-Wl,-u,_tls_used'], ext: '.exe',
          run: (exe, args, input) => execa(wine, [exe, ...args], { input, reject: false, timeout: 600_000, maxBuffer: 1 << 28, env: { WINEDEBUG: '-all' } }) }
      : { name: 'windows-x64 (Wine)', missing: 'wine is not installed' },
  };
}

export const valgrind = which('valgrind');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-rt-drivers-'));

/**
 * A build log has no compiler warning in Kiln's own sources. Only those: the first build for a target also compiles
 * Zig's libc for it, and MinGW's has warnings of its own (interleaved with other output when built in parallel).
 */
export function expectNoWarnings(log: string): void {
  expect(log.split('\n').filter((l) => /warning:/.test(l) && /(resources\/c|tests\/runtime)\//.test(l))).toEqual([]);
}

/** Builds a driver (a C file next to this one) for a target, with no compiler warning in Kiln's sources. */
export async function buildDriver(source: string, name: string, target: Pick<DriverTarget, 'triple' | 'flags' | 'ext'>, extra: { optLevel?: 'O1' | 'O2'; flags?: string[]; triple?: string } = {}): Promise<string> {
  const out = path.join(dir, `${name}${target.ext ?? ''}`);
  const r = await compileC({
    toolchain: await hostToolchain(), sources: [path.join(import.meta.dirname, source)], output: out, kind: 'exe',
    triple: extra.triple ?? target.triple, optLevel: extra.optLevel ?? 'O2', extraFlags: ['-g', ...noLtoFlags(extra.triple ?? target.triple), ...(target.flags ?? []), ...(extra.flags ?? [])],
  });
  expect(r.ok, r.log).toBe(true);
  expectNoWarnings(r.log);
  return out;
}

/** The names of the checks a driver makes: one CHECK("name", ...) each. */
export function checksOf(source: string): string[] {
  return [...fs.readFileSync(path.join(import.meta.dirname, source), 'utf8').matchAll(/CHECK\("(\w+)"/g)].map((m) => m[1]);
}

/** Every check printed "ok", none failed, the expected ones are all there (a crash midway leaves some out). */
export function expectAllOk(stdout: string, checks: string[]) {
  const lines = stdout.replace(/\r/g, '').trim().split('\n');
  expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
  expect(lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3).split(' ')[0])).toEqual(checks);
  expect(lines.at(-1)).toBe('PASSED');
}

/** Runs a driver under valgrind's memcheck: no invalid access, nothing leaked or left reachable. */
export async function expectValgrindClean(exe: string, args: string[], input?: string): Promise<string> {
  const r = await execa('valgrind', ['--leak-check=full', '--show-leak-kinds=all', '--errors-for-leak-kinds=all', '--error-exitcode=99', exe, ...args],
    { input, reject: false, timeout: 600_000, maxBuffer: 1 << 28 });
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  expect(r.stderr).toMatch(/All heap blocks were freed -- no leaks are possible/);
  return r.stdout;
}
