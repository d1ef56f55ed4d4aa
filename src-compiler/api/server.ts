/**
 * Browser mode: the studio's renderer and API over HTTP + WebSocket, on 127.0.0.1 only. A random token in
 * the URL guards the page and the API; the first load with it sets a session cookie (HttpOnly,
 * SameSite=Strict, named after the port) so that a reload, which no longer has the token in its address,
 * is let in too. Host and Origin checks stop DNS rebinding and other sites.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiHost } from './handlers.ts';
import { connectClient } from './connection.ts';
import type { ServerMessage } from './schema.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
  "connect-src 'self'", "worker-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};

export interface ServeOptions {
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  dbPath?: string;
  /** A fixed token (tests); default: 32 random bytes. */
  token?: string;
  version?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  host: ApiHost;
  close(): Promise<void>;
}

const stringify = (m: ServerMessage) => JSON.stringify(m, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const token = o.token ?? crypto.randomBytes(32).toString('base64url');
  const host = new ApiHost({ mode: 'browser', dbPath: o.dbPath, version: o.version });
  host.database(); // a corrupt database is reported now, before the URL is printed
  let port = o.port ?? 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const same = (given: string | null | undefined, secret: string) =>
    !!given && given.length === secret.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(secret));
  const tokenOk = (given: string | null) => same(given, token);
  // The session cookie: its own random value (not the token), scoped to this server by its name (cookies
  // are per host, not per port), sent by the browser to this origin only (SameSite=Strict), unreadable by scripts.
  const session = crypto.randomBytes(32).toString('base64url');
  const cookieName = () => `kiln_session_${port}`;
  const sessionOk = (req: http.IncomingMessage) => {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const i = part.indexOf('=');
      if (i > 0 && part.slice(0, i).trim() === cookieName() && same(part.slice(i + 1).trim(), session)) return true;
    }
    return false;
  };
  const root = path.resolve(o.rendererDir);

  const server = http.createServer((req, res) => {
    const deny = (status: number, text: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(text);
    };
    if (!allowedHosts().has(req.headers.host ?? '')) return deny(421, 'wrong Host header: open the studio at the URL kiln serve printed');
    if (req.headers.origin && !allowedOrigins().has(req.headers.origin)) return deny(403, 'cross-origin requests are refused');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(405, 'method not allowed');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    let rel = decodeURIComponent(url.pathname);
    const headers: Record<string, string> = {};
    if (rel === '/' || rel === '/index.html') {
      if (tokenOk(url.searchParams.get('token'))) headers['Set-Cookie'] = `${cookieName()}=${session}; HttpOnly; SameSite=Strict; Path=/`;
      else if (!sessionOk(req)) return deny(401, 'this studio needs its token: open the full URL that `kiln serve` printed');
      rel = '/index.html';
    }
    const file = path.resolve(root, `.${rel}`);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return deny(404, 'not found');
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': rel === '/index.html' ? 'no-store' : 'no-cache',
      ...headers,
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const refuse = (status: string) => { socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`); socket.destroy(); };
    if (url.pathname !== '/api') return refuse('404 Not Found');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse('421 Misdirected Request');
    if (!allowedOrigins().has(req.headers.origin ?? '')) return refuse('403 Forbidden');
    if (!tokenOk(url.searchParams.get('token')) && !sessionOk(req)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const conn = connectClient(host, (m) => { if (ws.readyState === ws.OPEN) ws.send(stringify(m)); });
      ws.on('message', (data) => {
        try { conn.receive(JSON.parse(String(data))); } catch { /* not JSON: ignored */ }
      });
      ws.on('close', () => conn.close());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`, port, token, host,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
      host.close();
    },
  };
}
