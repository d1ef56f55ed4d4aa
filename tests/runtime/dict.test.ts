/**
 * Kiln's dict, set, frozenset and collections runtime (resources/c/kiln_dict.h, kiln_collections.h) against
 * CPython, operation by operation. dict_ops.py generates scripts (hand-picked edge cases, hashes of edge
 * numbers and tuples, then seeded random sessions: many deletions and re-insertions, tables growing and
 * shrinking, colliding keys, -1/-2 hashes, huge and negative ints, 1 == 1.0 == True as one key, NaN, -0.0,
 * mutation during iteration) and runs them on CPython; dict_driver.c runs the same scripts on Kiln's runtime;
 * every printed line (results, reprs, iteration orders, table sizes, hashes, exceptions) must be equal.
 * Natively, under valgrind (no leak, no invalid access), on wasm32 under Node's WASI, and under QEMU on
 * linux-arm64 and 32-bit linux-armv7. Longer runs: tests/runtime/dict-fuzz.mjs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { cacheDir, C_RUNTIME_DIR } from '../../src-compiler/paths.ts';
import { compileC, compilerArgs, hostToolchain } from '../../src-compiler/targets/toolchain.ts';
import { which, WASI_RUNNER } from '../../src-compiler/run/runners.ts';
import { expectNoWarnings } from './drivers.ts';
import { noLtoFlags } from '../tools.ts';

const HERE = import.meta.dirname;
const DRIVER = path.join(HERE, 'dict_driver.c');
const OPS = path.join(HERE, 'dict_ops.py');
const PYTHON = process.env.KILN_PYTHON ?? 'python3';
/** The checks `dict_driver --checks` makes: one CHECK("name", ...) each. */
const CHECKS = [...fs.readFileSync(DRIVER, 'utf8').matchAll(/CHECK\("(\w+)"/g)].map((m) => m[1]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-dict-'));

const valgrind = which('valgrind');
const qemu64 = which('qemu-aarch64');
const qemu32 = which('qemu-arm');

/** Seeds per target: seed % 4 == 1 adds the edge cases, seed % 4 == 0 the hashes of edge values. */
const NATIVE_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const CROSS_SEEDS = [1, 4, 6];
const OPS_PER_SCRIPT = 4000;

interface Script { seed: number; text: string; expected: string[] }
const scripts = new Map<number, Script>();

/**
 * The driver for one target. It instantiates ~20 containers with every operation (about 7 s of CPU per target),
 * and Zig caches no executable it links with LTO (every target but glibc Linux: tests/tools.ts noLtoFlags), so
 * builds are kept in a cache keyed by everything that goes into them: the driver's sources, every runtime header,
 * the compiler's arguments and the toolchain's version.
 */
const BUILD_CACHE = path.join(cacheDir(), 'test-drivers');
async function build(name: string, triple?: string, optLevel: 'O1' | 'O2' = 'O2'): Promise<string> {
  const toolchain = await hostToolchain();
  const options = { toolchain, sources: [DRIVER], kind: 'exe' as const, triple, optLevel, extraFlags: ['-g', ...noLtoFlags(triple)] };
  const key = crypto.createHash('sha256').update(JSON.stringify([compilerArgs({ ...options, output: name }), toolchain.version]));
  const inputs = [...fs.readdirSync(HERE).filter((f) => f.startsWith('dict_driver')).map((f) => path.join(HERE, f)),
    ...fs.readdirSync(C_RUNTIME_DIR).filter((f) => f.endsWith('.h')).sort().map((f) => path.join(C_RUNTIME_DIR, f))];
  for (const f of inputs) key.update(f).update(fs.readFileSync(f));
  const out = path.join(BUILD_CACHE, `${name}-${key.digest('hex').slice(0, 20)}`);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(BUILD_CACHE, { recursive: true });
  const tmp = path.join(dir, name);
  const r = await compileC({ ...options, output: tmp });
  expect(r.ok, r.log).toBe(true);
  expectNoWarnings(r.log);
  fs.copyFileSync(tmp, `${out}.tmp`);
  fs.renameSync(`${out}.tmp`, out);
  return out;
}

async function makeScript(seed: number): Promise<Script> {
  const gen = await execa(PYTHON, [OPS, 'gen', String(seed), String(OPS_PER_SCRIPT)]);
  const ref = await execa(PYTHON, [OPS, 'run'], { input: gen.stdout });
  return { seed, text: gen.stdout, expected: ref.stdout.split('\n') };
}

/** Every line equal to CPython's; the first difference is reported with the operation that printed it. */
function expectSameAsCPython(s: Script, stdout: string, target: string) {
  const got = stdout.replace(/\n$/, '').split('\n');
  const ops = s.text.split('\n');
  const n = Math.max(got.length, s.expected.length);
  for (let i = 0; i < n; i++) {
    if (got[i] !== s.expected[i]) {
      expect.fail(`${target}, seed ${s.seed}, line ${i + 1}: ${ops[i]}\n  CPython: ${s.expected[i]}\n  Kiln:    ${got[i]}`);
    }
  }
  expect(got.length).toBe(s.expected.length);
}

/** Every check printed "ok" and all are there (a crash midway would leave some out). */
function expectChecksPass(stdout: string) {
  const lines = stdout.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
  expect(lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3))).toEqual(CHECKS);
  expect(lines.at(-1)).toBe('PASSED');
}

type Runner = (exe: string, args: string[], input?: string) => Promise<{ stdout: string; exitCode?: number; stderr: string }>;
const native: Runner = (exe, args, input) => execa(exe, args, { input, reject: false, timeout: 120_000 });
const wasm: Runner = (exe, args, input) => execa(process.execPath, ['--no-warnings', WASI_RUNNER, exe, ...args], { input, reject: false, timeout: 240_000 });
const qemu = (cmd: string): Runner => (exe, args, input) => execa(cmd, [exe, ...args], { input, reject: false, timeout: 240_000 });

async function runTarget(label: string, exe: string, runner: Runner, seeds: number[]) {
  const checks = await runner(exe, ['--checks']);
  expectChecksPass(checks.stdout);
  expect(checks.exitCode, checks.stderr).toBe(0);
  for (const seed of seeds) {
    const s = scripts.get(seed)!;
    const r = await runner(exe, [], s.text);
    expect(r.exitCode, `${label}, seed ${seed}: ${r.stderr.slice(-2000)}`).toBe(0);
    expectSameAsCPython(s, r.stdout, label);
  }
}

const builds: Record<string, Promise<string>> = {};

describe('dict, set and collections runtime against CPython', () => {
  beforeAll(async () => {
    // The drivers build while CPython computes the expected lines (Zig caches a build it has seen).
    builds.native = build('dict');
    if (valgrind) builds.valgrind = build('dict-vg', process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined, 'O1');
    builds.wasm = build('dict.wasm', 'wasm32-wasi');
    if (qemu64) builds.arm64 = build('dict-arm64', 'aarch64-linux-musl');
    if (qemu32) builds.armv7 = build('dict-armv7', 'arm-linux-musleabihf');
    for (const p of Object.values(builds)) p.catch(() => {}); // reported by the test that awaits it
    const all = await Promise.all([...new Set([...NATIVE_SEEDS, ...CROSS_SEEDS])].map(makeScript));
    for (const s of all) scripts.set(s.seed, s);
  }, 600_000);

  it(`natively: ${NATIVE_SEEDS.length} scripts of ${OPS_PER_SCRIPT} operations print what CPython prints, and the collector checks pass`, async () => {
    await runTarget('native', await builds.native, native, NATIVE_SEEDS);
  }, 300_000);

  it.skipIf(!valgrind)(`is valgrind clean: no leak, no invalid read or write${valgrind ? '' : ' (skipped: valgrind is not installed)'}`, async () => {
    // An explicit baseline target: valgrind does not decode AVX-512, which a native build may use.
    const exe = await builds.valgrind;
    const vg = ['--leak-check=full', '--show-leak-kinds=all', '--errors-for-leak-kinds=all', '--error-exitcode=99', exe];
    const checks = await execa('valgrind', [...vg, '--checks'], { reject: false, timeout: 300_000 });
    expectChecksPass(checks.stdout);
    expect(checks.exitCode, checks.stderr.slice(-3000)).toBe(0);
    expect(checks.stderr).toMatch(/All heap blocks were freed -- no leaks are possible/);
    const s = scripts.get(1)!;
    const r = await execa('valgrind', vg, { input: s.text, reject: false, timeout: 300_000 });
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toMatch(/All heap blocks were freed -- no leaks are possible/);
    expectSameAsCPython(s, r.stdout, 'valgrind');
  }, 600_000);

  it('on wasm32 under Node\'s WASI', async () => {
    await runTarget('wasm32', await builds.wasm, wasm, CROSS_SEEDS);
  }, 600_000);

  it.skipIf(!qemu64)(`on linux-arm64 under QEMU${qemu64 ? '' : ' (skipped: qemu-aarch64 is not installed)'}`, async () => {
    await runTarget('linux-arm64', await builds.arm64, qemu('qemu-aarch64'), CROSS_SEEDS);
  }, 600_000);

  it.skipIf(!qemu32)(`on 32-bit linux-armv7 under QEMU: the same 64-bit hashes and orders${qemu32 ? '' : ' (skipped: qemu-arm is not installed)'}`, async () => {
    await runTarget('linux-armv7', await builds.armv7, qemu('qemu-arm'), CROSS_SEEDS);
  }, 600_000);
});
