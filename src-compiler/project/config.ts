/**
 * A project's configuration: the `[tool.kiln]` table of its pyproject.toml. Every key is checked (unknown
 * keys, wrong types, values Kiln cannot use) and each problem is a Diagnostic at the file and line of the key,
 * all of them at once. The studio's project settings write the table back with `writeConfig`, which changes
 * only what changed: comments, order and formatting of everything else stay as the user wrote them
 * (@decimalturn/toml-patch edits the document in place).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, patch } from '@decimalturn/toml-patch';
import { KilnError, type Diagnostic } from '../diagnostics.ts';
import { TARGETS } from '../targets/registry.ts';

export const PYPROJECT = 'pyproject.toml';
export const OPT_LEVELS = ['O0', 'O1', 'O2', 'O3', 'Os'] as const;
export type OptLevel = (typeof OPT_LEVELS)[number];
const TARGET_WORDS = ['all', 'host', 'executable', 'desktop', 'mobile', 'web', 'embedded'];

/** The settings a project may write, as the CLI and the studio use them (null: not set, Kiln's default applies). */
export interface KilnSettings {
  /** Folders, relative to the project root, that hold the importable modules (sys.path); default `src` if there is one, else `.`. */
  sourceRoots: string[] | null;
  /** Which functions the project's library exports: qualified names (`pkg.mod.f`) or globs (`pkg.*`, `*.area`); default every @compile function. */
  export: string[] | null;
  /** Default targets of `kiln compile --target` / `kiln export` (target ids or groups). */
  targets: string[] | null;
  optLevel: OptLevel | null;
  fastMath: boolean | null;
  /** The default of `@compile(boundscheck=...)` for the project's functions. */
  boundscheck: boolean | null;
  /** The library's and Python package's name; default [project].name, else the folder's name. */
  name: string | null;
  /** The library's version; default [project].version, else 0.0.0. */
  version: string | null;
}

export interface ProjectConfig {
  root: string;
  /** The pyproject.toml, when there is one. */
  file: string | null;
  /** Whether it has a [tool.kiln] table. */
  hasTable: boolean;
  settings: KilnSettings;
  /** Resolved values every build uses. */
  sourceRoots: string[];
  name: string;
  version: string;
  /** The line of each key of [tool.kiln] (for messages about a value that is well typed but wrong, e.g. an export that matches nothing). */
  lines: Partial<Record<keyof KilnSettings, number>>;
  problems: Diagnostic[];
}

interface KeySpec {
  key: keyof KilnSettings;
  type: 'string' | 'boolean' | 'string[]';
  describe: string;
  check?: (v: never, root: string) => string | undefined;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The keys of [tool.kiln], as TOML spells them. */
export const CONFIG_KEYS: Record<string, KeySpec> = {
  'source-roots': {
    key: 'sourceRoots', type: 'string[]', describe: 'folders holding the importable modules, relative to the project (sys.path)',
    check: (v: string[], root) => v.map((r) => (path.isAbsolute(r) ? `'${r}' must be relative to the project folder` : !fs.existsSync(path.join(root, r)) || !fs.statSync(path.join(root, r)).isDirectory() ? `'${r}' is not a folder of the project` : undefined)).find(Boolean),
  },
  export: {
    key: 'export', type: 'string[]', describe: 'the functions the library exports: qualified names (pkg.mod.f) or globs (pkg.*)',
    check: (v: string[]) => v.map((p) => (/^[A-Za-z0-9_.*?[\]!]+$/.test(p) ? undefined : `'${p}' is not a function name or glob (letters, digits, _, dots, * and ?)`)).find(Boolean),
  },
  targets: {
    key: 'targets', type: 'string[]', describe: 'default targets (ids such as linux-x64, wasm32, or groups: all, host, desktop, ...)',
    check: (v: string[]) => {
      const bad = v.filter((t) => !TARGET_WORDS.includes(t) && !TARGETS.some((x) => x.id === t));
      return bad.length ? `unknown target${bad.length > 1 ? 's' : ''} ${bad.map((b) => `'${b}'`).join(', ')} (see kiln targets)` : undefined;
    },
  },
  'opt-level': {
    key: 'optLevel', type: 'string', describe: `the C optimisation level: ${OPT_LEVELS.join(', ')}`,
    check: (v: string) => ((OPT_LEVELS as readonly string[]).includes(v) ? undefined : `'${v}' is not an optimisation level (${OPT_LEVELS.join(', ')})`),
  },
  'fast-math': { key: 'fastMath', type: 'boolean', describe: 'allow value-changing float rewrites (fused multiply-add)' },
  boundscheck: { key: 'boundscheck', type: 'boolean', describe: 'check array and list indices (IndexError); @compile(boundscheck=...) wins' },
  name: {
    key: 'name', type: 'string', describe: 'the library and Python package name',
    check: (v: string) => (identifier.test(v) ? undefined : `'${v}' is not a Python package name (letters, digits and _; not starting with a digit)`),
  },
  version: {
    key: 'version', type: 'string', describe: 'the library version',
    check: (v: string) => (/^[0-9A-Za-z][0-9A-Za-z.+!-]*$/.test(v) ? undefined : `'${v}' is not a version (such as 1.2.0)`),
  },
};

const EMPTY: KilnSettings = { sourceRoots: null, export: null, targets: null, optLevel: null, fastMath: null, boundscheck: null, name: null, version: null };

/** The TOML spelling of a setting (`sourceRoots` -> `source-roots`). */
export const tomlKeyOf = (key: keyof KilnSettings) => Object.entries(CONFIG_KEYS).find(([, s]) => s.key === key)![0];

interface Located { value: unknown; line: number; col: number }

/** Every key under tool.kiln with the place of its key, whichever way the TOML spells the table. */
function kilnKeys(cst: any[]): Map<string, Located> {
  const out = new Map<string, Located>();
  const visitRows = (rows: any[], prefix: string[]) => {
    for (const row of rows) {
      if (row.type !== 'KeyValue') continue;
      visitPair(row, prefix);
    }
  };
  const visitPair = (kv: any, prefix: string[]) => {
    const full = [...prefix, ...(kv.key.value as string[])];
    if (full.length > 2 && full[0] === 'tool' && full[1] === 'kiln') {
      out.set(full.slice(2).join('.'), { value: plain(kv.value), line: kv.key.loc.start.line, col: kv.key.loc.start.column + 1 });
    } else if (kv.value?.type === 'InlineTable' && (full.length < 2 || (full[0] === 'tool' && full.length === 2 && full[1] === 'kiln') || (full.length === 1 && full[0] === 'tool'))) {
      for (const item of kv.value.items) visitPair(item.item, full);
    }
  };
  for (const block of cst) {
    if (block.type === 'KeyValue') visitPair(block, []);
    else if (block.type === 'Table') visitRows(block.items, block.key.item.value);
  }
  return out;
}

/** A CST value as plain data: strings, booleans, numbers, arrays; tables as objects. */
function plain(v: any): unknown {
  switch (v?.type) {
    case 'String': case 'Integer': case 'Float': case 'Boolean': return v.value;
    case 'DateTime': return v.raw;
    case 'InlineArray': return v.items.map((i: any) => plain(i.item));
    case 'InlineTable': return Object.fromEntries(v.items.map((i: any) => [i.item.key.value.join('.'), plain(i.item.value)]));
    default: return undefined;
  }
}

const typeName = (v: unknown) => (Array.isArray(v) ? 'an array' : v === null || v === undefined ? 'nothing' : typeof v === 'object' ? 'a table' : typeof v === 'string' ? 'a string' : typeof v === 'boolean' ? 'a boolean' : `a ${typeof v}`);

/** The closest known key to a misspelt one (edit distance), for the hint. */
function nearestKey(k: string): string | undefined {
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    return d[a.length][b.length];
  };
  const norm = k.replace(/_/g, '-').toLowerCase();
  const best = Object.keys(CONFIG_KEYS).map((c) => [c, dist(norm, c)] as const).sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(k.length / 3)) ? best[0] : undefined;
}

/** The default source roots: `src` when the project has one (the src layout), else the project folder itself. */
export function defaultSourceRoots(root: string): string[] {
  const src = path.join(root, 'src');
  return fs.existsSync(src) && fs.statSync(src).isDirectory() && !fs.existsSync(path.join(src, '__init__.py')) ? ['src'] : ['.'];
}

/** Reads `<root>/pyproject.toml` (if any): the settings, resolved values, and every problem found, located. */
export function readConfig(root: string): ProjectConfig {
  const file = path.join(root, PYPROJECT);
  const settings: KilnSettings = { ...EMPTY };
  const problems: Diagnostic[] = [];
  const lines: ProjectConfig['lines'] = {};
  let projectTable: Record<string, unknown> = {};
  let hasTable = false;
  const exists = fs.existsSync(file);
  if (exists) {
    const text = fs.readFileSync(file, 'utf8');
    try {
      const doc = parseDocument(text);
      projectTable = ((doc.toJsObject as Record<string, unknown>).project ?? {}) as Record<string, unknown>;
      const tool = (doc.toJsObject as { tool?: Record<string, unknown> }).tool;
      hasTable = !!tool && typeof tool.kiln === 'object';
      if (tool && 'kiln' in tool && (typeof tool.kiln !== 'object' || Array.isArray(tool.kiln))) {
        problems.push({ severity: 'error', file, line: 0, col: 0, construct: 'setting tool.kiln', message: 'tool.kiln must be a table ([tool.kiln])' });
      }
      const seen = new Map<string, number>();
      for (const [k, loc] of kilnKeys(doc.cst)) {
        const at = { file, line: loc.line, col: loc.col };
        const spec = CONFIG_KEYS[k];
        if (!spec) {
          const near = nearestKey(k);
          problems.push({ severity: 'error', ...at, construct: `setting tool.kiln.${k}`, message: `unknown key '${k}' in [tool.kiln]`, hint: near ? `did you mean '${near}'?` : `the keys are: ${Object.keys(CONFIG_KEYS).join(', ')}` });
          continue;
        }
        if (seen.has(k)) { // a TOML error the parser lets through: said at the second one
          problems.push({ severity: 'error', ...at, construct: `setting tool.kiln.${k}`, message: `'${k}' is set twice in [tool.kiln] (also line ${seen.get(k)})` });
          continue;
        }
        seen.set(k, loc.line);
        lines[spec.key] = loc.line;
        const v = loc.value;
        const okType = spec.type === 'string[]' ? Array.isArray(v) && v.every((x) => typeof x === 'string') : typeof v === spec.type;
        if (!okType) {
          const want = spec.type === 'string[]' ? 'an array of strings' : `a ${spec.type}`;
          const example = spec.type === 'boolean' ? `${k} = true` : spec.type === 'string' ? `${k} = "..."` : `${k} = ["..."]`;
          problems.push({ severity: 'error', ...at, construct: `setting tool.kiln.${k}`, message: `tool.kiln.${k} must be ${want}, not ${Array.isArray(v) && spec.type === 'string[]' ? 'an array holding other values' : typeName(v)}`, hint: `${spec.describe}; for example ${example}` });
          continue;
        }
        const bad = spec.check?.(v as never, root);
        if (bad) {
          problems.push({ severity: 'error', ...at, construct: `setting tool.kiln.${k}`, message: `tool.kiln.${k}: ${bad}`, hint: spec.describe });
          continue;
        }
        (settings as unknown as Record<string, unknown>)[spec.key] = v;
      }
    } catch (e) {
      const m = /\((\d+), (\d+)\)/.exec((e as Error).message);
      problems.push({
        severity: 'error', file, line: m ? Number(m[1]) : 0, col: m ? Number(m[2]) : 0, construct: 'pyproject.toml',
        message: `pyproject.toml does not parse: ${(e as Error).message.split('\n').filter((l) => l.trim()).pop()?.trim() ?? 'invalid TOML'}`,
        hint: 'fix the TOML syntax (https://toml.io)',
      });
    }
  }
  const projectName = typeof projectTable.name === 'string' ? projectTable.name.replace(/[-.]/g, '_') : undefined;
  const folderName = path.basename(root).replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1') || 'project';
  return {
    root, file: exists ? file : null, hasTable, settings, lines, problems,
    sourceRoots: (settings.sourceRoots ?? defaultSourceRoots(root)).map((r) => path.resolve(root, r)),
    name: settings.name ?? (projectName && identifier.test(projectName) ? projectName : folderName),
    version: settings.version ?? (typeof projectTable.version === 'string' ? projectTable.version : '0.0.0'),
  };
}

/** Throws the config's problems (every one of them: the CLI prints them all) as a KilnError. */
export function assertConfig(c: ProjectConfig): void {
  const errors = c.problems.filter((p) => p.severity === 'error');
  if (errors.length) throw Object.assign(new KilnError(errors[0]), { diagnostics: errors });
}

/**
 * Writes settings into `<root>/pyproject.toml`'s [tool.kiln] (made if missing; the file too): only the keys in
 * `changes` are touched (null removes one), everything else keeps its text. Values are checked first: a
 * wrong one is refused (KilnError naming the key), never written.
 */
export function writeConfig(root: string, changes: Partial<KilnSettings>): ProjectConfig {
  const file = path.join(root, PYPROJECT);
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  for (const [key, value] of Object.entries(changes) as [keyof KilnSettings, unknown][]) {
    if (value === null || value === undefined) continue;
    const tomlKey = tomlKeyOf(key);
    const spec = CONFIG_KEYS[tomlKey];
    const okType = spec.type === 'string[]' ? Array.isArray(value) && value.every((x) => typeof x === 'string') : typeof value === spec.type;
    const bad = !okType ? `must be ${spec.type === 'string[]' ? 'a list of strings' : `a ${spec.type}`}` : spec.check?.(value as never, root);
    if (bad) throw new KilnError({ severity: 'error', file, line: 0, col: 0, construct: `setting tool.kiln.${tomlKey}`, message: `tool.kiln.${tomlKey}: ${bad}`, hint: spec.describe });
  }
  const before = readConfig(root);
  if (before.problems.some((p) => p.construct === 'pyproject.toml')) throw new KilnError(before.problems.find((p) => p.construct === 'pyproject.toml')!);
  if (!before.hasTable) {
    // A new table at the end, as a person would add it (patch() alone would write `[tool] kiln = {...}`).
    text = `${text}${text && !text.endsWith('\n') ? '\n' : ''}${text ? '\n' : ''}[tool.kiln]\n`;
  }
  const doc = parseDocument(text);
  const obj = doc.toJsObject as { tool?: { kiln?: Record<string, unknown> } };
  obj.tool ??= {};
  obj.tool.kiln ??= {};
  for (const [key, value] of Object.entries(changes) as [keyof KilnSettings, unknown][]) {
    if (value === undefined) continue;
    const tomlKey = tomlKeyOf(key);
    if (value === null) delete obj.tool.kiln[tomlKey];
    else obj.tool.kiln[tomlKey] = value;
  }
  const next = patch(text, obj, { bracketSpacing: false });
  if (next !== (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '')) fs.writeFileSync(file, next);
  return readConfig(root);
}
