/** Starting `kiln serve` and Debian's Chromium for the end-to-end tests, and what the studio tests share. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, chromiumMissing as chromiumNotOnPath } from '../tools.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export { CHROMIUM } from '../tools.ts';
export const SHOTS = path.join(ROOT, 'test-results');
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** Why the studio's browser tests cannot run here, or false: Chromium (tests/tools.ts) and axe-core. */
export function chromiumMissing(): string | false {
  const noChromium = chromiumNotOnPath();
  if (noChromium) return noChromium;
  if (!fs.existsSync(AXE)) return 'axe-core is not installed (npm install)';
  return false;
}

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
export async function launchChromium(opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; userDataDir: string }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: opts.viewport ?? { width: 1440, height: 900 },
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
export async function openStudio(
  dbPath: string, errors: string[], o: { env?: Record<string, string>; viewport?: { width: number; height: number } } = {},
): Promise<{ served: Served; context: BrowserContext; page: Page }> {
  const served = await startServe(dbPath, o.env);
  try {
    const { context } = await launchChromium({ viewport: o.viewport });
    const page = await context.newPage();
    watchErrors(page, errors);
    return { served, context, page };
  } catch (e) {
    await served.stop();
    throw e;
  }
}

/** Pushes a page's uncaught errors and console errors to `errors`. */
export function watchErrors(page: Page, errors: string[]) {
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
}

/** The window sizes and themes the studio is checked in: the smallest supported window and a big one, light and dark. */
export interface Look { name: string; width: number; height: number; scheme: 'light' | 'dark' }
export const LOOKS: Look[] = [
  { name: '1024x700-light', width: 1024, height: 700, scheme: 'light' },
  { name: '1920x1080-dark', width: 1920, height: 1080, scheme: 'dark' },
  { name: '1024x700-dark', width: 1024, height: 700, scheme: 'dark' },
  { name: '1920x1080-light', width: 1920, height: 1080, scheme: 'light' },
];
/** The two looks each item is checked in (both sizes, both themes); LOOKS has all four for the layout. */
export const TWO_LOOKS = LOOKS.slice(0, 2);

export async function applyLook(page: Page, look: Look) {
  await page.setViewportSize({ width: look.width, height: look.height });
  await page.emulateMedia({ colorScheme: look.scheme });
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

export interface AxeViolation { id: string; impact: string; help: string; nodes: string[] }

/**
 * Runs axe-core (injected with a script tag) on the page as it is, and returns its serious and critical
 * violations, each with the first elements it names.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // The page's CSP allows scripts from its own origin only (no inline script): axe comes from a URL there,
    // answered by Playwright, so the studio's CSP stays as it is.
    await page.route('**/__axe-core.js', (r) => r.fulfill({ path: AXE, contentType: 'text/javascript; charset=utf-8' }));
    await page.addScriptTag({ url: new URL('/__axe-core.js', page.url()).href });
  }
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as {
      axe: {
        run: (ctx: unknown, o: unknown) => Promise<{
          violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary?: string }[] }[];
        }>;
      };
    }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Copies a folder (a test project) into `to`. */
export function copyFolder(from: string, to: string) {
  fs.cpSync(from, to, { recursive: true });
}

/** Whether two elements' boxes overlap (by more than a pixel). */
export function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x + a.width > b.x + 1 && b.x + b.width > a.x + 1 && a.y + a.height > b.y + 1 && b.y + b.height > a.y + 1;
}
