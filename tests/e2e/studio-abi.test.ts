/**
 * The function view shows the exported C ABI of an array function: the header's prototype, and per
 * parameter the struct fields (data pointer, shape, strides) and how it crosses, plus the out-parameter
 * and what the caller frees; a dict and set function, its structs' accessor API. Screenshots: test-results/studio-abi.png,
 * test-results/studio-abi-dicts.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, SHOTS, chromiumMissing, openStudio, type Served } from './helpers.ts';

const missing = chromiumMissing();
if (missing) console.warn(`studio ABI e2e skipped: ${missing}`);

describe.skipIf(!!missing)('Studio function view: the C ABI of array functions', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-e2e-abi-'));
  const project = path.join(tmp, 'arrays');
  let served: Served;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.mkdirSync(project);
    fs.copyFileSync(path.join(ROOT, 'tests/targets/fixtures/arrays_abi.py'), path.join(project, 'arrays_abi.py'));
    // A dict parameter and a set result: the panel lists their structs' accessor API.
    fs.writeFileSync(path.join(project, 'counts_abi.py'), 'from kiln import compile\n\n\n@compile\ndef tally(counts: dict[str, int], word: str) -> set[int]:\n    counts[word] = counts.get(word, 0) + 1\n    return set(counts.values())\n');
    ({ served, context, page } = await openStudio(path.join(tmp, 'kiln.db'), errors));
  });

  afterAll(async () => {
    await context?.close();
    await served?.stop();
  });

  it('shows the prototype, the array struct fields and the out-parameter of row_sums', async () => {
    await page.goto(served.url);
    await page.getByTestId('project-path').fill(project);
    await page.getByTestId('open-path').click();
    await page.locator('[data-testid="function-item"][data-name="row_sums"]').click();
    await page.getByTestId('function-title').filter({ hasText: 'row_sums' }).waitFor();
    const proto = page.getByTestId('c-abi-prototype');
    await proto.filter({ hasText: 'kiln_row_sums' }).waitFor();
    expect(await proto.textContent()).toBe('int kiln_row_sums(kiln_array_float64 a, kiln_array_float64 *out);');
    await page.getByTestId('c-abi').locator('summary').click();
    const rows = await page.getByTestId('c-abi-param').evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), e.getAttribute('data-kind'), [...e.querySelectorAll('td')].map((td) => td.textContent?.trim())]));
    expect(rows.map((r) => r.slice(0, 2))).toEqual([['a', 'array'], ['out', 'array']]);
    const [a, out] = rows.map((r) => r[2] as string[]);
    expect(a.slice(0, 3)).toEqual(['a', 'ndarray[float64, 2d]', 'kiln_array_float64']);
    expect(a[3]).toContain('double *data');
    expect(a[3]).toContain('int64_t shape[3]  /* [0..1] read */');
    expect(a[3]).toContain('int64_t strides[3]  /* in elements, any sign */');
    expect(a[4]).toContain('no copy');
    expect(out.slice(0, 3)).toEqual(['out', 'ndarray[float64, 1d]', 'kiln_array_float64 *']);
    expect(await page.getByTestId('c-abi').textContent()).toContain('kiln_free(out->data)');
    await page.getByTestId('c-abi').screenshot({ path: path.join(SHOTS, 'studio-abi-panel.png') });
    await page.screenshot({ path: path.join(SHOTS, 'studio-abi.png') });
  });

  it('a list function shows the list struct', async () => {
    await page.locator('[data-testid="function-item"][data-name="doubled"]').click();
    await page.getByTestId('c-abi-prototype').filter({ hasText: 'kiln_doubled' }).waitFor();
    expect(await page.getByTestId('c-abi-prototype').textContent()).toBe('int kiln_doubled(kiln_list_float *xs, kiln_list_float *out);');
    // A list parameter is in-out, as in Python: the panel says so and that its new buffer is the caller's to free.
    const rows = await page.getByTestId('c-abi-param').evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), e.getAttribute('data-kind'), [...e.querySelectorAll('td')].map((td) => td.textContent?.trim())]));
    const xs = rows.find((r) => r[0] === 'xs')![2] as string[];
    expect(xs.slice(0, 3)).toEqual(['xs', 'list[float]', 'kiln_list_float *']);
    expect(xs[4]).toContain('in-out');
    expect(await page.getByTestId('c-abi').textContent()).toContain('kiln_free(xs->data) after every call');
  });

  it('a dict and set function shows the accessor API of their structs', async () => {
    await page.locator('[data-testid="function-item"][data-name="tally"]').click();
    await page.getByTestId('c-abi-prototype').filter({ hasText: 'kiln_tally' }).waitFor();
    expect(await page.getByTestId('c-abi-prototype').textContent()).toBe('int kiln_tally(kiln_dict_str_int *counts, const char *word, int64_t word_len, kiln_set_int *out);');
    const apis = page.getByTestId('c-abi-container');
    expect(await apis.evaluateAll((els) => els.map((e) => e.getAttribute('data-struct')))).toEqual(['kiln_dict_str_int', 'kiln_set_int']);
    const dict = await apis.first().textContent();
    expect(dict).toContain('int kiln_dict_str_int_get(kiln_dict_str_int *d, const char *key, int64_t key_len, int64_t *value);');
    expect(dict).toContain('int kiln_dict_str_int_iter_next(const kiln_dict_str_int *d, int64_t *pos, kiln_str *key, int64_t *value);');
    expect(await apis.nth(1).textContent()).toContain('void kiln_set_int_free(kiln_set_int *s);');
    // Each function's contract is its tooltip (the header's comment).
    expect(await apis.first().locator('.mono').nth(1).getAttribute('title')).toMatch(/missing/);
    if (!(await page.getByTestId('c-abi').evaluate((e) => (e as HTMLDetailsElement).open))) await page.getByTestId('c-abi').locator('summary').click();
    await page.getByTestId('c-abi').screenshot({ path: path.join(SHOTS, 'studio-abi-dicts.png') });
  });

  it('ran without errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
