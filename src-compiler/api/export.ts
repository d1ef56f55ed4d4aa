/**
 * Export: copies what past builds made (the shared library, its C header, the runtime header) into a
 * folder, one sub-folder per target, with a manifest. Behind this one function so that the bundles of
 * `kiln export` can replace it later without touching the transports or the UI.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KilnDb } from '../store/db.ts';
import { getBuild } from '../store/builds.ts';
import type { ExportSummary } from './schema.ts';
import { makeFolder, prepareOutputFolder } from '../folders.ts';

export function exportBuilds(db: KilnDb, buildIds: number[], folder: string): ExportSummary {
  const summary: ExportSummary = { folder, written: [], skipped: [] };
  prepareOutputFolder(folder, 'export folder');
  for (const id of buildIds) {
    const b = getBuild(db, id);
    if (!b) { summary.skipped.push({ buildId: id, target: '?', reason: 'no such build in the history' }); continue; }
    if (!b.artifactPath || !fs.existsSync(b.artifactPath)) {
      summary.skipped.push({ buildId: id, target: b.target, reason: b.artifactPath ? `the library is gone from ${b.artifactPath}; build again` : `the build ${b.status === 'failed' ? 'failed' : 'made no library'}` });
      continue;
    }
    const dir = path.join(folder, b.target);
    makeFolder(dir);
    const srcDir = path.dirname(b.artifactPath);
    const files = [path.basename(b.artifactPath)];
    const header = b.module ? `kiln_${b.module.replace(/[^A-Za-z0-9_]/g, '_')}.h` : undefined;
    if (header && fs.existsSync(path.join(srcDir, header))) files.push(header);
    if (fs.existsSync(path.join(srcDir, 'kiln_runtime.h'))) files.push('kiln_runtime.h');
    for (const f of files) {
      const to = path.join(dir, f);
      fs.copyFileSync(path.join(srcDir, f), to);
      summary.written.push({ path: to, bytes: fs.statSync(to).size, target: b.target });
    }
    const manifest = {
      kiln: 1, module: b.module, functions: b.functions, target: b.target, status: b.status,
      sourceFile: b.file, sourceHash: b.sourceHash, toolchain: b.toolchainVersion, flags: b.flags,
      builtAt: b.createdAt, buildId: b.id, files,
    };
    const mpath = path.join(dir, 'kiln-manifest.json');
    fs.writeFileSync(mpath, `${JSON.stringify(manifest, null, 2)}\n`);
    summary.written.push({ path: mpath, bytes: fs.statSync(mpath).size, target: b.target });
  }
  return summary;
}
