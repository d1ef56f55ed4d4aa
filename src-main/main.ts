/**
 * Kiln Studio's Electron main process: one window, menus, native dialogs, and the API (the same handlers
 * as browser mode, src-compiler/api) over one IPC channel. Security per Electron's checklist: context
 * isolation, sandboxed renderer without Node, a strict CSP, navigation and new windows blocked, external
 * links only http(s) in the system browser, and every IPC message checked for its sender.
 *
 * The API itself does not run here: main forks a plain Node process (src-compiler/api/host-process.ts,
 * through HostRelay) that hosts it, because better-sqlite3 is built for Node's ABI, not Electron's, and
 * compiler work must never stall this process. Main relays each window's messages to it and answers its
 * requests that need Electron: the native folder dialog, opening a link in the system browser, and showing
 * an export's folder in the file manager.
 */
import { app, BrowserWindow, Menu, dialog, ipcMain, net, protocol, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HostRelay, type RelayClient } from '../src-compiler/api/host-relay.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const rendererDir = path.join(root, 'out', 'renderer');
// The renderer is served from a privileged custom scheme (not file://): a real origin for CSP 'self'
// and for the layout web worker, and nothing else on disk is reachable from the page.
const SCHEME = 'kiln';
const ORIGIN = `${SCHEME}://studio`;
const rendererUrl = `${ORIGIN}/index.html`;
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

app.enableSandbox();

function isTrustedSender(frame: { url: string } | null | undefined, win: BrowserWindow | null): boolean {
  if (!frame || !win) return false;
  return frame.url.split(/[?#]/)[0] === rendererUrl;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 980,
    minHeight: 620,
    title: 'Kiln Studio',
    show: false,
    webPreferences: {
      preload: path.join(root, 'out', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  guardNavigation(win.webContents);
  void win.loadURL(rendererUrl);
  return win;
}

function guardNavigation(contents: WebContents) {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}

function openExternal(url: string) {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' || u.protocol === 'http:') void shell.openExternal(u.toString());
  } catch {
    // not a URL: ignored
  }
}

async function main() {
  await app.whenReady();
  protocol.handle(SCHEME, (request) => {
    const url = new URL(request.url);
    const file = path.resolve(rendererDir, `.${decodeURIComponent(url.pathname)}`);
    if (url.host !== 'studio' || !file.startsWith(rendererDir + path.sep)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).href);
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  let quitting = false;
  const relay = new HostRelay({
    root,
    // The Node that ran `npm start` (scripts/start.mjs passes it), else `node` on PATH.
    node: process.env.KILN_NODE || undefined,
    host: { mode: 'electron', version: app.getVersion(), dbPath: process.env.KILN_DB ?? path.join(app.getPath('userData'), 'kiln.db') },
    pickFolder: async (purpose) => {
      const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options: Electron.OpenDialogOptions = {
        title: purpose === 'project' ? 'Open a Python project' : 'Export to folder',
        properties: purpose === 'project' ? ['openDirectory'] : ['openDirectory', 'createDirectory'],
      };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : r.filePaths[0] ?? null;
    },
    openExternal: async (url) => openExternal(url),
    // The API host checked that it is a folder (shell.openPath would run a file).
    openFolder: async (folder) => {
      const error = await shell.openPath(folder);
      if (error) throw new Error(error);
    },
    onExit: (reason) => {
      if (quitting) return;
      // Pending calls have already failed with this reason; say it plainly rather than leave a dead window.
      const win = BrowserWindow.getAllWindows()[0];
      const box: Electron.MessageBoxOptions = {
        type: 'error', title: 'Kiln Studio', message: 'The Kiln compiler process stopped', detail: `${reason}.\n\nBuilds and views need it: restart Kiln Studio.`,
        buttons: ['Restart Kiln Studio', 'Quit'], defaultId: 0, cancelId: 1,
      };
      void (win ? dialog.showMessageBox(win, box) : dialog.showMessageBox(box)).then(({ response }) => {
        if (response === 0) app.relaunch();
        app.exit(1);
      });
    },
  }).start();
  app.on('before-quit', () => { quitting = true; relay.stop(); });

  const connections = new Map<number, RelayClient>();
  ipcMain.on('kiln:message', (event, message) => {
    const win = BrowserWindow.fromWebContents(event.sender);
    if (!isTrustedSender(event.senderFrame, win)) return; // sender validation: only our own page
    let conn = connections.get(event.sender.id);
    if (!conn) {
      const wc = event.sender;
      conn = relay.connect((m) => { if (!wc.isDestroyed()) wc.send('kiln:message', m); });
      connections.set(wc.id, conn);
      wc.once('destroyed', () => { conn?.close(); connections.delete(wc.id); });
    }
    conn.receive(message);
  });

  Menu.setApplicationMenu(Menu.buildFromTemplate([
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Kiln on the web', click: () => openExternal('https://www.npmjs.com/') }] },
  ]));

  createWindow();
  app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) createWindow(); });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

app.on('web-contents-created', (_e, contents) => guardNavigation(contents));
void main();
