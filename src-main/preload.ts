/**
 * The preload: the only bridge between the sandboxed renderer and the main process. It exposes one
 * message channel (the same messages as browser mode's WebSocket) and nothing of Node.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';

type Listener = (m: unknown) => void;
const listeners: Listener[] = [];
ipcRenderer.on('kiln:message', (_event, m: unknown) => {
  for (const l of listeners) l(m);
});

contextBridge.exposeInMainWorld('kiln', {
  send: (m: unknown) => ipcRenderer.send('kiln:message', m),
  onMessage: (l: Listener) => { listeners.push(l); },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
