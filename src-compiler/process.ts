/**
 * Running a program and collecting what it printed, for the paths every `kiln` command takes (the Python
 * front end, the C compiler, the harness). node:child_process directly: loading execa costs about 30 ms of
 * CPU at each start, more than these calls need. Like execa with `reject: false`: it never throws; the
 * result says how the program ended; the final newline of stdout and stderr is removed.
 */
import { spawn } from 'node:child_process';

export interface ProcessOptions {
  /** Written to stdin, which is then closed; without it stdin is empty. */
  input?: string;
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string | undefined>;
  /** Killed (SIGTERM) after this long; `timedOut` is then true. */
  timeoutMs?: number;
  /** Killed (SIGTERM) when aborted; `isCanceled` is then true. */
  signal?: AbortSignal;
  /** Bytes of stdout and of stderr kept (default 256 MiB); past it the program is killed and `failed`. */
  maxBuffer?: number;
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  all: string;
  exitCode?: number;
  /** The signal that ended the program (SIGSEGV when it crashed). */
  signal?: NodeJS.Signals;
  /** The start failed: ENOENT (not found), EACCES (not executable), ENOEXEC... */
  code?: string;
  timedOut: boolean;
  isCanceled: boolean;
  failed: boolean;
  /** One line saying how it ended, for messages. */
  message: string;
}

const stripFinalNewline = (s: string) => s.replace(/\r?\n$/, '');

export function runProcess(command: string, args: string[], o: ProcessOptions = {}): Promise<ProcessResult> {
  const maxBuffer = o.maxBuffer ?? 256 * 1024 * 1024;
  const shown = [command, ...args].join(' ');
  return new Promise((resolve) => {
    let stdout = '', stderr = '', all = '', timedOut = false, isCanceled = false, overflow = false, settled = false;
    const finish = (r: Omit<ProcessResult, 'stdout' | 'stderr' | 'all' | 'timedOut' | 'isCanceled'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve({ stdout: stripFinalNewline(stdout), stderr: stripFinalNewline(stderr), all: stripFinalNewline(all), timedOut, isCanceled, ...r });
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, { cwd: o.cwd, env: o.env ? { ...process.env, ...o.env } : process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      resolve({ stdout: '', stderr: '', all: '', timedOut: false, isCanceled: false, failed: true, code, message: `${shown}: ${(e as Error).message}` });
      return;
    }
    const kill = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); };
    const timer = o.timeoutMs ? setTimeout(() => { timedOut = true; kill(); }, o.timeoutMs) : undefined;
    const onAbort = () => { isCanceled = true; kill(); };
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    // Decoded by the streams, so a character split between two chunks stays whole.
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    const collect = (which: 'stdout' | 'stderr') => (text: string) => {
      if ((which === 'stdout' ? stdout : stderr).length + text.length > maxBuffer) { overflow = true; kill(); return; }
      if (which === 'stdout') stdout += text; else stderr += text;
      all += text;
    };
    child.stdout!.on('data', collect('stdout'));
    child.stderr!.on('data', collect('stderr'));
    // A program that exits without reading its input closes the pipe: not an error of ours.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(o.input ?? '');
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish({ failed: true, code: e.code, message: `${shown}: ${e.message}` });
    });
    child.on('close', (exitCode, signal) => {
      const how = timedOut ? `timed out after ${o.timeoutMs} ms` : isCanceled ? 'was cancelled' : overflow ? `printed more than ${maxBuffer} bytes`
        : signal ? `was killed with ${signal}` : `exited with code ${exitCode}`;
      finish({ exitCode: exitCode ?? undefined, signal: signal ?? undefined, failed: exitCode !== 0 || timedOut || isCanceled || overflow, message: `${shown} ${how}` });
    });
  });
}
