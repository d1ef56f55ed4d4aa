/**
 * What makes `kiln` start fast: the built CLI (dist/cli) and when bin/kiln.mjs trusts it, commands that
 * load only what they use, the real interpreter behind a `python3` shim remembered in the cache, and the
 * small process runner used instead of execa on those paths.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { cliBuildOptions, cliIsCurrent } from '../../scripts/build-cli.mjs';
import { resolveInterpreter } from '../../src-compiler/frontend/interpreter.ts';
import { parseModule } from '../../src-compiler/frontend/python.ts';
import { runProcess } from '../../src-compiler/process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-startup-'));

describe('the built CLI', () => {
  it('is trusted while no source it was built from is newer or gone', () => {
    const base = path.join(tmp, 'checkout');
    fs.mkdirSync(path.join(base, 'dist', 'cli'), { recursive: true });
    fs.mkdirSync(path.join(base, 'src'));
    const source = path.join(base, 'src', 'a.ts');
    fs.writeFileSync(source, 'export {};');
    const builtAt = fs.statSync(source).mtimeMs + 1000;
    fs.writeFileSync(path.join(base, 'dist', 'cli', 'inputs.json'), JSON.stringify({ builtAt, inputs: ['src/a.ts'] }));
    expect(cliIsCurrent(base)).toBe(true);
    fs.utimesSync(source, new Date(), new Date(builtAt + 5000));
    expect(cliIsCurrent(base)).toBe(false); // edited since: bin/kiln.mjs runs the TypeScript through tsx
    fs.rmSync(source);
    expect(cliIsCurrent(base)).toBe(false);
    expect(cliIsCurrent(path.join(tmp, 'never-built'))).toBe(false);
  });

  it('is current for this checkout after the test set-up, and runs', () => {
    expect(cliIsCurrent()).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'dist/cli/inputs.json'), 'utf8'));
    expect(manifest.inputs).toEqual(expect.arrayContaining(['src-compiler/cli/main.ts', 'src-compiler/pipeline.ts', 'package-lock.json']));
    // CPython's fma(3, -1, 2) is the int -1 (Python does not convert arguments to their annotations).
    expect(execFileSync(process.execPath, [path.join(root, 'bin/kiln.mjs'), 'run', 'examples/fma.py::fma', '3', '-1', '2'], { cwd: root, encoding: 'utf8' })).toBe('-1\n');
  });

  it('kiln trace loads neither the SQLite store, the export code, the studio server nor execa', async () => {
    const { metafile } = await esbuild.build({ ...cliBuildOptions(), outdir: path.join(tmp, 'out'), write: false, logLevel: 'error' });
    const outputs = metafile!.outputs;
    const chunkOf = (source: string) => Object.keys(outputs).find((o) => outputs[o].entryPoint === source || Object.keys(outputs[o].inputs).includes(source))!;
    // What `kiln trace` loads: the entry's static imports, and those of the modules its action imports.
    const loaded = new Set<string>();
    const visit = (o: string) => {
      if (loaded.has(o)) return;
      loaded.add(o);
      for (const i of outputs[o].imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
    };
    for (const s of ['src-compiler/cli/main.ts', 'src-compiler/pipeline.ts', 'src-compiler/types/typecheck.ts', 'src-compiler/ir/print.ts']) visit(chunkOf(s));
    const inputs = [...loaded].flatMap((o) => Object.keys(outputs[o].inputs));
    const externals = [...loaded].flatMap((o) => outputs[o].imports.filter((i) => i.external).map((i) => i.path));
    expect(inputs).toContain('src-compiler/frontend/python.ts');
    for (const heavy of ['src-compiler/store/db.ts', 'src-compiler/export/export.ts', 'src-compiler/api/server.ts', 'src-compiler/api/handlers.ts', 'src-compiler/targets/build.ts']) expect(inputs).not.toContain(heavy);
    expect(inputs.filter((f) => /node_modules\/(execa|ws|fflate|elkjs)\//.test(f))).toEqual([]);
    expect(externals).not.toContain('better-sqlite3');
  });
});

describe('the interpreter behind a python3 shim', () => {
  const real = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  const bin = path.join(tmp, 'shims');
  const calls = path.join(tmp, 'shim-calls.log');
  const targetFile = path.join(tmp, 'shim-target');
  fs.mkdirSync(bin);
  // A version manager's shim: it picks the interpreter from a file, as pyenv picks one from .python-version.
  fs.writeFileSync(path.join(bin, 'python3'), `#!/bin/sh\necho call >> ${calls}\nexec "$(cat ${targetFile})" "$@"\n`, { mode: 0o755 });
  const links = [path.join(tmp, 'a', 'python3'), path.join(tmp, 'b', 'python3')];
  for (const l of links) { fs.mkdirSync(path.dirname(l)); fs.symlinkSync(real, l); }
  const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}`, KILN_CACHE_DIR: path.join(tmp, 'cache') };
  const resolveWith = (cwd: string) => {
    const saved = { PATH: process.env.PATH, KILN_CACHE_DIR: process.env.KILN_CACHE_DIR };
    Object.assign(process.env, env);
    try { return resolveInterpreter('python3', cwd); } finally { Object.assign(process.env, saved); }
  };
  const shimCalls = () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean).length : 0);

  it("is asked once for sys.executable, then remembered until that interpreter is gone", () => {
    fs.writeFileSync(targetFile, links[0]);
    expect(resolveWith(tmp)).toBe(links[0]);
    expect(resolveWith(tmp)).toBe(links[0]);
    expect(shimCalls()).toBe(1);
    fs.rmSync(links[0]);
    fs.writeFileSync(targetFile, links[1]);
    expect(resolveWith(tmp)).toBe(links[1]);
    expect(shimCalls()).toBe(2);
  });

  it('is asked again from a folder with its own .python-version, and a path is used as given', () => {
    const project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, '.python-version'), '3.11\n');
    const before = shimCalls();
    expect(resolveWith(project)).toBe(links[1]);
    expect(shimCalls()).toBe(before + 1);
    expect(resolveInterpreter('/opt/python/bin/python3')).toBe('/opt/python/bin/python3');
    expect(resolveInterpreter('kiln-no-such-python')).toBe('kiln-no-such-python');
  });
});

describe('the parse cache', () => {
  it('asks Python once per file content and interpreter, and again when the file changes', async () => {
    const real = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const log = path.join(tmp, 'parse-calls.log');
    const python = path.join(tmp, 'counting-python');
    fs.writeFileSync(python, `#!/bin/sh\necho call >> ${log}\nexec ${real} "$@"\n`, { mode: 0o755 });
    const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);
    const file = path.join(tmp, 'cached_mod.py');
    fs.writeFileSync(file, 'from kiln import compile\n\n@compile\ndef f(x: int) -> int:\n    return x + 1\n');
    const saved = process.env.KILN_CACHE_DIR;
    process.env.KILN_CACHE_DIR = path.join(tmp, 'parse-cache');
    try {
      const first = await parseModule(file, python);
      expect(await parseModule(file, python)).toEqual(first);
      expect(calls()).toBe(1);
      fs.writeFileSync(file, 'from kiln import compile\n\n@compile\ndef f(x: int) -> int:\n    return x + 2\n');
      const second = await parseModule(file, python);
      expect(calls()).toBe(2);
      expect(second).not.toEqual(first);
      fs.writeFileSync(file, 'def f(:\n');
      await expect(parseModule(file, python)).rejects.toThrow(/SyntaxError|invalid syntax/);
      await expect(parseModule(file, python)).rejects.toThrow(/SyntaxError|invalid syntax/);
      expect(calls()).toBe(3);
    } finally {
      if (saved === undefined) delete process.env.KILN_CACHE_DIR; else process.env.KILN_CACHE_DIR = saved;
    }
  });
});

describe('runProcess', () => {
  it('gives output, exit code, crash signal, start errors, timeouts and cancellation without throwing', async () => {
    expect(await runProcess('sh', ['-c', 'cat; echo "to stderr" >&2; exit 3'], { input: 'héllo\n' })).toMatchObject({ stdout: 'héllo', stderr: 'to stderr', exitCode: 3, failed: true, timedOut: false });
    expect(await runProcess('sh', ['-c', 'kill -SEGV $$'])).toMatchObject({ signal: 'SIGSEGV', exitCode: undefined, failed: true });
    expect(await runProcess(path.join(tmp, 'nowhere'), [])).toMatchObject({ code: 'ENOENT', failed: true });
    const slow = await runProcess('sleep', ['5'], { timeoutMs: 100 });
    expect(slow).toMatchObject({ timedOut: true, failed: true, signal: 'SIGTERM' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await runProcess('sleep', ['5'], { signal: controller.signal })).toMatchObject({ isCanceled: true, failed: true });
    expect(await runProcess('sh', ['-c', 'echo "$KILN_X"'], { env: { KILN_X: 'set' } })).toMatchObject({ stdout: 'set', exitCode: 0, failed: false });
  });
});
