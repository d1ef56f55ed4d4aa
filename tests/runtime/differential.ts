/**
 * Shared machinery of the numeric runtime's differential tests (bigint, math, random): a C driver reads one
 * command per line and prints one result line; a Python script prints what CPython (and NumPy) give for the same
 * commands; the lines must be equal. The driver is built for the host (glibc: the same C library as the CPython
 * it is compared with), wasm32-wasi, aarch64-linux-musl and arm-linux-musleabihf (32-bit) with the bundled Zig,
 * and run natively, under Node's WASI, under qemu-user, and under valgrind.
 *
 * The one allowed difference: results of C library functions (log, exp, sin, erf, ... and what is built on them)
 * on a C library other than glibc, where musl rounds differently from glibc in a fraction of cases. Such lines
 * may differ by a few ulps per float (same shape otherwise), on those targets only; the counts are logged.
 */
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { compileC, hostToolchain } from '../../src-compiler/targets/toolchain.ts';
import { which, WASI_RUNNER } from '../../src-compiler/run/runners.ts';
import { expectNoWarnings } from './drivers.ts';
import { noLtoFlags } from '../tools.ts';

export const HERE = import.meta.dirname;

export interface Target {
  name: string;
  triple?: string;
  /** argv prefix that runs the built file */
  runner: (exe: string) => string[];
  /** why the target cannot run here, or undefined */
  missing?: string;
  /** its C library is glibc: every line must be exact */
  glibc: boolean;
}

const valgrind = which('valgrind');
export const VALGRIND_MISSING = valgrind ? undefined : 'valgrind is not installed';

export const TARGETS: Target[] = [
  { name: 'native', runner: (exe) => [exe], glibc: true },
  { name: 'wasm32', triple: 'wasm32-wasi', runner: (exe) => [process.execPath, '--no-warnings', WASI_RUNNER, exe], glibc: false },
  { name: 'linux-arm64', triple: 'aarch64-linux-musl', runner: (exe) => ['qemu-aarch64', exe], missing: which('qemu-aarch64') ? undefined : 'qemu-aarch64 is not installed', glibc: false },
  { name: 'linux-armv7 (32-bit)', triple: 'arm-linux-musleabihf', runner: (exe) => ['qemu-arm', exe], missing: which('qemu-arm') ? undefined : 'qemu-arm is not installed', glibc: false },
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-numbers-'));

/** Builds tests/runtime/<driver>.c for a target (or, with valgrind, a baseline x86-64 build at -O1). */
export async function buildDriver(driver: string, target: Target | 'valgrind'): Promise<string> {
  const t = target === 'valgrind' ? undefined : target;
  const triple = target === 'valgrind' ? (process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined) : t!.triple;
  const out = path.join(dir, `${driver}-${target === 'valgrind' ? 'vg' : t!.name.replace(/\W+/g, '_')}${triple?.startsWith('wasm') ? '.wasm' : ''}`);
  const r = await compileC({
    toolchain: await hostToolchain(), sources: [path.join(HERE, `${driver}.c`)], output: out, kind: 'exe', triple,
    optLevel: target === 'valgrind' ? 'O1' : 'O2', extraFlags: ['-g', ...noLtoFlags(triple)],
  });
  expect(r.ok, r.log).toBe(true);
  expectNoWarnings(r.log);
  return out;
}

/** Runs the Python side: `gen ...args` gives the commands, `eval` CPython's lines for them. */
export async function pythonCases(script: string, genArgs: string[]): Promise<{ commands: string[]; expected: string[] }> {
  const file = path.join(HERE, script);
  const gen = await execa('python3', [file, 'gen', ...genArgs], { maxBuffer: 1 << 30 });
  const commands = gen.stdout.split('\n');
  const ev = await execa('python3', [file, 'eval'], { input: gen.stdout + '\n', maxBuffer: 1 << 30 });
  const expected = ev.stdout.split('\n');
  expect(expected.length).toBe(commands.length);
  return { commands, expected };
}

/** Runs a driver on the commands; stdout lines. */
export async function runDriver(
  argv: string[], commands: string[], timeoutMs = 300_000,
): Promise<{ lines: string[]; exitCode: number | undefined; stderr: string }> {
  const r = await execa(argv[0], argv.slice(1), { input: commands.join('\n') + '\n', reject: false, timeout: timeoutMs, maxBuffer: 1 << 30 });
  return { lines: r.stdout.split('\n'), exitCode: r.exitCode, stderr: r.stderr };
}

/** Every k-th command (and its expected line), for slow runners. */
export function every<T>(items: T[], k: number): T[] {
  return items.filter((_, i) => i % k === 0);
}

function orderedBits(token: string): bigint {
  const v = BigInt('0x' + token.slice(1));
  return v < 1n << 63n ? v : (1n << 63n) - v;   // doubles in the order of their values
}

function floatOf(token: string): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, BigInt('0x' + token.slice(1)));
  return b.getFloat64(0);
}

/** How far a non-glibc target may be from CPython in the results of one command: `ulps` per float, or `rel`,
 * an absolute difference relative to the largest magnitude in the line (complex results, whose parts near zero
 * carry the error of the whole number). */
export type Tolerance = { ulps: number } | { rel: number };

/**
 * Compares the driver's lines with CPython's. On a non-glibc target, lines whose command is in `libm` may
 * differ float by float within that tolerance (same tokens otherwise). Returns how many lines and floats
 * differed within tolerance.
 */
export function expectSameLines(commands: string[], expected: string[], actual: string[], target: Target, libm: Record<string, Tolerance> = {}) {
  const failures: string[] = [];
  let tolerantLines = 0, tolerantFloats = 0;
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i], got = actual[i] ?? '<missing>';
    if (want === got) continue;
    const op = commands[i].split(' ')[0];
    const tol = target.glibc ? undefined : libm[op];
    let ok = false;
    if (tol !== undefined) {
      const a = want.split(' '), b = got.split(' ');
      ok = a.length === b.length;
      const isF = (t: string) => /^f[0-9a-f]{16}$/.test(t);
      const scale = Math.max(0, ...a.filter(isF).map((t) => Math.abs(floatOf(t))).filter(Number.isFinite));
      let floats = 0;
      for (let k = 0; ok && k < a.length; k++) {
        if (a[k] === b[k]) continue;
        if (!isF(a[k]) || !isF(b[k])) { ok = false; break; }
        if ('ulps' in tol) {
          const d = orderedBits(a[k]) - orderedBits(b[k]);
          ok = (d < 0n ? -d : d) <= BigInt(tol.ulps);
        } else {
          ok = Math.abs(floatOf(a[k]) - floatOf(b[k])) <= tol.rel * scale;
        }
        floats++;
      }
      if (ok) { tolerantLines++; tolerantFloats += floats; }
    }
    if (!ok && failures.length < 12) failures.push(`line ${i + 1}: ${commands[i].slice(0, 160)}\n   CPython: ${want.slice(0, 300)}\n   ${target.name}: ${got.slice(0, 300)}`);
    else if (!ok) failures.push('');
  }
  expect(failures.length, `${failures.length} lines differ from CPython on ${target.name}:\n${failures.filter(Boolean).join('\n')}`).toBe(0);
  expect(actual.length).toBeGreaterThanOrEqual(expected.length);
  return { tolerantLines, tolerantFloats };
}

/** valgrind's verdict: no invalid access, every block freed. */
export async function expectValgrindClean(exe: string, commands: string[]): Promise<string[]> {
  const r = await execa('valgrind', ['--leak-check=full', '--show-leak-kinds=all', '--errors-for-leak-kinds=all', '--error-exitcode=99', exe],
    { input: commands.join('\n') + '\n', reject: false, timeout: 600_000, maxBuffer: 1 << 30 });
  expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
  expect(r.stderr).toMatch(/All heap blocks were freed -- no leaks are possible/);
  return r.stdout.split('\n');
}
