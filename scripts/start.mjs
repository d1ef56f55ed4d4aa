#!/usr/bin/env node
// `npm start`: the desktop studio (Electron); where the Electron runtime is missing, says so and opens
// browser mode (`kiln serve`) instead.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, electronBinary } from './electron-binary.mjs';

const electron = electronBinary();
const run = (cmd, args, env = process.env) => {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
};

if (electron.path) {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // The studio's API runs in a plain Node child of Electron's main process (better-sqlite3 is built for
  // this Node's ABI, not Electron's): this Node, the one running `npm start`.
  run(electron.path, [ROOT, ...process.argv.slice(2)], { ...process.env, KILN_NODE: process.execPath });
} else {
  console.error(`Kiln Studio: the desktop app cannot start here: ${electron.reason}.`);
  console.error('Opening browser mode instead (kiln serve): the same studio, served on 127.0.0.1 with a token.');
  run(process.execPath, [path.join(ROOT, 'bin/kiln.mjs'), 'serve', ...process.argv.slice(2)]);
}
