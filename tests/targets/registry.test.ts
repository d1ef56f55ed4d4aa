/** The target registry's data questions: the host's own target id, and target lists as users write them. */
import { afterEach, describe, expect, it } from 'vitest';
import { TARGETS, getTarget, hostTargetId } from '../../src-compiler/targets/registry.ts';
import { resolveTargetList } from '../../src-compiler/targets/status.ts';

const real = { platform: process.platform, arch: process.arch };
const pretend = (platform: string, arch: string) => {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });
  Object.defineProperty(process, 'arch', { value: arch, configurable: true });
};
afterEach(() => pretend(real.platform, real.arch));

describe('hostTargetId', () => {
  // Every Node platform/arch pair Kiln has a target for, and the registry id builds of that machine are recorded under
  // (the CLI's history used to say darwin-arm64 and win32-x64 where the studio said macos-arm64 and windows-x64).
  const hosts: [string, string, string][] = [
    ['linux', 'x64', 'linux-x64'], ['linux', 'arm64', 'linux-arm64'], ['linux', 'arm', 'linux-armv7'], ['linux', 'riscv64', 'linux-riscv64'],
    ['darwin', 'arm64', 'macos-arm64'], ['darwin', 'x64', 'macos-x64'], ['win32', 'x64', 'windows-x64'], ['win32', 'arm64', 'windows-arm64'],
  ];
  for (const [platform, arch, id] of hosts) {
    it(`names a ${platform} ${arch} machine ${id}, a registry target of that OS and architecture`, () => {
      pretend(platform, arch);
      expect(hostTargetId()).toBe(id);
      expect(getTarget(id)).toMatchObject({ library: 'shared' });
    });
  }

  it('names a machine Kiln has no target for <os>-<arch>, which the registry does not know', () => {
    pretend('freebsd', 'x64');
    expect(hostTargetId()).toBe('freebsd-x64');
    expect(getTarget('freebsd-x64')).toBeUndefined();
  });
});

describe('resolveTargetList', () => {
  it('expands all, host, groups and comma-separated ids, once each, and keeps unknown names', async () => {
    expect(await resolveTargetList('all')).toEqual(TARGETS.map((t) => t.id));
    expect(await resolveTargetList('host')).toEqual([hostTargetId()]);
    expect(await resolveTargetList('web,wasm32, linux-x64,amiga-68k')).toEqual(['wasm32', 'linux-x64', 'amiga-68k']);
    expect(await resolveTargetList(['mobile'])).toEqual(TARGETS.filter((t) => t.group === 'mobile').map((t) => t.id));
  });
});
