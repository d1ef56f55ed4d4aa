/// <reference lib="webworker" />
/** Graph layout off the UI thread: ELK's layered algorithm on the graph that graph.ts built. */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from './graph.ts';

const elk = new ELK();

self.onmessage = async (e: MessageEvent<{ id: number; graph: ElkNode }>) => {
  const { id, graph } = e.data;
  try {
    const laid = await elk.layout(graph as never);
    (self as unknown as Worker).postMessage({ id, laid });
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: String((err as Error)?.message ?? err) });
  }
};
