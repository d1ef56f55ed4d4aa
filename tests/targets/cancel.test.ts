/** Cancelling a multi-target build: the running compiler is stopped and every target reports "cancelled". */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTargets } from '../../src-compiler/targets/build.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('cancellation', () => {
  it('aborting while the first target compiles cancels it and every target after it', async () => {
    // A private, empty build cache, so the first target really compiles.
    process.env.KILN_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-cancel-'));
    const controller = new AbortController();
    const seen: string[] = [];
    const results = await buildTargets(path.join(root, 'examples/fma.py'), {
      targets: ['linux-x64', 'wasm32', 'macos-arm64'], jobs: 1, signal: controller.signal,
      onProgress: (e) => {
        seen.push(`${e.kind}:${e.target}`);
        if (e.kind === 'target-phase' && e.phase === 'compiling') controller.abort();
      },
    });
    expect(results.map((r) => [r.target, r.status])).toEqual([['linux-x64', 'cancelled'], ['wasm32', 'cancelled'], ['macos-arm64', 'cancelled']]);
    expect(seen[0]).toBe('target-start:linux-x64');
    // Nothing half-written is left as an artifact.
    const builds = path.join(process.env.KILN_CACHE_DIR, 'builds');
    const files = fs.existsSync(builds) ? fs.readdirSync(builds, { recursive: true }).map(String) : [];
    expect(files.filter((f) => /\.(so|wasm|dylib)$/.test(f))).toEqual([]);
  });
});
