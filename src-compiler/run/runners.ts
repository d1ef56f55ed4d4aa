/**
 * Runners: how a harness built for a target is executed on this machine. Each is an argv prefix for
 * `runHarness` (the harness path is appended), or the reason it cannot run here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { cacheDir, KILN_ROOT } from '../paths.ts';

export type RunnerKind = 'native' | 'qemu-user' | 'node-wasi' | 'wine' | 'none';

export interface RunnerStatus {
  kind: RunnerKind;
  available: boolean;
  /** argv prefix: [] for native. */
  command?: string[];
  version?: string;
  reason?: string;
}

export const WASI_RUNNER = path.join(KILN_ROOT, 'src-compiler', 'run', 'wasi-runner.mjs');

export function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch { /* next */ }
  }
  return undefined;
}

const versions = new Map<string, Promise<string | undefined>>();
function versionOf(cmd: string, args: string[]): Promise<string | undefined> {
  const key = `${cmd} ${args.join(' ')}`;
  let v = versions.get(key);
  if (!v) {
    v = execa(cmd, args, { reject: false, timeout: 60_000, env: { WINEDEBUG: '-all' } }).then((r) => (r.exitCode === 0 ? `${r.stdout}`.split('\n')[0].trim() : undefined), () => undefined);
    versions.set(key, v);
  }
  return v;
}

/** Wine's prefix lives in Kiln's cache so it never touches the user's ~/.wine. */
export function winePrefix(): string {
  return path.join(cacheDir(), 'wine-prefix');
}

export async function runnerStatus(kind: RunnerKind, opts: { qemu?: string } = {}): Promise<RunnerStatus> {
  switch (kind) {
    case 'native':
      return { kind, available: true, command: [] };
    case 'node-wasi':
      return { kind, available: true, command: [process.execPath, '--no-warnings', WASI_RUNNER], version: `node ${process.version}` };
    case 'qemu-user': {
      const bin = opts.qemu ?? 'qemu-aarch64';
      const p = which(bin);
      if (!p) return { kind, available: false, reason: `${bin} not found (install Debian's qemu-user)` };
      // Kiln's harnesses are static; a dynamic one (from a user's cross gcc) finds its libc in Debian's cross sysroot.
      const sysroot = QEMU_SYSROOTS[bin]?.find((d) => fs.existsSync(d));
      return { kind, available: true, command: sysroot ? ['env', `QEMU_LD_PREFIX=${sysroot}`, p] : [p], version: (await versionOf(p, ['--version']))?.replace(/ \(.*$/, '') };
    }
    case 'wine': {
      const p = which('wine') ?? which('wine64');
      if (!p) return { kind, available: false, reason: 'wine not found (optional: apt-get install wine)' };
      const v = await versionOf(p, ['--version']);
      if (!v) return { kind, available: false, reason: `${p} --version failed` };
      // env(1) sets a private prefix and silences Wine's debug channels; the harness is appended.
      return { kind, available: true, command: ['env', `WINEPREFIX=${winePrefix()}`, 'WINEDEBUG=-all', p], version: v };
    }
    default:
      return { kind: 'none', available: false, reason: 'no way to execute this target on this machine' };
  }
}

const QEMU_SYSROOTS: Record<string, string[]> = {
  'qemu-aarch64': ['/usr/aarch64-linux-gnu'],
  'qemu-arm': ['/usr/arm-linux-gnueabihf'],
  'qemu-riscv64': ['/usr/riscv64-linux-gnu'],
};

export function hostCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
