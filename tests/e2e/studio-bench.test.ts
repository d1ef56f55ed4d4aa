/**
 * The studio's Benchmark panel in Debian's Chromium through browser mode (`kiln serve`): open the examples
 * project, pick fma_loop, run a tiny benchmark (2-point sweep, small budget) in the server process, see the
 * log-log chart with one line per variant and its axis labels, hover for the numbers, run again to compare the
 * two runs and draw the history, cancel a run, and save charts (SVG, PNG) and the run (CSV, JSON).
 * Screenshots go to test-results/studio-bench-*.png. Timings are never asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, SHOTS, TWO_LOOKS, applyLook, chromiumMissing, openStudio, overlaps, type Served } from './helpers.ts';

const missing = chromiumMissing();
if (missing) console.warn(`studio bench e2e skipped: ${missing}`);

describe.skipIf(!!missing)('Benchmark panel in the studio (kiln serve + Chromium)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-e2e-bench-'));
  const db = path.join(tmp, 'kiln.db');
  const examples = path.join(ROOT, 'examples');
  let served: Served;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `studio-bench-${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    ({ served, context, page } = await openStudio(db, errors));
  });

  afterAll(async () => {
    await context?.close();
    await served?.stop();
  });

  async function runSmall() {
    await page.getByTestId('bench-sweep-param').selectOption('n_iter');
    await page.getByTestId('bench-sweep-values').fill('1e3, 1e4');
    await page.getByTestId('bench-budget').fill('30');
    const before = await page.getByTestId('bench-run-option').count();
    await page.getByTestId('bench-run').click();
    await page.getByTestId('bench-progress').waitFor();
    // Done when the button is back and the stored run is listed.
    await page.locator('[data-testid="bench-run"]:not([disabled])').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('bench-error').allTextContents()).toEqual([]);
    await expect.poll(() => page.getByTestId('bench-run-option').count()).toBe(before + 1);
  }

  it('opens the examples project and the Benchmark panel of fma_loop, with its C reference found', async () => {
    await page.goto(served.url);
    await page.getByTestId('project-path').fill(examples);
    await page.getByTestId('open-path').click();
    await page.getByTestId('project-name').waitFor();
    await page.locator('[data-testid="function-item"][data-name="fma_loop"]').click();
    await page.getByTestId('tab-bench').click();
    await page.getByTestId('bench-panel').waitFor();
    await page.getByTestId('bench-run').waitFor();
    // The loop-sizing parameter is proposed for the sweep; fma_loop.c next to fma.py is the C reference.
    expect(await page.getByTestId('bench-sweep-param').inputValue()).toBe('n_iter');
    expect(await page.getByTestId('bench-panel').textContent()).toContain('fma_loop.c');
    // Other targets are optional (unchecked) and labelled as not native time.
    const targets = await page.getByTestId('bench-targets').textContent();
    expect(targets).toContain('not native time');
    expect(targets).toContain('Kiln wasm32 (wasm, Node)');
    expect(targets).toContain('Kiln linux-arm64 (emulated)');
    expect(await page.getByTestId('bench-variant-kiln-wasm32').isChecked()).toBe(false);
    await shot('01-panel');
  });

  it('runs a small benchmark in the server and draws one line per variant on log-log axes', async () => {
    await runSmall();
    const chart = page.getByTestId('sweep-chart');
    await chart.waitFor();
    const variants = await chart.locator('[data-testid="series-line"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-variant')));
    expect(variants.sort()).toEqual(['c-ref', 'cpython', 'kiln-ctypes', 'kiln-native']);
    // Each line joins the two sweep points.
    const ds = await chart.locator('[data-testid="series-line"]').evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''));
    for (const d of ds) expect(d).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
    expect(await chart.getByTestId('x-axis-label').textContent()).toContain('n_iter');
    expect(await chart.getByTestId('y-axis-label').textContent()).toContain('time per call');
    // Hover shows the numbers of every variant at the nearest swept value, below the chart: never over it.
    for (const look of TWO_LOOKS) {
      await applyLook(page, look);
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.3);
      const tip = page.getByTestId('sweep-tooltip');
      await tip.waitFor();
      const tipText = (await tip.textContent()) ?? '';
      expect(tipText).toContain('n_iter = 10,000');
      for (const label of ['CPython', 'Kiln native', 'Kiln via Python', 'C reference']) expect(tipText).toContain(label);
      expect(overlaps((await tip.boundingBox())!, (await chart.boundingBox())!)).toBe(false);
      await page.screenshot({ path: path.join(SHOTS, `studio-bench-02-hover-${look.name}.png`) });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    // The project-wide speed-up chart has fma_loop's bars.
    const bars = await page.getByTestId('speedup-bar').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-function')}/${e.getAttribute('data-variant')}`));
    expect(bars.sort()).toEqual(['fma_loop/c-ref', 'fma_loop/kiln-ctypes', 'fma_loop/kiln-native']);
    await shot('02-sweep');
    await page.mouse.move(0, 0);
  });

  it('a second run is compared with the first and joins the history', async () => {
    await runSmall();
    const compare = page.getByTestId('compare-chart');
    await compare.waitFor();
    // 2 sweep points x 4 variants, each with a ratio and a noise verdict.
    expect(await compare.getByTestId('compare-ratio').count()).toBe(8);
    const verdicts = await compare.getByTestId('compare-ratio').evaluateAll((els) => els.map((e) => e.getAttribute('data-significant')));
    for (const v of verdicts) expect(['true', 'false']).toContain(v);
    const history = page.getByTestId('history-chart');
    await history.waitFor();
    expect(await history.getByTestId('history-point').count()).toBe(2);
    // The README's picture of the Benchmark panel (docs/studio-bench.png).
    // Scrolled to the run menu: the four charts, the run picked, two runs compared.
    await page.getByTestId('bench-panel').evaluate((el) => { el.scrollTop = el.querySelector<HTMLElement>('.runbar')!.offsetTop - 14; });
    await page.screenshot({ path: path.join(SHOTS, 'docs-studio-bench.png') });
    await page.getByTestId('bench-panel').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await shot('03-compare-history');
    await page.getByTestId('bench-panel').evaluate((el) => el.scrollTo(0, 0));
  });

  it('the speed-up chart has one group of bars per benchmarked function of the project', async () => {
    await page.locator('[data-testid="function-item"][data-name="fma"]').click();
    await page.getByTestId('bench-sweep-param').waitFor();
    await expect.poll(() => page.getByTestId('bench-sweep-param').inputValue()).toBe('');
    await page.getByTestId('bench-budget').fill('30');
    await page.getByTestId('bench-run').click();
    await page.getByTestId('bench-progress').waitFor();
    await page.locator('[data-testid="bench-run"]:not([disabled])').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('bench-error').allTextContents()).toEqual([]);
    await expect.poll(async () => new Set(await page.getByTestId('speedup-bar').evaluateAll((els) => els.map((e) => e.getAttribute('data-function')))).size).toBe(2);
    // No swept parameter: one bar per variant instead of lines.
    await page.getByTestId('times-chart').waitFor();
    const timed = await page.getByTestId('times-bar').evaluateAll((els) => els.map((e) => e.getAttribute('data-variant')));
    expect(timed.sort()).toEqual(['cpython', 'kiln-ctypes', 'kiln-native']);
    await shot('04-speedups');
    await page.locator('[data-testid="function-item"][data-name="fma_loop"]').click();
    await page.getByTestId('sweep-chart').waitFor();
  });

  it('saves a chart as SVG and PNG, and exports the run as CSV and JSON', async () => {
    const save = async (testid: string) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
      const file = path.join(tmp, dl.suggestedFilename());
      await dl.saveAs(file);
      return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
    };
    const svg = await save('chart-sweep-save-svg');
    expect(svg.name).toBe('kiln-fma_loop-sweep.svg');
    const svgText = svg.bytes.toString('utf8');
    expect(svgText).toContain('<svg');
    expect((svgText.match(/data-testid="series-line"/g) ?? []).length).toBe(4);
    expect(svgText).not.toContain('data-export="skip"');
    const png = await save('chart-speedups-save-png');
    expect(png.name).toBe('kiln-speedups.png');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const csv = await save('bench-export-csv');
    expect(csv.name).toMatch(/^kiln-bench-\d+-fma_loop\.csv$/);
    const lines = csv.bytes.toString('utf8').trim().split('\n');
    expect(lines[0]).toContain('median_ns');
    expect(lines.length).toBe(1 + 2 * 4);
    const json = JSON.parse((await save('bench-export-json')).bytes.toString('utf8'));
    expect(json.cases.map((c: { sweep: { value: number } }) => c.sweep.value)).toEqual([1000, 10000]);
  });

  it('cancels a running benchmark and stores nothing', async () => {
    const before = await page.getByTestId('bench-run-option').count();
    await page.getByTestId('bench-budget').fill('5000');
    await page.getByTestId('bench-sweep-values').fill('1e3, 1e4, 1e5');
    await page.getByTestId('bench-run').click();
    await page.getByTestId('bench-cancel').click();
    await page.getByTestId('bench-error').filter({ hasText: 'Cancelled' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('bench-run-option').count()).toBe(before);
  });

  it('ran without errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
