/**
 * A compiler that does not work is reported with the reason it did not (not found, not executable, not a
 * program for this machine, crashed, exited with an error, printed no version), never a bare "not found".
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { compileC, hostToolchain, probeToolchain, toolchainFromCommand, toolchainInstallHint } from '../../src-compiler/targets/toolchain.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-toolchain-'));
const script = (name: string, body: string, mode = 0o755) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode });
  return p;
};

describe('probeToolchain', () => {
  it('gives the version of a working compiler', async () => {
    expect(await probeToolchain([script('clang', 'echo "clang version 99.1.0"')], false)).toEqual({ ok: true, version: 'clang version 99.1.0' });
    expect(await probeToolchain([script('zig', 'echo 0.11.0')], true)).toEqual({ ok: true, version: '0.11.0' });
  });

  it('says why a compiler does not work', async () => {
    const missing = path.join(tmp, 'nowhere', 'zig');
    expect(await probeToolchain([missing], true)).toEqual({ ok: false, problem: `${missing} not found` });
    expect(await probeToolchain(['kiln-no-such-compiler'], false)).toEqual({ ok: false, problem: 'kiln-no-such-compiler not found on PATH' });
    const noExec = script('zig-noexec', 'echo 0.11.0', 0o644);
    expect(await probeToolchain([noExec], true)).toEqual({ ok: false, problem: `${noExec} is not executable (permission denied)` });
    expect(await probeToolchain([tmp], false)).toEqual({ ok: false, problem: `${tmp} is a folder, not a compiler` });
    const crashes = script('crashes', 'echo "loading libLLVM" >&2\nkill -SEGV $$');
    expect(await probeToolchain([crashes], false)).toEqual({ ok: false, problem: `\`${crashes} --version\` crashed (SIGSEGV): loading libLLVM` });
    const fails = script('fails', 'echo "error: unable to find libc" >&2\nexit 3');
    expect(await probeToolchain([fails], true)).toEqual({ ok: false, problem: `\`${fails} version\` exited with code 3: error: unable to find libc` });
    const silent = script('silent', 'exit 1');
    expect(await probeToolchain([silent], false)).toEqual({ ok: false, problem: `\`${silent} --version\` exited with code 1 (it printed nothing)` });
    const notZig = script('zig-impostor', 'echo "usage: impostor [options]"');
    expect(await probeToolchain([notZig], true)).toEqual({ ok: false, problem: `\`${notZig} version\` printed 'usage: impostor [options]', not a Zig version` });
  });

  it('a chosen compiler and a target override carry the reason', async () => {
    const noExec = script('zig-locked', 'echo 0.11.0', 0o600);
    await expect(hostToolchain({ path: noExec, source: 'Settings › Toolchain path' })).rejects.toThrow(`Settings › Toolchain path: ${noExec} does not work: ${noExec} is not executable (permission denied)`);
    const fails = script('gcc-broken', 'echo "cc1: fatal error: cannot load plugin" >&2\nexit 4');
    await expect(toolchainFromCommand(`${fails} --target=x`, 'toolchain for linux-arm64')).rejects.toThrow(`the toolchain '${fails} --target=x' does not work: \`${fails} --version\` exited with code 4: cc1: fatal error: cannot load plugin`);
  });

  it('KILN_CC that does not work is an error naming it and the reason, not a silent fall-back to another compiler', async () => {
    const broken = script('zig-broken', 'echo "zig: cannot open lib dir" >&2\nexit 2');
    const r = await execa(process.execPath, [path.join(root, 'bin/kiln.mjs'), 'run', 'examples/fma.py::fma', '3', '-1', '2'], { cwd: root, reject: false, env: { KILN_CC: broken } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`KILN_CC: error: KILN_CC=${broken} does not work: \`${broken} version\` exited with code 2: zig: cannot open lib dir`);
    expect(r.stderr).not.toMatch(/at .*\.(ts|js|mjs):\d+/);
  });

  it('tells a user on this OS what to install', () => {
    expect(toolchainInstallHint()).toMatch(process.platform === 'linux' && process.arch === 'x64' ? /npm install.*Zig 0\.11/ : /install Zig 0\.11/);
  });
});

describe('compileC', () => {
  it('emits no debug info unless the caller asks for it with -g (zig cc would at every -O level, for a fifth of the build time)', async () => {
    const src = path.join(tmp, 'tiny.c');
    fs.writeFileSync(src, 'static int twice(int x) { return 2 * x; }\nint main(int argc, char **argv) { (void)argv; return twice(argc) - 2; }\n');
    const toolchain = await hostToolchain();
    const build = async (name: string, extraFlags?: string[]) => {
      const output = path.join(tmp, name);
      const r = await compileC({ toolchain, sources: [src], output, kind: 'exe', extraFlags });
      expect(r.ok, r.log).toBe(true);
      return fs.readFileSync(output).includes('.debug_info');
    };
    expect(await build('plain')).toBe(false);
    expect(await build('with-g', ['-g'])).toBe(true);
  });
});
