/**
 * kiln export: per-target folders and zips with manifests whose SHA-256s match the files; byte-identical
 * on a second export; the Python package imports in a fresh CPython and behaves like the original; the
 * wasm ES module runs in Node and in headless Chromium.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { exportModule, type ExportResult } from '../../src-compiler/export/export.ts';
import { CHROMIUM, chromiumMissing, qemuMissing, skippedBecause, wineMissing } from '../tools.ts';

const root = path.resolve(import.meta.dirname, '../..');
const TARGETS = ['linux-x64', 'linux-arm64', 'windows-x64', 'macos-arm64', 'wasm32', 'android-arm64', 'ios-arm64'];
const sha = (p: string) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
const python = process.env.KILN_PYTHON ?? 'python3';

let first: ExportResult;
let second: ExportResult;
let dirA: string;
let dirB: string;

beforeAll(async () => {
  dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-export-a-'));
  dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-export-b-'));
  first = await exportModule(path.join(root, 'examples/fma.py'), { targets: TARGETS, out: dirA });
  second = await exportModule(path.join(root, 'examples/fma.py'), { targets: TARGETS, out: dirB });
}, 60 * 60_000);

describe('kiln export', () => {
  it('writes a folder and a zip per target with library, header, README and manifest', () => {
    // Verified where this machine runs the target (arm64 under qemu-user, windows-x64 under Wine), else built and inspected.
    const executable = ['linux-x64', 'wasm32', ...(qemuMissing() ? [] : ['linux-arm64']), ...(wineMissing() ? [] : ['windows-x64'])];
    for (const t of first.targets) {
      expect([t.target, t.status]).toEqual([t.target, executable.includes(t.target) ? 'verified' : 'built-not-executed']);
      const names = fs.readdirSync(t.dir!).sort();
      expect(names).toEqual(expect.arrayContaining(['README.md', 'kiln_fma.h', 'manifest.json']));
      expect(names.length).toBe(4);
      expect(fs.existsSync(t.zip!)).toBe(true);
    }
  });

  it('every manifest names the target, toolchain, flags and functions, and its SHA-256s match the files', () => {
    for (const t of first.targets) {
      const m = JSON.parse(fs.readFileSync(path.join(t.dir!, 'manifest.json'), 'utf8'));
      expect(m.target.id).toBe(t.target);
      expect(m.toolchain.version).toMatch(/^zig 0\.11/);
      expect(m.flags).toContain('-ffp-contract=off');
      expect(m.functions.map((f: { name: string }) => f.name)).toEqual(['fma', 'fma_loop']);
      expect(m.functions[0].signature).toBe('fma(x: float, y: float, z: float) -> float');
      expect(['verified', 'built-not-executed']).toContain(m.verification.status);
      for (const f of m.files) {
        expect(sha(path.join(t.dir!, f.path))).toBe(f.sha256);
        expect(fs.statSync(path.join(t.dir!, f.path)).size).toBe(f.size);
      }
      // The zip holds the same files.
      const zip = unzipSync(fs.readFileSync(t.zip!));
      expect(Object.keys(zip).sort()).toEqual(fs.readdirSync(t.dir!).sort().map((n) => `fma-${t.target}/${n}`));
    }
  });

  it('is reproducible: a second export gives byte-identical libraries, manifests and zips', () => {
    for (const [a, b] of first.targets.map((t, i) => [t, second.targets[i]] as const)) {
      for (const f of a.files) expect([a.target, f.path, sha(path.join(b.dir!, f.path))]).toEqual([a.target, f.path, f.sha256]);
      expect(sha(b.zip!)).toBe(sha(a.zip!));
    }
    expect(fs.readFileSync(path.join(dirB, 'exports.json'), 'utf8')).toBe(fs.readFileSync(path.join(dirA, 'exports.json'), 'utf8'));
  });

  it('the Python package is a drop-in import in a fresh CPython (no compiler needed)', async () => {
    const script = [
      'import sys; sys.path.insert(0, sys.argv[1])',
      'import fma',
      'print(repr(fma.fma(3.0, -1.0, 2.0)))',
      'print(repr(fma.fma(x=0.1, y=0.2, z=0.3)), repr(0.1 * 0.2 + 0.3))',
      'print(repr(fma.fma_loop(1.5, 2.0, 0.25, 3)))',
      'try:\n    fma.fma_loop(3.0, -1.0, 2.0, 0)\nexcept UnboundLocalError as e:\n    print("UnboundLocalError", e)',
      'try:\n    fma.fma_loop(1.0, 1.0, 1.0, 2**70)\nexcept OverflowError as e:\n    print("OverflowError")',
      'print(fma.fma.__name__, fma.fma.__doc__.splitlines()[0])',
    ].join('\n');
    const r = await execa(python, ['-c', script, path.join(dirA, 'python')], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      '-1.0',
      '0.32 0.32',
      '3.25',
      "UnboundLocalError cannot access local variable 'result' where it is not associated with a value",
      'OverflowError',
      'fma fma(x: float, y: float, z: float) -> float',
    ]);
  });

  it('the ES module runs the wasm in Node', async () => {
    const js = first.jsModule!;
    const code = `const m = await import(${JSON.stringify(js)});
console.log(m.fma(3, -1, 2), m.fma_loop(1.5, 2, 0.25, 3n), m.fma_loop(1.5, 2, 0.25, 3));
try { m.fma_loop(3, -1, 2, 0); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const r = await execa('node', ['--input-type=module', '-e', code], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual(['-1 3.25 3.25', "UnboundLocalError: cannot access local variable 'result' where it is not associated with a value"]);
  });

  it('manifests of targets not executed here say why', () => {
    for (const t of first.targets.filter((x) => x.status === 'built-not-executed')) {
      const m = JSON.parse(fs.readFileSync(path.join(t.dir!, 'manifest.json'), 'utf8'));
      expect([t.target, m.verification]).toEqual([t.target, { status: 'built-not-executed', reason: expect.stringMatching(/not executed here$/) }]);
    }
  });

  it.skipIf(!!chromiumMissing())(skippedBecause('the ES module runs the wasm in headless Chromium', chromiumMissing()), async () => {
    const chromium = CHROMIUM!;
    const jsDir = path.dirname(first.jsModule!);
    const server = http.createServer((req, res) => {
      const name = path.basename(new URL(req.url!, 'http://x').pathname) || 'index.html';
      const file = path.join(jsDir, name);
      if (name === 'index.html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>kiln</title>');
      if (!fs.existsSync(file)) return res.writeHead(404).end();
      const type = name.endsWith('.wasm') ? 'application/wasm' : name.endsWith('.mjs') ? 'text/javascript' : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    const { chromium: pw } = await import('playwright-core');
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-chromium-'));
    const browser = await pw.launchPersistentContext(userDir, {
      executablePath: chromium, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/index.html`);
      // A string, so the test runner's transform of import() does not reach the page.
      const result = await page.evaluate(`(async () => {
        const m = await import('/kiln_fma.mjs');
        let err = '';
        try { m.fma_loop(3, -1, 2, 0); } catch (e) { err = e.name; }
        return [m.fma(3, -1, 2), m.fma(0.1, 0.2, 0.3), err];
      })()`);
      expect(result).toEqual([-1, 0.1 * 0.2 + 0.3, 'UnboundLocalError']);
    } finally {
      await browser.close();
      server.close();
    }
  });

  it('a target that cannot be built is reported and leaves the others exported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-export-c-'));
    const r = await exportModule(path.join(root, 'examples/fma.py'), { targets: ['linux-x64', 'no-such-target'], out: dir });
    expect(r.targets.map((t) => [t.target, t.status])).toEqual([['linux-x64', 'verified'], ['no-such-target', 'failed']]);
    expect(fs.existsSync(path.join(dir, 'fma-linux-x64.zip'))).toBe(true);
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'exports.json'), 'utf8'));
    expect(index.targets[1]).toMatchObject({ target: 'no-such-target', status: 'failed', zip: null });
  });
});
