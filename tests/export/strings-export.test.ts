/**
 * str and bytes through the exported packages: the Python package (its CPython extension and its ctypes path) and
 * the JS module (wasm32, Node) give CPython's results and exceptions (type and message; UnicodeDecodeError with
 * CPython's start, end and reason); text outside the BMP crosses intact both ways; what cannot cross (a lone
 * surrogate has no UTF-8) is an explicit UnicodeEncodeError, worded as CPython's encoder words it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'tests/fixtures/strings/text_api.py');
const compare = path.join(root, 'tests/export/pyext-compare.py');
const kiln = (...args: string[]) => execa('node', [path.join(root, 'bin/kiln.mjs'), ...args], { cwd: root, reject: false });

// (function, args) cases where the package must equal CPython (values and exceptions).
const CASES: [string, unknown[]][] = [
  ['shout', ['héllo wörld']], ['shout', ['straße ﬁ']], ['shout', ['emoji 😀 𝄞']], ['shout', ['']],
  ['count_sub', ['banana', 'an']], ['count_sub', ['日本日本', '日']], ['count_sub', ['aaa', '']],
  ['decode', [[0x63, 0x61, 0x66, 0xc3, 0xa9]]], ['decode', [[0xff]]], ['decode', [[0x61, 0xe2, 0x82]]], ['decode', [[0xed, 0xa0, 0x80]]], ['decode', [[0xf0, 0x9f, 0x98, 0x80]]],
  ['encode', ['é😀']], ['encode', ['']],
  ['describe', [1234.5678, 255, 'naïve']], ['describe', [-0.004, -1, "it's"]],
  ['first_word', ['  hello world ']], ['first_word', ['   ']], ['first_word', ['日本 語']],
  ['pick', ['upper', 'Ünï']], ['pick', ['lower', 'ΣΑΣ']],
  ['code_point', ['a😀b', 1]], ['code_point', ['abc', 5]], ['code_point', ['abc', -1]],
];
const pyLiteral = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `bytes(${JSON.stringify(v)})` : String(v));
const pyCases = (cs: [string, unknown[]][]) => `[${cs.map(([f, a]) => `(${JSON.stringify(f)}, (${a.map(pyLiteral).join(', ')},), {})`).join(', ')}]`;

describe('str and bytes in the exported packages', () => {
  let dir: string;
  let pkg: string;
  let js: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-str-export-'));
    const r = await kiln('export', fixture, '--target', 'host,wasm32', '--out', dir);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Python fast path: .*_kiln_fast\.abi3\.so/);
    pkg = path.join(dir, 'python/text_api');
    js = path.join(dir, 'js/kiln_text_api.mjs');
  }, 900_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const backend of ['extension', 'ctypes']) {
    it(`the Python package (${backend}) gives CPython's values and exceptions`, async () => {
      const r = await execa('python3', [compare, fixture, pkg, pyCases(CASES)], { env: { ...process.env, KILN_PYTHON_BACKEND: backend === 'ctypes' ? 'ctypes' : '' } });
      type Case = { function: string; args: string; original: [string, string]; package: [string, string] };
      const c = JSON.parse(r.stdout) as { backend: Record<string, string>; cases: Case[] };
      expect(new Set(Object.values(c.backend))).toEqual(new Set([backend]));
      for (const x of c.cases) expect(x.package, `${x.function}${x.args}`).toEqual(x.original);
      const kinds = c.cases.map((x) => x.package[0]);
      for (const k of ['UnicodeDecodeError', 'ValueError', 'IndexError']) expect(kinds).toContain(k);
    }, 120_000);
  }

  // A str parameter with defaults and a keyword-only parameter (issue 12's binding with issue 13's strings).
  const KEYWORD_CASES = `[("banner", ("ab",), {}), ("banner", ("日本", 5), {}), ("banner", ("ab",), {"upper": True}),
    ("banner", ("straße",), {"width": 8, "upper": True}), ("banner", ("ab",), {"colour": 1}), ("banner", (), {}),
    ("banner", ("ab", 3, True), {}), ("banner", (), {"word": "x", "width": 2})]`.replace(/\n\s*/g, ' ');
  for (const backend of ['extension', 'ctypes']) {
    it(`the Python package (${backend}) binds keywords and defaults of str functions as CPython does`, async () => {
      const r = await execa('python3', [compare, fixture, pkg, KEYWORD_CASES], { env: { ...process.env, KILN_PYTHON_BACKEND: backend === 'ctypes' ? 'ctypes' : '' } });
      type Case = { function: string; args: string; original: [string, string]; package: [string, string] };
      const c = JSON.parse(r.stdout) as { backend: Record<string, string>; cases: Case[] };
      expect(c.backend.banner).toBe(backend);
      for (const x of c.cases) expect(x.package, `${x.function}${x.args}`).toEqual(x.original);
      expect(c.cases.map((x) => x.package[0])).toContain('TypeError');
    }, 120_000);
  }

  it('rebuilds UnicodeDecodeError with its positions and reason, and refuses a lone surrogate as CPython\'s encoder does', async () => {
    const code = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("p", "${pkg}/__init__.py", submodule_search_locations=["${pkg}"])
p = importlib.util.module_from_spec(spec); sys.modules["p"] = p; spec.loader.exec_module(p)
out = []
for data in (b"ab\\xff", b"\\xe2\\x82", b"x\\xf0\\x9f\\x98"):
    try: p.decode(data)
    except UnicodeDecodeError as e:
        try: data.decode()
        except UnicodeDecodeError as c: out.append([e.start == c.start, e.end == c.end, e.reason == c.reason, str(e) == str(c)])
for s in ("a\\ud800b", "\\udc80\\udc81"):
    try: p.shout(s); out.append("no error")
    except UnicodeEncodeError as e:
        try: s.encode()
        except UnicodeEncodeError as c: out.append(str(e) == str(c))
print(json.dumps(out))`;
    for (const backend of ['', 'ctypes']) {
      const r = await execa('python3', ['-c', code], { env: { ...process.env, KILN_PYTHON_BACKEND: backend } });
      expect(JSON.parse(r.stdout), backend || 'extension').toEqual([[true, true, true, true], [true, true, true, true], [true, true, true, true], true, true]);
    }
  }, 120_000);

  it('the JS module takes and returns JS strings (surrogate pairs intact) with CPython\'s values and exceptions', async () => {
    const expected = JSON.parse((await execa('python3', ['-c', `
import importlib.util, json, sys
sys.path.insert(0, "${path.join(root, 'resources/python')}")
spec = importlib.util.spec_from_file_location("o", "${fixture}")
o = importlib.util.module_from_spec(spec); spec.loader.exec_module(o)
cases = json.loads(sys.stdin.read())
out = []
for f, args in cases:
    args = [bytes(a) if isinstance(a, list) else a for a in args]
    try:
        v = getattr(o, f)(*args)
        out.append(["ok", list(v) if isinstance(v, bytes) else v])
    except Exception as e:
        out.append([type(e).__name__, str(e)])
print(json.dumps(out))`], { input: JSON.stringify(CASES) })).stdout);
    const script = `
import * as m from ${JSON.stringify(js)};
const cases = JSON.parse(process.argv[2]);
const out = [];
for (const [f, args] of cases) {
  const a = args.map((x) => (Array.isArray(x) ? new Uint8Array(x) : typeof x === 'number' && f === 'code_point' ? BigInt(x) : x));
  try {
    const v = m[f](...a);
    out.push(['ok', v instanceof Uint8Array ? Array.from(v) : typeof v === 'bigint' ? Number(v) : v]);
  } catch (e) { out.push([e.name, e.message]); }
}
let lone;
try { m.shout('a\\ud800'); lone = 'no error'; } catch (e) { lone = [e.name, e.message]; }
console.log(JSON.stringify({ out, lone }));`;
    const file = path.join(dir, 'check.mjs');
    fs.writeFileSync(file, script);
    const r = await execa('node', [file, JSON.stringify(CASES)]);
    const got = JSON.parse(r.stdout);
    CASES.forEach(([f, a], i) => expect(got.out[i], `${f}(${JSON.stringify(a)})`).toEqual(expected[i]));
    expect(got.lone).toEqual(['UnicodeEncodeError', "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed"]);
  }, 120_000);
});
