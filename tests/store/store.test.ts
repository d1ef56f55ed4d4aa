/** The SQLite store: migrations from empty and from every earlier version, two writing processes, corrupt files. */
import { describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { openDb } from '../../src-compiler/store/db.ts';
import { MIGRATIONS } from '../../src-compiler/store/migrations.ts';
import { getBuild, listBuilds, recordBuild, buildFacets, setProjectTargets, projectTargets, touchProject, recentProjects, setSetting, getSetting } from '../../src-compiler/store/builds.ts';
import { KilnError } from '../../src-compiler/diagnostics.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmpFile = (name = 'kiln.db') => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-store-')), name);
const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const tables = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('numbers migrations 1, 2, ... without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
  });

  it('creates the latest schema in an empty file, in WAL mode', () => {
    const file = tmpFile();
    const db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(tables(db)).toEqual(expect.arrayContaining(['builds', 'projects', 'settings']));
    const id = recordBuild(db, { file: '/p/a.py', module: 'a', functions: ['f', 'g'], source: 'x', target: 'linux-x64', status: 'verified', origin: 'studio', flags: ['-O2'] });
    expect(getBuild(db, id)).toMatchObject({ functions: ['f', 'g'], target: 'linux-x64', status: 'verified', flags: ['-O2'], module: 'a' });
    db.close();
  });

  for (const from of MIGRATIONS.slice(0, -1).map((m) => m.version)) {
    it(`upgrades a database at version ${from} to ${latest} and keeps its rows`, () => {
      const file = tmpFile();
      const raw = new Database(file);
      for (const m of MIGRATIONS.filter((x) => x.version <= from)) raw.exec(m.sql);
      raw.pragma(`user_version = ${from}`);
      raw.prepare("INSERT INTO builds (file, function, source_hash, target, status) VALUES ('/p/old.py', 'old_fn', 'abc', 'linux-x64', 'built')").run();
      raw.close();
      const db = openDb(file);
      expect(db.pragma('user_version', { simple: true })).toBe(latest);
      const rows = listBuilds(db);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ file: '/p/old.py', functions: ['old_fn'], status: 'built' });
      recordBuild(db, { file: '/p/new.py', functions: ['new_fn'], source: 'y', target: 'linux-x64', status: 'verified', origin: 'cli' });
      expect(listBuilds(db).map((b) => b.functions[0])).toEqual(['new_fn', 'old_fn']);
      db.close();
    });
  }

  it('renames host builds recorded as <platform>-<arch> (darwin-arm64, win32-x64) to the registry ids the studio uses', () => {
    const file = tmpFile();
    const raw = new Database(file);
    for (const m of MIGRATIONS.filter((x) => x.version <= 3)) raw.exec(m.sql);
    raw.pragma('user_version = 3');
    const old = ['darwin-arm64', 'darwin-x64', 'win32-x64', 'win32-arm64', 'linux-arm', 'linux-x64', 'linux-arm64', 'wasm32'];
    for (const target of old) raw.prepare("INSERT INTO builds (file, function, source_hash, target, status) VALUES ('/p/a.py', 'f', 'abc', ?, 'built')").run(target);
    raw.close();
    const db = openDb(file);
    expect(listBuilds(db).map((b) => b.target).reverse()).toEqual(['macos-arm64', 'macos-x64', 'windows-x64', 'windows-arm64', 'linux-armv7', 'linux-x64', 'linux-arm64', 'wasm32']);
    db.close();
  });

  it('refuses a database from a newer Kiln and leaves it untouched', () => {
    const file = tmpFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${latest + 5}`);
    raw.close();
    const before = sha(file);
    expect(() => openDb(file)).toThrow(/newer than this Kiln/);
    expect(sha(file)).toBe(before);
  });
});

describe('queries', () => {
  it('filters history by function, target and folder, newest first', () => {
    const db = openDb(tmpFile());
    recordBuild(db, { file: '/proj/a.py', functions: ['fma', 'fma_loop'], source: '1', target: 'linux-x64', status: 'verified', origin: 'studio' });
    recordBuild(db, { file: '/proj/a.py', functions: ['fma'], source: '2', target: 'linux-arm64', status: 'built-not-executed', origin: 'studio' });
    recordBuild(db, { file: '/other/b.py', functions: ['fma_x'], source: '3', target: 'linux-x64', status: 'failed', origin: 'cli' });
    recordBuild(db, { file: '/proj2/c.py', functions: ['g'], source: '4', target: 'linux-x64', status: 'built', origin: 'cli' });
    expect(listBuilds(db, { function: 'fma' }).map((b) => b.target)).toEqual(['linux-arm64', 'linux-x64']);
    expect(listBuilds(db, { function: 'fma_loop' })).toHaveLength(1);
    expect(listBuilds(db, { target: 'linux-x64' })).toHaveLength(3);
    expect(listBuilds(db, { under: '/proj' }).map((b) => b.file)).toEqual(['/proj/a.py', '/proj/a.py']);
    expect(listBuilds(db, { function: '%' })).toHaveLength(0);
    expect(buildFacets(db)).toEqual({ functions: ['fma', 'fma_loop', 'fma_x', 'g'], targets: ['linux-arm64', 'linux-x64'] });
    touchProject(db, '/proj', 'proj');
    setProjectTargets(db, '/proj', ['linux-x64', 'wasm32-wasi']);
    expect(projectTargets(db, '/proj')).toEqual(['linux-x64', 'wasm32-wasi']);
    expect(recentProjects(db)[0]).toMatchObject({ path: '/proj', name: 'proj' });
    setSetting(db, 'studio', { optLevel: 'O3' });
    expect(getSetting(db, 'studio')).toEqual({ optLevel: 'O3' });
    db.close();
  });
});

describe('two processes writing at once', () => {
  it('keeps every row from both writers', async () => {
    const file = tmpFile();
    openDb(file).close();
    const n = 150;
    const run = (tag: string) => execa(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/store/writer.ts'), file, String(n), tag], { cwd: ROOT });
    const [a, b] = await Promise.all([run('a'), run('b')]);
    expect(a.stdout).toBe('done');
    expect(b.stdout).toBe('done');
    const db = openDb(file);
    expect(listBuilds(db, { function: 'f_a', limit: 1000 })).toHaveLength(n);
    expect(listBuilds(db, { function: 'f_b', limit: 1000 })).toHaveLength(n);
    db.close();
  });
});

describe('a corrupt database', () => {
  it('is reported clearly and never overwritten (not a database at all)', () => {
    const file = tmpFile();
    fs.writeFileSync(file, Buffer.alloc(8192, 'this is not an SQLite database\n'));
    const before = sha(file);
    let error: unknown;
    try { openDb(file); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(KilnError);
    expect((error as KilnError).diagnostic.message).toMatch(/not readable .*left untouched/);
    expect((error as KilnError).diagnostic.file).toBe(file);
    expect(sha(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('is reported clearly and never overwritten (damaged pages)', () => {
    const file = tmpFile();
    const db = openDb(file);
    for (let i = 0; i < 300; i++) recordBuild(db, { file: '/p/a.py', functions: ['f'], source: String(i), target: 'linux-x64', status: 'built', origin: 'cli', log: 'x'.repeat(500) });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = fs.readFileSync(file);
    bytes.fill(0xa5, 4096 * 2, 4096 * 6); // scribble over pages 3..6 (b-tree pages)
    fs.writeFileSync(file, bytes);
    const before = sha(file);
    expect(() => openDb(file)).toThrow(/not readable|malformed|corrupt/);
    expect(sha(file)).toBe(before);
  });

  it('kiln compile still writes the library, and warns that the build is not in the history', async () => {
    const file = tmpFile();
    fs.writeFileSync(file, 'not a database, but a note the user keeps here');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-store-out-'));
    const r = await execa(process.execPath, [path.join(ROOT, 'bin/kiln.mjs'), 'compile', 'examples/fma.py', '--out', out, '--db', file], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(0);
    expect(fs.existsSync(path.join(out, 'fma', 'libkiln_fma.so'))).toBe(true);
    expect(r.stderr).toContain(`warning: the build was not recorded in the history (${file}): the database is not readable`);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a database, but a note the user keeps here');
  });
});
