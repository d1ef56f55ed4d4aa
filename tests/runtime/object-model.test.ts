/**
 * The object model's runtime core (resources/c/kiln_object.h, docs/design/object-model.md): reference
 * semantics, no leaks across calls, bounded memory for a loop that makes and drops ten million objects, cycles
 * freed when the outermost call returns, iterative deallocation of deep chains, generations. object_model.c
 * prints one line per check; every line must be "ok", natively, under valgrind (no leak, no invalid access),
 * on wasm32 under Node's WASI and on linux-arm64 under QEMU.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileC, hostToolchain } from '../../src-compiler/targets/toolchain.ts';
import { which, WASI_RUNNER } from '../../src-compiler/run/runners.ts';
import { expectNoWarnings } from './drivers.ts';
import { noLtoFlags } from '../tools.ts';

const SOURCE = path.join(import.meta.dirname, 'object_model.c');
/** The checks the program makes: one CHECK("name", ...) each. */
const CHECKS = [...fs.readFileSync(SOURCE, 'utf8').matchAll(/CHECK\("(\w+)"/g)].map((m) => m[1]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-objects-'));

async function build(name: string, triple?: string, optLevel: 'O1' | 'O2' = 'O2'): Promise<string> {
  const out = path.join(dir, name);
  const r = await compileC({ toolchain: await hostToolchain(), sources: [SOURCE], output: out, kind: 'exe', triple, optLevel, extraFlags: ['-g', ...noLtoFlags(triple)] });
  expect(r.ok, r.log).toBe(true);
  expectNoWarnings(r.log);
  return out;
}

/** Every check printed "ok", and the checks are all there (a crash midway would leave some out). */
function expectAllOk(stdout: string) {
  const lines = stdout.trim().split('\n');
  const failed = lines.filter((l) => l.startsWith('FAIL'));
  expect(failed).toEqual([]);
  expect(lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3))).toEqual(CHECKS);
  expect(lines.at(-1)).toBe('PASSED');
}

const valgrind = which('valgrind');
const qemu = which('qemu-aarch64');

describe('object model runtime core', () => {
  it('passes every check natively, with ten million objects made and dropped in bounded memory', async () => {
    const exe = await build('objects');
    const r = await execa(exe, ['10000000'], { reject: false });
    expectAllOk(r.stdout);
    expect(r.exitCode).toBe(0);
  });

  it.skipIf(!valgrind)(`is valgrind clean: no leak, no invalid read or write${valgrind ? '' : ' (skipped: valgrind is not installed)'}`, async () => {
    // An explicit baseline target: valgrind does not decode AVX-512, which a native build may use.
    const exe = await build('objects-vg', process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined, 'O1');
    const r = await execa('valgrind', ['--leak-check=full', '--show-leak-kinds=all', '--errors-for-leak-kinds=all', '--error-exitcode=99', exe, '200000'], { reject: false, timeout: 300_000 });
    expectAllOk(r.stdout);
    expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toMatch(/All heap blocks were freed -- no leaks are possible/);
  }, 300_000);

  it('passes every check on wasm32 under Node\'s WASI', async () => {
    const wasm = await build('objects.wasm', 'wasm32-wasi');
    const r = await execa(process.execPath, ['--no-warnings', WASI_RUNNER, wasm, '1000000'], { reject: false });
    expectAllOk(r.stdout);
    expect(r.exitCode).toBe(0);
  }, 300_000);

  it.skipIf(!qemu)(`passes every check on linux-arm64 under QEMU${qemu ? '' : ' (skipped: qemu-user is not installed)'}`, async () => {
    const exe = await build('objects-arm64', 'aarch64-linux-musl');
    const r = await execa('qemu-aarch64', [exe, '1000000'], { reject: false, timeout: 300_000 });
    expectAllOk(r.stdout);
    expect(r.exitCode).toBe(0);
  }, 300_000);
});
