/** Which array and list parameters a compiled function writes (opt/writes.ts), as the exported packages see it. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModule } from '../../src-compiler/pipeline.ts';

const source = `import numpy as np
import numpy.typing as npt
from kiln import compile


def view_of(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return x[1:]


def write_first(x: npt.NDArray[np.float64]) -> None:
    x[0] = 2.0


@compile(ndim={"a": 2})
def arrays(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], c: npt.NDArray[np.float64], d: npt.NDArray[np.float64], e: npt.NDArray[np.float64]) -> float:
    for row in a:
        row += 1.0
    v = view_of(b)
    v[0] = 1.0
    write_first(c)
    f = d * 2.0
    f[0] = 1.0
    g = e.copy()
    g.fill(0.0)
    return float(e[0])


@compile
def lists(xs: list[int], ys: list[int], zs: list[int], ws: list[int]) -> int:
    alias = xs
    alias.append(1)
    ys *= 2
    zs.sort()
    return len(ws)
`;

describe('parameter writes', () => {
  it('follows views, aliases, in-place operators, list methods and helpers; copies and new arrays are not the parameter', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-writes-'));
    const file = path.join(dir, 'writes_mod.py');
    fs.writeFileSync(file, source);
    const m = await compileModule(file);
    const written = Object.fromEntries(m.unit!.exports.map((e) => [e.name, e.params.map((p) => `${p.name}:${p.written}`)]));
    expect(written).toEqual({
      arrays: ['a:true', 'b:true', 'c:true', 'd:false', 'e:false'],
      lists: ['xs:true', 'ys:true', 'zs:true', 'ws:false'],
    });
  }, 60_000);
});
