"""How often the C libraries of Kiln's targets round differently from glibc (the C library of the CPython Kiln
is compared with), per function, and by how many ulps at most: builds bench/runtime/libm_agreement.c for the
host (glibc), x86_64-linux-musl (musl, the libm of every musl target and of wasi-libc) and, when Wine is
installed, x86_64-windows-gnu (mingw-w64), and compares the results.   python3 bench/runtime/libm_agreement.py
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ZIG = os.path.join(HERE, '..', '..', 'node_modules', '@ryoppippi', 'zig-linux-x64', 'zig')
FLAGS = ['-O2', '-std=c11', '-fno-fast-math', '-ffp-contract=off', '-fno-math-errno']


def results(target, runner, tmp):
    exe = os.path.join(tmp, 'libm-' + (target or 'host') + ('.exe' if target and 'windows' in target else ''))
    subprocess.run([ZIG, 'cc', *FLAGS, *(['-target', target] if target else []), os.path.join(HERE, 'libm_agreement.c'), '-o', exe, '-lm'], check=True)
    out = subprocess.run([*runner, exe], check=True, capture_output=True, text=True, env={**os.environ, 'WINEDEBUG': '-all'}).stdout
    rows = {}
    for line in out.replace('\r', '').split('\n'):
        if line:
            name, *bits = line.split(' ')
            rows[name] = [int(b, 16) for b in bits]
    return rows


def ordered(b):
    return b if b < 1 << 63 else (1 << 63) - b


def main():
    with tempfile.TemporaryDirectory() as tmp:
        glibc = results(None, [], tmp)
        others = [('musl', results('x86_64-linux-musl', [], tmp))]
        if shutil.which('wine'):
            others.append(('mingw', results('x86_64-windows-gnu', ['wine'], tmp)))
        print('%-8s' % 'function' + ''.join('  %-26s' % (name + ': differing, max ulps') for name, _ in others))
        for fn, ref in glibc.items():
            cells = []
            for _, rows in others:
                diffs = [abs(ordered(a) - ordered(b)) for a, b in zip(ref, rows[fn]) if a != b]
                cells.append('  %6.2f%%  %-17d' % (100.0 * len(diffs) / len(ref), max(diffs) if diffs else 0))
            print('%-8s' % fn + ''.join(cells))


if __name__ == '__main__':
    sys.exit(main())
