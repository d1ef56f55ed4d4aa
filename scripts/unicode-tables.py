#!/usr/bin/env python3
"""
Generates resources/c/kiln_unicode_db.h, the Unicode character database of Kiln's str runtime
(resources/c/kiln_str.h), from the CPython that runs this script.

Every property is read from CPython itself, so the compiled str methods agree with the interpreter the
differential tests compare against, character for character:
  - flags from the str predicates on one character (ch.isalpha(), ch.isdecimal(), ch.isdigit(), ch.isnumeric(),
    ch.islower(), ch.isupper(), ch.isspace(), ch.isprintable(), ch.isidentifier(), ('a' + ch).isidentifier()),
    and splitlines() for line boundaries;
  - Cased and Case_Ignorable (which CPython keeps but does not expose) from how title() and lower() treat the
    character: (ch + 'a').title() lower-cases the 'a' exactly when ch is cased; 'Σ' becomes final 'ς' when what
    surrounds it is case-ignorable (see derive_case_ignorable);
  - full case mappings (lower, upper, title, casefold: up to three code points, special casing included) from
    ch.lower(), ch.upper(), ch.title(), ch.casefold();
  - general category, decimal, digit and numeric values from unicodedata.

Layout: each code point maps to one of a few dozen property records and one of a few hundred case records through
two three-level tables (leaf[mid[top[cp >> s2] ...] ...], the shifts chosen to make each smallest; blocks that
repeat are stored once, as CPython's Objects/unicodetype_db.h does with two levels). A case mapping is a delta
(mapped = cp + delta) or, for one-to-many mappings, a slice of an extra table of code units. Numeric values
(unicodedata.numeric) are runs of consecutive code points whose values step by one, found by bisection.

Usage: python3 scripts/unicode-tables.py [output]   (default: resources/c/kiln_unicode_db.h)
"""
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, '..', 'resources', 'c', 'kiln_unicode_db.h')

FLAGS = ['ALPHA', 'DECIMAL', 'DIGIT', 'NUMERIC', 'LOWER', 'UPPER', 'TITLE', 'SPACE', 'LINEBREAK', 'PRINTABLE',
         'XID_START', 'XID_CONTINUE', 'CASED', 'CASE_IGNORABLE']
CATEGORIES = ['Cn', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Mn', 'Mc', 'Me', 'Nd', 'Nl', 'No', 'Pc', 'Pd', 'Ps', 'Pe',
              'Pi', 'Pf', 'Po', 'Sm', 'Sc', 'Sk', 'So', 'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Cs', 'Co']
EXT = 0x40000000  # a case mapping at or above this is EXT | length << 20 | index into kr_ucd_ext


def is_cased(ch):
    return (ch + 'a').title()[-1] == 'a'


def derive_case_ignorable(ch, cased):
    # CPython's final-sigma rule: Σ is final when a cased character precedes it (skipping case-ignorable ones)
    # and none follows it (skipping case-ignorable ones).
    if not cased:
        # 'A' ch 'Σ': looking back from Σ, ch is skipped only when case-ignorable, reaching the cased 'A'.
        return ('A' + ch + '\u03a3').lower()[-1] == '\u03c2'
    # 'AΣ' ch: looking ahead, a cased ch that is not case-ignorable makes Σ non-final.
    return ('A\u03a3' + ch).lower()[1] == '\u03c2'


def record_of(cp, ext, ext_index):
    ch = chr(cp)
    cased = is_cased(ch)
    flags = 0
    bits = {
        'ALPHA': ch.isalpha(), 'DECIMAL': ch.isdecimal(), 'DIGIT': ch.isdigit(), 'NUMERIC': ch.isnumeric(),
        'LOWER': ch.islower(), 'UPPER': ch.isupper(), 'TITLE': unicodedata.category(ch) == 'Lt',
        'SPACE': ch.isspace(), 'LINEBREAK': len(('a' + ch + 'b').splitlines()) == 2,
        'PRINTABLE': ch.isprintable(), 'XID_START': ch != '_' and ch.isidentifier(),
        'XID_CONTINUE': ('a' + ch).isidentifier(), 'CASED': cased,
        'CASE_IGNORABLE': derive_case_ignorable(ch, cased),
    }
    for i, name in enumerate(FLAGS):
        if bits[name]:
            flags |= 1 << i

    def mapping(s):
        if len(s) == 1:
            return ord(s) - cp
        units = tuple(ord(c) for c in s)
        assert 1 < len(units) <= 3 and max(units) <= 0xFFFF, (hex(cp), s)
        if units not in ext_index:
            ext_index[units] = len(ext)
            ext.extend(units)
        return EXT | len(units) << 20 | ext_index[units]

    numeric = unicodedata.numeric(ch, None)
    return (mapping(ch.lower()), mapping(ch.upper()), mapping(ch.title()), mapping(ch.casefold()), flags,
            CATEGORIES.index(unicodedata.category(ch)), unicodedata.decimal(ch, -1), unicodedata.digit(ch, -1),
            numeric)


def split3(values, leaf_bytes):
    """The three-level split of `values` with the smallest total size:
    value = leaf[(mid[(top[cp >> s2] << (s2 - s1)) + ((cp >> s1) & (2**(s2-s1) - 1))] << s1) + (cp & (2**s1 - 1))].
    Returns (bytes, s1, s2, top, mid, leaf); a block that repeats is stored once, at each level."""
    best = None
    for s1 in range(3, 10):
        leaf, level1 = dedupe_blocks(values, 1 << s1)
        for s2 in range(s1 + 1, 16):
            mid, top = dedupe_blocks(level1, 1 << (s2 - s1))
            size = len(top) * bytes_for(max(top)) + len(mid) * bytes_for(max(mid)) + len(leaf) * leaf_bytes
            if best is None or size < best[0]:
                best = (size, s1, s2, top, mid, leaf)
    return best


def dedupe_blocks(values, size):
    """Cuts values into blocks of `size`: (the distinct blocks concatenated, the block number of each block)."""
    ids, stored, numbers = {}, [], []
    for start in range(0, len(values), size):
        block = tuple(values[start:start + size])
        if block not in ids:
            ids[block] = len(stored) // size
            stored.extend(block)
        numbers.append(ids[block])
    return stored, numbers


def bytes_for(maxval):
    return 1 if maxval < 256 else 2 if maxval < 65536 else 4


def ctype(nbytes):
    return {1: 'uint8_t', 2: 'uint16_t', 4: 'uint32_t'}[nbytes]


def c_array(name, ctype_name, values, per_line=24):
    lines = [f'static const {ctype_name} {name}[{len(values)}] = {{']
    for i in range(0, len(values), per_line):
        lines.append('  ' + ','.join(str(v) for v in values[i:i + per_line]) + ',')
    lines.append('};')
    return '\n'.join(lines)


def intern(table, ids, value):
    if value not in ids:
        ids[value] = len(table)
        table.append(value)
    return ids[value]


def three_level(prefix, per_cp, nrecords):
    """The C arrays and the lookup function of a three-level table: (code, bytes)."""
    size, s1, s2, top, mid, leaf = split3(per_cp, bytes_for(nrecords - 1))
    code = '\n'.join([
        c_array(f'{prefix}_top', ctype(bytes_for(max(top))), top, 32),
        c_array(f'{prefix}_mid', ctype(bytes_for(max(mid))), mid, 32),
        c_array(f'{prefix}_leaf', ctype(bytes_for(nrecords - 1)), leaf, 32),
        f'static inline uint32_t {prefix}_index(uint32_t cp) {{',
        f'  uint32_t m = {prefix}_mid[((uint32_t){prefix}_top[cp >> {s2}] << {s2 - s1}) + ((cp >> {s1}) & {(1 << (s2 - s1)) - 1}u)];',
        f'  return {prefix}_leaf[(m << {s1}) + (cp & {(1 << s1) - 1}u)];',
        '}',
    ])
    return code, size


HEADER = '''/*
 * Kiln runtime: the Unicode character database of str (resources/c/kiln_str.h). GENERATED, do not edit.
 * Unicode {version}, read from CPython {python}'s str methods and unicodedata by scripts/unicode-tables.py;
 * regenerate with `python3 scripts/unicode-tables.py` (the CPython that runs it decides the Unicode version:
 * unicodedata.unidata_version).
 *
 * Two three-level tables map a code point to one of {nprops} property records (flags, category, decimal and digit
 * value) and one of {ncases} case records (full lower, upper, title and casefold mappings, special casing
 * included); numeric values are runs found by bisection (no str method needs them).
 * Sizes in bytes: {sizes}; total {total}.
 */
#ifndef KILN_UNICODE_DB_H
#define KILN_UNICODE_DB_H

#include <stdint.h>

#define KR_UCD_VERSION "{version}"
'''

TYPES = '''
typedef struct kr_ucd_props {{
  uint16_t flags;    /* KR_UCD_* */
  uint8_t category;  /* index into kr_ucd_category_names */
  uint8_t values;    /* decimal value in the low nibble, digit value in the high one; 15: none */
}} kr_ucd_props;

/* A case mapping: cp + delta, or (when >= KR_UCD_EXT) (m >> 20) & 3 code points at kr_ucd_ext[m & 0xFFFFF]. */
#define KR_UCD_EXT {ext:#x}
typedef struct kr_ucd_case {{ int32_t lower, upper, title, fold; }} kr_ucd_case;

static const char kr_ucd_category_names[{ncat}][3] = {{ {cats} }};
'''

LOOKUPS = '''
static inline const kr_ucd_props *kr_ucd_props_of(uint32_t cp) {{
  return &kr_ucd_props_records[cp <= 0x10FFFF ? kr_ucd_props_index(cp) : 0];
}}
static inline const kr_ucd_case *kr_ucd_case_of(uint32_t cp) {{
  return &kr_ucd_case_records[cp <= 0x10FFFF ? kr_ucd_case_index(cp) : 0];
}}
/* unicodedata.numeric(chr(cp)): 1 and *out set, or 0 when the code point has no numeric value. */
static inline int kr_ucd_numeric(uint32_t cp, double *out) {{
  int lo = 0, hi = {nruns};
  while (lo < hi) {{
    int m = (lo + hi) / 2;
    if (kr_ucd_numeric_start[m] <= cp) lo = m + 1; else hi = m;
  }}
  if (lo == 0 || cp - kr_ucd_numeric_start[lo - 1] >= kr_ucd_numeric_count[lo - 1]) return 0;
  *out = kr_ucd_numeric_values[kr_ucd_numeric_value[lo - 1]] + (double)(cp - kr_ucd_numeric_start[lo - 1]);
  return 1;
}}

#endif /* KILN_UNICODE_DB_H */
'''


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    ext, ext_index = [], {}
    props, props_ids, props_cp = [], {}, []
    cases, case_ids, case_cp = [], {}, []
    runs = []  # numeric values: [start, count, first value]; the value of cp is first + (cp - start)
    for cp in range(0x110000):
        lower, upper, title, fold, flags, category, decimal, digit, numeric = record_of(cp, ext, ext_index)
        props_cp.append(intern(props, props_ids, (flags, category, (decimal & 15) | (digit & 15) << 4)))
        case_cp.append(intern(cases, case_ids, (lower, upper, title, fold)))
        if numeric is not None:
            if runs and runs[-1][0] + runs[-1][1] == cp and runs[-1][2] + runs[-1][1] == numeric:
                runs[-1][1] += 1
            else:
                runs.append([cp, 1, numeric])
    assert len(props) < 256
    values, value_ids = [], {}
    run_values = [intern(values, value_ids, r[2]) for r in runs]
    assert len(values) < 256 and max(r[1] for r in runs) < 256
    props_code, props_index_bytes = three_level('kr_ucd_props', props_cp, len(props))
    case_code, case_index_bytes = three_level('kr_ucd_case', case_cp, len(cases))
    latin1 = [props[props_cp[cp]][0] for cp in range(256)]
    latin1_lower = [ord(chr(cp).lower()) for cp in range(256)]
    assert max(latin1_lower) < 256 and all(len(chr(cp).lower()) == 1 for cp in range(256))

    version = unicodedata.unidata_version
    sizes = {
        'property index': props_index_bytes, 'property records': len(props) * 4,
        'case index': case_index_bytes, 'case records': len(cases) * 16, 'multi-character mappings': len(ext) * 2,
        'numeric values': len(runs) * 6 + len(values) * 8, 'Latin-1 flags and lower case': 768,
    }
    total = sum(sizes.values())
    parts = [HEADER.format(version=version, python=sys.version.split()[0], nprops=len(props), ncases=len(cases),
                           sizes=', '.join(f'{k} {v}' for k, v in sizes.items()), total=total)]
    parts += [f'#define KR_UCD_{name} {1 << i}' for i, name in enumerate(FLAGS)]
    parts.append(TYPES.format(ext=EXT, ncat=len(CATEGORIES), cats=', '.join(f'"{c}"' for c in CATEGORIES)))
    parts.append(f'static const kr_ucd_props kr_ucd_props_records[{len(props)}] = {{')
    parts += ['  ' + ' '.join('{%d,%d,%d},' % p for p in props[i:i + 8]) for i in range(0, len(props), 8)]
    parts.append('};')
    parts.append(f'static const kr_ucd_case kr_ucd_case_records[{len(cases)}] = {{')
    parts += ['  ' + ' '.join('{%d,%d,%d,%d},' % c for c in cases[i:i + 4]) for i in range(0, len(cases), 4)]
    parts.append('};')
    parts.append(c_array('kr_ucd_ext', 'uint16_t', ext))
    parts.append(c_array('kr_ucd_latin1_flags', 'uint16_t', latin1, 16))
    parts.append('/* str.lower() of a Latin-1 code point is one Latin-1 code point: the fast path of lower() */')
    parts.append(c_array('kr_ucd_latin1_lower', 'uint8_t', latin1_lower, 32))
    parts.append(props_code)
    parts.append(case_code)
    parts.append(c_array('kr_ucd_numeric_start', 'uint32_t', [r[0] for r in runs], 16))
    parts.append(c_array('kr_ucd_numeric_count', 'uint8_t', [r[1] for r in runs], 32))
    parts.append(c_array('kr_ucd_numeric_value', 'uint8_t', run_values, 32))
    parts.append(f'static const double kr_ucd_numeric_values[{len(values)}] = {{')
    parts += ['  ' + ', '.join(float(v).hex() for v in values[i:i + 6]) + ',' for i in range(0, len(values), 6)]
    parts.append('};')
    parts.append(LOOKUPS.format(nruns=len(runs)))
    with open(out, 'w', encoding='ascii') as f:
        f.write('\n'.join(parts))
    print(f'{out}: Unicode {version}, {len(props)} property and {len(cases)} case records, {total} bytes of tables')


if __name__ == '__main__':
    main()
