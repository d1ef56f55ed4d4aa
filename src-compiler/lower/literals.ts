import { cStringOf, strLiteralDeclaration } from '../types/ops/common_strings.ts';

/** A float constant as C (ConstValue's `hex`: C99 hexadecimal, exact; inf and nan by name). */
export function floatLiteral(hex: string): string {
  if (hex === 'inf') return 'INFINITY';
  if (hex === '-inf') return '(-INFINITY)';
  if (hex === 'nan' || hex === '-nan') return 'NAN';
  return hex;
}

/**
 * str and bytes literals of a unit: static, immortal objects at file scope (kiln_str.h's KR_STR_LITERAL and
 * KR_BYTES_LITERAL), one per distinct value, referred to as `KR_STR(kr_lit_3)`. A literal costs nothing at run
 * time: no allocation, no counting (kr_incref/kr_decref ignore immortal objects), and any thread may use it.
 */

export class Literals {
  private readonly names = new Map<string, string>();
  /** The file-scope declarations, in the order the literals were first used. */
  readonly declarations: { name: string; text: string }[] = [];

  /** The declarations of the literals that `code` refers to (an op may read a literal argument's value at compile
   *  time and never use its object, as an f-string's template). */
  usedIn(code: string): string[] {
    return this.declarations.filter((d) => new RegExp(`\\b${d.name}\\b`).test(code)).map((d) => d.text);
  }

  /** A str literal as a C expression (a borrowed, immortal kr_str *). */
  str(value: string): string {
    if (value === '') return 'kr_str_empty';
    const key = `s${value}`;
    let name = this.names.get(key);
    if (!name) {
      name = `kr_lit_${this.names.size}`;
      this.names.set(key, name);
      this.declarations.push({ name, text: strLiteralDeclaration(name, value) });
    }
    return `KR_STR(${name})`;
  }

  /** A bytes literal (hex digits) as a C expression (a borrowed, immortal kr_bytes *). */
  bytes(hex: string): string {
    const key = `b${hex}`;
    let name = this.names.get(key);
    if (!name) {
      name = `kr_blit_${this.names.size}`;
      this.names.set(key, name);
      const bytes = (hex.match(/../g) ?? []).map((h) => parseInt(h, 16));
      this.declarations.push({ name, text: `KR_BYTES_LITERAL(${name}, ${bytes.length}, ${cStringOf(bytes)});` });
    }
    return `KR_BYTES(${name})`;
  }

  get size(): number {
    return this.names.size;
  }
}
