/**
 * The GPT example in a browser: examples/gpt/gpt.py exported as the wasm ES module (verified against CPython by
 * the export), its page examples/gpt/index.html loaded in headless Chromium, and the logits and the greedy
 * generation the page computes compared with what NumPy computes from the same Python (python3, at test time).
 * Logits agree within the verification's bound for `a @ b` (a relative 2**-26 of the largest magnitude: NumPy's
 * BLAS adds the products in another order); the generated tokens are equal (the margins between the two largest
 * logits of these prompts are above 1e-3).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { exportModule } from '../../src-compiler/export/export.ts';
import { CHROMIUM, chromiumMissing, skippedBecause } from '../tools.ts';

const root = path.resolve(import.meta.dirname, '../..');
const example = path.join(root, 'examples/gpt');
const python = process.env.KILN_PYTHON ?? 'python3';
const CASES = [
  { prompt: [3, 14, 15, 9, 2, 6], seed: 7, steps: 6 },
  { prompt: [1], seed: 123, steps: 9 },
  { prompt: [63, 0, 31, 32, 5, 60, 11, 42, 8, 19], seed: 2, steps: 4 },
];

interface Expected { logits: number[][]; tokens: number[] }

/** What NumPy gives for each case: the prompt's logits and the greedy continuation (np.argmax, first on ties). */
async function numpyResults(): Promise<Expected[]> {
  const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(example)})
import numpy as np
import gpt
out = []
for case in json.loads(sys.argv[1]):
    tokens = list(case["prompt"])
    logits = gpt.gpt_logits(np.array(tokens, dtype=np.int64), case["seed"])
    for _ in range(case["steps"]):
        tokens.append(int(np.argmax(gpt.gpt_logits(np.array(tokens, dtype=np.int64), case["seed"])[-1])))
    out.append({"logits": logits.tolist(), "tokens": tokens})
print(json.dumps(out))
`;
  const r = await execa(python, ['-c', script, JSON.stringify(CASES)], { env: { PYTHONPATH: path.join(root, 'resources/python') } });
  return JSON.parse(r.stdout);
}

let jsDir = '';
beforeAll(async () => {
  if (chromiumMissing()) return;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-gpt-'));
  const r = await exportModule(path.join(example, 'gpt.py'), { targets: ['wasm32'], out });
  expect(r.targets.map((t) => [t.target, t.status])).toEqual([['wasm32', 'verified']]);
  jsDir = path.dirname(r.jsModule!);
}, 10 * 60_000);

describe('examples/gpt in Chromium', () => {
  it.skipIf(!!chromiumMissing())(skippedBecause('the GPT page runs the wasm module in headless Chromium', chromiumMissing()), async () => {
    const expected = await numpyResults();
    // The page and its script from examples/gpt, the exported module under js/ (where export writes it).
    const server = http.createServer((req, res) => {
      const rel = new URL(req.url!, 'http://x').pathname.replace(/^\/+/, '') || 'index.html';
      const file = rel.startsWith('js/') ? path.join(jsDir, path.basename(rel)) : path.join(example, path.basename(rel));
      if (!fs.existsSync(file)) return res.writeHead(404).end();
      const type = file.endsWith('.wasm') ? 'application/wasm' : file.endsWith('.mjs') ? 'text/javascript' : 'text/html';
      res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    const { chromium: pw } = await import('playwright-core');
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-chromium-'));
    const browser = await pw.launchPersistentContext(userDir, {
      executablePath: CHROMIUM!, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`http://127.0.0.1:${port}/index.html`);
      await page.waitForFunction('!!window.kilnGpt');
      const got = (await page.evaluate(`(${JSON.stringify(CASES)}).map((c) => {
        const l = window.kilnGpt.logits(c.prompt, c.seed);
        return { shape: l.shape, logits: Array.from(l.data), tokens: window.kilnGpt.generate(c.prompt, c.steps, c.seed) };
      })`)) as { shape: number[]; logits: number[]; tokens: number[] }[];
      expect(errors).toEqual([]);
      for (let c = 0; c < CASES.length; c++) {
        const want = expected[c].logits;
        expect(got[c].shape).toEqual([want.length, want[0].length]);
        const flat = want.flat();
        const bound = 2 ** -26 * Math.max(...flat.map(Math.abs));
        const worst = Math.max(...flat.map((v, k) => Math.abs(v - got[c].logits[k])));
        expect(worst).toBeLessThanOrEqual(bound);
        expect(got[c].tokens).toEqual(expected[c].tokens);
      }
      // The page's own form: the first case's generation, shown as text.
      await page.fill('#prompt', CASES[0].prompt.join(' '));
      await page.fill('#seed', String(CASES[0].seed));
      await page.fill('#steps', String(CASES[0].steps));
      await page.click('button');
      await expect.poll(async () => (await page.textContent('#out'))?.split('\n')[0]).toBe(expected[0].tokens.join(' '));
    } finally {
      await browser.close();
      server.close();
    }
  });
});
