/**
 * The main-process side of the API host (host-process.ts): forks it under plain Node, relays each window's
 * messages to it and back, answers its requests for the folder dialog and the system browser, and, when
 * the host dies, fails every pending call with a clear error and reports why. No Electron here (main
 * passes the dialog and the browser in), and nothing of the compiler: the Electron main process bundles
 * this file and never loads better-sqlite3 or runs compiler work itself.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientMessage, ServerMessage } from './schema.ts';
import { HOST_OPTIONS_ENV, type FromHostMessage, type HostProcessOptions, type MainRequestName, type MainRequests, type ToHostMessage } from './host-protocol.ts';

export interface HostRelayOptions {
  /** The Kiln checkout: host-process.ts and tsx are found from here. */
  root: string;
  /** The Node binary for the host: default $KILN_NODE (set by `npm start`), else `node` on PATH. */
  node?: string;
  host: HostProcessOptions;
  /** What only main can do. */
  pickFolder: (purpose: 'project' | 'export') => Promise<string | null>;
  openExternal: (url: string) => Promise<void>;
  /** Shows a folder in the system's file manager (an export's folder). */
  openFolder?: (folder: string) => Promise<void>;
  /** Called once when the host process stops (crash, kill, or it could not start), with the reason. */
  onExit?: (reason: string) => void;
  /** Extra environment for the host. */
  env?: Record<string, string>;
}

export interface RelayClient {
  /** A message from the window (a ClientMessage): passed to the host. */
  receive(message: unknown): void;
  close(): void;
}

export const HOST_EXITED = 'host-exited';

/** The host's entry and how to run it: `node --import <tsx> src-compiler/api/host-process.ts`. */
export function hostCommand(root: string): { entry: string; execArgv: string[] } {
  const tsx = createRequire(path.join(root, 'package.json')).resolve('tsx');
  return { entry: path.join(root, 'src-compiler', 'api', 'host-process.ts'), execArgv: ['--import', pathToFileURL(tsx).href] };
}

export class HostRelay {
  private child?: ChildProcess;
  private ready = false;
  private queue: ToHostMessage[] = [];
  private clients = new Map<number, { send: (m: ServerMessage) => void; pending: Set<number> }>();
  private nextClient = 0;
  private stderrTail = '';
  /** Why the host stopped, once it has. */
  exitReason: string | null = null;

  constructor(private readonly o: HostRelayOptions) {}

  get node(): string {
    return this.o.node ?? process.env.KILN_NODE ?? 'node';
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): this {
    const { entry, execArgv } = hostCommand(this.o.root);
    const child = fork(entry, [], {
      execPath: this.node, execArgv, cwd: this.o.root,
      // JSON, not 'advanced': Electron's V8 and Node 20's write different serialization versions.
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      env: { ...process.env, ...this.o.env, KILN_ROOT: this.o.root, [HOST_OPTIONS_ENV]: JSON.stringify(this.o.host) },
    });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => {
      process.stderr.write(d);
      this.stderrTail = (this.stderrTail + d.toString()).slice(-4000);
    });
    child.on('message', (m: FromHostMessage) => this.fromHost(m));
    child.on('error', (e: NodeJS.ErrnoException) => {
      this.stopped(e.code === 'ENOENT'
        ? `could not start Node for the compiler process ('${this.node}' not found): set KILN_NODE to a Node 20 binary`
        : `the compiler process failed: ${e.message}`);
    });
    child.on('exit', (code, signal) => {
      const last = this.stderrTail.trim().split('\n').filter(Boolean).at(-1);
      this.stopped(`the compiler process stopped (${signal ? `signal ${signal}` : `exit code ${code}`})${last ? `: ${last}` : ''}`);
    });
    return this;
  }

  /** One window: its messages go to the host, the host's answers and events come back through `send`. */
  connect(send: (m: ServerMessage) => void): RelayClient {
    const client = ++this.nextClient;
    const state = { send, pending: new Set<number>() };
    this.clients.set(client, state);
    return {
      receive: (message: unknown) => {
        const m = message as ClientMessage;
        if (!m || typeof m !== 'object' || typeof m.id !== 'number') return;
        if (m.type === 'call') {
          if (this.exitReason) return send(this.exitError(m.id));
          state.pending.add(m.id);
        }
        this.toHost({ kind: 'client-message', client, message: m });
      },
      close: () => {
        this.clients.delete(client);
        if (!this.exitReason) this.toHost({ kind: 'client-closed', client });
      },
    };
  }

  /** Stops the host (the app is quitting). */
  stop(): void {
    this.child?.removeAllListeners('exit');
    this.child?.kill();
  }

  private exitError(id: number): ServerMessage {
    return { type: 'error', id, error: { code: HOST_EXITED, message: `${this.exitReason}. Restart Kiln Studio.` } };
  }

  private toHost(m: ToHostMessage) {
    if (this.exitReason) return;
    if (!this.ready) this.queue.push(m);
    else this.child?.send(m);
  }

  private fromHost(m: FromHostMessage) {
    if (m.kind === 'ready') {
      this.ready = true;
      for (const q of this.queue.splice(0)) this.child?.send(q);
    } else if (m.kind === 'server-message') {
      const c = this.clients.get(m.client);
      if (!c) return;
      if (m.message.type === 'result' || m.message.type === 'error') c.pending.delete(m.message.id);
      c.send(m.message);
    } else if (m.kind === 'main-request') {
      void this.answer(m.id, m.method, m.args);
    }
  }

  private async answer(id: number, method: MainRequestName, args: MainRequests[MainRequestName]['args']) {
    let reply: ToHostMessage;
    try {
      let result: unknown = null;
      if (method === 'pickFolder') result = await this.o.pickFolder((args as MainRequests['pickFolder']['args']).purpose);
      else if (method === 'openExternal') await this.o.openExternal((args as MainRequests['openExternal']['args']).url);
      else if (method === 'openFolder') {
        if (!this.o.openFolder) throw new Error('opening a folder is not available here');
        await this.o.openFolder((args as MainRequests['openFolder']['args']).path);
      }
      reply = { kind: 'main-reply', id, result };
    } catch (e) {
      reply = { kind: 'main-reply', id, error: (e as Error)?.message ?? String(e) };
    }
    if (!this.exitReason && this.child?.connected) this.child.send(reply);
  }

  private stopped(reason: string) {
    if (this.exitReason) return;
    this.exitReason = reason;
    this.queue = [];
    for (const c of this.clients.values()) {
      for (const id of c.pending) c.send(this.exitError(id));
      c.pending.clear();
    }
    this.o.onExit?.(reason);
  }
}
