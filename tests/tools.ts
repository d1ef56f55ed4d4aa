/**
 * The optional tools some tests need (qemu-user, Wine, Chromium), found as Kiln finds them: on PATH. A fresh
 * machine has none of them (`.ci/run` installs them); a test that needs one is skipped there with the reason,
 * printed once, and the tests around it assert what Kiln does without it.
 */
import { execaSync } from 'execa';
import { which } from '../src-compiler/run/runners.ts';

/** The reason a tool is missing, or false when it is on PATH. */
export function toolMissing(command: string, install: string): string | false {
  return which(command) ? false : `${command} is not on PATH (${install}; .ci/run installs it)`;
}

export const qemuMissing = (qemu = 'qemu-aarch64') => toolMissing(qemu, "apt-get install qemu-user");
export const wineMissing = () => (which('wine') || which('wine64') ? false : 'wine is not on PATH (apt-get install wine; .ci/run installs it)');

/** Debian's Chromium: KILN_CHROMIUM, else chromium or chromium-browser on PATH. */
export const CHROMIUM = process.env.KILN_CHROMIUM ?? which('chromium') ?? which('chromium-browser');
export const chromiumMissing = (): string | false =>
  CHROMIUM ? false : 'chromium is not on PATH and KILN_CHROMIUM is not set (apt-get install chromium; .ci/run installs it)';

const said = new Set<string>();
/** A test name that says it was skipped and why, and the same on the console once per file. */
export function skippedBecause(name: string, reason: string | false): string {
  if (!reason) return name;
  if (!said.has(reason)) {
    said.add(reason);
    console.warn(`skipped: ${name}: ${reason}`);
  }
  return `${name} — skipped: ${reason}`;
}

/**
 * `-fno-lto` for a test's own C build (a runtime driver, a valgrind harness) where it costs nothing extra. Zig links
 * an optimised executable with LTO, which optimises the program a second time at link: a driver is one C file and a
 * valgrind harness needs no inlining across its two, so that second pass is a sixth to a third of the build's CPU
 * (str_driver.c: 5.6 -> 3.9 s; a string corpus harness at -O1: 3.5 -> 2.9 s). Without LTO Zig also caches the linked
 * executable, so a second identical build (vmath and vmath-softmax, threads and threads-count) is free.
 * Only for glibc Linux: for musl, WASI and MinGW Zig would build the libc once more without LTO (str_driver.c for
 * aarch64-linux-musl: 55 s of CPU on a machine that had the LTO one). The product's builds keep Zig's default.
 */
export function noLtoFlags(triple?: string): string[] {
  return (triple ? /-linux-gnu/.test(triple) : process.platform === 'linux') ? ['-fno-lto'] : [];
}

/** The first of $KILN_PYTHON, python3 and Debian's /usr/bin/python3 that imports NumPy (the reference for NumPy-typed functions), or undefined. */
export function pythonWithNumpy(): string | undefined {
  for (const py of [process.env.KILN_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[]) {
    try {
      execaSync(py, ['-c', 'import numpy']);
      return py;
    } catch {
      /* try the next */
    }
  }
  return undefined;
}
