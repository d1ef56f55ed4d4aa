"""How often the C libraries of Kiln's targets round differently from glibc (the C library of the CPython Kiln
is compared with), per function, and by how many ulps at most: builds bench/runtime/libm_agreement.c for the
host (glibc), x86_64-linux-musl (musl, the libm of every musl target and of wasi-libc) and, when Wine is
installed, x86_64-windows-gnu (mingw-w64), and compares the results; with --all also wasm32-wasi (Node's WASI)
and aarch64-linux-musl (qemu-aarch64), whose musl Zig builds with its own flags. cmath's rows compare each part
of a complex result alone, as verification does (run/values.ts closeValue): "sign" counts results whose part is
zero, or of the other sign, on one side only (no ulp bound accepts those).
   python3 bench/runtime/libm_agreement.py [--all]
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
ZIG = os.path.join(ROOT, 'node_modules', '@ryoppippi', 'zig-linux-x64', 'zig')
FLAGS = ['-O2', '-std=c11', '-fno-fast-math', '-ffp-contract=off', '-fno-math-errno']


def results(target, runner, tmp):
    exe = os.path.join(tmp, 'libm-' + (target or 'host') + ('.exe' if target and 'windows' in target else '.wasm' if target and 'wasm' in target else ''))
    subprocess.run([ZIG, 'cc', *FLAGS, *(['-target', target] if target else []), '-I', os.path.join(ROOT, 'resources', 'c'),
                    *(['-DNO_CMATH'] if target and 'windows' in target else []),
                    os.path.join(HERE, 'libm_agreement.c'), '-o', exe, '-lm'], check=True)
    out = subprocess.run([*runner, exe], check=True, capture_output=True, text=True, env={**os.environ, 'WINEDEBUG': '-all'}).stdout
    rows = {}
    for line in out.replace('\r', '').split('\n'):
        if line:
            name, *bits = line.split(' ')
            rows[name] = [int(b, 16) for b in bits]
    return rows


def ordered(b):
    return b if b < 1 << 63 else (1 << 63) - b


def one_sided(a, b):
    """A part that is zero, or of the other sign, on one side only (NaN bits compare as they are)."""
    zero = lambda x: x & ((1 << 63) - 1) == 0
    return zero(a) != zero(b) or (a >> 63) != (b >> 63)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        glibc = results(None, [], tmp)
        others = [('musl', results('x86_64-linux-musl', [], tmp))]
        if '--all' in sys.argv:
            others.append(('wasm32', results('wasm32-wasi', ['node', '--no-warnings', os.path.join(ROOT, 'src-compiler', 'run', 'wasi-runner.mjs')], tmp)))
            others.append(('arm64', results('aarch64-linux-musl', ['qemu-aarch64'], tmp)))
        if shutil.which('wine'):
            others.append(('mingw', results('x86_64-windows-gnu', ['wine'], tmp)))
        print('%-12s' % 'function' + ''.join('  %-32s' % (name + ': differing, max ulps, sign') for name, _ in others))
        for fn, ref in glibc.items():
            cells = []
            for _, rows in others:
                if fn not in rows:
                    cells.append('  %-32s' % '-')
                    continue
                differ = [(a, b) for a, b in zip(ref, rows[fn]) if a != b]
                signs = sum(1 for a, b in differ if one_sided(a, b))
                diffs = [abs(ordered(a) - ordered(b)) for a, b in differ if not one_sided(a, b)]
                cells.append('  %6.2f%%  %-12d %-9d' % (100.0 * len(differ) / len(ref), max(diffs) if diffs else 0, signs))
            print('%-12s' % fn + ''.join(cells))


if __name__ == '__main__':
    sys.exit(main())
