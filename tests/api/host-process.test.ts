/**
 * The desktop app's API host process, driven from Node as Electron's main process drives it (HostRelay):
 * real calls through the relay, the host's requests for the folder dialog and the system browser, and a
 * host that dies fails its pending calls with a clear error instead of leaving them hanging.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HostRelay, HOST_EXITED, type RelayClient } from '../../src-compiler/api/host-relay.ts';
import type { ServerMessage } from '../../src-compiler/api/schema.ts';
import { hostTargetId } from '../../src-compiler/targets/registry.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-host-'));
const relays: HostRelay[] = [];
afterAll(() => { for (const r of relays) r.stop(); });

interface Harness {
  relay: HostRelay;
  window: RelayClient;
  received: ServerMessage[];
  call(name: string, args: unknown): Promise<ServerMessage>;
  folderRequests: string[];
  opened: string[];
  exits: string[];
  /** Resolves the dialog the host is waiting on (when the test chose to hold it). */
  answerDialog?: (p: string | null) => void;
}

function startHost(o: { holdDialog?: boolean } = {}): Harness {
  const h = { folderRequests: [] as string[], opened: [] as string[], exits: [] as string[] } as Partial<Harness> & Pick<Harness, 'folderRequests' | 'opened' | 'exits'>;
  const relay = new HostRelay({
    root: ROOT,
    node: process.execPath,
    host: { mode: 'electron', version: '9.9.9-test', dbPath: path.join(tmp, `kiln-${relays.length}.db`), watch: false },
    pickFolder: (purpose) => {
      h.folderRequests.push(purpose);
      if (o.holdDialog) return new Promise((resolve) => { h.answerDialog = resolve; });
      return Promise.resolve(purpose === 'project' ? EXAMPLES : null);
    },
    openExternal: async (url) => { h.opened.push(url); },
    onExit: (reason) => h.exits.push(reason),
  }).start();
  relays.push(relay);
  const waiters = new Map<number, (m: ServerMessage) => void>();
  const received: ServerMessage[] = [];
  const window = relay.connect((m) => { received.push(m); if (m.type === 'result' || m.type === 'error') waiters.get(m.id)?.(m); });
  h.received = received;
  let id = 0;
  h.relay = relay;
  h.window = window;
  h.call = (name, args) => {
    const my = ++id;
    const p = new Promise<ServerMessage>((resolve) => waiters.set(my, resolve));
    window.receive({ type: 'call', id: my, name, args });
    return p;
  };
  return h as Harness;
}

describe('the API host process (the desktop app runs its API in plain Node)', () => {
  it('answers real calls relayed to it, in a separate process', async () => {
    const h = startHost();
    const info = await h.call('app.info', {});
    expect(info).toMatchObject({ type: 'result', result: { mode: 'electron', version: '9.9.9-test', project: null } });
    expect(h.relay.pid).toBeGreaterThan(0);
    expect(h.relay.pid).not.toBe(process.pid);
    const opened = await h.call('project.open', { path: EXAMPLES });
    expect(opened.type).toBe('result');
    const names = (opened as { result: { files: { functions: { name: string }[] }[] } }).result.files.flatMap((f) => f.functions.map((fn) => fn.name));
    expect(names).toEqual(expect.arrayContaining(['fma', 'fma_loop']));
    const view = await h.call('function.view', { file: 'fma.py', name: 'fma' });
    expect(view).toMatchObject({ type: 'result', result: { name: 'fma', signature: 'fma(x: float, y: float, z: float) -> float' } });
    expect((view as { result: { c: string } }).result.c).toContain('kiln_fma');
    // The host still validates arguments and the project boundary.
    expect(await h.call('function.view', { file: '../package.json', name: 'x' })).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    expect(await h.call('fs.readFile', {})).toMatchObject({ type: 'error', error: { code: 'invalid-arguments' } });
    expect(h.exits).toEqual([]);
  });

  it('runs a build in the host, with its progress relayed', async () => {
    const h = startHost();
    await h.call('project.open', { path: EXAMPLES });
    const target = hostTargetId();
    const built = await h.call('build.run', { file: 'shapes.py', targets: [target], functions: ['clamp'] });
    expect(built).toMatchObject({ type: 'result', result: { functions: ['clamp'], results: [{ target, status: 'verified' }] } });
    const buildId = (built as { id: number }).id;
    const phases = h.received.filter((m) => m.type === 'progress' && m.id === buildId).map((m) => (m as { progress: { kind: string } }).progress.kind);
    expect(phases).toEqual(expect.arrayContaining(['compiling-module', 'target-start', 'target-done']));
  });

  it("asks main for the folder dialog and the system browser (the host's reverse requests)", async () => {
    const h = startHost();
    expect(await h.call('project.pick', {})).toEqual({ type: 'result', id: 1, result: { path: EXAMPLES } });
    expect(await h.call('export.pick', {})).toMatchObject({ type: 'result', result: { path: null } });
    expect(h.folderRequests).toEqual(['project', 'export']);
    expect(await h.call('shell.openExternal', { url: 'https://example.org/kiln' })).toMatchObject({ type: 'result', result: { opened: true } });
    expect(await h.call('shell.openExternal', { url: 'file:///etc/passwd' })).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    expect(h.opened).toEqual(['https://example.org/kiln']);
  });

  it('fails pending calls with a clear error when the host dies, and later calls too', async () => {
    const h = startHost({ holdDialog: true });
    expect(await h.call('app.info', {})).toMatchObject({ type: 'result' });
    // project.pick stays pending while "the dialog is open"; then the host is killed.
    const pending = h.call('project.pick', {});
    await expect.poll(() => h.folderRequests.length).toBe(1);
    process.kill(h.relay.pid!, 'SIGKILL');
    const failed = await pending;
    expect(failed).toMatchObject({ type: 'error', error: { code: HOST_EXITED } });
    expect((failed as { error: { message: string } }).error.message).toMatch(/the compiler process stopped \(signal SIGKILL\).*Restart Kiln Studio/);
    expect(h.exits).toHaveLength(1);
    expect(h.exits[0]).toMatch(/signal SIGKILL/);
    // The dialog's late answer goes nowhere, and a new call fails at once rather than hanging.
    h.answerDialog?.(EXAMPLES);
    expect(await h.call('app.info', {})).toMatchObject({ type: 'error', error: { code: HOST_EXITED } });
  });

  it('says clearly when Node for the host cannot be started', async () => {
    const exits: string[] = [];
    const relay = new HostRelay({
      root: ROOT, node: path.join(tmp, 'no-such-node'), host: { mode: 'electron', dbPath: path.join(tmp, 'never.db') },
      pickFolder: async () => null, openExternal: async () => undefined, onExit: (r) => exits.push(r),
    }).start();
    relays.push(relay);
    const answer = new Promise<ServerMessage>((resolve) => {
      const w = relay.connect((m) => resolve(m));
      w.receive({ type: 'call', id: 1, name: 'app.info', args: {} });
    });
    expect(await answer).toMatchObject({ type: 'error', id: 1, error: { code: HOST_EXITED } });
    expect(exits[0]).toMatch(/could not start Node for the compiler process .*no-such-node.* not found.*KILN_NODE/);
  });
});
