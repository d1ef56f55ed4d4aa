/** Runs ELK layouts in a web worker (one shared worker; answers matched by id). The worker answers with the
 * positions only; they are written into the caller's graph, which is returned laid out. */
import { unpackPositions, type ElkNode } from './graph.ts';

let worker: Worker | undefined;
let next = 1;
const waiting = new Map<number, { graph: ElkNode; resolve(n: ElkNode): void; reject(e: Error): void }>();
export let lastEngine = '';
export let lastWorkerLayoutMs = 0;

function startWorker(): Worker {
  return (worker ??= (() => {
    const w = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<{ id: number; positions?: Float64Array; error?: string; engine?: string }>) => {
      lastEngine = e.data.engine ?? '';
      lastWorkerLayoutMs = (e.data as { layoutMs?: number }).layoutMs ?? 0;
      const p = waiting.get(e.data.id);
      if (!p) return;
      waiting.delete(e.data.id);
      if ((e.data as { pong?: boolean }).pong) p.resolve(p.graph);
      else if (e.data.positions) p.resolve(unpackPositions(p.graph, e.data.positions));
      else p.reject(new Error(e.data.error ?? 'layout failed'));
    };
    return w;
  })());
}

/** Started with the page, so the first graph does not wait for the worker to boot. */
if (typeof Worker !== 'undefined') startWorker();

/** Resolves once the worker runs and has warmed ELK up (it is started with the page; the graph benchmark times layouts from there). */
export function workerReady(): Promise<void> {
  startWorker();
  const id = next++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { graph: { id: 'ping' }, resolve: () => resolve(), reject });
    worker!.postMessage({ id, ping: true });
  });
}

export function layoutInWorker(graph: ElkNode): Promise<ElkNode> {
  startWorker();
  const id = next++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { graph, resolve, reject });
    worker!.postMessage({ id, graph });
  });
}
