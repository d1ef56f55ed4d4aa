/**
 * The studio's journey in Debian's Chromium through browser mode (`kiln serve`), over a copy of the examples
 * project: the token and the session cookie (a reload stays logged in and comes back to the same project, tab
 * and function), the IR graph with a selected node and its Python and C lines, a build started from the top bar
 * with its live rows in view (issue 18, item 2), the history with a success drawn as a success (item 5), and
 * Export, which writes exactly what `kiln export` writes (item 3). Checked at 1024x700 and 1920x1080, light and
 * dark; screenshots in test-results/studio-*.png. The tests look at the DOM and the files, never at timings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, LOOKS, TWO_LOOKS, applyLook, chromiumMissing, copyFolder, openStudio, screenshot, type Served } from './helpers.ts';

const missing = chromiumMissing();
if (missing) console.warn(`studio e2e skipped: ${missing}`);

/** Every file under a folder, relative, sorted. */
function tree(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel)).sort().flatMap((n) => {
    const r = rel ? `${rel}/${n}` : n;
    return fs.statSync(path.join(dir, r)).isDirectory() ? tree(dir, r) : [r];
  });
}

describe.skipIf(!!missing)('Kiln Studio in a browser (kiln serve + Chromium)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-e2e-'));
  const db = path.join(tmp, 'kiln.db');
  const project = path.join(tmp, 'examples');
  let served: Served;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string) => screenshot(page, `studio-${name}`);
  const port = () => new URL(served.origin).port;
  const get = (p: string, headers: Record<string, string> = {}) => new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: port(), path: p, headers: { Host: `127.0.0.1:${port()}`, ...headers } }, (res) => { res.resume(); resolve({ status: res.statusCode ?? 0, headers: res.headers }); }).on('error', reject);
  });
  const wsStatus = async (query: string, headers: Record<string, string>) => {
    const { WebSocket } = await import('ws');
    return new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port()}/api${query}`, { headers: { Origin: served.origin, ...headers } });
      ws.on('open', () => { ws.close(); resolve('open'); });
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', () => resolve('error'));
    });
  };

  beforeAll(async () => {
    copyFolder(path.join(ROOT, 'examples'), project);
    // A build made from the command line, which the studio's history must show.
    const cli = await execa(process.execPath, [path.join(ROOT, 'bin/kiln.mjs'), 'compile', path.join(project, 'fma.py'), '--out', path.join(tmp, 'cli-out'), '--db', db], { cwd: ROOT, reject: false });
    expect(cli.exitCode, cli.stderr).toBe(0);
    ({ served, context, page } = await openStudio(db, errors, { viewport: { width: 1024, height: 700 } }));
  });

  afterAll(async () => {
    await context?.close();
    await served?.stop();
  });

  it('refuses the API and the page without the token, and other origins', async () => {
    expect((await get('/')).status).toBe(401);
    // DNS rebinding: the right token under another Host name is refused.
    expect((await get(`/?token=${served.token}`, { Host: 'evil.example' })).status).toBe(421);
    const csp = (await fetch(served.url)).headers.get('content-security-policy');
    expect(csp).toContain("script-src 'self'");
    // A WebSocket from another origin is refused even with the token.
    expect(await wsStatus(`?token=${served.token}`, { Origin: 'http://evil.example' })).toBe('403');
    expect(await wsStatus('', {})).toBe('401');
  });

  it('trades the URL token for an HttpOnly, SameSite=Strict session cookie named after the port', async () => {
    const first = await get(`/?token=${served.token}`);
    expect(first.status).toBe(200);
    const cookie = String(first.headers['set-cookie']?.[0] ?? '');
    expect(cookie).toMatch(new RegExp(`^kiln_session_${port()}=[\\w-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    const session = cookie.split(';')[0];
    expect(session).not.toContain(served.token);
    // The cookie lets the page and the WebSocket in without the token; a wrong one does not.
    expect((await get('/', { Cookie: session })).status).toBe(200);
    expect((await get('/', { Cookie: `${session.slice(0, -2)}xx` })).status).toBe(401);
    expect(await wsStatus('', { Cookie: session })).toBe('open');
    // ... and never from another origin.
    expect(await wsStatus('', { Cookie: session, Origin: 'http://evil.example' })).toBe('403');
  });

  it('opens the project, lists its functions, and draws the IR graph; a node selected shows its Python and C lines', async () => {
    await applyLook(page, LOOKS[0]);
    await page.goto(served.url);
    await page.getByTestId('project-path').waitFor();
    // The token leaves the address bar once the page has it, and scripts cannot read the session cookie.
    expect(page.url()).not.toContain('token=');
    expect(await page.evaluate(() => document.cookie)).not.toContain('kiln_session');
    await shot('01-start-1024x700-light');
    await page.getByTestId('project-path').fill(project);
    await page.getByTestId('open-path').click();
    await page.getByTestId('project-name').waitFor();
    expect(await page.getByTestId('project-name').textContent()).toBe('examples');
    const names = await page.getByTestId('function-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    expect(names).toEqual(expect.arrayContaining(['fma', 'fma_loop', 'clamp', 'steps_to_one', 'alternating_sum']));
    await page.locator('[data-testid="function-item"][data-name="steps_to_one"]').click();
    await page.getByTestId('function-title').filter({ hasText: 'steps_to_one' }).waitFor();
    await page.locator('[data-testid="graph-region"]').first().waitFor();
    const regions = await page.locator('[data-testid="graph-region"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    expect(regions).toEqual(expect.arrayContaining(['for', 'if']));
    // Search goes to the node (and selects it), wherever it is in the graph.
    await page.getByTestId('graph-search').fill('floordiv_result');
    await page.getByTestId('graph-search').press('Enter');
    const node = page.locator('[data-testid="graph-node"][data-name="floordiv_result"]');
    const line = Number(await node.getAttribute('data-line'));
    const source = fs.readFileSync(path.join(project, 'shapes.py'), 'utf8').split('\n');
    expect(source[line - 1]).toContain('n // 2');
    await expect.poll(() => page.getByTestId('python-pane-highlighted').getAttribute('data-line')).toBe(String(line));
    expect((await page.getByTestId('c-pane-highlighted').allTextContents()).join('\n')).toContain('kr_floordiv_i64');
    expect(await page.getByTestId('node-inspector').textContent()).toContain('_operator.floordiv');
    expect(await page.getByTestId('inspector-c').textContent()).toContain('floordiv');
    await shot('02-graph-node-selected-1024x700-light');
    // The README's picture (docs/studio.png comes from this one).
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('graph-search').fill('');
    await screenshot(page, 'docs-studio');
    await applyLook(page, LOOKS[0]);
    // The table view is the table `kiln trace` prints.
    await page.getByTestId('ir-tab-table').click();
    expect(await page.getByTestId('ir-table').textContent()).toContain('_operator.floordiv');
    await page.getByTestId('ir-tab-graph').click();
  });

  it('a reload keeps the session and comes back to the project, the tab and the function; so does the token URL opened again', async () => {
    await page.getByTestId('tab-history').click();
    await page.getByTestId('history-row').first().waitFor();
    await page.reload();
    await page.getByTestId('project-name').waitFor();
    expect(await page.getByTestId('project-name').textContent()).toBe('examples');
    expect(await page.getByTestId('tab-history').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('[data-testid="function-item"][aria-current="true"]').getAttribute('data-name')).toBe('steps_to_one');
    // The address names the place, never the token.
    expect(page.url()).not.toContain('token=');
    expect(decodeURIComponent(page.url())).toContain('fn=steps_to_one');
    await shot('03-reloaded-1024x700-light');
    // A new tab on the token URL (no hash) comes back to the same place too.
    const other = await context.newPage();
    other.on('pageerror', (e) => errors.push(e.message));
    other.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await other.goto(served.url);
    await other.getByTestId('project-name').waitFor();
    expect(await other.getByTestId('tab-history').getAttribute('aria-current')).toBe('page');
    expect(await other.locator('[data-testid="function-item"][aria-current="true"]').getAttribute('data-name')).toBe('steps_to_one');
    await other.close();
    await page.getByTestId('tab-explore').click();
  });

  it('builds from the top bar with the live rows in view, then a summary', async () => {
    await page.locator('[data-testid="function-item"][data-name="clamp"]').click();
    await page.getByTestId('tab-build').click();
    const tiles = page.getByTestId('target-tile');
    await tiles.first().waitFor();
    const ids = await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-target')!));
    // One target: the host's (its musl twin where the host has none). The rows, the summary and the history are the
    // same for one target as for two; tests/targets/matrix.test.ts builds and verifies linux-x64-musl.
    const pick = ['linux-x64', 'linux-x64-musl'].filter((id) => ids.includes(id)).slice(0, 1);
    expect(pick.length).toBe(1);
    for (const id of ids) {
      const tile = page.locator(`[data-testid="target-tile"][data-target="${id}"]`);
      if (((await tile.getAttribute('aria-checked')) === 'true') !== pick.includes(id)) await tile.click();
      await page.locator(`[data-testid="target-tile"][data-target="${id}"][aria-checked="${pick.includes(id)}"]`).waitFor();
    }
    // Back to Explore: the build starts from the top bar, and its rows come into view there.
    await page.getByTestId('tab-explore').click();
    await page.getByTestId('build-top').click();
    const panel = page.getByTestId('build-panel');
    await panel.waitFor();
    const inView = async (testid: string) => {
      const vp = page.viewportSize()!;
      const b = (await page.getByTestId(testid).first().boundingBox())!;
      return b.y >= 0 && b.y + Math.min(b.height, 40) <= vp.height && b.x >= 0 && b.x + b.width <= vp.width;
    };
    await page.getByTestId('build-row').first().waitFor();
    expect(await inView('build-row')).toBe(true);
    for (const id of pick) {
      // A fresh machine builds the target's libc into Zig's cache first (minutes on 2 busy cores).
      await page.locator(`[data-testid="build-row"][data-target="${id}"][data-status="verified"]`).waitFor({ timeout: 480_000 });
    }
    const summary = page.getByTestId('build-summary');
    await summary.waitFor();
    expect(await inView('build-summary')).toBe(true);
    expect(await summary.textContent()).toContain(`${pick.length} verified`);
    expect(await summary.locator('.note').getAttribute('data-severity')).toBe('success');
    const statuses = await page.getByTestId('build-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-target'), e.getAttribute('data-status')]));
    expect(statuses).toEqual(pick.map((id) => [id, 'verified']));
    await shot('04-built-1024x700-light');
    await page.getByTestId('show-log').first().click();
    await page.getByTestId('build-log').waitFor();
    await applyLook(page, LOOKS[1]);
    await shot('05-built-1920x1080-dark');
    // The README's picture of a build (docs/studio-build.png): the targets, and the build panel below them.
    await page.getByTestId('show-log').first().click();
    await applyLook(page, { name: 'docs', width: 1440, height: 900, scheme: 'light' });
    await page.getByTestId('tab-build').click();
    await page.getByTestId('target-grid').waitFor();
    await screenshot(page, 'docs-studio-build');
    await page.getByTestId('tab-explore').click();
    await applyLook(page, LOOKS[1]);
    expect(await inView('build-summary'), JSON.stringify(await page.getByTestId('build-summary').boundingBox())).toBe(true);
  }, 600_000);

  it('draws a verified build as a success in the history, next to the one made by kiln compile', async () => {
    for (const look of TWO_LOOKS) {
      await applyLook(page, look);
      await page.getByTestId('tab-history').click();
      await page.getByTestId('history-row').first().waitFor();
      // The rows arrive from the history query after the tab opens: wait until both builds are listed.
      const rows = () => page.getByTestId('history-row').evaluateAll((els) => els.map((e) => ({ status: e.getAttribute('data-status'), text: e.textContent ?? '' })));
      await expect.poll(async () => (await rows()).some((r) => r.status === 'verified' && r.text.includes('clamp') && r.text.includes('Studio')), { timeout: 30_000 }).toBe(true);
      expect((await rows()).some((r) => r.status === 'built' && r.text.includes('fma') && r.text.includes('CLI'))).toBe(true);
      await page.locator('[data-testid="history-row"][data-status="verified"]').first().click();
      await page.getByTestId('history-detail').waitFor();
      expect(await page.getByTestId('history-detail').textContent()).toContain('zig');
      // "116/116 cases agree with CPython" is good news: the success look (green, ✓), not the error look.
      const note = page.getByTestId('history-first-line');
      expect(await note.textContent()).toMatch(/\d+\/\d+ cases agree with CPython/);
      expect(await note.getAttribute('data-severity')).toBe('success');
      const [bg, okSoft, errSoft] = await note.evaluate((el) => {
        const root = getComputedStyle(document.documentElement);
        const probe = document.createElement('div');
        document.body.append(probe);
        const colour = (v: string) => { probe.style.background = root.getPropertyValue(v); return getComputedStyle(probe).backgroundColor; };
        const r = [getComputedStyle(el).backgroundColor, colour('--ok-soft'), colour('--err-soft')];
        probe.remove();
        return r;
      });
      expect(bg).toBe(okSoft);
      expect(bg).not.toBe(errSoft);
      await shot(`06-history-${look.name}`);
    }
    // Filter by function.
    await page.getByTestId('history-function').selectOption('clamp');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="history-row"]')];
      return rows.length > 0 && rows.every((e) => (e.textContent ?? '').includes('clamp'));
    }, undefined, { timeout: 15_000 });
  });

  it('exports what `kiln export` exports: to <project>/kiln-export by default, with progress, and says where it went', async () => {
    await applyLook(page, LOOKS[0]);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
    await page.getByTestId('tab-explore').click();
    await page.getByTestId('export-open').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    const folder = path.join(project, 'kiln-export');
    expect(await page.getByTestId('export-folder').inputValue()).toBe(folder);
    const targets = ['linux-x64', 'wasm32'];
    for (const box of await page.getByTestId('export-target').all()) {
      const want = targets.includes((await box.getAttribute('data-target'))!);
      if ((await box.isChecked()) !== want) await box.click();
    }
    await page.getByTestId('export-button').click();
    await page.getByTestId('export-rows').waitFor();
    await page.getByTestId('export-result').waitFor({ timeout: 480_000 });
    expect(await page.getByTestId('export-result-path').inputValue()).toBe(folder);
    const files = (await page.getByTestId('export-files').textContent()) ?? '';
    for (const f of ['shapes-linux-x64.zip', 'shapes-wasm32.zip', 'python/shapes/', 'js/kiln_shapes.mjs']) expect(files).toContain(f);
    await shot('07-exported-1024x700-light');
    // Copy path puts the folder on the clipboard (browser mode has no file manager to open).
    expect(await page.getByTestId('export-open-folder').count()).toBe(0);
    await page.getByTestId('export-copy-path').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(folder);
    await applyLook(page, LOOKS[1]);
    await shot('08-exported-1920x1080-dark');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('export-dialog').count()).toBe(0);

    // The same command on the command line writes the same files, byte for byte.
    const cliOut = path.join(tmp, 'cli-export');
    const cli = await execa(process.execPath, [path.join(ROOT, 'bin/kiln.mjs'), 'export', path.join(project, 'shapes.py'), '--target', targets.join(','), '--out', cliOut], { cwd: ROOT, reject: false });
    expect(cli.exitCode, cli.stderr).toBe(0);
    const studioFiles = tree(folder);
    expect(studioFiles).toEqual(tree(cliOut));
    expect(studioFiles).toEqual(expect.arrayContaining(['shapes-linux-x64.zip', 'shapes-linux-x64/manifest.json', 'shapes-wasm32.zip', 'js/kiln_shapes.mjs', 'python/shapes/__init__.py', 'exports.json']));
    for (const f of studioFiles) expect(fs.readFileSync(path.join(folder, f)).equals(fs.readFileSync(path.join(cliOut, f))), f).toBe(true);
  }, 600_000);

  it('ran without errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
