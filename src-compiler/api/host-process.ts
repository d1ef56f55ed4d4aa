/**
 * The API host process: the desktop app's main process forks this file under plain Node (through tsx) and
 * relays the renderer's messages to it over the IPC channel (see host-protocol.ts and host-relay.ts). It
 * runs ApiHost (the same handlers as browser mode), with one connection per window, and asks main for the
 * native folder dialog and for opening links. It exits when main goes away.
 */
import { ApiHost } from './handlers.ts';
import { connectClient, type ApiConnection } from './connection.ts';
import { HOST_OPTIONS_ENV, type FromHostMessage, type HostProcessOptions, type MainRequestName, type MainRequests, type ToHostMessage } from './host-protocol.ts';

// The channel to main carries JSON (Electron's V8 and this Node's differ, so not V8 serialization):
// big ints go as decimal strings, as browser mode's WebSocket sends them (server.ts).
(BigInt.prototype as unknown as { toJSON: () => string }).toJSON = function toJSON(this: bigint) { return this.toString(); };

function send(m: FromHostMessage) {
  if (process.connected) process.send!(m);
}

const pendingMain = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextRequest = 0;

/** A request to main (the dialog, the system browser), answered by a 'main-reply'. */
function askMain<N extends MainRequestName>(method: N, args: MainRequests[N]['args']): Promise<MainRequests[N]['result']> {
  const id = ++nextRequest;
  return new Promise((resolve, reject) => {
    pendingMain.set(id, { resolve: resolve as (v: unknown) => void, reject });
    send({ kind: 'main-request', id, method, args });
  });
}

function main() {
  if (!process.send) {
    console.error('host-process.ts is the desktop app\'s API host: it runs as a child of the main process (with an IPC channel), not on its own');
    process.exit(2);
  }
  const options: HostProcessOptions = JSON.parse(process.env[HOST_OPTIONS_ENV] ?? '{"mode":"electron"}');
  const host = new ApiHost({
    mode: options.mode, dbPath: options.dbPath, version: options.version, watch: options.watch,
    pickFolder: (purpose) => askMain('pickFolder', { purpose }),
    openExternal: async (url) => { await askMain('openExternal', { url }); },
    openFolder: async (folder) => { await askMain('openFolder', { path: folder }); },
  });
  const connections = new Map<number, ApiConnection>();

  process.on('message', (raw: ToHostMessage) => {
    if (!raw || typeof raw !== 'object') return;
    if (raw.kind === 'client-message') {
      let conn = connections.get(raw.client);
      if (!conn) {
        const client = raw.client;
        conn = connectClient(host, (message) => send({ kind: 'server-message', client, message }));
        connections.set(client, conn);
      }
      conn.receive(raw.message);
    } else if (raw.kind === 'client-closed') {
      connections.get(raw.client)?.close();
      connections.delete(raw.client);
    } else if (raw.kind === 'main-reply') {
      const p = pendingMain.get(raw.id);
      pendingMain.delete(raw.id);
      if (raw.error !== undefined) p?.reject(new Error(raw.error));
      else p?.resolve(raw.result);
    }
  });
  // Main went away (closed or crashed): nothing is left to serve.
  process.on('disconnect', () => {
    for (const c of connections.values()) c.close();
    host.close();
    process.exit(0);
  });
  send({ kind: 'ready' });
}

main();
