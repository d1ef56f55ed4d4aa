/**
 * The studio on a project (issue 21), in Debian's Chromium through `kiln serve`, over a copy of the package fixture
 * (tests/fixtures/projects/package: relative imports, a re-export, a namespace subpackage):
 * - the sidebar groups the functions by module path (geo.shapes.circle, geo.shapes.polygon);
 * - Explore follows a call into another module: the inspector of a call node opens the callee, and so does a click
 *   on the call in the C pane;
 * - Build builds the selected file or the whole project as one library; History shows the project's builds or one file's;
 * - the project settings read and write [tool.kiln] of pyproject.toml, keeping the rest of the file, and refuse a bad value.
 * Screenshots in test-results/projects-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, chromiumMissing, copyFolder, openStudio, screenshot, type Served } from './helpers.ts';

const missing = chromiumMissing();
if (missing) console.warn(`studio projects e2e skipped: ${missing}`);

describe.skipIf(!!missing)('Studio on a project of modules and packages (kiln serve + Chromium)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-e2e-projects-'));
  const project = path.join(tmp, 'package');
  let served: Served;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const title = () => page.getByTestId('function-title').textContent();

  beforeAll(async () => {
    copyFolder(path.join(ROOT, 'tests/fixtures/projects/package'), project);
    fs.writeFileSync(path.join(project, 'pyproject.toml'), '# the package fixture\n[project]\nname = "geo-kit"  # kept as written\nversion = "0.1.0"\n');
    ({ served, context, page } = await openStudio(path.join(tmp, 'kiln.db'), errors, { viewport: { width: 1440, height: 900 } }));
  });

  afterAll(async () => {
    await context?.close();
    await served?.stop();
  });

  it('groups the sidebar by module path', async () => {
    await page.goto(served.url);
    await page.getByTestId('project-path').fill(project);
    await page.getByTestId('open-path').click();
    await page.getByTestId('project-name').waitFor();
    await page.getByTestId('module-name').first().waitFor();
    expect(await page.getByTestId('module-name').allTextContents()).toEqual(['geo.shapes.circle', 'geo.shapes.polygon']);
    const group = page.locator('[data-testid="file-group"][data-file="geo/shapes/polygon.py"]');
    expect(await group.locator('[data-testid="function-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['regular_area', 'inscribed_gap']);
    await screenshot(page, 'projects-01-sidebar');
  });

  it('a call node opens its callee in another module (the namespace package geo.tools)', async () => {
    await page.locator('[data-testid="function-item"][data-name="inscribed_gap"]').click();
    await page.getByTestId('function-title').filter({ hasText: 'inscribed_gap' }).waitFor();
    await page.locator('[data-testid="graph-node"][data-name="clamp_result"]').click();
    const open = page.getByTestId('open-callee');
    await open.waitFor();
    expect(await open.textContent()).toContain('geo.tools.mathx.clamp()');
    await screenshot(page, 'projects-02-call-node');
    await open.click();
    await expect.poll(title).toBe('clamp');
    // The callee's own source, IR and C: it is not @compile, so it is typed by its annotations.
    await page.locator('[data-testid="python-pane"]').getByText('A module of a namespace package').waitFor();
    await page.locator('[data-testid="graph-node"][data-name="max_result"]').waitFor();
    await screenshot(page, 'projects-03-callee');
  });

  it('a click on the call in the C pane opens the callee too', async () => {
    await page.locator('[data-testid="function-item"][data-name="inscribed_gap"]').click();
    await page.getByTestId('function-title').filter({ hasText: 'inscribed_gap' }).waitFor();
    const call = page.locator('[data-testid="c-pane"] [data-line]').filter({ hasText: 'KILN_TRY(kf_geo_shapes_circle_area(' }).first();
    await call.scrollIntoViewIfNeeded();
    await call.click();
    await expect.poll(title).toBe('area');
    expect(await page.locator('[data-testid="function-item"][data-name="area"]').getAttribute('aria-current')).toBe('true');
  });

  it('builds the whole project as one library, and the history shows it for the project, not for a file', async () => {
    await page.getByTestId('tab-build').click();
    await page.getByTestId('build-scope-project').click();
    expect(await page.locator('.build .muted').first().textContent()).toContain('the whole project as one library (geo_kit 0.1.0)');
    const host = page.locator('[data-testid="target-tile"][data-target="linux-x64"]');
    if ((await host.getAttribute('aria-checked')) !== 'true') await host.click();
    await page.getByTestId('build-button').click();
    await page.getByTestId('build-summary').waitFor({ timeout: 240_000 });
    await expect.poll(() => page.getByTestId('build-panel').textContent(), { timeout: 240_000 }).toMatch(/verified/);
    await screenshot(page, 'projects-04-project-build');
    await page.getByTestId('tab-history').click();
    // history-row, not any tbody row: the empty-state row shows while history.list is in flight.
    const rows = page.getByTestId('history-row');
    await rows.first().waitFor();
    // The project's own build: every exported function of every module, recorded for the project's folder.
    expect(await rows.first().textContent()).toContain('geo.shapes.polygon.inscribed_gap');
    expect(await rows.first().textContent()).toContain(`${project}linux-x64`);
    const count = () => page.locator('.history .count').textContent();
    expect(await count()).toBe('1 build');
    // One file's history: the area function's file was not built on its own.
    await page.getByTestId('history-scope').selectOption('file');
    await expect.poll(count).toBe('0 builds');
    await screenshot(page, 'projects-05-history-file');
    await page.getByTestId('history-scope').selectOption('project');
    await expect.poll(count).toBe('1 build');
  }, 300_000);

  it('project settings write [tool.kiln] keeping the file as written, and refuse a bad value', async () => {
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('project-settings').waitFor();
    expect(await page.getByTestId('project-name-setting').getAttribute('placeholder')).toBe('geo_kit');
    await page.getByTestId('project-version-setting').fill('1.2.3');
    await page.getByTestId('project-fastmath-setting').selectOption('off');
    await page.getByTestId('project-settings-save').click();
    await page.getByText('Saved to pyproject.toml.').waitFor({ timeout: 60_000 });
    await expect.poll(() => fs.readFileSync(path.join(project, 'pyproject.toml'), 'utf8')).toBe(
      '# the package fixture\n[project]\nname = "geo-kit"  # kept as written\nversion = "0.1.0"\n\n[tool.kiln]\nfast-math = false\nversion = "1.2.3"\n',
    );
    await page.getByTestId('project-name-setting').fill('geo-kit');
    await page.getByTestId('project-settings-save').click();
    await page.getByTestId('project-settings-error').waitFor();
    expect(await page.getByTestId('project-settings-error').textContent()).toContain("tool.kiln.name: 'geo-kit' is not a Python package name");
    expect(fs.readFileSync(path.join(project, 'pyproject.toml'), 'utf8')).not.toContain('name = "geo-kit"\n[');
    await screenshot(page, 'projects-06-settings');
    expect(errors).toEqual([]);
  });
});
