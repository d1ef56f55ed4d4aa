/// <reference lib="webworker" />
/**
 * Graph layout off the UI thread: ELK's layered algorithm for graphs up to ELK_LIMIT nodes, and the fast
 * layered layout of graph.ts past it (ELK needs seconds there). The answer is only the boxes' positions,
 * as one transferred Float64Array (see packPositions): cloning the whole laid-out tree back cost more
 * than the fast layout itself.
 */
import { fastLayout, packPositions, type ElkNode } from './graph.ts';

export const ELK_LIMIT = 120;
let elk: Promise<{ layout(g: unknown): Promise<unknown> }> | undefined;
// ELK is 2.6 MB of JavaScript: loaded on first use only.
// Loaded inside a worker, elk.bundled.js installs its own self.onmessage: ours is put back right after.
const getElk = (): Promise<{ layout(g: unknown): Promise<unknown> }> => (elk ??= import('elkjs/lib/elk.bundled.js').then((m) => {
  const instance = new m.default();
  self.onmessage = onMessage;
  return instance;
}));

const countLeaves = (n: ElkNode): number => (n.children?.length ? n.children.reduce((a, c) => a + countLeaves(c), 0) : 1);

async function onMessage(e: MessageEvent<{ id: number; graph: ElkNode; ping?: boolean }>) {
  const { id, graph } = e.data;
  // "Ready" means warmed up (the graph bench waits for it, as a user opening a project does).
  if (e.data.ping) return void warm.then(() => (self as unknown as Worker).postMessage({ id, pong: true }));
  const started = performance.now();
  try {
    const big = countLeaves(graph) > ELK_LIMIT;
    const laid = big ? fastLayout(graph) : ((await (await getElk()).layout(graph)) as ElkNode);
    const positions = packPositions(laid);
    const t0 = performance.now();
    (self as unknown as Worker).postMessage({ id, positions, engine: big ? 'fast-layered' : 'elk-layered', layoutMs: Math.round(t0 - started) }, [positions.buffer]);
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: String((err as Error)?.message ?? err) });
  }
}

self.onmessage = onMessage;

// The worker starts with the studio: load ELK and lay out a two-node graph right away, so the first function
// the user opens does not pay for parsing and JIT-compiling 2.6 MB of JavaScript (about a second here, whatever
// the graph's size). A request that comes in meanwhile simply waits for the same promise.
const node = (id: string) => ({ id, width: 10, height: 10 });
const warm = new Promise((r) => setTimeout(r, 0))
  .then(() => getElk())
  .then((e) => e.layout({ id: 'warm-up', children: [node('a'), node('b')], edges: [{ id: 'e', sources: ['a'], targets: ['b'] }] }))
  .catch(() => undefined);
