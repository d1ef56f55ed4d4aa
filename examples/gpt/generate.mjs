// Greedy generation with the tiny GPT of gpt.py, exported as a wasm ES module by
//   node bin/kiln.mjs export examples/gpt/gpt.py --target wasm32 --out kiln-export/gpt
// (this file imports the module from ./js/, the folder that export writes).
import { gpt_logits } from './js/kiln_gpt.mjs';

/** The logits of gpt_logits(tokens, seed): { data: Float64Array (rows of n_vocab), shape: [n, n_vocab] }. */
export function logits(tokens, seed) {
  return gpt_logits(BigInt64Array.from(tokens, (t) => BigInt(t)), BigInt(seed));
}

/** The prompt followed by `steps` tokens, each the argmax of the last row of logits (the first on ties, as np.argmax). */
export function generate(prompt, steps, seed) {
  const tokens = [...prompt];
  for (let s = 0; s < steps; s++) {
    const { data, shape } = logits(tokens, seed);
    const [n, vocab] = shape;
    let best = 0;
    for (let v = 1; v < vocab; v++) if (data[(n - 1) * vocab + v] > data[(n - 1) * vocab + best]) best = v;
    tokens.push(best);
  }
  return tokens;
}
