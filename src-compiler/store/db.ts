/**
 * Kiln's SQLite store (better-sqlite3): build history, verifications and benchmark results, shared by
 * the CLI and the studio. WAL mode, numbered migrations, and a corrupt file is reported, never overwritten.
 */
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { KilnError } from '../diagnostics.ts';
import { MIGRATIONS } from './migrations.ts';
import { makeFolder } from '../folders.ts';

export type KilnDb = Database.Database;

/** The default database: in the user-data folder (the studio passes Electron's userData). */
export function defaultDbPath(): string {
  if (process.env.KILN_DB) return process.env.KILN_DB;
  const base = process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'kiln', 'kiln.db');
}

export function openDb(file = defaultDbPath()): KilnDb {
  makeFolder(path.dirname(file));
  let db: KilnDb | undefined;
  try {
    db = new Database(file, { timeout: 10_000 });
    db.pragma('busy_timeout = 10000');
    // Read-only checks first: a damaged or newer file must be left byte for byte as it was.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
  } catch (e) {
    db?.close();
    throw new KilnError({
      severity: 'error', file, line: 0, col: 0, construct: 'database',
      message: `the database is not readable (${(e as Error).message}); it was left untouched`,
      hint: 'move the file aside to start a new history, or pass another file with --db',
    });
  }
  try {
    refuseNewer(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

function refuseNewer(db: KilnDb, file: string) {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new KilnError({ severity: 'error', file, line: 0, col: 0, construct: 'database', message: `the database has schema version ${current}, newer than this Kiln (${latest}); it was left untouched`, hint: 'update Kiln' });
  }
}

export function migrate(db: KilnDb, file = ''): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new KilnError({ severity: 'error', file, line: 0, col: 0, construct: 'database', message: `the database has schema version ${current}, newer than this Kiln (${latest}); it was left untouched`, hint: 'update Kiln' });
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
