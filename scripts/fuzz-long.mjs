#!/usr/bin/env node
// The fuzzer's long run (issue 19): many programs at low priority, then the figures for the README.
//   node scripts/fuzz-long.mjs [--count 20000] [--seed 1] [--features scalars] [--targets host] [--jobs 2] [--out DIR]
// Prints kiln fuzz's report (programs generated, compiled, compared, mismatches, failures, documented limits,
// refusals by reason), then the same figures as Markdown; reproducers of any problem go to --out.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const opts = { count: '20000', seed: '1', features: 'scalars', targets: 'host', jobs: '2', out: fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-fuzz-long-')) };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in opts) || argv[i + 1] === undefined) {
    console.error(`usage: node scripts/fuzz-long.mjs [--count N] [--seed S] [--features LIST] [--targets LIST] [--jobs J] [--out DIR] (got ${argv[i]})`);
    process.exit(2);
  }
  opts[key] = argv[i + 1];
}
fs.mkdirSync(opts.out, { recursive: true });
const json = path.join(opts.out, 'figures.json');
const args = ['-n', '10', process.execPath, path.join(root, 'bin/kiln.mjs'), 'fuzz', '--count', opts.count, '--seed', opts.seed, '--features', opts.features,
  '--targets', opts.targets, '--jobs', opts.jobs, '--out', opts.out, '--reduce', '10', '--json', json];
console.error(`$ nice ${args.slice(2).join(' ')}`);
const started = Date.now();
const r = spawnSync('nice', args, { cwd: root, stdio: 'inherit' });
if (!fs.existsSync(json)) process.exit(r.status ?? 1);
const s = JSON.parse(fs.readFileSync(json, 'utf8'));
const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(1)} %` : '-');
const hours = ((Date.now() - started) / 3.6e6).toFixed(1);
const lines = [
  '',
  `Markdown (kiln fuzz --seed ${s.seed} --count ${s.generated} --features ${s.features.join(',')} --targets ${s.targets.join(',')}, ${hours} h, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}):`,
  '',
  '| programs generated | refused | compiled | compared | mismatches | failures | documented limits (calls / programs) | calls compared |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  `| ${s.generated} | ${s.refused} (${pct(s.refused, s.generated)}) | ${s.compiled} | ${s.compared} | ${s.mismatches} | ${s.failures} | ${s.limitCalls} / ${s.limitPrograms} | ${Object.values(s.perTarget).reduce((n, t) => n + t.calls, 0)} |`,
  '',
  '| refusals | share of programs | kind | reason |',
  '| ---: | ---: | --- | --- |',
  ...s.refusals.map((x) => `| ${x.count} | ${pct(x.count, s.generated)} | ${x.typing ? 'typing' : 'subset'} | ${x.reason.replace(/\|/g, '\\|')} |`),
];
console.log(lines.join('\n'));
process.exit(r.status ?? 0);
