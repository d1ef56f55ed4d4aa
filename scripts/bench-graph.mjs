#!/usr/bin/env node
// Benchmark (not a test): lay out and first-paint a generated IR graph of N nodes (default 2,000) in the
// studio's graph view, in Debian's Chromium through browser mode. Prints layout and first-paint times.
//   node scripts/bench-graph.mjs [nodes] [runs]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './electron-binary.mjs';

const nodes = Number(process.argv[2] ?? 2000);
const runs = Number(process.argv[3] ?? 3);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-'));
const serve = spawn(process.execPath, [path.join(ROOT, 'bin/kiln.mjs'), 'serve', '--port', '0', '--no-open', '--db', path.join(tmp, 'kiln.db')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  serve.stdout.on('data', (d) => { out += d; const m = /(http:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
  serve.on('exit', (c) => reject(new Error(`kiln serve exited ${c}`)));
});
const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
  executablePath: process.env.KILN_CHROMIUM ?? '/usr/bin/chromium', headless: true, viewport: { width: 1440, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = [];
try {
  const page = await context.newPage();
  for (let i = 0; i < runs; i++) {
    await page.goto(`${url}&bench=${nodes}`);
    await page.waitForFunction(() => window.kilnBench, null, { timeout: 120_000 });
    results.push(await page.evaluate(() => window.kilnBench));
  }
  await page.screenshot({ path: path.join(ROOT, 'test-results', `bench-graph-${nodes}-fit.png`) }).catch(() => undefined);
  // The first view (before Fit) of one more load, for a look at what the user sees first.
  await page.goto(`${url}&bench=${nodes}&fit=0`);
  await page.waitForFunction(() => window.kilnBench, null, { timeout: 120_000 }).catch(() => undefined);
  await page.screenshot({ path: path.join(ROOT, 'test-results', `bench-graph-${nodes}.png`) }).catch(() => undefined);
} finally {
  await context.close();
  serve.kill('SIGTERM');
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const r of results) console.log(JSON.stringify(r)), console.log(`${r.engine}  boxes ${r.nodes}  drawn nodes ${r.domNodes}  layout ${r.layoutMs} ms  first paint ${r.firstPaintMs} ms  fit-all paint ${r.fitAllMs} ms`);
console.log(`(first paint: from the IR in hand, layout worker running, to the first view painted; cold page start to first paint: median ${median(results.map((r) => r.fromPageStartMs))} ms, of which worker boot ${median(results.map((r) => r.workerBootMs))} ms)`);
console.log(`median of ${runs}: layout ${median(results.map((r) => r.layoutMs))} ms, first paint ${median(results.map((r) => r.firstPaintMs))} ms (target: under 1000 ms), then Fit (whole graph) ${median(results.map((r) => r.fitAllMs))} ms`);
