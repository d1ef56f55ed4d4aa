/**
 * The messages between the desktop app's main process and the API host process (a plain Node child that
 * runs ApiHost: better-sqlite3 is built for Node's ABI, not Electron's, and compiler work must not stall
 * the main process). Main only relays the renderer's messages (ClientMessage / ServerMessage, the same as
 * browser mode's WebSocket) tagged with the window they belong to, and answers the host's requests for the
 * two things only main can do: the native folder dialog and opening a link in the system browser.
 */
import type { ClientMessage, ServerMessage } from './schema.ts';

/** What the host asks of main. */
export interface MainRequests {
  pickFolder: { args: { purpose: 'project' | 'export' }; result: string | null };
  openExternal: { args: { url: string }; result: null };
  openFolder: { args: { path: string }; result: null };
}
export type MainRequestName = keyof MainRequests;

/** main -> host */
export type ToHostMessage =
  | { kind: 'client-message'; client: number; message: ClientMessage }
  | { kind: 'client-closed'; client: number }
  | { kind: 'main-reply'; id: number; result?: unknown; error?: string };

/** host -> main */
export type FromHostMessage =
  | { kind: 'ready' }
  | { kind: 'server-message'; client: number; message: ServerMessage }
  | { kind: 'main-request'; id: number; method: MainRequestName; args: MainRequests[MainRequestName]['args'] };

/** The host's options, passed in its environment as JSON. */
export interface HostProcessOptions {
  dbPath?: string;
  version?: string;
  mode: 'electron' | 'browser';
  watch?: boolean;
}
export const HOST_OPTIONS_ENV = 'KILN_HOST_OPTIONS';
