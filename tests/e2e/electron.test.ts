/**
 * The opening journey in the real desktop app, with Playwright's Electron launcher. Runs wherever the
 * Electron runtime is installed; elsewhere it is reported as skipped, with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
// @ts-expect-error plain ESM helper without types
import { electronBinary } from '../../scripts/electron-binary.mjs';
import { ROOT, SHOTS } from './helpers.ts';

const electron = electronBinary() as { path?: string; reason?: string };
// Electron opens a window: on Linux it needs a display (.ci/run starts the tests under xvfb-run).
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const reason = !electron.path ? `Electron runtime unavailable: ${electron.reason}` : noDisplay ? 'no display (DISPLAY is not set: run the tests under xvfb-run)' : '';
if (reason) console.warn(`desktop e2e skipped: ${reason}`);

describe.skipIf(!!reason)(`Kiln Studio desktop app (Electron)${reason ? ` — skipped: ${reason}` : ''}`, () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    const build = await execa(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, reject: false });
    expect(build.exitCode, build.stderr).toBe(0);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-electron-'));
    app = await _electron.launch({ executablePath: electron.path!, args: [ROOT, '--no-sandbox'], env: { ...process.env, KILN_DB: path.join(tmp, 'kiln.db'), KILN_NODE: process.execPath } as Record<string, string> });
    page = await app.firstWindow();
  });

  afterAll(async () => { await app?.close(); });

  it('runs the renderer sandboxed, without Node', async () => {
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as { kiln?: unknown }).kiln)).toBe('object');
  });

  it('opens the examples project and shows a function graph', async () => {
    // The desktop app comes back to the project it had open last time (localStorage): start from the start screen.
    await page.getByTestId('project-path').or(page.getByTestId('project-name')).first().waitFor();
    if (await page.getByTestId('project-name').count()) await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByTestId('project-path').fill(path.join(ROOT, 'examples'));
    await page.getByTestId('open-path').click();
    await page.getByTestId('project-name').waitFor();
    const names = await page.getByTestId('function-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    expect(names).toEqual(expect.arrayContaining(['fma', 'clamp']));
    await page.getByTestId('graph-node').first().waitFor();
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'electron-01-project.png') });
  });
});
