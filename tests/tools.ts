/**
 * The optional tools some tests need (qemu-user, Wine, Chromium), found as Kiln finds them: on PATH. A fresh
 * machine has none of them (`.ci/run` installs them); a test that needs one is skipped there with the reason,
 * printed once, and the tests around it assert what Kiln does without it.
 */
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
