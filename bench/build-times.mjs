#!/usr/bin/env node
// Build-time benchmark per target (a benchmark, not a test): for each target, on an empty Zig cache and
// an empty Kiln cache,
//   cold   = first build: Zig builds that target's libc (and CRT) + the library + the harness;
//   warm   = a changed source with Zig's libc cache kept (the usual edit-and-rebuild);
//   cached = the same source again (Kiln's build cache hit: no compiler runs).
// Usage: node bench/build-times.mjs [--targets all|a,b] [--json FILE] [--example examples/fma.py]
// Targets are measured one at a time so their numbers do not share cores.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compileModule, buildUnit } = await import(path.join(root, 'src-compiler/pipeline.ts'));
const { TARGETS, resolveTargetList } = await import(path.join(root, 'src-compiler/targets/registry.ts'));
const { buildOptionsFor } = await import(path.join(root, 'src-compiler/targets/build.ts'));
const { findZig, listTargets, machineSummary } = await import(path.join(root, 'src-compiler/targets/status.ts'));

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const targets = await resolveTargetList(opt('--targets', 'all'));
const example = path.resolve(root, opt('--example', 'examples/fma.py'));
const jsonOut = opt('--json', path.join(root, 'bench/results/build-times.json'));

const compiled = await compileModule(example);
const zig = await findZig();
if (!zig) { console.error('needs the Zig toolchain'); process.exit(2); }
const statuses = await listTargets();
const rows = [];
console.log(`Kiln build times: ${path.relative(root, example)}, ${machineSummary()}, ${zig.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('TARGET              COLD(s)  WARM(s)  CACHED(ms)  BUILT');
for (const id of targets) {
  const t = TARGETS.find((x) => x.id === id);
  const s = statuses.find((x) => x.id === id);
  if (!t) { console.log(`${id.padEnd(18)}  unknown target`); continue; }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `kiln-bench-${id}-`));
  process.env.ZIG_GLOBAL_CACHE_DIR = path.join(scratch, 'zig');
  process.env.KILN_CACHE_DIR = path.join(scratch, 'kiln');
  const what = { library: true, harness: !!s?.executable };
  const o = buildOptionsFor(t, zig);
  const time = async (unit) => { const t0 = performance.now(); const a = await buildUnit(unit, what, o); return [performance.now() - t0, a]; };
  try {
    const [cold] = await time(compiled.unit);
    const changed = { ...compiled.unit, source: `${compiled.unit.source}\n/* bench: changed source */\n` };
    const [warm] = await time(changed);
    const [cached, a] = await time(changed);
    const row = { target: id, coldMs: Math.round(cold), warmMs: Math.round(warm), cachedMs: Math.round(cached * 10) / 10, cachedHit: a.cached, harness: what.harness };
    rows.push(row);
    console.log(`${id.padEnd(18)}  ${(cold / 1000).toFixed(1).padStart(7)}  ${(warm / 1000).toFixed(2).padStart(7)}  ${cached.toFixed(1).padStart(10)}  library${what.harness ? ' + harness' : ''}`);
  } catch (e) {
    rows.push({ target: id, error: String(e.message ?? e).split('\n')[0] });
    console.log(`${id.padEnd(18)}  failed: ${String(e.message ?? e).split('\n')[0]}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
fs.mkdirSync(path.dirname(jsonOut), { recursive: true });
fs.writeFileSync(jsonOut, `${JSON.stringify({ example: path.relative(root, example), machine: machineSummary(), toolchain: zig.version, date: new Date().toISOString(), rows }, null, 2)}\n`);
console.log(`written ${path.relative(process.cwd(), jsonOut)}`);
