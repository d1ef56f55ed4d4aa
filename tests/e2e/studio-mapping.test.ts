/**
 * Source mapping both ways, as Compiler Explorer does it, in Debian's Chromium through browser mode:
 * hovering a Python line highlights its IR nodes and C lines, hovering a C line its Python line and IR
 * node, hovering an IR node its Python and C lines; a click pins the highlight. And the graph of a
 * generated 2,000-node IR: a readable first view, the whole graph on Fit, search. The tests look at the
 * DOM (never at timings) and save screenshots under test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, SHOTS, chromiumMissing, openStudio, type Served } from './helpers.ts';

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
    ({ served, context, page } = await openStudio(path.join(tmp, 'kiln.db'), errors));
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
