/**
 * The database schema, as numbered migrations. Append only: never edit a migration that has shipped;
 * add the next number. `PRAGMA user_version` records how far a database has come.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'builds',
    sql: `
      CREATE TABLE builds (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        project TEXT,
        file TEXT NOT NULL,
        function TEXT,
        source_hash TEXT NOT NULL,
        target TEXT NOT NULL,
        toolchain TEXT,
        toolchain_version TEXT,
        flags TEXT,
        duration_ms REAL,
        size_bytes INTEGER,
        status TEXT NOT NULL,
        first_line TEXT,
        log TEXT,
        artifact_path TEXT,
        verification_json TEXT,
        origin TEXT NOT NULL DEFAULT 'cli'
      );
      CREATE INDEX builds_by_function ON builds(function, target, created_at);
    `,
  },
  {
    version: 2,
    name: 'build batches, projects and settings',
    sql: `
      ALTER TABLE builds ADD COLUMN batch_id TEXT;
      ALTER TABLE builds ADD COLUMN module TEXT;
      CREATE INDEX builds_by_time ON builds(created_at);
      CREATE INDEX builds_by_target ON builds(target, created_at);
      CREATE TABLE projects (
        path TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        last_opened_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        targets_json TEXT
      );
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
      );
    `,
  },
];
