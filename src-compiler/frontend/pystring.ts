/**
 * Python string and bytes literals read on the TypeScript side: `kiln run` arguments ('héllo', b'\xff'),
 * `Literal["a", "b"]` annotations (as ast.unparse writes them). Prefixes r/b/u (any case, rb/br), single,
 * double and triple quotes, and Python's escapes (\n \t \\ \' \" \a \b \f \v \r \ooo \xhh \uXXXX \UXXXXXXXX
 * \N{...} is not read: a LiteralSyntaxError says so). Adjacent literals are not concatenated here.
 */

export class LiteralSyntaxError extends Error {}

export interface PyStringLiteral {
  kind: 'str' | 'bytes';
  /** The str's value (code points as a JS string; a lone surrogate stays one), or the bytes. */
  value: string;
  bytes?: Uint8Array;
  /** Index just after the literal. */
  end: number;
}

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/** A string or bytes literal starting at `text[i]` (its prefix included), or undefined when none starts there. */
export function readPyStringLiteral(text: string, i = 0): PyStringLiteral | undefined {
  const m = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(text.slice(i));
  if (!m) return undefined;
  const prefix = m[1].toLowerCase();
  if (prefix && !['r', 'b', 'u', 'rb', 'br'].includes(prefix)) return undefined;
  const raw = prefix.includes('r');
  const isBytes = prefix.includes('b');
  const quote = m[2];
  let k = i + m[0].length;
  const units: number[] = []; // code points (str) or byte values (bytes)
  const pushText = (s: string) => {
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      if (isBytes && c > 127) throw new LiteralSyntaxError('bytes can only contain ASCII literal characters');
      units.push(c);
    }
  };
  for (;;) {
    if (k >= text.length) throw new LiteralSyntaxError(`unterminated string literal: ${text.slice(i)}`);
    if (text.startsWith(quote, k)) { k += quote.length; break; }
    const ch = text[k];
    if (quote.length === 1 && ch === '\n') throw new LiteralSyntaxError('unterminated string literal (a newline inside a one-line string)');
    if (ch !== '\\') {
      const cp = text.codePointAt(k)!;
      pushText(String.fromCodePoint(cp));
      k += cp > 0xffff ? 2 : 1;
      continue;
    }
    const next = text[k + 1];
    if (next === undefined) throw new LiteralSyntaxError('unterminated string literal (ends with a backslash)');
    if (raw) { units.push(0x5c); pushText(next); k += 2; continue; }
    if (next in SIMPLE) { pushText(SIMPLE[next]); k += 2; continue; }
    let hex: RegExpExecArray | null;
    if ((hex = /^[0-7]{1,3}/.exec(text.slice(k + 1, k + 4)))) {
      const v = parseInt(hex[0], 8);
      if (isBytes) units.push(v & 0xff); else units.push(v);
      k += 1 + hex[0].length;
      continue;
    }
    const widths: Record<string, number> = { x: 2, ...(isBytes ? {} : { u: 4, U: 8 }) };
    if (next in widths) {
      const digits = text.slice(k + 2, k + 2 + widths[next]);
      if (!new RegExp(`^[0-9a-fA-F]{${widths[next]}}$`).test(digits)) throw new LiteralSyntaxError(`truncated \\${next} escape in ${text.slice(i, k + 2 + widths[next])}`);
      const v = parseInt(digits, 16);
      if (v > 0x10ffff) throw new LiteralSyntaxError(`illegal Unicode character \\U${digits}`);
      units.push(v);
      k += 2 + widths[next];
      continue;
    }
    if (next === 'N' && !isBytes) throw new LiteralSyntaxError('\\N{...} escapes are not read here: write the character itself');
    // An unknown escape keeps its backslash (Python warns, and keeps it).
    units.push(0x5c);
    k += 1;
  }
  if (isBytes) return { kind: 'bytes', value: '', bytes: Uint8Array.from(units), end: k };
  return { kind: 'str', value: units.map((c) => String.fromCodePoint(c)).join(''), end: k };
}
