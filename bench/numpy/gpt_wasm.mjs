// The GPT forward pass in the exported wasm ES module under Node (run by bench/numpy/gpt.ts):
//   node gpt_wasm.mjs MODULE.mjs WEIGHTS_DIR SHAPES_JSON PAIRS
// reads the inputs gpt_compare.py wrote, prints "wasm_ms max_rel" (median of PAIRS timings of a batch of calls,
// in the process's CPU time; the largest difference from NumPy's logits over their largest magnitude).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modPath, dir, shapesJson, pairsArg] = process.argv.slice(2);
const m = await import(pathToFileURL(modPath).href);
const shapes = JSON.parse(shapesJson);
const read = (name, Type) => {
  const b = fs.readFileSync(path.join(dir, `${name}.bin`));
  return new Type(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const tokens = read('tokens', BigInt64Array);
const arrays = ['wte', 'wpe', 'w_qkv', 'w_proj', 'w_fc', 'w_out'].map((n) => ({ data: read(n, Float64Array), shape: shapes[n] }));
const want = read('logits', Float64Array);
const got = m.gpt_forward(tokens, ...arrays).data;
let worst = 0;
let big = 0;
for (let i = 0; i < want.length; i++) { worst = Math.max(worst, Math.abs(got[i] - want[i])); big = Math.max(big, Math.abs(want[i])); }
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = cpuMs();
m.gpt_forward(tokens, ...arrays);
const reps = Math.max(1, Math.round(50 / Math.max(0.01, cpuMs() - t0)));
const times = [];
for (let p = 0; p < Number(pairsArg); p++) {
  const t = cpuMs();
  for (let r = 0; r < reps; r++) m.gpt_forward(tokens, ...arrays);
  times.push((cpuMs() - t) / reps);
}
times.sort((a, b) => a - b);
console.log(`${times[times.length >> 1].toFixed(4)}\t${(worst / big).toPrecision(3)}`);
