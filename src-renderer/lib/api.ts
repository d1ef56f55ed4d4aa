/**
 * The typed API client. Same calls over two transports: Electron IPC (the preload's `window.kiln`) or,
 * in browser mode, a WebSocket to `kiln serve` with the token from the page URL. Knows nothing of Node.
 */
import type { ApiEvent, ArgsOf, CallName, ClientMessage, ProgressOf, ResultOf, ServerMessage, ApiErrorBody } from '../../src-compiler/api/schema.ts';

export interface Bridge {
  send(m: ClientMessage): void;
  onMessage(listener: (m: ServerMessage) => void): void;
  /** Electron only: the file-system path of a dropped File. */
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    kiln?: Bridge;
  }
}

export class ApiCallError extends Error {
  constructor(public readonly body: ApiErrorBody) {
    super(body.message);
  }
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  onProgress?(p: unknown): void;
}

export interface CallOptions<N extends CallName> {
  onProgress?: (p: ProgressOf<N>) => void;
  signal?: AbortSignal;
}

/**
 * The token from the page's address, once: it is dropped from the address bar (and so from screenshots,
 * history and referrers). The first load also set a session cookie (HttpOnly: scripts never see it), which
 * lets a reload in, and the WebSocket too when there is no token in hand.
 */
function tokenFromPage(): string {
  const url = new URL(location.href);
  const token = url.searchParams.get('token') ?? '';
  if (token) {
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return token;
}

function webSocketBridge(): Bridge & { ready: Promise<void> } {
  const token = tokenFromPage();
  const listeners: ((m: ServerMessage) => void)[] = [];
  const queue: ClientMessage[] = [];
  let ws: WebSocket;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const connect = () => {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    ws = new WebSocket(`${proto}://${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    ws.onopen = () => {
      resolveReady();
      for (const m of queue.splice(0)) ws.send(JSON.stringify(m));
    };
    ws.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as ServerMessage;
      for (const l of listeners) l(m);
    };
    ws.onclose = () => {
      for (const l of listeners) l({ type: 'event', event: { kind: 'disconnected' } as unknown as ApiEvent });
    };
  };
  connect();
  return {
    ready,
    send(m) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
      else queue.push(m);
    },
    onMessage(l) {
      listeners.push(l);
    },
  };
}

export class ApiClient {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private eventListeners = new Set<(e: ApiEvent) => void>();
  readonly mode: 'electron' | 'browser';

  constructor(private readonly bridge: Bridge) {
    this.mode = window.kiln ? 'electron' : 'browser';
    bridge.onMessage((m) => this.receive(m));
  }

  private receive(m: ServerMessage) {
    if (m.type === 'event') {
      for (const l of this.eventListeners) l(m.event);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') p.onProgress?.(m.progress);
    else {
      this.pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(new ApiCallError(m.error));
    }
  }

  call<N extends CallName>(name: N, args: ArgsOf<N>, opts: CallOptions<N> = {}): Promise<ResultOf<N>> {
    const id = this.nextId++;
    return new Promise<ResultOf<N>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: opts.onProgress as (p: unknown) => void });
      if (opts.signal) {
        if (opts.signal.aborted) this.bridge.send({ type: 'cancel', id });
        else opts.signal.addEventListener('abort', () => this.bridge.send({ type: 'cancel', id }), { once: true });
      }
      this.bridge.send({ type: 'call', id, name, args });
    });
  }

  onEvent(listener: (e: ApiEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  pathForFile(file: File): string | null {
    return this.bridge.pathForFile?.(file) ?? null;
  }
}

export const api = new ApiClient(window.kiln ?? webSocketBridge());

export function errorMessage(e: unknown): string {
  if (e instanceof ApiCallError) return e.body.diagnostic ? `${e.body.diagnostic.message}` : e.body.message;
  return (e as Error)?.message ?? String(e);
}
