/**
 * Making folders, and the output folders a user names (`kiln compile --out`, `kiln export --out`,
 * `--log-dir`, the studio's export folder): made and proven writable before any work starts, or a clear
 * error naming the folder and the OS's reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KilnError } from './diagnostics.ts';

/**
 * `mkdir -p`, one level at a time. Not fs.mkdirSync(dir, { recursive: true }): in Node 20 that never returns
 * when the OS answers mkdir with ENOENT although the parent exists (procfs does: /proc/nope): it makes the
 * parent (EEXIST) and tries the folder again, forever, at full CPU. Throws the OS's error instead.
 */
export function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      // Made meanwhile by another process (two builds of one file at once): what was wanted.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(d).isDirectory()) throw e;
    }
  }
}

/**
 * Makes an output folder the user named and checks that files can be written in it. `what` names the
 * option or setting it came from ("--out", "export folder"), so the error points at the user's input.
 */
export function prepareOutputFolder(dir: string, what: string): string {
  const abs = path.resolve(dir);
  const fail = (reason: string) => new KilnError({
    severity: 'error', file: dir, line: 0, col: 0, construct: what,
    message: `cannot write to the output folder ${abs} (${what}): ${reason}`, hint: 'choose a folder you can write to',
  });
  try {
    if (fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() === false) throw fail('it is a file, not a folder');
    makeFolder(abs);
  } catch (e) {
    throw e instanceof KilnError ? e : fail((e as Error).message);
  }
  const probe = path.join(abs, `.kiln-write-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    fs.writeFileSync(probe, '');
  } catch (e) {
    throw fail((e as Error).message);
  }
  fs.rmSync(probe, { force: true });
  return abs;
}
