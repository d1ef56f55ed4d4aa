/**
 * Problems, severities, settings and opening a folder in browser mode (issue 18, items 4, 5 and 7, and the smaller
 * ones), in Debian's Chromium through `kiln serve`, over a small project with one file that does not parse, one whose
 * functions do not compile (a class inside a function, try/except*) next to one that compiles with a warning, and one where nothing compiles:
 * - the project opens through browser mode's folder picker (folders under the home folder, served by the API);
 * - the Problems panel lists every problem with file:line:col and a hint that says what to write instead, and a
 *   click opens the function with the line pinned; the sidebar counts them per file;
 * - a file that does not parse opens as its source; a function that does not compile says why where its C would be;
 * - an error and a warning look different; Build and Export are off where nothing compiles; the arrow keys move
 *   through the function list;
 * - Settings checks the toolchain path and the Python as they are typed, marks a bad one and will not save it, and
 *   shows the default targets actually used.
 * At 1024x700 and 1920x1080, light and dark; screenshots in test-results/problems-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, TWO_LOOKS, applyLook, chromiumMissing, openStudio, screenshot, type Served } from './helpers.ts';

const missing = chromiumMissing();
if (missing) console.warn(`studio problems e2e skipped: ${missing}`);

const BAD = `from kiln import compile


@compile
def lookup(x: int) -> int:
    class Entry:
        pass
    return x


@compile
def tags(x: int) -> int:
    try:
        x = x + 1
    except* OSError:
        x = 0
    return x


@compile
def half(x: int) -> int:
    return x / 2
`;
const NOTHING = `from kiln import compile


@compile
def first_line(path: str) -> int:
    with open(path) as f:
        return len(f.readline())
`;
const BROKEN = `from kiln import compile


@compile
def f(x: int) -> int
    return x
`;

describe.skipIf(!!missing)('Studio problems, settings and the folder picker (kiln serve + Chromium)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-e2e-problems-'));
  const project = path.join(home, 'projects', 'shop');
  let served: Served;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const lineOf = (src: string, text: string) => src.split('\n').findIndex((l) => l.includes(text)) + 1;

  beforeAll(async () => {
    fs.mkdirSync(project, { recursive: true });
    fs.mkdirSync(path.join(home, 'projects', 'notes'));
    fs.copyFileSync(path.join(ROOT, 'examples/fma.py'), path.join(project, 'good.py'));
    fs.writeFileSync(path.join(project, 'bad.py'), BAD);
    fs.writeFileSync(path.join(project, 'nothing.py'), NOTHING);
    fs.writeFileSync(path.join(project, 'broken.py'), BROKEN);
    // The folder picker lists the folders under KILN_BROWSE_ROOT (the home folder unless set).
    ({ served, context, page } = await openStudio(path.join(home, 'kiln.db'), errors, { viewport: { width: 1024, height: 700 }, env: { KILN_BROWSE_ROOT: home } }));
  });

  afterAll(async () => {
    await context?.close();
    await served?.stop();
  });

  it('opens the project through the folder picker (browser mode says what works instead of a drop zone)', async () => {
    await page.goto(served.url);
    await page.getByTestId('open-how').waitFor();
    expect(await page.getByText('or drop a folder here').count()).toBe(0);
    await page.getByTestId('open-folder').click();
    const picker = page.getByTestId('folder-picker');
    await picker.waitFor();
    await page.locator('[data-testid="picker-folder"][data-name="projects"]').click();
    const shop = page.locator('[data-testid="picker-folder"][data-name="shop"]');
    await shop.waitFor();
    // Folders holding Python files are marked.
    expect(await shop.textContent()).toContain('Python files');
    expect(await page.locator('[data-testid="picker-folder"][data-name="notes"]').textContent()).not.toContain('Python files');
    await screenshot(page, 'problems-01-folder-picker-1024x700-light');
    await shop.click();
    await page.getByTestId('picker-choose').click();
    await page.getByTestId('project-name').filter({ hasText: 'shop' }).waitFor();
  });

  it('lists every problem of the project with where it is and what to write instead, and counts them in the sidebar', async () => {
    // The sidebar: per file, and in all.
    const count = (file: string) => page.locator(`[data-testid="file-group"][data-file="${file}"] [data-testid="file-problems"]`).textContent();
    await expect.poll(() => count('bad.py')).toContain('2');
    expect(await count('broken.py')).toContain('1');
    expect(await count('nothing.py')).toContain('1');
    expect(await page.getByTestId('sidebar-problems').textContent()).toMatch(/4 errors.*1 warning/);
    await page.getByTestId('status-problems').click();
    const problems = page.getByTestId('problem');
    await problems.first().waitFor();
    const all = await problems.evaluateAll((els) => els.map((e) => ({ file: e.getAttribute('data-file'), line: Number(e.getAttribute('data-line')), severity: e.getAttribute('data-severity'), text: e.textContent ?? '' })));
    expect(all.map((p) => `${p.file}:${p.line}:${p.severity}`).sort()).toEqual([
      `bad.py:${lineOf(BAD, 'class Entry')}:error`, `bad.py:${lineOf(BAD, '    try:')}:error`, `bad.py:${lineOf(BAD, 'def half')}:warning`,
      `broken.py:${lineOf(BROKEN, 'def f')}:error`, `nothing.py:${lineOf(NOTHING, '    with open')}:error`,
    ].sort());
    // Each says where (file:line:col) and, for the constructs outside the subset, what to write instead; the hint
    // never repeats the message.
    const cls = all.find((p) => p.text.includes('class definition is outside'))!;
    expect(cls.text).toMatch(/bad\.py:6:\d+/);
    expect(cls.text).toContain('Instead: define classes outside the compiled function');
    for (const hint of await page.getByTestId('problem-hint').allTextContents()) expect(hint).not.toMatch(/outside the compiled subset/);
    for (const look of TWO_LOOKS) {
      await applyLook(page, look);
      await screenshot(page, `problems-02-panel-${look.name}`);
    }
    await applyLook(page, TWO_LOOKS[0]);
  });

  it('a click on a problem opens its function with the line pinned, and says where the C would be why there is none', async () => {
    await page.getByTestId('problem').filter({ hasText: 'try/except* is outside' }).click();
    await page.getByTestId('function-title').filter({ hasText: 'tags' }).waitFor();
    await expect.poll(() => page.getByTestId('python-pane-highlighted').getAttribute('data-line')).toBe(String(lineOf(BAD, '    try:')));
    // The Python pane shows every problem of the file at its line, each in its own look.
    const diags = await page.getByTestId('diagnostic').evaluateAll((els) => els.map((e) => ({ severity: e.getAttribute('data-severity'), bg: getComputedStyle(e).backgroundColor, text: e.textContent ?? '' })));
    expect(diags.map((d) => d.severity).sort()).toEqual(['error', 'error', 'warning']);
    const error = diags.find((d) => d.severity === 'error')!, warning = diags.find((d) => d.severity === 'warning')!;
    expect(warning.bg).not.toBe(error.bg);
    expect(warning.text).toContain('warning');
    // No C for tags(), and why: not an empty pane, not another function's C.
    const empty = page.getByTestId('c-pane-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('No C for tags()');
    expect(await empty.textContent()).toContain('try/except* is outside the compiled subset');
    expect(await page.locator('[data-testid="c-pane"] .line').count()).toBe(0);
    expect(await page.getByTestId('fn-status').textContent()).toContain('does not compile');
    for (const look of TWO_LOOKS) {
      await applyLook(page, look);
      await screenshot(page, `problems-03-no-c-${look.name}`);
    }
    await applyLook(page, TWO_LOOKS[0]);
    // The rest of the file's C is a click away.
    await page.getByTestId('show-module-c').click();
    await expect.poll(() => page.locator('[data-testid="c-pane"] .line').count()).toBeGreaterThan(5);
    expect(await page.getByTestId('c-pane').textContent()).toContain('kf_half');
  });

  it('opens a file that does not parse as its source, with the error at its line', async () => {
    await page.getByTestId('file-error').click();
    await page.getByTestId('function-title').filter({ hasText: 'broken.py' }).waitFor();
    const pane = page.getByTestId('python-pane');
    await pane.locator('.line').first().waitFor();
    expect(await pane.locator('.line').count()).toBe(BROKEN.split('\n').length);
    const diag = pane.getByTestId('diagnostic');
    expect(await diag.count()).toBe(1);
    expect(await diag.getAttribute('data-severity')).toBe('error');
    await screenshot(page, 'problems-04-syntax-error-1024x700-light');
  });

  it('turns Build and Export off for a file where nothing compiles, and says why', async () => {
    await page.locator('[data-testid="function-item"][data-name="first_line"]').click();
    await page.getByTestId('function-title').filter({ hasText: 'first_line' }).waitFor();
    expect(await page.getByTestId('build-top').isDisabled()).toBe(true);
    expect(await page.getByTestId('export-open').isDisabled()).toBe(true);
    expect(await page.getByTestId('build-top').getAttribute('title')).toContain('Nothing in nothing.py compiles');
    expect(await page.getByTestId('c-pane-empty').textContent()).toContain('no function of it compiles');
    await page.getByTestId('tab-build').click();
    await page.getByTestId('nothing-to-build').waitFor();
    expect(await page.getByTestId('build-button').isDisabled()).toBe(true);
    await applyLook(page, TWO_LOOKS[1]);
    await screenshot(page, 'problems-05-nothing-to-build-1920x1080-dark');
    await applyLook(page, TWO_LOOKS[0]);
    await page.getByTestId('tab-explore').click();
  });

  it('moves through the function list with the arrow keys', async () => {
    await page.locator('[data-testid="function-item"][data-name="lookup"]').click();
    await page.getByTestId('function-title').filter({ hasText: 'lookup' }).waitFor();
    await page.locator('[data-testid="function-item"][data-name="lookup"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('function-title').filter({ hasText: 'tags' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('function-title').filter({ hasText: 'half' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-name'))).toBe('half');
    await page.keyboard.press('ArrowUp');
    await page.getByTestId('function-title').filter({ hasText: 'tags' }).waitFor();
    // half() compiles (with a warning): its C is there.
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('function-title').filter({ hasText: 'half' }).waitFor();
    await page.locator('[data-testid="c-pane"] .line').first().waitFor();
  });

  it('checks the toolchain path and the Python as they are typed, marks a bad one, and will not save it', async () => {
    await page.getByTestId('tab-settings').click();
    const toolchain = page.getByTestId('setting-toolchain');
    await toolchain.waitFor();
    await page.locator('[data-testid="check-toolchainPath"] [data-severity="success"]').waitFor();
    const bad = path.join(home, 'nowhere', 'zig');
    await toolchain.fill(bad);
    const check = page.locator('[data-testid="check-toolchainPath"] [data-severity="error"]');
    await check.waitFor();
    expect(await check.textContent()).toContain(`Settings › Toolchain path: ${bad} not found`);
    expect(await toolchain.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('settings-save').isDisabled()).toBe(true);
    const python = page.getByTestId('setting-python');
    await python.fill(path.join(home, 'no-python'));
    await page.locator('[data-testid="check-python"] [data-severity="error"]').waitFor();
    // The defaults actually used: none chosen, so this machine's own target.
    expect(await page.getByTestId('default-targets-in-use').textContent()).toMatch(/In use: linux-x64.*none chosen/);
    expect(await page.locator('[data-testid="default-target"][data-target="linux-x64"]').isChecked()).toBe(true);
    for (const look of TWO_LOOKS) {
      await applyLook(page, look);
      await screenshot(page, `problems-06-settings-invalid-${look.name}`);
    }
    await applyLook(page, TWO_LOOKS[0]);
    // Back to working values: the marks go and Save works.
    await toolchain.fill('');
    await python.fill('');
    await page.locator('[data-testid="check-toolchainPath"] [data-severity="success"]').waitFor();
    await page.locator('[data-testid="check-python"] [data-severity="success"]').waitFor();
    expect(await toolchain.getAttribute('aria-invalid')).toBe('false');
    await page.locator('[data-testid="default-target"][data-target="wasm32"]').check();
    expect(await page.getByTestId('default-targets-in-use').textContent()).toContain('linux-x64, wasm32');
    await page.getByTestId('settings-save').click();
    await page.getByText('Settings saved').waitFor();
    await page.getByTestId('tab-explore').click();
  });

  it('clears the graph search when another function opens', async () => {
    await page.locator('[data-testid="function-item"][data-name="fma"]').click();
    await page.getByTestId('function-title').filter({ hasText: /^fma$/ }).waitFor();
    await page.locator('[data-testid="graph-node"][data-name="mul_result"]').waitFor();
    await page.getByTestId('graph-search').fill('mul');
    expect(await page.getByTestId('graph-search-count').textContent()).toBe('1 match');
    await page.locator('[data-testid="function-item"][data-name="fma_loop"]').click();
    await page.getByTestId('function-title').filter({ hasText: 'fma_loop' }).waitFor();
    await page.locator('[data-testid="graph-region"]').first().waitFor();
    expect(await page.getByTestId('graph-search').inputValue()).toBe('');
    expect(await page.getByTestId('graph-search-count').count()).toBe(0);
  });

  it('ran without errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
