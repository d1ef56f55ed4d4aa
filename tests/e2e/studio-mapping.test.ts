/**
 * Source mapping both ways, as Compiler Explorer does it, in Debian's Chromium through browser mode:
 * hovering a Python line highlights its IR nodes and C lines, hovering a C line its Python line and IR
 * node, hovering an IR node its Python and C lines; a click pins the highlight (at 1920x1080, dark). Then the
 * graph navigated as in Netron (issue 18, item 8; at 1024x700 and 1920x1080, light and dark): the inspector is a
 * side panel that never covers the graph and Escape closes it; Tab and the arrow keys move between nodes and the
 * selection is centred; a Python line brings its off-screen node into view; Fit gives a readable overview with the
 * loops collapsed, and a collapsed loop opens. And the graph of a generated 2,000-node IR: a readable first view,
 * the whole graph on Fit, search. The tests look at the
 * DOM (never at timings) and save screenshots under test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, SHOTS, LOOKS, TWO_LOOKS, applyLook, chromiumMissing, openStudio, overlaps, type Served } from './helpers.ts';

const missing = chromiumMissing();
if (missing) console.warn(`studio mapping e2e skipped: ${missing}`);

describe.skipIf(!!missing)('Studio source mapping on hover and click (kiln serve + Chromium)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-e2e-map-'));
  const examples = path.join(ROOT, 'examples');
  const source = fs.readFileSync(path.join(examples, 'shapes.py'), 'utf8').split('\n');
  const floordivLine = source.findIndex((l) => l.includes('n = n // 2')) + 1;
  const stepsLine = source.findIndex((l) => l.includes('steps += 1')) + 1;
  let served: Served;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `mapping-${name}.png`) });
  const pyHighlighted = () => page.getByTestId('python-pane-highlighted').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))));
  const cHighlighted = () => page.getByTestId('c-pane-highlighted').allTextContents();
  const graphHighlighted = () => page.locator('[data-testid="graph-node"].hl').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name'), line: Number(e.getAttribute('data-line')) })));
  /** Puts the pointer somewhere that maps to nothing. */
  const pointerAway = () => page.getByTestId('function-title').hover();

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    ({ served, context, page } = await openStudio(path.join(tmp, 'kiln.db'), errors, { viewport: { width: 1920, height: 1080 } }));
    await page.emulateMedia({ colorScheme: 'dark' });
  });

  afterAll(async () => {
    await context?.close();
    await served?.stop();
  });

  it('opens steps_to_one of the examples', async () => {
    expect(floordivLine).toBeGreaterThan(0);
    await page.goto(served.url);
    await page.getByTestId('project-path').fill(examples);
    await page.getByTestId('open-path').click();
    await page.getByTestId('project-name').waitFor();
    await page.locator('[data-testid="function-item"][data-name="steps_to_one"]').click();
    await page.getByTestId('function-title').filter({ hasText: 'steps_to_one' }).waitFor();
    await page.locator('[data-testid="graph-node"][data-name="floordiv_result"]').waitFor();
    expect(await pyHighlighted()).toEqual([]);
  });

  it('hovering a Python line highlights its IR nodes and C lines, and leaving it clears them', async () => {
    await page.locator(`[data-testid="python-pane"] [data-line="${floordivLine}"]`).hover();
    await page.getByTestId('python-pane-highlighted').waitFor();
    expect(await pyHighlighted()).toEqual([floordivLine]);
    const nodes = await graphHighlighted();
    expect(nodes.map((n) => n.name)).toContain('floordiv_result');
    expect(nodes.every((n) => n.line === floordivLine)).toBe(true);
    expect((await cHighlighted()).join('\n')).toContain('kr_floordiv_i64');
    // Hover is not a click: no inspector opens.
    expect(await page.getByTestId('node-inspector').count()).toBe(0);
    await shot('01-hover-python');
    await pointerAway();
    await expect.poll(pyHighlighted).toEqual([]);
    expect(await graphHighlighted()).toEqual([]);
    expect(await cHighlighted()).toEqual([]);
  });

  it('hovering a C line highlights its Python line and IR node', async () => {
    const cLine = page.locator('[data-testid="c-pane"] .line').filter({ hasText: 'kr_floordiv_i64' }).first();
    await cLine.hover();
    await page.getByTestId('python-pane-highlighted').waitFor();
    expect(await pyHighlighted()).toEqual([floordivLine]);
    expect((await graphHighlighted()).map((n) => n.name)).toEqual(['floordiv_result']);
    expect(await cLine.getAttribute('data-testid')).toBe('c-pane-highlighted');
    await shot('02-hover-c');
    await pointerAway();
    await expect.poll(graphHighlighted).toEqual([]);
  });

  it('hovering an IR node highlights its Python and C lines', async () => {
    await page.locator('[data-testid="graph-node"][data-name="floordiv_result"]').hover();
    await page.getByTestId('python-pane-highlighted').waitFor();
    expect(await pyHighlighted()).toEqual([floordivLine]);
    const c = (await cHighlighted()).join('\n');
    expect(c).toContain('kr_floordiv_i64');
    expect((await graphHighlighted()).map((n) => n.name)).toEqual(['floordiv_result']);
    expect(await page.getByTestId('node-inspector').count()).toBe(0);
    await shot('03-hover-ir');
    await pointerAway();
    await expect.poll(pyHighlighted).toEqual([]);
    expect(await cHighlighted()).toEqual([]);
  });

  it('a click pins the highlight: hovering elsewhere shows that place, leaving comes back to the pinned one', async () => {
    await page.locator('[data-testid="graph-node"][data-name="floordiv_result"]').click();
    await pointerAway();
    expect(await pyHighlighted()).toEqual([floordivLine]);
    expect((await cHighlighted()).join('\n')).toContain('kr_floordiv_i64');
    await page.getByTestId('node-inspector').waitFor();
    // Hover another line: the highlight follows the pointer, the inspector stays on the pinned node.
    await page.locator(`[data-testid="python-pane"] [data-line="${stepsLine}"]`).hover();
    await expect.poll(pyHighlighted).toEqual([stepsLine]);
    expect((await graphHighlighted()).every((n) => n.line === stepsLine)).toBe(true);
    expect(await page.getByTestId('node-inspector').textContent()).toContain('floordiv_result');
    await shot('04-pinned-and-hovering-elsewhere');
    await pointerAway();
    await expect.poll(pyHighlighted).toEqual([floordivLine]);
    expect((await graphHighlighted()).map((n) => n.name)).toEqual(['floordiv_result']);
    await shot('05-pinned');
    // A click on the pinned Python line unpins it.
    await page.locator(`[data-testid="python-pane"] [data-line="${floordivLine}"]`).click();
    await pointerAway();
    await expect.poll(pyHighlighted).toEqual([]);
  });

  /** The box of a graph node on the page, and the graph canvas's. */
  const nodeBox = (name: string) => page.locator(`[data-testid="graph-node"][data-name="${name}"]`).boundingBox();
  const canvas = async () => (await page.locator('[data-testid="ir-graph"] svg.canvas').boundingBox())!;
  const inspected = () => page.getByTestId('node-inspector').locator('h3').textContent();

  it('shows the inspector beside the graph, never over it, and Escape closes it', async () => {
    for (const look of TWO_LOOKS) {
      await applyLook(page, look);
      await page.getByTestId('graph-search').fill('floordiv_result');
      await page.getByTestId('graph-search').press('Enter');
      const panel = page.getByTestId('node-inspector');
      await panel.waitFor();
      expect(overlaps((await panel.boundingBox())!, await canvas())).toBe(false);
      // The selected node is drawn, whole, in the canvas that is left.
      const b = (await nodeBox('floordiv_result'))!, c = await canvas();
      expect(b.x >= c.x && b.y >= c.y && b.x + b.width <= c.x + c.width && b.y + b.height <= c.y + c.height).toBe(true);
      await page.screenshot({ path: path.join(SHOTS, `mapping-08-inspector-${look.name}.png`) });
      await page.getByTestId('graph-search').fill('');
      await page.locator('[data-testid="graph-node"][data-name="floordiv_result"]').focus();
      await page.keyboard.press('Escape');
      await expect.poll(() => panel.count()).toBe(0);
      expect(await page.getByTestId('python-pane-highlighted').count()).toBe(0);
    }
  });

  it('reaches every node from the keyboard: Tab in program order, the arrow keys by position, the selection centred', async () => {
    await applyLook(page, LOOKS[0]);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-id') ?? null);
    const byId = (id: string) => page.locator(`[data-testid="graph-node"][data-id="${id}"]`);
    const centredId = async (id: string) => {
      const b = (await byId(id).boundingBox())!, c = await canvas();
      return Math.abs(b.x + b.width / 2 - (c.x + c.width / 2)) < 30 && Math.abs(b.y + b.height / 2 - (c.y + c.height / 2)) < 30;
    };
    // One tab stop into the graph; Enter selects.
    const first = page.locator('[data-testid="graph-node"][tabindex="0"]');
    expect(await first.count()).toBe(1);
    await first.focus();
    await page.keyboard.press('Enter');
    const start = (await focused())!;
    expect(await inspected()).toBe(await byId(start).getAttribute('data-name'));
    // Tab walks the nodes in program order (the order `kiln trace` lists them), selecting and centring each.
    const order = await page.getByTestId('graph-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
    const next = order[order.indexOf(start) + 1];
    await page.keyboard.press('Tab');
    await expect.poll(focused).toBe(next);
    expect(await inspected()).toBe(await byId(next).getAttribute('data-name'));
    await expect.poll(() => centredId(next)).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await expect.poll(focused).toBe(start);
    // Down the graph with the arrow keys to the division: each step goes to a node below, selects it and centres it.
    // Where a node sits in the graph (its layout position, whatever the view's pan and zoom).
    const graphY = async (id: string) => Number(/translate\([\d.-]+,([\d.-]+)\)/.exec((await byId(id).getAttribute('transform'))!)![1]);
    for (let i = 0; i < 14 && (await inspected()) !== 'floordiv_result'; i++) {
      const was = (await focused())!;
      await page.keyboard.press('ArrowDown');
      await expect.poll(focused).not.toBe(was);
      const now = (await focused())!;
      expect(await graphY(now)).toBeGreaterThan(await graphY(was));
      await expect.poll(() => centredId(now)).toBe(true);
      expect(await inspected()).toBe(await byId(now).getAttribute('data-name'));
    }
    expect(await inspected()).toBe('floordiv_result');
    expect(await page.getByTestId('python-pane-highlighted').getAttribute('data-line')).toBe(String(floordivLine));
    await page.screenshot({ path: path.join(SHOTS, 'mapping-09-keyboard-1024x700-light.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('node-inspector').count()).toBe(0);
  });

  it('brings the node of a highlighted Python line into view when it is off screen', async () => {
    for (const look of [LOOKS[0], LOOKS[1]]) {
      await applyLook(page, look);
      // Zoom in and go to the top of the graph: the division is far below, off screen.
      await page.getByTestId('graph-search').fill('steps');
      await page.getByTestId('graph-search').press('Enter');
      await page.getByTestId('graph-search').fill('');
      await page.getByTestId('inspector-close').click();
      for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
      const c = await canvas();
      const off = (await nodeBox('floordiv_result'))!;
      expect(off.y > c.y + c.height || off.y + off.height < c.y || off.x > c.x + c.width || off.x + off.width < c.x).toBe(true);
      await page.locator(`[data-testid="python-pane"] [data-line="${floordivLine}"]`).hover();
      // In view: its middle on the canvas (zoomed in this far, the box can be wider than a narrow pane).
      await expect.poll(async () => {
        const b = (await nodeBox('floordiv_result'))!;
        const x = b.x + b.width / 2, y = b.y + b.height / 2;
        return x >= c.x && y >= c.y && x <= c.x + c.width && y <= c.y + c.height;
      }).toBe(true);
      expect(await page.locator('[data-testid="graph-node"][data-name="floordiv_result"]').getAttribute('class')).toContain('hl');
      await page.screenshot({ path: path.join(SHOTS, `mapping-10-brought-into-view-${look.name}.png`) });
      await pointerAway();
    }
  });

  it('Fit gives a readable overview: loops or branches collapsed, titles legible, and a click opens one again', async () => {
    for (const look of [LOOKS[0], LOOKS[2]]) {
      await applyLook(page, look);
      await page.getByTestId('graph-fit').click();
      await page.getByTestId('graph-overview').waitFor();
      const zoom = Number((await page.getByTestId('graph-zoom').textContent())!.replace('%', ''));
      expect(zoom).toBeGreaterThanOrEqual(50);
      // Every label drawn is at least 10 px tall on screen.
      const heights = await page.locator('[data-testid="graph-node"] text.title').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(2);
      for (const h of heights) expect(h).toBeGreaterThanOrEqual(10);
      const loop = page.locator('[data-testid="graph-node"][data-collapsed="true"]');
      expect(await loop.count()).toBeGreaterThan(0);
      expect(await loop.first().textContent()).toMatch(/^(for|if)\b/);
      await page.screenshot({ path: path.join(SHOTS, `mapping-11-fit-overview-${look.name}.png`) });
      await loop.first().click();
      await expect.poll(() => page.getByTestId('graph-overview').count()).toBe(0);
      await page.locator('[data-testid="graph-region"][data-name="for"]').waitFor();
      expect(await page.locator('[data-testid="graph-node"][data-name="floordiv_result"]').count()).toBe(1);
    }
    // Where the whole graph can be read, Fit shows it whole.
    await applyLook(page, LOOKS[1]);
    await page.locator('[data-testid="function-item"][data-name="fma"]').click();
    await page.locator('[data-testid="graph-node"][data-name="mul_result"]').waitFor();
    await page.getByTestId('graph-fit').click();
    await expect.poll(async () => Number((await page.getByTestId('graph-zoom').textContent())!.replace('%', ''))).toBeGreaterThanOrEqual(50);
    expect(await page.getByTestId('graph-overview').count()).toBe(0);
  });

  it('draws a generated 2,000-node IR: a readable first view, the whole graph on Fit, and search finds a node', async () => {
    await page.goto(`${served.url}&bench=2000`);
    await page.waitForFunction(() => (window as unknown as { kilnBench?: unknown }).kilnBench, null, { timeout: 120_000 });
    // The benchmark pressed Fit: the whole graph is drawn as the overview (a few paths, not thousands of nodes).
    expect(await page.locator('path.ov').count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('graph-node').count()).toBeLessThan(50);
    expect(await page.getByTestId('graph-minimap').locator('canvas').count()).toBe(1);
    await shot('06-big-graph-fit');
    // In the overview, hover and click find the box under the pointer: a search match is drawn on top, go to it.
    await page.getByTestId('graph-search').fill('v1500');
    const match = page.locator('[data-testid="graph-node"][data-name="v1500"]');
    await match.waitFor();
    const r = (await match.boundingBox())!;
    await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
    await expect.poll(() => page.getByTestId('bench-hovered').textContent()).toBe('v1500');
    await page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
    await expect.poll(() => page.getByTestId('bench-selected').textContent()).toBe('v1500');
    expect(await match.getAttribute('class')).toContain('hl');
    await page.mouse.move(5, 300);
    await expect.poll(() => page.getByTestId('bench-hovered').textContent()).toBe('');
    // Search zooms to the node: readable boxes again, only those in view.
    await page.getByTestId('graph-search').fill('v1000');
    await page.getByTestId('graph-search').press('Enter');
    const found = page.locator('[data-testid="graph-node"][data-name="v1000"]');
    await found.waitFor();
    expect(await found.getAttribute('class')).toContain('match');
    expect(await found.locator('text.title').count()).toBe(1);
    const drawn = await page.getByTestId('graph-node').count();
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(1000);
    await shot('07-big-graph-search');
  });

  it('ran without errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
