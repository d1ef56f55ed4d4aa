/**
 * A long-lived child process spoken to one line at a time (the native harness, the Python driver), so
 * a benchmark can calibrate and sample without paying a process start per sample.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import readline from 'node:readline';

/**
 * Every timed process starts with address-space randomisation off (`setarch -R`, Linux), unless
 * KILN_BENCH_ASLR=1. The addresses drawn at start can decide up to 2x on their own: the same fib harness takes
 * 190 us or 320-380 us per call from one start to the next (C's reference 190-250 us), and 195 us every
 * time with randomisation off. Every variant (native harnesses, the Python driver, emulators) gets the same.
 */
const SETARCH = process.platform === 'linux' && process.env.KILN_BENCH_ASLR !== '1'
  ? ['/usr/bin/setarch', '/bin/setarch'].find((p) => fs.existsSync(p)) : undefined;
/** Whether timed processes start with randomisation off (the method line of a run says so). */
export const FIXED_LAYOUT = SETARCH !== undefined;
function fixedLayout(command: string[]): string[] {
  return SETARCH ? [SETARCH, os.machine(), '-R', ...command] : command;
}

export class LineSession {
  private child: ChildProcessWithoutNullStreams;
  private lines: string[] = [];
  private waiting?: { resolve: (l: string) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout };
  private ended?: Error;
  private stderr = '';

  constructor(readonly command: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
    const argv = fixedLayout(command);
    this.child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
    readline.createInterface({ input: this.child.stdout }).on('line', (l) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        if (w.timer) clearTimeout(w.timer);
        w.resolve(l);
      } else this.lines.push(l);
    });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    const end = (why: string) => {
      this.ended ??= new Error(`${command.map((c) => c.split('/').pop()).join(' ')} ${why}${this.stderr.trim() ? `: ${this.stderr.trim().split('\n').pop()}` : ''}`);
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        if (w.timer) clearTimeout(w.timer);
        w.reject(this.ended);
      }
    };
    this.child.on('error', (e) => end(`could not start (${e.message})`));
    this.child.on('exit', (code, signal) => end(signal ? `crashed with ${signal}` : `exited with code ${code}`));
    this.child.stdin.on('error', () => { /* reported by 'exit' */ });
  }

  /** Sends one line and waits for the next line of output. */
  request(line: string, timeoutMs = 120_000): Promise<string> {
    if (this.ended) return Promise.reject(this.ended);
    this.child.stdin.write(line.endsWith('\n') ? line : `${line}\n`);
    if (this.lines.length) return Promise.resolve(this.lines.shift()!);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.waiting.timer = setTimeout(() => {
        this.waiting = undefined;
        this.close();
        reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s (timed out; the process was stopped)`));
      }, timeoutMs);
    });
  }

  close(): void {
    if (this.child.exitCode === null && !this.child.killed) {
      this.child.stdin.end();
      this.child.kill('SIGKILL');
    }
  }
}
