/**
 * The studio's journey in Debian's Chromium through browser mode (`kiln serve`), over the examples
 * project: open it, see the functions, open the IR graph, click a node and see its Python line and C
 * lines highlighted, pick targets, build, watch them turn verified, find the build in history (with a
 * build made by `kiln compile` next to it), export. Screenshots go to test-results/. The tests look at
 * the DOM, never at timings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, SHOTS, chromiumMissing, openStudio, type Served } from './helpers.ts';

const missing = chromiumMissing();
if (missing) console.warn(`studio e2e skipped: ${missing}`);

describe.skipIf(!!missing)('Kiln Studio in a browser (kiln serve + Chromium)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-e2e-'));
  const db = path.join(tmp, 'kiln.db');
  const exportDir = path.join(tmp, 'export');
  const examples = path.join(ROOT, 'examples');
  let served: Served;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `studio-${name}.png`) });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // A build made from the command line, which the studio's history must show.
    const cli = await execa(process.execPath, [path.join(ROOT, 'bin/kiln.mjs'), 'compile', 'examples/fma.py', '--out', path.join(tmp, 'cli-out'), '--db', db], { cwd: ROOT, reject: false });
    expect(cli.exitCode, cli.stderr).toBe(0);
    ({ served, context, page } = await openStudio(db, errors));
  });

  afterAll(async () => {
    await context?.close();
    await served?.stop();
  });

  it('refuses the API and the page without the token, and other origins', async () => {
    const noToken = await fetch(`${served.origin}/`);
    expect(noToken.status).toBe(401);
    // DNS rebinding: the right token under another Host name is refused.
    const badHost = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: new URL(served.origin).port, path: `/?token=${served.token}`, headers: { Host: 'evil.example' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject);
    });
    expect(badHost).toBe(421);
    const csp = (await fetch(served.url)).headers.get('content-security-policy');
    expect(csp).toContain("script-src 'self'");
    // A WebSocket from another origin is refused even with the token.
    const { WebSocket } = await import('ws');
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${new URL(served.origin).port}/api?token=${served.token}`, { headers: { Origin: 'http://evil.example' } });
      ws.on('open', () => resolve('open'));
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', () => resolve('error'));
    });
    expect(refused).toBe('403');
  });

  it('opens the examples project and lists its functions in the sidebar', async () => {
    await page.goto(served.url);
    await page.getByTestId('project-path').waitFor();
    // The token leaves the address bar once the page has it.
    expect(page.url()).not.toContain('token=');
    await shot('01-start');
    await page.getByTestId('project-path').fill(examples);
    await page.getByTestId('open-path').click();
    await page.getByTestId('project-name').waitFor();
    expect(await page.getByTestId('project-name').textContent()).toBe('examples');
    const names = await page.getByTestId('function-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    expect(names).toEqual(expect.arrayContaining(['fma', 'fma_loop', 'clamp', 'steps_to_one', 'alternating_sum']));
    await page.getByTestId('graph-node').first().waitFor();
    await shot('02-project');
  });

  it('draws the IR graph with nested regions, and a click on a node highlights its Python and C lines', async () => {
    await page.locator('[data-testid="function-item"][data-name="steps_to_one"]').click();
    await page.getByTestId('function-title').filter({ hasText: 'steps_to_one' }).waitFor();
    await page.locator('[data-testid="graph-region"]').first().waitFor();
    // The for loop and the ifs inside it are drawn as nested boxes.
    const regions = await page.locator('[data-testid="graph-region"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    expect(regions).toEqual(expect.arrayContaining(['for', 'if']));
    const node = page.locator('[data-testid="graph-node"][data-name="floordiv_result"]');
    await node.click();
    const line = Number(await node.getAttribute('data-line'));
    const source = fs.readFileSync(path.join(examples, 'shapes.py'), 'utf8').split('\n');
    expect(source[line - 1]).toContain('n // 2');
    // Python: exactly that line is highlighted.
    const pyHl = page.getByTestId('python-pane-highlighted');
    await pyHl.waitFor();
    expect(await pyHl.getAttribute('data-line')).toBe(String(line));
    expect(await pyHl.textContent()).toContain('n = n // 2');
    // C: the lines that node became.
    const cHl = await page.getByTestId('c-pane-highlighted').allTextContents();
    expect(cHl.join('\n')).toContain('kr_floordiv_i64');
    // The inspector shows the op, its type and the C.
    const insp = page.getByTestId('node-inspector');
    await insp.waitFor();
    expect(await insp.textContent()).toContain('_operator.floordiv');
    expect(await page.getByTestId('inspector-c').textContent()).toContain('floordiv');
    await shot('03-graph-node-selected');
    // The table view is the table `kiln trace` prints.
    await page.getByTestId('ir-tab-table').click();
    expect(await page.getByTestId('ir-table').textContent()).toContain('_operator.floordiv');
    await page.getByTestId('ir-tab-graph').click();
  });

  it('builds two targets from the grid and watches them turn verified', async () => {
    await page.locator('[data-testid="function-item"][data-name="clamp"]').click();
    await page.getByTestId('tab-build').click();
    const tiles = page.getByTestId('target-tile');
    await tiles.first().waitFor();
    const ids = await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-target')!));
    expect(ids.length).toBeGreaterThan(0);
    // Two targets where the matrix has them (the host alone on a branch without the cross targets).
    const wanted = ids.filter((id) => id === 'linux-x64' || id.startsWith('linux-')).slice(0, 2);
    const pick = wanted.length ? wanted : ids.slice(0, 2);
    for (const id of ids) {
      const tile = page.locator(`[data-testid="target-tile"][data-target="${id}"]`);
      const on = (await tile.getAttribute('aria-checked')) === 'true';
      if (on !== pick.includes(id)) await tile.click();
      await page.locator(`[data-testid="target-tile"][data-target="${id}"][aria-checked="${pick.includes(id)}"]`).waitFor();
    }
    await shot('04-targets');
    await page.getByTestId('build-button').click();
    for (const id of pick) {
      // A fresh machine builds the target's libc into Zig's cache first (minutes for musl on 2 busy cores).
      await page.locator(`[data-testid="build-row"][data-target="${id}"][data-status="verified"]`).waitFor({ timeout: 480_000 });
    }
    const statuses = await page.getByTestId('build-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-target'), e.getAttribute('data-status')]));
    expect(statuses).toEqual(pick.map((id) => [id, 'verified']));
    await page.getByTestId('show-log').first().click();
    await page.getByTestId('build-log').waitFor();
    await shot('05-built');
  }, 600_000);

  it('finds the build in the history, next to the one made by kiln compile', async () => {
    await page.getByTestId('tab-history').click();
    await page.getByTestId('history-row').first().waitFor();
    const rows = await page.getByTestId('history-row').evaluateAll((els) => els.map((e) => ({ target: e.getAttribute('data-target'), status: e.getAttribute('data-status'), text: e.textContent ?? '' })));
    expect(rows.some((r) => r.status === 'verified' && r.text.includes('clamp') && r.text.includes('Studio'))).toBe(true);
    expect(rows.some((r) => r.status === 'built' && r.text.includes('fma') && r.text.includes('CLI'))).toBe(true);
    // Filter by function.
    await page.getByTestId('history-function').selectOption('clamp');
    // The unfiltered rows are still on the page until the filtered list replaces them: wait for that.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="history-row"]')];
      return rows.length > 0 && rows.every((e) => (e.textContent ?? '').includes('clamp'));
    }, undefined, { timeout: 15_000 }).catch(() => undefined);
    const filtered = await page.getByTestId('history-row').allTextContents();
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((t) => t.includes('clamp'))).toBe(true);
    await page.getByTestId('history-row').first().click();
    await page.getByTestId('history-detail').waitFor();
    expect(await page.getByTestId('history-detail').textContent()).toContain('zig');
    await shot('06-history');
  });

  it('exports the built targets to a folder and lists what it wrote', async () => {
    await page.getByTestId('tab-build').click();
    await page.getByTestId('export-folder').fill(exportDir);
    await page.getByTestId('export-button').click();
    await page.getByTestId('export-summary').waitFor();
    const written = fs.readdirSync(exportDir);
    expect(written.length).toBeGreaterThan(0);
    for (const target of written) {
      const files = fs.readdirSync(path.join(exportDir, target));
      expect(files).toEqual(expect.arrayContaining(['libkiln_shapes.so', 'kiln_shapes.h', 'kiln_runtime.h', 'kiln-manifest.json']));
      const manifest = JSON.parse(fs.readFileSync(path.join(exportDir, target, 'kiln-manifest.json'), 'utf8'));
      expect(manifest.functions).toEqual(['clamp', 'steps_to_one', 'alternating_sum']);
      expect(manifest.status).toBe('verified');
    }
    expect(await page.getByTestId('export-summary').textContent()).toContain('kiln-manifest.json');
    await shot('07-exported');
  });

  it('shows the studio in the dark theme when the OS asks for it', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('tab-explore').click();
    await page.getByTestId('graph-node').first().waitFor();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(17, 19, 23)');
    await shot('08-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('ran without errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
