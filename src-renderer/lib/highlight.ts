/** A tiny tokenizer for Python and C lines: enough colour to read code, no dependency. */
export type Tok = { t: string; c: '' | 'kw' | 'num' | 'str' | 'com' | 'fn' | 'dec' | 'ty' };

const PY_KW = new Set('def return if elif else for while in range not and or is None True False break continue pass raise assert from import as lambda with try except finally class global nonlocal yield'.split(' '));
const PY_TY = new Set('int float bool str tuple list'.split(' '));
const C_KW = new Set('if else for while return break continue static const struct typedef void int double float char bool true false goto do switch case default sizeof unsigned signed long short inline extern'.split(' '));
const C_TY = /^(int\d+_t|uint\d+_t|size_t|double|float|bool|void|char|kiln_\w+_t)$/;

export function tokenize(line: string, lang: 'python' | 'c'): Tok[] {
  const out: Tok[] = [];
  const re = lang === 'python'
    ? /(#.*$)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(@[\w.]+)|(\b\d[\w.]*\b)|([A-Za-z_]\w*)|(\s+)|(.)/g
    : /(\/\/.*$|\/\*.*?\*\/)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(#\s*\w+)|(\b0x[\da-fA-F.p+-]+\b|\b\d[\w.]*\b)|([A-Za-z_]\w*)|(\s+)|(.)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    const [s, com, str, dec, num, word] = m;
    if (com) out.push({ t: s, c: 'com' });
    else if (str) out.push({ t: s, c: 'str' });
    else if (dec) out.push({ t: s, c: 'dec' });
    else if (num) out.push({ t: s, c: 'num' });
    else if (word) {
      const kw = lang === 'python' ? PY_KW.has(word) : C_KW.has(word) && !C_TY.test(word);
      const ty = lang === 'python' ? PY_TY.has(word) : C_TY.test(word);
      const fn = line.slice(re.lastIndex).startsWith('(');
      out.push({ t: s, c: kw ? 'kw' : ty ? 'ty' : fn ? 'fn' : '' });
    } else out.push({ t: s, c: '' });
  }
  return out;
}

/** One faint colour per Python line, shared by both panes (as Compiler Explorer does). */
const PALETTE = ['#4dabf7', '#f783ac', '#69db7c', '#ffa94d', '#9775fa', '#3bc9db', '#ffd43b', '#ff8787'];
export const lineColour = (pyLine: number) => PALETTE[pyLine % PALETTE.length];
