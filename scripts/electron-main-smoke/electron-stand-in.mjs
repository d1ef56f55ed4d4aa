// A stand-in for Electron's main-process API (only what src-main/main.ts calls), recording what main does
// with it: dialogs, links, windows. Used by run.mjs; never by the app.
export const calls = [];
const handlers = {};
globalThis.__ipc = handlers;
class BrowserWindow {
  constructor(o) { this.o = o; this.webContents = { on() {}, setWindowOpenHandler() {} }; BrowserWindow.all.push(this); calls.push(['window', o.webPreferences]); }
  once() {} loadURL(u) { calls.push(['loadURL', u]); }
  static all = [];
  static getAllWindows() { return BrowserWindow.all; }
  static getFocusedWindow() { return BrowserWindow.all[0]; }
  static fromWebContents() { return BrowserWindow.all[0]; }
}
export { BrowserWindow };
export const app = {
  enableSandbox() {}, whenReady: async () => {}, getVersion: () => '0.1.0-smoke', getPath: () => process.env.KILN_SMOKE_DIR,
  on(ev, fn) { (app.ev ??= {})[ev] = fn; }, relaunch() { calls.push(['relaunch']); }, exit(c) { calls.push(['exit', c]); globalThis.__exited?.(c); },
};
export const Menu = { setApplicationMenu() {}, buildFromTemplate: (t) => t };
export const dialog = {
  showOpenDialog: async (_w, o) => { calls.push(['showOpenDialog', o.title]); return { canceled: false, filePaths: [process.env.KILN_SMOKE_PROJECT] }; },
  showMessageBox: async (_w, o) => { calls.push(['showMessageBox', o.message, o.detail]); return { response: 1 }; },
};
export const ipcMain = { on(ch, fn) { handlers[ch] = fn; } };
export const net = { fetch() {} };
export const protocol = { registerSchemesAsPrivileged() {}, handle() {} };
export const session = { defaultSession: { webRequest: { onHeadersReceived() {} }, setPermissionRequestHandler() {} } };
export const shell = { openExternal: async (u) => calls.push(['openExternal', u]), openPath: async (p) => { calls.push(['openPath', p]); return ''; } };
export default { app, BrowserWindow, Menu, dialog, ipcMain, net, protocol, session, shell };
