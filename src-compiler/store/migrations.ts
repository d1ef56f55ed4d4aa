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
  {
    version: 3,
    name: 'benchmarks',
    sql: `
      -- One benchmark run: one machine, one toolchain and flag set, one Python; many cases.
      CREATE TABLE bench_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        label TEXT,
        origin TEXT NOT NULL DEFAULT 'cli',
        machine_id TEXT NOT NULL,
        cpu_model TEXT,
        cores INTEGER,
        os TEXT,
        arch TEXT,
        machine_json TEXT NOT NULL,
        toolchain TEXT,
        flags TEXT,
        python TEXT,
        python_json TEXT,
        settings_json TEXT
      );
      -- One variant (cpython, kiln-native, kiln-ctypes, c-ref, rust-ref, numba, pythran, cython) of one case
      -- (function + arguments, a point of a sweep) of a run, with its statistics (times per call, ns).
      CREATE TABLE bench_results (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES bench_runs(id) ON DELETE CASCADE,
        build_id INTEGER REFERENCES builds(id) ON DELETE SET NULL,
        kernel TEXT NOT NULL,
        file TEXT NOT NULL,
        function TEXT NOT NULL,
        signature TEXT,
        args_json TEXT NOT NULL,
        sweep_param TEXT,
        sweep_value REAL,
        iterations_per_call REAL,
        variant TEXT NOT NULL,
        variant_label TEXT,
        variant_version TEXT,
        target TEXT NOT NULL DEFAULT 'host',
        emulated INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        message TEXT,
        result_repr TEXT,
        samples INTEGER,
        reps_per_sample INTEGER,
        min_ns REAL,
        median_ns REAL,
        p90_ns REAL,
        mean_ns REAL,
        max_ns REAL,
        stddev_ns REAL,
        per_iteration_ns REAL,
        noisy INTEGER,
        noise_reason TEXT,
        samples_json TEXT
      );
      CREATE INDEX bench_results_by_run ON bench_results(run_id);
      CREATE INDEX bench_results_by_function ON bench_results(file, function, variant);
    `,
  },
  {
    version: 4,
    name: 'host builds under the target registry ids',
    sql: `
      -- Host builds made by \`kiln compile\` and benchmarks were named <platform>-<arch> as Node names them,
      -- while the studio and the target builds used the registry's ids: one machine's builds had two names.
      UPDATE builds SET target = CASE target
          WHEN 'darwin-arm64' THEN 'macos-arm64'
          WHEN 'darwin-x64' THEN 'macos-x64'
          WHEN 'win32-x64' THEN 'windows-x64'
          WHEN 'win32-arm64' THEN 'windows-arm64'
          WHEN 'linux-arm' THEN 'linux-armv7'
        END
        WHERE target IN ('darwin-arm64', 'darwin-x64', 'win32-x64', 'win32-arm64', 'linux-arm');
    `,
  },
];
