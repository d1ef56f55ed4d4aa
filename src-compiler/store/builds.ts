/**
 * Build history: one row per (build, target). The CLI (`kiln compile`) and the studio both record here,
 * so builds made from the command line appear in the studio's history.
 */
import crypto from 'node:crypto';
import type { KilnDb } from './db.ts';
import { KilnError } from '../diagnostics.ts';

export type BuildStatus = 'verified' | 'built-not-executed' | 'built' | 'failed' | 'cancelled';

export interface NewBuild {
  project?: string | null;
  file: string;
  module?: string | null;
  /** The functions the build compiled (one row holds them all). */
  functions: string[];
  source: string;
  target: string;
  toolchain?: string | null;
  toolchainVersion?: string | null;
  flags?: string[];
  durationMs?: number | null;
  sizeBytes?: number | null;
  status: BuildStatus;
  firstLine?: string | null;
  log?: string | null;
  artifactPath?: string | null;
  verification?: unknown;
  origin: 'cli' | 'studio';
  batchId?: string;
}

export interface BuildRecord {
  id: number;
  createdAt: string;
  batchId: string | null;
  project: string | null;
  file: string;
  module: string | null;
  functions: string[];
  sourceHash: string;
  target: string;
  toolchain: string | null;
  toolchainVersion: string | null;
  flags: string[];
  durationMs: number | null;
  sizeBytes: number | null;
  status: BuildStatus;
  firstLine: string | null;
  artifactPath: string | null;
  origin: string;
}

export interface BuildDetail extends BuildRecord {
  log: string;
  verification: unknown;
}

export const sourceHash = (source: string) => crypto.createHash('sha256').update(source).digest('hex');
export const newBatchId = () => crypto.randomUUID();

export function recordBuild(db: KilnDb, b: NewBuild): number {
  const r = db.prepare(`INSERT INTO builds (project, file, module, function, source_hash, target, toolchain, toolchain_version, flags,
      duration_ms, size_bytes, status, first_line, log, artifact_path, verification_json, origin, batch_id)
    VALUES (@project, @file, @module, @function, @sourceHash, @target, @toolchain, @toolchainVersion, @flags,
      @durationMs, @sizeBytes, @status, @firstLine, @log, @artifactPath, @verification, @origin, @batchId)`).run({
    project: b.project ?? null, file: b.file, module: b.module ?? null, function: b.functions.join(','),
    sourceHash: sourceHash(b.source), target: b.target, toolchain: b.toolchain ?? null, toolchainVersion: b.toolchainVersion ?? null,
    flags: (b.flags ?? []).join(' '), durationMs: b.durationMs ?? null, sizeBytes: b.sizeBytes ?? null, status: b.status,
    firstLine: b.firstLine ?? null, log: b.log ?? null, artifactPath: b.artifactPath ?? null,
    verification: b.verification === undefined ? null : JSON.stringify(b.verification, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    origin: b.origin, batchId: b.batchId ?? newBatchId(),
  });
  return Number(r.lastInsertRowid);
}

export interface BuildQuery {
  function?: string;
  target?: string;
  project?: string;
  file?: string;
  /** Builds of files inside this folder (the studio's project), whoever made them. */
  under?: string;
  status?: string;
  limit?: number;
  beforeId?: number;
}

const COLUMNS = `id, created_at, batch_id, project, file, module, function, source_hash, target, toolchain, toolchain_version, flags,
  duration_ms, size_bytes, status, first_line, artifact_path, origin`;

function toRecord(r: any): BuildRecord {
  return {
    id: r.id, createdAt: r.created_at, batchId: r.batch_id, project: r.project, file: r.file, module: r.module,
    functions: r.function ? String(r.function).split(',') : [], sourceHash: r.source_hash, target: r.target,
    toolchain: r.toolchain, toolchainVersion: r.toolchain_version, flags: r.flags ? String(r.flags).split(' ') : [],
    durationMs: r.duration_ms, sizeBytes: r.size_bytes, status: r.status, firstLine: r.first_line,
    artifactPath: r.artifact_path, origin: r.origin,
  };
}

/** Newest first, filtered by function (any of the build's functions), target, project, file or status. */
export function listBuilds(db: KilnDb, q: BuildQuery = {}): BuildRecord[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.function) { where.push(`(',' || function || ',') LIKE @fn ESCAPE '\\'`); params.fn = `%,${q.function.replace(/[\\%_]/g, (c) => `\\${c}`)},%`; }
  if (q.target) { where.push('target = @target'); params.target = q.target; }
  if (q.project) { where.push('project = @project'); params.project = q.project; }
  if (q.file) { where.push('file = @file'); params.file = q.file; }
  if (q.under) {
    // Builds of its files, and of the whole project (recorded with the folder itself as the file).
    where.push(`(substr(file, 1, length(@under)) = @under OR file = @underRoot)`);
    params.under = q.under.endsWith('/') ? q.under : `${q.under}/`;
    params.underRoot = q.under.replace(/\/$/, '');
  }
  if (q.status) { where.push('status = @status'); params.status = q.status; }
  if (q.beforeId) { where.push('id < @beforeId'); params.beforeId = q.beforeId; }
  params.limit = Math.max(1, Math.min(q.limit ?? 200, 1000));
  const sql = `SELECT ${COLUMNS} FROM builds ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
  return db.prepare(sql).all(params).map(toRecord);
}

export function getBuild(db: KilnDb, id: number): BuildDetail | undefined {
  const r: any = db.prepare(`SELECT ${COLUMNS}, log, verification_json FROM builds WHERE id = ?`).get(id);
  if (!r) return undefined;
  return { ...toRecord(r), log: r.log ?? '', verification: r.verification_json ? JSON.parse(r.verification_json) : null };
}

/** Distinct functions and targets seen in history (for the filters). */
export function buildFacets(db: KilnDb, project?: string): { functions: string[]; targets: string[] } {
  const rows = db.prepare(`SELECT DISTINCT function, target FROM builds ${project ? 'WHERE project = ?' : ''}`).all(...(project ? [project] : [])) as { function: string; target: string }[];
  const fns = new Set<string>();
  const targets = new Set<string>();
  for (const r of rows) {
    for (const f of (r.function ?? '').split(',')) if (f) fns.add(f);
    targets.add(r.target);
  }
  return { functions: [...fns].sort(), targets: [...targets].sort() };
}

// ---- projects and settings ------------------------------------------------------------------------

export interface ProjectRecord {
  path: string;
  name: string;
  lastOpenedAt: string;
  targets: string[] | null;
}

export function touchProject(db: KilnDb, projectPath: string, name: string): void {
  db.prepare(`INSERT INTO projects (path, name) VALUES (?, ?)
    ON CONFLICT(path) DO UPDATE SET name = excluded.name, last_opened_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`).run(projectPath, name);
}

export function recentProjects(db: KilnDb, limit = 10): ProjectRecord[] {
  return (db.prepare('SELECT path, name, last_opened_at, targets_json FROM projects ORDER BY last_opened_at DESC LIMIT ?').all(limit) as any[]).map((r) => ({
    path: r.path, name: r.name, lastOpenedAt: r.last_opened_at, targets: r.targets_json ? JSON.parse(r.targets_json) : null,
  }));
}

export function projectTargets(db: KilnDb, projectPath: string): string[] | null {
  const r = db.prepare('SELECT targets_json FROM projects WHERE path = ?').get(projectPath) as { targets_json: string | null } | undefined;
  return r?.targets_json ? JSON.parse(r.targets_json) : null;
}

export function setProjectTargets(db: KilnDb, projectPath: string, targets: string[]): void {
  db.prepare(`INSERT INTO projects (path, name, targets_json) VALUES (?, ?, ?)
    ON CONFLICT(path) DO UPDATE SET targets_json = excluded.targets_json`).run(projectPath, projectPath.split(/[\\/]/).pop() ?? projectPath, JSON.stringify(targets));
}

export function getSetting<T>(db: KilnDb, key: string): T | undefined {
  const r = db.prepare('SELECT value_json FROM settings WHERE key = ?').get(key) as { value_json: string } | undefined;
  return r ? (JSON.parse(r.value_json) as T) : undefined;
}

export function setSetting(db: KilnDb, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json').run(key, JSON.stringify(value));
}

/**
 * What the user is told when a build could not be written to the history (a full disk, a locked, read-only
 * or damaged database): the build itself stands, but it will be missing from the history.
 */
export function notRecordedWarning(dbFile: string, e: unknown): string {
  const why = e instanceof KilnError ? e.diagnostic.message : (e as Error)?.message ?? String(e);
  return `the build was not recorded in the history (${dbFile}): ${why}`;
}

/**
 * What `kiln compile` calls after building the host library: records one row in the given (or default)
 * database. Returns a warning instead of failing the compile when the database cannot be written.
 */
export async function recordCliBuild(dbPath: string | undefined, b: Omit<NewBuild, 'origin'>): Promise<string | undefined> {
  const { openDb, defaultDbPath } = await import('./db.ts');
  try {
    const db = openDb(dbPath);
    try {
      recordBuild(db, { ...b, origin: 'cli' });
    } finally {
      db.close();
    }
    return undefined;
  } catch (e) {
    return `warning: ${notRecordedWarning(dbPath ?? defaultDbPath(), e)}`;
  }
}
