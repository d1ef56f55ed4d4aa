/** The bench's "Kiln via Python" package on a machine Kiln has no target for: a stated reason, not a linux-x64 package. */
import { afterEach, describe, expect, it } from 'vitest';
import { benchPythonPackage } from '../../src-compiler/bench/pypackage.ts';
import { VariantUnavailable } from '../../src-compiler/bench/variants.ts';

const real = { platform: process.platform, arch: process.arch };
const pretend = (platform: string, arch: string) => {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });
  Object.defineProperty(process, 'arch', { value: arch, configurable: true });
};
afterEach(() => pretend(real.platform, real.arch));

describe('benchPythonPackage', () => {
  it('on a host that is not a Kiln target, skips the variant and says why (it used to package the library as linux-x64)', async () => {
    pretend('freebsd', 'x64');
    const attempt = benchPythonPackage({ unit: { exports: [] } as never, module: 'fma', buildDir: '/nonexistent', library: '/nonexistent/libkiln_fma.so', unitSource: '', toolchain: {} as never, python: 'python3' });
    await expect(attempt).rejects.toThrow(VariantUnavailable);
    await expect(attempt).rejects.toMatchObject({ status: 'skipped', message: expect.stringMatching(/^this machine \(freebsd-x64\) is not a Kiln target, so the Python package has no library for it \(it loads one of linux-x64, .*macos-arm64.*\)$/) });
  });
});
