/** Starting `kiln serve` and Debian's Chromium for the end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from '../tools.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export { CHROMIUM, chromiumMissing } from '../tools.ts';
export const SHOTS = path.join(ROOT, 'test-results');

export interface Served {
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Runs `kiln serve --port 0 --no-open` as a real process and waits for the URL it prints. */
export async function startServe(dbPath: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/kiln.mjs'), 'serve', '--port', '0', '--no-open', '--db', dbPath], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`kiln serve exited with ${code}:\n${out}\n${err}`)));
  });
  const u = new URL(url);
  return {
    url, origin: u.origin, token: u.searchParams.get('token')!, process: child,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Debian's Chromium with a fresh profile (a persistent context is how Playwright takes --user-data-dir). */
export async function launchChromium(opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext; userDataDir: string }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return { context, userDataDir };
}

/**
 * `kiln serve` on `dbPath` and a fresh Chromium page (not navigated yet); the page's uncaught errors and console
 * errors are pushed to `errors`, which the tests check.
 */
export async function openStudio(dbPath: string, errors: string[]): Promise<{ served: Served; context: BrowserContext; page: Page }> {
  const served = await startServe(dbPath);
  try {
    const { context } = await launchChromium();
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    return { served, context, page };
  } catch (e) {
    await served.stop();
    throw e;
  }
}
