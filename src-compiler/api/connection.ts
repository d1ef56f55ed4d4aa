/**
 * One client of the API (a browser tab over WebSocket, or an Electron window over IPC): receives call and
 * cancel messages, validates them, runs the handler with an AbortSignal, and sends progress, result or
 * error back, plus the host's events. Both transports use this, so they behave the same.
 */
import { validateArgs, isCallName, type ClientMessage, type ServerMessage } from './schema.ts';
import { errorBody, type ApiHost } from './handlers.ts';

export interface ApiConnection {
  receive(message: unknown): void;
  close(): void;
}

export function connectClient(host: ApiHost, send: (m: ServerMessage) => void): ApiConnection {
  const running = new Map<number, AbortController>();
  const unsubscribe = host.onEvent((event) => send({ type: 'event', event }));
  let closed = false;
  const safeSend = (m: ServerMessage) => { if (!closed) send(m); };

  async function call(id: number, name: unknown, rawArgs: unknown) {
    const controller = new AbortController();
    running.set(id, controller);
    try {
      if (!isCallName(name)) throw Object.assign(new Error(`unknown call '${String(name)}'`), { name: 'ApiArgumentError' });
      const args = validateArgs(name, rawArgs);
      const handler = host.handlers[name] as (a: unknown, c: { signal: AbortSignal; progress: (p: unknown) => void }) => Promise<unknown>;
      const result = await handler(args, { signal: controller.signal, progress: (progress) => safeSend({ type: 'progress', id, progress }) });
      safeSend({ type: 'result', id, result });
    } catch (e) {
      safeSend({ type: 'error', id, error: errorBody(e, controller.signal) });
    } finally {
      running.delete(id);
    }
  }

  return {
    receive(message: unknown) {
      const m = message as ClientMessage;
      if (!m || typeof m !== 'object' || typeof m.id !== 'number') return;
      if (m.type === 'call') void call(m.id, m.name, m.args);
      else if (m.type === 'cancel') running.get(m.id)?.abort();
    },
    close() {
      closed = true;
      unsubscribe();
      for (const c of running.values()) c.abort();
      running.clear();
    },
  };
}
