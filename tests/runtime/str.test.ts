/**
 * The str and bytes runtime (resources/c/kiln_str.h) against CPython, operation by operation. str_cases.py
 * generates edge cases (empty, ASCII, Latin-1, BMP, astral, combining marks, every Unicode whitespace, ß, İ,
 * final sigma, invalid and overlong UTF-8, surrogates, int/float literals, format specs) and seeded random cases of
 * every operation; CPython answers them (`str_cases.py ref`) and str_driver.c answers them with the C runtime,
 * natively, under valgrind, on wasm32 under Node's WASI and under QEMU for linux-arm64 and 32-bit linux-arm.
 * Every answer line must be equal, exceptions (type and message) included.
 * Float repr: 1,000,000 random doubles (bit patterns and values) natively, 100,000 on each emulated target, after
 * the hard cases (every power of two, every power of ten and its neighbours). Bigger runs: scripts/str-fuzz.mjs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileC, hostToolchain } from '../../src-compiler/targets/toolchain.ts';
import { which, WASI_RUNNER } from '../../src-compiler/run/runners.ts';
import { expectNoWarnings } from './drivers.ts';
import { noLtoFlags } from '../tools.ts';

const HERE = import.meta.dirname;
const DRIVER = path.join(HERE, 'str_driver.c');
const CASES = path.join(HERE, 'str_cases.py');
const UCD = path.join(HERE, '../../resources/c/kiln_unicode_db.h');
const SEED = 20260513;
const NATIVE_FLOATS = 1_000_000;
const EMULATED_FLOATS = 100_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-str-'));

interface CaseSet { input: string; expected: string[]; lines: string[] }

/** Lines from `str_cases.py gen` and CPython's answers to them. */
async function caseSet(name: string, genArgs: string[]): Promise<CaseSet> {
  const input = path.join(dir, `${name}.txt`);
  const gen = await execa('python3', [CASES, 'gen', String(SEED), ...genArgs], { maxBuffer: 1 << 30 });
  fs.writeFileSync(input, gen.stdout + '\n');
  const ref = await execa('python3', [CASES, 'ref'], { inputFile: input, maxBuffer: 1 << 30 });
  return { input, lines: gen.stdout.split('\n'), expected: ref.stdout.split('\n') };
}

/** The first lines of a case set (the float set: hard cases, then random ones). */
function head(set: CaseSet, n: number): CaseSet {
  const input = path.join(dir, `head-${n}.txt`);
  const lines = set.lines.slice(0, n);
  fs.writeFileSync(input, lines.join('\n') + '\n');
  return { input, lines, expected: set.expected.slice(0, n) };
}

async function build(name: string, triple?: string, optLevel: 'O1' | 'O2' = 'O2'): Promise<string> {
  const out = path.join(dir, name);
  const r = await compileC({ toolchain: await hostToolchain(), sources: [DRIVER], output: out, kind: 'exe', triple, optLevel, extraFlags: ['-g', ...noLtoFlags(triple)] });
  expect(r.ok, r.log).toBe(true);
  expectNoWarnings(r.log);
  return out;
}

/** Runs the driver on a case set and checks every answer against CPython's. */
async function expectAgrees(command: string[], set: CaseSet, timeout = 300_000) {
  const r = await execa(command[0], command.slice(1), { inputFile: set.input, reject: false, maxBuffer: 1 << 30, timeout });
  expect(r.exitCode, `${command.join(' ')} exited with ${r.exitCode}: ${r.stderr.slice(-2000)}`).toBe(0);
  const got = r.stdout.split('\n');
  const diffs: string[] = [];
  let count = 0;
  for (let i = 0; i < set.lines.length; i++) {
    if (got[i] !== set.expected[i]) {
      count++;
      if (diffs.length < 12) diffs.push(`line ${i + 1}: ${set.lines[i]}\n  CPython: ${set.expected[i]}\n  Kiln:    ${got[i]}`);
    }
  }
  expect(diffs, `${count} of ${set.lines.length} answers differ`).toEqual([]);
  expect(got.length).toBeGreaterThanOrEqual(set.lines.length);
}

const valgrind = which('valgrind');
const qemuArm64 = which('qemu-aarch64');
const qemuArm = which('qemu-arm');
let main: CaseSet;
let small: CaseSet;
let floats: CaseSet;
let floatsEmulated: CaseSet;
/** The drivers, built one after another (the C compiler is the heavy part) while CPython computes the answers. */
const builds: Record<string, Promise<string>> = {};

beforeAll(async () => {
  // The tables and the interpreter must speak the same Unicode version, or differences are not Kiln's to fix.
  const py = await execa('python3', ['-c', 'import unicodedata; print(unicodedata.unidata_version)']);
  const tables = /KR_UCD_VERSION "([^"]+)"/.exec(fs.readFileSync(UCD, 'utf8'))?.[1];
  expect(tables, `resources/c/kiln_unicode_db.h holds Unicode ${tables} but python3 has ${py.stdout}: regenerate it with python3 scripts/unicode-tables.py`).toBe(py.stdout.trim());
  let chain: Promise<unknown> = Promise.resolve();
  const queue = (name: string, triple?: string, opt?: 'O1' | 'O2') => {
    const p = chain.then(() => build(name, triple, opt));
    chain = p.catch(() => undefined);
    builds[name] = p;
  };
  queue('str-native');
  queue('str.wasm', 'wasm32-wasi');
  if (qemuArm64) queue('str-arm64', 'aarch64-linux-musl');
  if (qemuArm) queue('str-arm32', 'arm-linux-musleabihf');
  // valgrind does not decode AVX-512, which a native build may use: an explicit baseline target
  if (valgrind) queue('str-vg', process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined, 'O1');
  for (const p of Object.values(builds)) p.catch(() => undefined); // reported by the test that awaits it
  [main, floats, small] = await Promise.all([
    caseSet('main', ['12']),
    caseSet('floats', ['1', '--only', 'floatrepr', '--floats', String(NATIVE_FLOATS)]),
    caseSet('small', ['1']),
  ]);
  const hard = floats.lines.length - NATIVE_FLOATS;
  floatsEmulated = head(floats, hard + EMULATED_FLOATS);
}, 600_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('str runtime against CPython', () => {
  it('has a case for every operation the driver knows', () => {
    const ops = new Set(main.lines.map((l) => l.split(' ')[0]));
    const known = [...fs.readFileSync(DRIVER, 'utf8').matchAll(/eqs\(op, "(\w+)"\)/g)].map((m) => m[1]);
    expect(known.filter((op) => !ops.has(op) && op !== 'repr_float')).toEqual([]);
    expect(main.lines.length).toBeGreaterThan(50_000);
  });

  it.concurrent(`agrees natively (${NATIVE_FLOATS.toLocaleString('en')} random float reprs besides)`, async () => {
    const exe = await builds['str-native'];
    await expectAgrees([exe], main);
    await expectAgrees([exe], floats);
  }, 300_000);

  (!valgrind ? it.skip : it.concurrent)(`is valgrind clean: no leak, no invalid access${valgrind ? '' : ' (skipped: valgrind is not installed)'}`, async () => {
    const exe = await builds['str-vg'];
    const r = await execa('valgrind', ['--leak-check=full', '--show-leak-kinds=all', '--errors-for-leak-kinds=all', '--error-exitcode=99', exe],
      { inputFile: small.input, reject: false, timeout: 300_000, maxBuffer: 1 << 30 });
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toMatch(/All heap blocks were freed -- no leaks are possible/);
    expect(r.stdout.split('\n').slice(0, small.lines.length)).toEqual(small.expected);
  }, 300_000);

  it.concurrent('agrees on wasm32 under Node\'s WASI', async () => {
    const wasm = await builds['str.wasm'];
    await expectAgrees([process.execPath, '--no-warnings', WASI_RUNNER, wasm], main);
    await expectAgrees([process.execPath, '--no-warnings', WASI_RUNNER, wasm], floatsEmulated);
  }, 300_000);

  (!qemuArm64 ? it.skip : it.concurrent)(`agrees on linux-arm64 under QEMU${qemuArm64 ? '' : ' (skipped: qemu-aarch64 is not installed)'}`, async () => {
    const exe = await builds['str-arm64'];
    await expectAgrees(['qemu-aarch64', exe], main);
    await expectAgrees(['qemu-aarch64', exe], floatsEmulated);
  }, 300_000);

  (!qemuArm ? it.skip : it.concurrent)(`agrees on 32-bit linux-arm under QEMU${qemuArm ? '' : ' (skipped: qemu-arm is not installed)'}`, async () => {
    const exe = await builds['str-arm32'];
    await expectAgrees(['qemu-arm', exe], main);
    await expectAgrees(['qemu-arm', exe], floatsEmulated);
  }, 300_000);
});
