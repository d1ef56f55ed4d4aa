/** The shared API: argument validation, the project boundary, progress and cancellation of builds, problems, folders, settings checks and export. */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, client as connect, testHost } from './helpers.ts';
import { validateArgs, ApiArgumentError, type BuildProgressEvent, type ExportView, type FolderListing, type ProjectView, type TargetsView } from '../../src-compiler/api/schema.ts';
import { ApiHost } from '../../src-compiler/api/handlers.ts';

const { host, tmp } = testHost('kiln-api-');
const client = () => connect(host);

describe('argument validation', () => {
  it('accepts the declared shape and refuses anything else', () => {
    expect(validateArgs('function.view', { file: 'a.py', name: 'f' })).toEqual({ file: 'a.py', name: 'f' });
    expect(() => validateArgs('function.view', { file: 'a.py' })).toThrow(ApiArgumentError);
    expect(() => validateArgs('function.view', { file: 1, name: 'f' })).toThrow(/'file' must be a string/);
    expect(() => validateArgs('function.view', { file: 'a', name: 'f', extra: 1 })).toThrow(/unknown argument 'extra'/);
    expect(() => validateArgs('build.run', { file: 'a', targets: ['x'], optLevel: 'O9' })).toThrow(/one of O0/);
    expect(() => validateArgs('history.get', [])).toThrow(/must be an object/);
  });

  it('answers an unknown call or bad arguments with an error, not a crash', async () => {
    const c = client();
    expect(await c.call('fs.readFile', {})).toMatchObject({ type: 'error', error: { code: 'invalid-arguments' } });
    expect(await c.call('history.get', { id: 'one' })).toMatchObject({ type: 'error', error: { code: 'invalid-arguments' } });
  });
});

describe('the project boundary', () => {
  it('reads only inside the open project', async () => {
    const c = client();
    const opened = await c.call('project.open', { path: path.join(ROOT, 'examples') });
    expect(opened.type).toBe('result');
    const view = await c.call('function.view', { file: 'fma.py', name: 'fma' });
    expect(view).toMatchObject({ type: 'result', result: { name: 'fma', signature: 'fma(x: float, y: float, z: float) -> float' } });
    for (const file of ['../package.json', '/etc/passwd', '../../../../etc/passwd']) {
      expect(await c.call('function.view', { file, name: 'x' })).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    }
  });

  it('shows a file that does not parse in place and keeps the rest', async () => {
    const proj = fs.mkdtempSync(path.join(tmp, 'proj-'));
    fs.copyFileSync(path.join(ROOT, 'examples/fma.py'), path.join(proj, 'good.py'));
    fs.writeFileSync(path.join(proj, 'broken.py'), 'from fxn import compile\n\n@compile()\ndef f(x: int) -> int\n    return x\n');
    const c = client();
    const r = await c.call('project.open', { path: proj });
    expect(r.type).toBe('result');
    const files = (r as { result: { files: { file: string; error: { line: number } | null; functions: { name: string }[] }[] } }).result.files;
    expect(files.find((f) => f.file === 'broken.py')?.error?.line).toBe(4);
    expect(files.find((f) => f.file === 'good.py')?.functions.map((f) => f.name)).toEqual(['fma', 'fma_loop']);
  });
});

describe('builds', () => {
  it('reports progress per target, records the build, and can be cancelled', async () => {
    const c = client();
    await c.call('project.open', { path: path.join(ROOT, 'examples') });
    const targets = await c.call('targets.list', {});
    const host0 = (targets as { result: { targets: { id: string }[] } }).result.targets[0].id;
    const done = await c.call('build.run', { file: 'fma.py', targets: [host0] });
    expect(done).toMatchObject({ type: 'result', result: { results: [{ target: host0, status: 'verified' }] } });
    const progress = c.sent.filter((m) => m.type === 'progress').map((m) => (m as { progress: BuildProgressEvent }).progress.kind);
    expect(progress).toEqual(expect.arrayContaining(['compiling-module', 'target-start', 'target-done']));
    const history = await c.call('history.list', { function: 'fma' });
    expect((history as { result: { builds: { status: string; origin: string }[] } }).result.builds[0]).toMatchObject({ status: 'verified', origin: 'studio' });

    // A build the history cannot take (here a trigger refuses the row, as a full disk would) still stands,
    // and the user is told in the target's progress event and in the result.
    const other = new Database(host.database().name);
    other.exec("CREATE TRIGGER refuse_builds BEFORE INSERT ON builds BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    try {
      c.progress.length = 0;
      const unrecorded = await c.call('build.run', { file: 'fma.py', targets: [host0] });
      const warning = expect.stringMatching(/^the build was not recorded in the history \(.*kiln\.db\): database or disk is full$/);
      expect(unrecorded).toMatchObject({ type: 'result', result: { results: [{ target: host0, status: 'verified', buildId: null, warning }] } });
      expect(c.progress.find((p) => (p as BuildProgressEvent).kind === 'target-done')).toMatchObject({ result: { buildId: null, warning } });
    } finally {
      other.exec('DROP TRIGGER refuse_builds');
      other.close();
    }
    expect((await c.call('build.run', { file: 'fma.py', targets: [host0] }) as { result: { results: { warning?: string }[] } }).result.results[0].warning).toBeUndefined();

    // Cancelled before it starts: every target reports 'cancelled' and nothing runs.
    const cancelled = await c.call('build.run', { file: 'fma.py', targets: [host0, host0] }, (id) => c.cancel(id));
    if (cancelled.type === 'result') {
      expect((cancelled.result as { results: { status: string }[] }).results.every((r) => r.status === 'cancelled')).toBe(true);
    } else {
      expect(cancelled).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
    }
  });
});

describe('problems, files that do not parse, folders, settings and export', () => {
  const proj = path.join(tmp, 'problems');
  const exportHost = testHost('kiln-api-export-');
  beforeAll(() => {
    fs.mkdirSync(proj, { recursive: true });
    fs.writeFileSync(path.join(proj, 'broken.py'), 'from kiln import compile\n\n@compile\ndef f(x: int) -> int\n    return x\n');
    fs.writeFileSync(path.join(proj, 'bad.py'), 'from kiln import compile\n\n@compile\ndef d(x: int) -> int:\n    m = {1: 2}\n    return x\n\n@compile\ndef half(x: int) -> int:\n    return x / 2\n');
    fs.copyFileSync(path.join(ROOT, 'examples/shapes.py'), path.join(proj, 'shapes.py'));
  });

  it('lists every problem of each file (syntax error, each function\'s error, the warnings), and a file that does not parse opens as its source', async () => {
    const c = client();
    const r = await c.call('project.open', { path: proj });
    const files = (r as { result: ProjectView }).result.files;
    const bad = files.find((f) => f.file === 'bad.py')!;
    expect(bad.diagnostics.map((d) => [d.line, d.severity, d.function])).toEqual([[5, 'error', 'd'], [9, 'warning', 'half']]);
    expect(bad.diagnostics[0].hint).toContain('NumPy array indexed by an int key');
    expect(files.find((f) => f.file === 'broken.py')!.diagnostics.map((d) => [d.line, d.construct])).toEqual([[4, 'syntax']]);
    expect((r as { result: ProjectView }).result.exportFolder).toBe(path.join(fs.realpathSync(proj), 'kiln-export'));
    const view = await c.call('file.view', { file: 'broken.py' });
    expect(view).toMatchObject({ type: 'result', result: { file: 'broken.py', source: ['from kiln import compile', '', '@compile', 'def f(x: int) -> int', '    return x', ''], diagnostics: [{ line: 4, severity: 'error' }] } });
    expect(await c.call('file.view', { file: '../x.py' })).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
  });

  it('lists folders under the browse root only, names only, marking those with Python files', async () => {
    const h = new ApiHost({ mode: 'browser', dbPath: path.join(tmp, 'folders.db'), watch: false, browseRoot: tmp });
    const c = connect(h);
    const top = await c.call('folders.list', {});
    expect(top).toMatchObject({ type: 'result', result: { root: fs.realpathSync(tmp), parent: null } });
    const entry = (top as { result: FolderListing }).result.folders.find((f) => f.name === 'problems');
    expect(entry).toMatchObject({ path: path.join(fs.realpathSync(tmp), 'problems'), python: true });
    const inside = await c.call('folders.list', { path: path.join(tmp, 'problems') });
    expect(inside).toMatchObject({ type: 'result', result: { python: true, parent: fs.realpathSync(tmp) } });
    expect(await c.call('folders.list', { path: '/etc' })).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    expect(await c.call('folders.list', { path: path.join(tmp, '..') })).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    h.close();
  });

  it('checks settings without saving them, and says what new projects start with', async () => {
    const c = client();
    const checked = await c.call('settings.check', { python: '', toolchainPath: '' });
    expect(checked).toMatchObject({ type: 'result', result: { python: { ok: true }, toolchainPath: { ok: true } } });
    expect((checked as { result: { python: { message: string } } }).result.python.message).toMatch(/^Python 3\.\d+/);
    const targets = (await c.call('targets.list', {})) as { result: TargetsView };
    expect(targets.result.hostDefault).toEqual(targets.result.targets.filter((t) => t.executable).slice(0, 1).map((t) => t.id));
    expect(await c.call('settings.set', { defaultTargets: ['linux-x64', 'nope-os'] })).toMatchObject({ type: 'error', error: { code: 'invalid-setting', message: 'Settings › Default targets: unknown target nope-os' } });
  });

  it('opens folders only, and only where the window can (browser mode cannot)', async () => {
    const c = client();
    expect(await c.call('shell.openFolder', { path: proj })).toMatchObject({ type: 'result', result: { opened: false } });
    expect(await c.call('shell.openFolder', { path: path.join(proj, 'bad.py') })).toMatchObject({ type: 'error', error: { code: 'not-found' } });
  });

  it('exports with exportModule (what `kiln export` writes) into <project>/kiln-export, with progress per target', async () => {
    const c = connect(exportHost.host);
    await c.call('project.open', { path: proj });
    const host0 = ((await c.call('targets.list', {})) as { result: TargetsView }).result.hostDefault[0];
    const done = await c.call('export.run', { file: 'shapes.py', targets: [host0] });
    expect(done.type).toBe('result');
    const r = (done as { result: ExportView }).result;
    const out = path.join(fs.realpathSync(proj), 'kiln-export');
    expect(r.folder).toBe(out);
    expect(r.targets).toMatchObject([{ target: host0, status: 'verified', zip: path.join(out, `shapes-${host0}.zip`) }]);
    expect(r.pythonPackage).toBe(path.join(out, 'python', 'shapes'));
    for (const f of [`shapes-${host0}.zip`, `shapes-${host0}/manifest.json`, 'python/shapes/__init__.py', 'exports.json']) expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    const kinds = c.progress.map((p) => (p as { kind: string }).kind);
    expect(kinds).toEqual(expect.arrayContaining(['compiling-module', 'target-start', 'target-done', 'bundling']));
    expect(await c.call('export.run', { file: 'shapes.py', targets: ['nope-os'] })).toMatchObject({ type: 'error', error: { code: 'invalid-arguments', message: "unknown target 'nope-os'" } });
  }, 300_000);
});
