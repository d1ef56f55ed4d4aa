/** Calling native functions through the harness, and parsing what it prints. */
import path from 'node:path';
import { handlesByClass, harnessName, instanceClassOf, isArrayDict, isFlatContainer, isWeightTree, type ExportedFunction } from '../lower/abi.ts';
import { bigArgsHarnessName } from './harness.ts';
import { LIST_LETTERS, emptyListLetters, listLetter, listMissingMessage, missingMessage, pickSpecialisation, towerCode, towerParams, type TowerLetter } from '../types/tower.ts';
import { KilnError } from '../diagnostics.ts';
import { bindArguments } from '../types/binding.ts';
import { arrayToListRepr, checkInstanceArgument, coerceArgument, coerceToType, decodeFromHarness, encodeForHarness, exceptionFields, LiteralError, parsePyLiteral, pastInt64, pyRepr, type PyValue } from './values.ts';
import { literalToValue, valueToLiteral, type ClassCallLiteral } from './inputs.ts';
import type { PyLiteral } from '../ir/ir.ts';

/**
 * `kiln run`'s arguments: Python literals, positional or `name=value`, bound to the function's parameters as
 * Python binds a call (defaults filled in; CPython's TypeError message for a wrong call), and converted to their types.
 */
export function parseCallArgs(file: string, fn: ExportedFunction, args: string[]): PyValue[] {
  return boundLiterals(file, fn, args, (value, p) => coerceToType(value, p.type, `argument ${p.name}`));
}

/**
 * `kiln run`'s call: the literals with their Python types (`3` is an int, `3.0` a float, `np.float64(3)` NumPy's) pick the specialisation
 * built for exactly those types (types/tower.ts), and are converted to its parameter types; literals of types
 * with no specialisation give the TypeError the exported package raises.
 */
export function specialisedCall(
  file: string, fn: ExportedFunction, args: string[], instances?: ReadonlyMap<string, ClassCallLiteral>,
): { fn: ExportedFunction; values: PyValue[] } {
  const raw = boundLiterals(file, fn, args, (value) => value, instances);
  const fail = (message: string): never => { throw new KilnError({ severity: 'error', file, line: fn.line, col: 1, construct: 'arguments', message }); };
  const pick = specialisationFor(fn, raw);
  if ('missing' in pick) fail(`TypeError: ${pick.missing}`);
  const chosen = (pick as { chosen: ExportedFunction }).chosen;
  try {
    const classes = handlesByClass(chosen);
    return {
      fn: chosen,
      values: raw.map((v, i) => (instanceClassOf(chosen.params[i].type) ? checkInstanceArgument(v, chosen.params[i].type, classes, `argument ${chosen.params[i].name}`)
        : coerceArgument(v, chosen.params[i].type, chosen.bigArgs, `argument ${chosen.params[i].name}`))),
    };
  } catch (e) {
    if (e instanceof LiteralError) fail(e.message);
    throw e;
  }
}

/**
 * The specialisation of `fn` (an entry, with its `variants`) that a call with these values runs, by their exact
 * Python types (types/tower.ts), or the TypeError's message when the combination was not built.
 */
export function specialisationFor(fn: ExportedFunction, raw: PyValue[]): { chosen: ExportedFunction } | { missing: string } {
  if (!fn.variants) return { chosen: fn };
  const annotated = fn.params.map((p) => p.type);
  const at = towerParams(annotated);
  const letter = (v: PyValue | undefined) => (v?.kind === 'int' ? 'i' : v?.kind === 'float' ? 'f' : v?.kind === 'bool' ? 'b'
    : v?.kind === 'np' && v.dtype === 'float64' ? 'd' : v?.kind === 'np' && v.dtype === 'int64' ? 'l' : undefined) as TowerLetter | undefined;
  const own = towerCode(annotated, annotated);
  const built = fn.variants.map((v) => v.code!);
  const given: (TowerLetter | undefined)[] = [];
  const empty = emptyListLetters(annotated, [own, ...built], (i) => !!fn.params[i].otherKind);
  for (const [k, i] of at.entries()) {
    const v = raw[i];
    if (!LIST_LETTERS.includes(own[k] as TowerLetter)) given.push(letter(v));
    else if (v?.kind !== 'list' && v?.kind !== 'tuple') given.push(undefined);
    else {
      // A list picks by its items' exact types (types/tower.ts listLetter); [] the one emptyListLetters says.
      const l = listLetter(empty[k] as TowerLetter, v.items.map(letter));
      if (l === 'missing') return { missing: listMissingMessage(fn.name, fn.params[i].name, v.items.map((x) => x.kind), [own, ...built], k) };
      given.push(l);
    }
  }
  const pick = pickSpecialisation(own, built, given, fn.boolAliases);
  if (pick === 'missing') return { missing: missingMessage(fn.name, at.map((i) => fn.params[i].name), given.join(''), [own, ...built]) };
  return { chosen: fn.variants.find((v) => v.code === pick) ?? fn };
}

function boundLiterals(
  file: string, fn: ExportedFunction, args: string[], convert: (v: PyValue, p: ExportedFunction['params'][number]) => PyValue, instances?: ReadonlyMap<string, ClassCallLiteral>,
): PyValue[] {
  const fail = (message: string): never => { throw new KilnError({ severity: 'error', file, line: fn.line, col: 1, construct: 'arguments', message }); };
  const positional: string[] = [];
  const keywords: [string, string][] = [];
  for (const a of args) {
    const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(a);
    if (m) keywords.push([m[1], m[2]]);
    else if (keywords.length) fail(`positional argument ${JSON.stringify(a)} follows keyword arguments (SyntaxError in Python)`);
    else positional.push(a);
  }
  const sig = { qualname: fn.name, params: fn.params.map((p) => ({ name: p.name, kind: p.kind ?? 'normal' as const, hasDefault: p.default !== undefined })) };
  const bound = bindArguments(sig, positional.length, keywords.map((k) => k[0]));
  if (typeof bound === 'string') fail(`TypeError: ${bound}`);
  try {
    return fn.params.map((p, i) => {
      const slot = (bound as Exclude<typeof bound, string>).slots[i];
      const text = 'positional' in slot ? positional[slot.positional] : 'keyword' in slot ? keywords[slot.keyword][1] : undefined;
      const made = text === undefined ? undefined : instances?.get(text);
      const value = text === undefined ? literalToValue(p.default!) : made ? literalToValue(made) : parsePyLiteral(text);
      return convert(value, p);
    });
  } catch (e) {
    if (e instanceof LiteralError) fail(e.message);
    throw e;
  }
}

/**
 * `kiln run`'s arguments that call a class of the module (`'Vec(1.0, y=2.0)'`, a keyword argument's value too), each
 * as the class call literal examples= gives (built by CPython: run/verify.ts buildClassCalls), by its text.
 */
export function instanceArguments(file: string, fn: ExportedFunction, args: string[], classes: ReadonlySet<string>): Map<string, ClassCallLiteral> {
  const out = new Map<string, ClassCallLiteral>();
  try {
    for (const a of args) {
      const text = classCallLiteral(a, classes) ? a : a.replace(/^[A-Za-z_]\w*=/s, '');
      const l = classCallLiteral(text, classes);
      if (l) out.set(text, l);
    }
  } catch (e) {
    if (e instanceof LiteralError) throw new KilnError({ severity: 'error', file, line: fn.line, col: 1, construct: 'arguments', message: e.message });
    throw e;
  }
  return out;
}

/**
 * `Vec(1.0, y=Vec(0, 2))`: a call of one of `classes` with literal arguments (positional, then keywords; class calls
 * nested), as a class call literal; undefined when the text is no such call. A bad argument is a LiteralError.
 */
export function classCallLiteral(text: string, classes: ReadonlySet<string>): ClassCallLiteral | undefined {
  const t = text.trim();
  const m = /^([A-Za-z_]\w*)\s*\(/.exec(t);
  if (!m || !classes.has(m[1]) || !t.endsWith(')')) return undefined;
  // The arguments: split at the commas outside brackets and quotes.
  const inner = t.slice(m[0].length, -1);
  const parts: string[] = [];
  let depth = 0, quote = '', start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) { parts.push(inner.slice(start, i)); start = i + 1; }
    if (depth < 0) return undefined;
  }
  if (depth !== 0 || quote) return undefined;
  if (inner.slice(start).trim()) parts.push(inner.slice(start));
  const args: PyLiteral[] = [], kwargs: [string, PyLiteral][] = [];
  for (const part of parts) {
    const kw = /^\s*([A-Za-z_]\w*)\s*=(?!=)([^]*)$/.exec(part);
    const value = kw ? kw[2] : part;
    const lit = classCallLiteral(value, classes) ?? valueToLiteral(parsePyLiteral(value.trim()));
    if (kw) kwargs.push([kw[1], lit]);
    else if (kwargs.length) throw new LiteralError(`positional argument follows keyword argument in ${t}`);
    else args.push(lit);
  }
  return { _t: 'new', cls: m[1], args, kwargs, text: t };
}

/**
 * What `kiln run` prints for one harness run: the result as CPython's repr (arrays as `.tolist()`) with exit 0,
 * a Python exception as a traceback with exit 1, or a crash of the native code with exit 3.
 */
export function callReport(
  fn: ExportedFunction, file: string, run: { stdout: string; exitCode?: number; signal?: string; timedOut?: boolean; stderr?: string }, where: string,
  frameFiles?: Record<string, string>,
): { stdout?: string; stderr?: string; code: number } {
  const line = run.stdout.split('\n')[0] ?? '';
  if (!line) return { stderr: `the native code ${describeExit(run)} (${where})`, code: 3 };
  const outcome = parseHarnessLine(fn, line);
  if (outcome.ok) return { stdout: outcome.value.kind === 'array' ? arrayToListRepr(outcome.value) : pyRepr(outcome.value), code: 0 };
  if ('error' in outcome) return { stderr: formatPythonError(outcome.error, file, frameFiles), code: 1 };
  return { stderr: outcome.crash, code: 3 };
}

export interface NativeError {
  type: string;
  message: string;
  frames: { function: string; line: number }[];
  /** The fields of the instance an exception class with fields carried (kiln_error_object), as an object value. */
  fields?: PyValue;
}

/**
 * `after[i]`: the final state of list or array parameter i (both are in-out, as in Python: the caller sees
 * append, pop, sort, xs[i] = v, a[::2] = 0, a *= k, also when the call raised); undefined for other parameters.
 */
export type CallOutcome =
  | { ok: true; value: PyValue; after?: (PyValue | undefined)[] }
  | { ok: false; error: NativeError; after?: (PyValue | undefined)[] }
  | { ok: false; crash: string };

/** The ` ; <len> <items>` / ` ; <ndim> <shape...> <values>` groups the harness prints after a call, one per list or array parameter. */
function parseAfter(fn: ExportedFunction, groups: string[]): (PyValue | undefined)[] | undefined {
  const lists = fn.params.map((p, i) => ({ p, i })).filter(({ p }) => (p.type.kind === 'list' && !isWeightTree(p.type)) || p.type.kind === 'array' || isFlatContainer(p.type) || isArrayDict(p.type) || !!instanceClassOf(p.type));
  if (!lists.length) return undefined;
  const after: (PyValue | undefined)[] = fn.params.map(() => undefined);
  lists.forEach(({ p, i }, k) => {
    const tokens = (groups[k] ?? '').trim().split(/\s+/).filter(Boolean);
    if (tokens.length && tokens[0] !== '-1') after[i] = decodeFromHarness(tokens, p.type);
  });
  return after;
}

/** The harness's input line of one call; ints past 64 bits go to the big-int twin's `!big` case as their hex() text. */
export function harnessLine(fn: ExportedFunction, args: PyValue[]): string {
  if (fn.bigArgs && args.some((v, i) => isIntParam(fn, i) && pastInt64(v))) {
    const hex = (v: bigint) => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);
    return [bigArgsHarnessName(fn), ...fn.params.flatMap((p, i) => (isIntParam(fn, i) && args[i].kind === 'int'
      ? encodeForHarness({ kind: 'str', value: hex((args[i] as { value: bigint }).value) }, { kind: 'str' }) : encodeForHarness(args[i], p.type)))].join(' ');
  }
  const classes = handlesByClass(fn);
  return [harnessName(fn), ...fn.params.flatMap((p, i) => encodeForHarness(args[i], p.type, classes))].join(' ');
}

const isIntParam = (fn: ExportedFunction, i: number) => fn.params[i].type.kind === 'scalar' && (fn.params[i].type as { name: string }).name === 'int';

export function parseHarnessLine(fn: ExportedFunction, line: string): CallOutcome {
  if (line.startsWith('ok')) {
    const [result, ...groups] = line.slice(2).split(' ; ');
    const tokens = result.trim().split(/\s+/).filter(Boolean);
    return { ok: true, value: decodeFromHarness(tokens, fn.returnType), after: parseAfter(fn, groups) };
  }
  if (line.startsWith('err ')) {
    const bar = line.indexOf(' | ');
    const [before, objectText] = line.slice(4, bar < 0 ? undefined : bar).split(' @ ');
    const [headText, ...groups] = before.split(' ; ');
    const head = headText.split(' ');
    // The harness escapes a backslash, a newline and a carriage return in the message (one line per call).
    const message = bar < 0 ? '' : line.slice(bar + 3).replace(/\\([\\nr])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
    const [type, count, ...frames] = head;
    return {
      ok: false,
      after: parseAfter(fn, groups),
      error: {
        type, message,
        ...(objectText ? { fields: exceptionFields(objectText.trim().split(/\s+/)) } : {}),
        frames: frames.slice(0, Number(count)).map((f) => {
          const i = f.lastIndexOf(':');
          return { function: f.slice(0, i), line: Number(f.slice(i + 1)) };
        }),
      },
    };
  }
  return { ok: false, crash: `unexpected harness output: ${line}` };
}

/** Describes how a harness process ended early (a crash of the native code under test). */
export function describeExit(r: { exitCode?: number; signal?: string; timedOut?: boolean; stderr?: string }): string {
  if (r.timedOut) return 'timed out';
  if (r.signal) return `crashed with ${r.signal}`;
  return `exited with code ${r.exitCode}${r.stderr ? `: ${r.stderr.trim().split('\n').pop()}` : ''}`;
}

/**
 * Python's way of printing an uncaught exception: a traceback of the Python lines, then `Type: message`.
 * `frameFiles` gives the file of a frame's function when the program spans modules (`utils.clamp` -> utils.py).
 */
export function formatPythonError(e: NativeError, file: string, frameFiles: Record<string, string> = {}): string {
  const lines = ['Traceback (most recent call last):'];
  for (const f of [...e.frames].reverse()) {
    const other = frameFiles[f.function];
    const where = other && path.resolve(other) !== path.resolve(file) ? path.relative(process.cwd(), other) || other : file;
    lines.push(`  File "${where}", line ${f.line}, in ${f.function.split('.').pop()}`);
  }
  lines.push(e.message ? `${e.type}: ${e.message}` : e.type);
  return lines.join('\n');
}
