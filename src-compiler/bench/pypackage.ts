/**
 * The exported Python package for the bench's "Kiln via Python" variant: the same package `kiln export`
 * writes (the ctypes functions plus the CPython extension for scalar functions), built for the host into the
 * build folder, with the extension built against the interpreter that runs the benchmark. So the variant
 * measures what a Python user pays per call through `import <module>`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CUnit } from '../lower/abi.ts';
import { TARGETS, getTarget, hostTargetId } from '../targets/registry.ts';
import { VariantUnavailable } from './variants.ts';
import type { Toolchain } from '../targets/toolchain.ts';
import { pythonPackageSource } from '../export/python.ts';
import { buildPythonExtension, pythonFastPathSource, PYEXT_MODULE, type PythonExtensionBuild } from '../export/pyext.ts';
import { makeFolder } from '../folders.ts';

export async function benchPythonPackage(o: {
  unit: CUnit; module: string; buildDir: string; library: string; unitSource: string; toolchain: Toolchain; python: string;
  optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os'; fastMath?: boolean; signal?: AbortSignal;
}): Promise<{ dir: string; extension?: PythonExtensionBuild }> {
  const host = getTarget(hostTargetId());
  if (!host) {
    const hosts = TARGETS.filter((t) => t.library === 'shared' && t.os !== 'wasi').map((t) => t.id).join(', ');
    throw new VariantUnavailable('skipped', `this machine (${hostTargetId()}) is not a Kiln target, so the Python package has no library for it (it loads one of ${hosts})`);
  }
  const key = crypto.createHash('sha256').update(o.python).digest('hex').slice(0, 12);
  const dir = path.join(o.buildDir, 'python', key, o.module);
  const rel = `_libs/${host.id}/${path.basename(o.library)}`;
  makeFolder(path.join(dir, '_libs', host.id));
  const lib = path.join(dir, rel);
  if (!fs.existsSync(lib)) fs.copyFileSync(o.library, lib);
  const init = pythonPackageSource(o.module, o.unit.exports, [{ target: host, file: rel }]) + pythonFastPathSource(o.unit.exports);
  const initPath = path.join(dir, '__init__.py');
  const changed = !fs.existsSync(initPath) || fs.readFileSync(initPath, 'utf8') !== init;
  if (changed) fs.writeFileSync(initPath, init);
  if (!changed && fs.existsSync(path.join(dir, `${PYEXT_MODULE}.abi3.so`))) return { dir };
  const extension = await buildPythonExtension({
    moduleName: o.module, exports: o.unit.exports, unitSource: o.unitSource, headerName: o.unit.headerName, buildDir: o.buildDir, outDir: dir,
    toolchain: o.toolchain, python: o.python, optLevel: o.optLevel, fastMath: o.fastMath, signal: o.signal,
  });
  return { dir, extension };
}
