/** Runs ELK layouts in a web worker (one shared worker; answers matched by id). */
import type { ElkNode } from './graph.ts';

let worker: Worker | undefined;
let next = 1;
const waiting = new Map<number, { resolve(n: ElkNode): void; reject(e: Error): void }>();

export function layoutInWorker(graph: ElkNode): Promise<ElkNode> {
  worker ??= (() => {
    const w = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<{ id: number; laid?: ElkNode; error?: string }>) => {
      const p = waiting.get(e.data.id);
      if (!p) return;
      waiting.delete(e.data.id);
      if (e.data.laid) p.resolve(e.data.laid);
      else p.reject(new Error(e.data.error ?? 'layout failed'));
    };
    return w;
  })();
  const id = next++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker!.postMessage({ id, graph });
  });
}
