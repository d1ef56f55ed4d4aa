/**
 * The fuzzer's fixed-seed smoke (issue 19): a few hundred generated scalar programs, each run under CPython and
 * natively on edge inputs, must give no mismatch and no failure (C that does not compile, a crash, a hang, an
 * internal compiler error); then a small sample on wasm32 (Node's WASI) and linux-arm64 (qemu-user). The
 * refusal table is printed: it is the measure for typing work (a type that depends on the path). Programs are
 * batched (one module, one CPython process and one harness per batch), so this stays near a minute on two cores.
 * A failure names the program; `kiln fuzz --seed S --only N` reproduces it and reduces it to a corpus file.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatFuzzReport, runFuzz, type FuzzStats } from '../../src-compiler/fuzz/runner.ts';
import { which } from '../../src-compiler/run/runners.ts';

const SEED = 20251;
const PROGRAMS = 150;

function problems(s: FuzzStats): string {
  return s.problems.map((p) => `program ${p.program} of seed ${s.seed}: ${p.kind} on ${p.target}: ${p.detail}${p.reproducer ? ` (reduced: ${p.reproducer})` : ''}`).join('\n');
}

describe('kiln fuzz smoke', () => {
  it(`${PROGRAMS} scalar programs of seed ${SEED} agree with CPython`, async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-fuzz-smoke-'));
    const stats = await runFuzz({ seed: SEED, count: PROGRAMS, features: ['scalars'], targets: ['host'], jobs: 2, batchSize: 50, reduce: 1, out });
    process.stdout.write(`${formatFuzzReport(stats)}\n`);
    expect(stats.generated).toBe(PROGRAMS);
    expect(problems(stats)).toBe('');
    expect(stats.mismatches).toBe(0);
    expect(stats.failures).toBe(0);
    // The run compares most programs (a refusal is counted, not compared) and reaches the documented limits.
    expect(stats.compared).toBeGreaterThan(PROGRAMS / 2);
    expect(stats.perTarget.host.calls).toBeGreaterThan(stats.compared * 5);
    expect(stats.limitCalls).toBeGreaterThan(0);
    fs.rmSync(out, { recursive: true, force: true });
  }, 900_000);

  it(`40 programs with strings, dicts and sets of seed ${SEED} agree with CPython`, async () => {
    const stats = await runFuzz({ seed: SEED, count: 40, features: ['strings', 'dicts'], targets: ['host'], jobs: 1, batchSize: 40, reduce: 0 });
    process.stdout.write(`${formatFuzzReport(stats)}\n`);
    expect(problems(stats)).toBe('');
    expect(stats.mismatches + stats.failures).toBe(0);
    expect(stats.compared).toBeGreaterThan(30);
    expect(stats.perTarget.host.calls).toBeGreaterThan(stats.compared * 5);
  }, 900_000);

  const qemu = which('qemu-aarch64');
  it.skipIf(!qemu)(`a sample on wasm32 and linux-arm64 agrees with CPython${qemu ? '' : ' (skipped: qemu-aarch64 not found; install Debian\'s qemu-user)'}`, async () => {
    const stats = await runFuzz({ seed: SEED + 1, count: 16, features: ['scalars'], targets: ['host', 'wasm32', 'linux-arm64'], jobs: 2, batchSize: 16, reduce: 0 });
    process.stdout.write(`${formatFuzzReport(stats)}\n`);
    expect(stats.skippedTargets).toEqual([]);
    expect(problems(stats)).toBe('');
    for (const id of ['wasm32', 'linux-arm64']) {
      expect(stats.perTarget[id].compared, id).toBe(stats.compared);
      expect(stats.perTarget[id].calls, id).toBe(stats.perTarget.host.calls);
      expect(stats.perTarget[id].mismatches + stats.perTarget[id].failures, id).toBe(0);
    }
    expect(stats.compared).toBeGreaterThan(4);
  }, 900_000);
});
