#!/usr/bin/env node
// Smoke check of the BUILT Electron main process (out/main/index.js; `npm run build` first) where the
// Electron runtime cannot be downloaded: main runs under plain Node with a stand-in for the electron
// module, so its own glue is real: the API host it forks, sender validation, the relay, the folder dialog
// and openExternal as the host's requests, and what happens when the host is killed. Prints what it saw
// and exits non-zero on the first surprise. tests/e2e/electron.test.ts is the real thing where Electron exists.
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-main-smoke-'));
Object.assign(process.env, { KILN_SMOKE_DIR: dir, KILN_SMOKE_PROJECT: path.join(ROOT, 'examples'), KILN_DB: path.join(dir, 'kiln.db'), KILN_NODE: process.execPath });
register('./hooks.mjs', import.meta.url);
const { calls } = await import('electron');
await import(path.join(ROOT, 'out/main/index.js'));
await new Promise((r) => setTimeout(r, 200));
const ipc = globalThis.__ipc['kiln:message'];
let waiting;
const sender = { id: 1, isDestroyed: () => false, once() {}, send: (_ch, m) => { if (m.type !== 'progress' && m.type !== 'event') waiting?.(m); } };
const call = (id, name, args, url = 'kiln://studio/index.html') => new Promise((r) => { waiting = r; ipc({ sender, senderFrame: { url } }, { type: 'call', id, name, args }); });
const maps = (pid) => fs.readFileSync(`/proc/${pid}/maps`, 'utf8');

const untrusted = await Promise.race([call(1, 'app.info', {}, 'https://evil.example/'), new Promise((r) => setTimeout(() => r('no answer'), 3000))]);
assert.equal(untrusted, 'no answer'); console.log('a message from another page is ignored');
const info = await call(2, 'app.info', {});
assert.equal(info.result.mode, 'electron'); console.log('app.info', JSON.stringify(info.result));
const picked = await call(3, 'project.pick', {});
assert.equal(picked.result.path, process.env.KILN_SMOKE_PROJECT); console.log('project.pick (the host asks main for the dialog):', picked.result.path);
const opened = await call(4, 'project.open', { path: picked.result.path });
assert.equal(opened.type, 'result'); console.log('project.open:', opened.result.files.map((f) => f.file).join(', '));
assert.deepEqual((await call(5, 'shell.openExternal', { url: 'https://example.org/' })).result, { opened: true });
// An export's folder is shown through main's shell.openPath; a file is refused before it gets there.
assert.deepEqual((await call(51, 'shell.openFolder', { path: picked.result.path })).result, { opened: true });
assert.deepEqual(calls.find((c) => c[0] === 'openPath'), ['openPath', picked.result.path]);
assert.equal((await call(52, 'shell.openFolder', { path: '/etc/passwd' })).error.code, 'not-found'); console.log('shell.openFolder opens folders only');
const hostPid = Number(execSync(`pgrep -P ${process.pid} -f "tsx.*host-process"`).toString().trim().split('\n')[0]);
if (fs.existsSync(`/proc/${process.pid}/maps`)) {
  assert.ok(maps(hostPid).includes('better_sqlite3.node'), 'the host loaded better-sqlite3');
  assert.ok(!maps(process.pid).includes('better_sqlite3.node'), 'main must not load better-sqlite3');
  console.log(`better-sqlite3 is loaded in the host (pid ${hostPid}), not in main (pid ${process.pid})`);
}
const exited = new Promise((r) => { globalThis.__exited = r; });
const pending = new Promise((r) => { waiting = r; ipc({ sender, senderFrame: { url: 'kiln://studio/index.html' } }, { type: 'call', id: 6, name: 'build.run', args: { file: 'shapes.py', targets: ['linux-x64'] } }); });
await new Promise((r) => setTimeout(r, 500));
process.kill(hostPid, 'SIGKILL');
const failed = await pending;
assert.equal(failed.error.code, 'host-exited'); console.log('killed host: the pending build answers', JSON.stringify(failed.error));
await exited;
const box = calls.find((c) => c[0] === 'showMessageBox');
assert.ok(box, 'main shows a dialog'); console.log('dialog:', box.slice(1).join(' | ').replace(/\n+/g, ' '));
const prefs = calls.find((c) => c[0] === 'window')[1];
assert.deepEqual([prefs.contextIsolation, prefs.sandbox, prefs.nodeIntegration], [true, true, false]);
console.log('ok');
process.exit(0);
