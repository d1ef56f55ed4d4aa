/** The shared API: argument validation, the project boundary, progress and cancellation of builds. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, client as connect, testHost } from './helpers.ts';
import { validateArgs, ApiArgumentError, type BuildProgressEvent } from '../../src-compiler/api/schema.ts';

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
