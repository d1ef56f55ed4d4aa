/** `kiln serve`: the studio in a browser (browser mode), on 127.0.0.1 with a token. */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { KILN_ROOT } from '../paths.ts';
import { KilnError } from '../diagnostics.ts';

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** The built renderer; built with electron-vite when missing or older than its sources. */
export async function ensureRendererBuilt(log: (s: string) => void = () => undefined): Promise<string> {
  const out = path.join(KILN_ROOT, 'out', 'renderer');
  const index = path.join(out, 'index.html');
  const sources = path.join(KILN_ROOT, 'src-renderer');
  const stale = !fs.existsSync(index) || (fs.existsSync(sources) && newestMtime(sources) > fs.statSync(index).mtimeMs);
  if (!stale) return out;
  const bin = path.join(KILN_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (!fs.existsSync(bin)) {
    if (fs.existsSync(index)) return out;
    throw new KilnError({ severity: 'error', file: out, line: 0, col: 0, construct: 'studio', message: 'the studio is not built and electron-vite is not installed', hint: 'run `npm install`, then `npm run build`' });
  }
  log('building the studio (electron-vite build) ...');
  const { execa } = await import('execa');
  const r = await execa(process.execPath, [bin, 'build'], { cwd: KILN_ROOT, reject: false, all: true });
  if (r.exitCode !== 0) {
    throw new KilnError({ severity: 'error', file: out, line: 0, col: 0, construct: 'studio', message: `building the studio failed:\n${r.all}` });
  }
  return out;
}

function openInBrowser(url: string) {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser opener: the printed URL is enough.
  }
}

export function register(program: Command) {
  program
    .command('serve')
    .description('run the studio in a browser: serves the UI and its API on 127.0.0.1 (prints the URL with its token)')
    .option('--port <n>', 'port (default: a free one)', '0')
    .option('--no-open', 'do not open a browser')
    .option('--db <file>', 'build history database (default: kiln.db in the user-data folder)')
    .action(async (o: { port: string; open: boolean; db?: string }) => {
      const rendererDir = await ensureRendererBuilt((s) => process.stderr.write(`${s}\n`));
      const { startServer } = await import('../api/server.ts');
      const server = await startServer({ rendererDir, port: Number(o.port), dbPath: o.db });
      process.stdout.write(`Kiln Studio (browser mode): ${server.url}\n`);
      if (o.open) openInBrowser(server.url);
      await new Promise<void>((resolve) => {
        const stop = () => { void server.close().then(resolve); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
