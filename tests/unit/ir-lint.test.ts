/** ir/lint.ts: well-formed IR passes; each kind of malformed IR is reported, naming the node. */
import { describe, expect, it } from 'vitest';
import { IR_VERSION, type Arg, type IRFunction, type IRNode, type NodeOp } from '../../src-compiler/ir/ir.ts';
import { assertLinted, lintIR } from '../../src-compiler/ir/lint.ts';
import { T } from '../../src-compiler/types/types.ts';

const span = { line: 1, col: 0, endLine: 1, endCol: 1 };
const ref = (r: string): Arg => ({ ref: r });
const int = (v: number): Arg => ({ const: { kind: 'int', value: String(v) } });
const node = (op: NodeOp, name: string, target: string, args: Arg[] = [], regions?: IRNode['regions']): IRNode => ({ op, name, target, args, span, ...(regions ? { regions } : {}) });
const call = (name: string, target: string, ...args: Arg[]) => node('call_function', name, target, args);
const fn = (nodes: IRNode[], locals: string[] = []): IRFunction => ({
  version: IR_VERSION, file: 'm.py', module: 'm', name: 'f', qualifiedName: 'm.f', span, params: [{ name: 'n', annotation: 'int', span }],
  returnAnnotation: null, locals, nodes, callees: [],
});

/** def f(n): total = 0; for i in range(n): total = total + i (loop-carried); while (c := total > n): total = total - n; return total + c */
const good = () => fn([
  node('input', 'n', 'n'),
  node('assign', 'total', 'total', [int(0)]),
  node('for_range', 'for', 'i', [int(0), ref('n'), int(1)], [
    { name: 'body', nodes: [call('add_result', '_operator.add', ref('total'), ref('i')), node('assign', 'total', 'total', [ref('add_result')])] },
    { name: 'orelse', nodes: [] },
  ]),
  node('while', 'while', 'while', [ref('gt_result')], [
    { name: 'test', nodes: [call('gt_result', '_operator.gt', ref('total'), ref('n'))] },
    { name: 'body', nodes: [call('sub_result', '_operator.sub', ref('total'), ref('n')), node('assign', 'total', 'total', [ref('sub_result')]), node('continue', 'continue', 'continue')] },
    { name: 'orelse', nodes: [] },
  ]),
  call('add_result_1', '_operator.add', ref('total'), ref('gt_result')),
  node('output', 'output', 'output', [ref('add_result_1')]),
], ['total', 'i']);

/** The problems after changing one thing of the good function. */
function problems(change: (f: IRFunction) => void, typed = false): string[] {
  const f = good();
  change(f);
  return lintIR(f, { typed });
}
const at = (f: IRFunction, i: number) => f.nodes[i];
const region = (n: IRNode, name: string) => n.regions!.find((r) => r.name === name)!.nodes;

describe('lintIR', () => {
  it('passes well-formed IR: loop-carried locals, a while test read by its body and after the loop', () => {
    expect(lintIR(good())).toEqual([]);
  });

  it('reports a read of a value that is not defined, or not on every path', () => {
    expect(problems((f) => { at(f, 5).args = [ref('nowhere')]; })).toEqual(['output output (line 1): reads nowhere, which is neither a local nor a value defined before it on every path']);
    // add_result is defined in the for body only.
    expect(problems((f) => { at(f, 5).args = [ref('add_result')]; })).toHaveLength(1);
    // A value used before the node that defines it.
    expect(problems((f) => { f.nodes.splice(1, 0, call('neg_result', '_operator.neg', ref('add_result_1'))); })).toHaveLength(1);
    // A value of an if's then-region read in its else-region.
    expect(problems((f) => {
      f.nodes.splice(1, 0, node('if', 'if', 'if', [ref('n')], [{ name: 'then', nodes: [call('pos_result', '_operator.pos', ref('n'))] }, { name: 'else', nodes: [call('neg_result', '_operator.neg', ref('pos_result'))] }]));
    })).toHaveLength(1);
  });

  it('reports names that are not unique, a value named like a local, and an assign named apart from its local', () => {
    expect(problems((f) => { at(f, 4).name = 'gt_result'; })[0]).toMatch(/the name gt_result is also call_function gt_result/);
    expect(problems((f) => { at(f, 4).name = 'total'; })[0]).toMatch(/the name total is also a local/);
    expect(problems((f) => { at(f, 1).name = 'other'; })[0]).toMatch(/named other but writes total/);
    expect(problems((f) => { at(f, 1).name = at(f, 1).target = 'undeclared'; })[0]).toMatch(/undeclared is not a parameter or a local/);
  });

  it('reports regions that are not the op\'s, and break or continue outside a loop', () => {
    expect(problems((f) => { at(f, 3).regions!.pop(); })[0]).toMatch(/regions \[test, body\], while has \[test, body, orelse\]/);
    expect(problems((f) => { at(f, 2).regions!.reverse(); })[0]).toMatch(/regions \[orelse, body\], for_range has \[body, orelse\]/);
    expect(problems((f) => { at(f, 4).regions = [{ name: 'body', nodes: [] }]; })[0]).toMatch(/call_function add_result_1 .*regions \[body\], call_function has \[\]/);
    expect(problems((f) => { f.nodes.splice(5, 0, node('break', 'break', 'break')); })).toEqual(['break break (line 1): outside a loop']);
  });

  it('reports arguments an op does not take', () => {
    expect(problems((f) => { at(f, 1).args.push(int(1)); })[0]).toMatch(/2 argument\(s\), assign takes 1/);
    expect(problems((f) => { at(f, 2).args.pop(); })[0]).toMatch(/2 argument\(s\), for_range takes 3/);
    expect(problems((f) => { f.nodes.splice(5, 0, node('raise', 'raise', 'ValueError', [int(3)])); })).toContain('raise raise (line 1): an argument is not a string');
    expect(problems((f) => { f.nodes.splice(5, 0, node('raise', 'raise', 'ValueError', [ref('n')])); })).toEqual([]);
    expect(problems((f) => { at(f, 0).op = 'bogus' as NodeOp; })).toEqual(['bogus n (line 1): unknown op']);
  });

  it('after typecheck, reports a value node without a type or a call without its argument types', () => {
    const typed = (f: IRFunction) => {
      const walk = (nodes: IRNode[]) => nodes.forEach((n) => {
        if (['input', 'constant', 'call_function', 'assign'].includes(n.op)) n.type = T.int;
        if (n.op === 'call_function') n.argTypes = n.args.map(() => T.int);
        n.regions?.forEach((r) => walk(r.nodes));
      });
      walk(f.nodes);
    };
    expect(problems(typed, true)).toEqual([]);
    expect(problems((f) => { typed(f); delete region(at(f, 2), 'body')[0].type; }, true)).toEqual(['call_function add_result (line 1): no type after typecheck']);
    expect(problems((f) => { typed(f); delete at(f, 4).argTypes; }, true)).toEqual(['call_function add_result_1 (line 1): the types of its arguments are not recorded']);
  });

  it('assertLinted throws an internal error listing the problems', () => {
    const f = good();
    at(f, 5).args = [ref('nowhere')];
    expect(() => assertLinted(f, 'trace')).toThrow(/internal: the IR of f after trace is malformed:\n {2}output output .*reads nowhere/);
  });
});
