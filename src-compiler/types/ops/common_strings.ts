/**
 * What the string domains (strings.ts, formatting.ts, bytes.ts) share: how a str value is written as C (a static,
 * immortal kiln_str.h literal, at file scope for the unit's literals (lower/literals.ts) or at block scope for
 * the text an op carries itself: f-string pieces, format specs), and the argument shapes of str methods.
 */
import type { ConstValue } from '../../ir/ir.ts';
import { T, type KType } from '../types.ts';
import { stmts, type Lowering } from './common.ts';

/** The code points of a JS string holding a Python str (a lone surrogate is one code point, as in Python). */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** The UTF-8 of code points, or undefined when one is a lone surrogate (Python's strict encoder refuses those). */
export function utf8Of(cps: number[]): number[] | undefined {
  const out: number[] = [];
  for (const c of cps) {
    if (c >= 0xd800 && c <= 0xdfff) return undefined;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/**
 * Bytes as C string literal text: printable ASCII as itself (but `"`, `\` and `?`, which could start a trigraph),
 * everything else as a three-digit octal escape (a hex escape would swallow the hex digits after it); split into
 * adjacent literals every 96 bytes for readability.
 */
export function cStringOf(bytes: number[]): string {
  const parts: string[] = [];
  let cur = '';
  bytes.forEach((b, i) => {
    cur += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x3f ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
    if ((i + 1) % 96 === 0) { parts.push(`"${cur}"`); cur = ''; }
  });
  if (cur || !parts.length) parts.push(`"${cur}"`);
  return parts.join(' ');
}

/** A C comment quoting a str (shortened), for the reader of the generated C. */
export const quoteComment = (value: string): string =>
  `/* ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value).replace(/\*\//g, '* /')} */`;

/** The kiln_str.h macro that declares a static, immortal str `name` holding `value` (at file or block scope). */
export function strLiteralDeclaration(name: string, value: string): string {
  const cps = codePoints(value);
  const max = cps.reduce((m, c) => (c > m ? c : m), 0);
  if (max < 128) return `KR_STR_LITERAL_ASCII(${name}, ${cps.length}, ${cStringOf(cps)});`;
  const kind = max < 256 ? 1 : max < 65536 ? 2 : 4;
  const utf8 = utf8Of(cps);
  const u8 = utf8 ? `${cStringOf(utf8)}, ${utf8.length}` : 'NULL, 0';
  const units = kind === 1 ? cStringOf(cps) : cps.map((c) => `0x${c.toString(16)}`).join(', ');
  return `KR_STR_LITERAL(${name}, ${kind}, ${cps.length}, ${u8}, ${units}); ${quoteComment(value)}`;
}

/** True for ASCII text (an f-string's literal piece then goes in with kr_sw_put_ascii). */
export const isAscii = (s: string): boolean => codePoints(s).every((c) => c < 128);

/** The value of a str literal argument, if it is one. */
export const constStr = (c: ConstValue | undefined): string | undefined => (c?.kind === 'str' ? c.value : undefined);

/** str, or one character of one (both are Python's str). */
export const isStrish = (t: KType | undefined): boolean => !!t && (t.kind === 'str' || t.kind === 'char');
export const isNoneArg = (t: KType | undefined): boolean => !t || t.kind === 'none';

/** A lowering whose C expression gives a new reference or NULL with the error set. */
export const newRef = (make: (a: string[]) => string): Lowering =>
  stmts((a, out, cx) => [`${out} = ${make(a)};`, `if (!${out}) ${cx.propagate()}`]);

export const S = T.str;
export const C = T.char;
export const B = T.bytes;
