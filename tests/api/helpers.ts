/** What the API tests share: a host on a fresh database, and a client that talks to it as both transports do. */
import { afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiHost } from '../../src-compiler/api/handlers.ts';
import { connectClient } from '../../src-compiler/api/connection.ts';
import type { ServerMessage } from '../../src-compiler/api/schema.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A host (browser mode, no folder watching) on a database in a new temporary folder, closed after the file. */
export function testHost(prefix: string): { host: ApiHost; tmp: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const host = new ApiHost({ mode: 'browser', dbPath: path.join(tmp, 'kiln.db'), watch: false });
  afterAll(() => host.close());
  return { host, tmp };
}

/** Calls through a connection: every message sent back, the progress events, and cancellation. */
export function client(host: ApiHost) {
  const sent: ServerMessage[] = [];
  const progress: unknown[] = [];
  const waiters = new Map<number, (m: ServerMessage) => void>();
  const conn = connectClient(host, (m) => {
    sent.push(m);
    if (m.type === 'progress') progress.push(m.progress);
    else if (m.type !== 'event') waiters.get(m.id)?.(m);
  });
  let id = 0;
  return {
    sent,
    progress,
    call(name: string, args: unknown, onSent?: (id: number) => void) {
      const my = ++id;
      const p = new Promise<ServerMessage>((r) => waiters.set(my, r));
      conn.receive({ type: 'call', id: my, name, args });
      onSent?.(my);
      return p;
    },
    cancel(my: number) { conn.receive({ type: 'cancel', id: my }); },
  };
}

/** The result of a call, or a thrown error naming what came back instead. */
export function ok<T>(m: ServerMessage): T {
  if (m.type !== 'result') throw new Error(`expected a result, got ${JSON.stringify(m)}`);
  return m.result as T;
}
