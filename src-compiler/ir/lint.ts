/**
 * A check of an IR function's shape, as torch.fx's Graph.lint(): what every pass may assume. The tracer and
 * typecheck must produce IR that passes it; the pipeline runs it after both when KILN_LINT=1 (the tests do).
 *
 * - Names: a value node (call_function, constant) and a control node has a name of its own, unique in the
 *   function and not a local's; an `input` is named after its parameter, an `assign` after the local it writes.
 * - References: an argument names a local (a parameter or an assigned name: Python's rule, so a loop-carried
 *   or maybe-unbound local is fine) or a value defined before it on every path: earlier in the same region or
 *   an enclosing one. A branch's or a loop body's values are not visible after it; a while's test runs
 *   first, so its values are visible in the body, the else and after the loop.
 * - Regions: `if` has then/else, `for_range` body/orelse, `while` test/body/orelse; no other node has regions;
 *   break and continue are inside a loop.
 * - Arity: as each op takes its arguments (assign 1, for_range 3, raise its str arguments or nothing, ...).
 * - Typed IR: every value node (input, constant, call_function, assign) has a type, and a call the types of
 *   its arguments.
 */
import { isRef, type Arg, type IRFunction, type IRNode, type NodeOp } from './ir.ts';

const REGIONS: Partial<Record<NodeOp, string[]>> = {
  if: ['then', 'else'],
  for_range: ['body', 'orelse'],
  while: ['test', 'body', 'orelse'],
};
/** The number of arguments each op takes: [min, max]. */
const ARITY: Record<NodeOp, [number, number]> = {
  input: [0, 0], constant: [0, 1], call_function: [0, Infinity], assign: [1, 1], output: [0, 1],
  if: [1, 1], for_range: [3, 3], while: [1, 1], break: [0, 0], continue: [0, 0], raise: [0, Infinity], assert: [1, 2], try: [0, 0],
};
const VALUE_OPS: NodeOp[] = ['input', 'constant', 'call_function', 'assign'];

/** The problems of an IR function (none: it is well formed). `typed`: it has been through typecheck. */
export function lintIR(ir: IRFunction, opts: { typed?: boolean } = {}): string[] {
  const problems: string[] = [];
  const locals = new Set([...ir.params.map((p) => p.name), ...ir.locals]);
  const names = new Map<string, IRNode>();
  const where = (n: IRNode) => `${n.op} ${n.name} (line ${n.span.line})`;

  const checkArg = (n: IRNode, a: Arg, visible: Set<string>) => {
    if (!isRef(a)) return;
    if (!locals.has(a.ref) && !visible.has(a.ref)) problems.push(`${where(n)}: reads ${a.ref}, which is neither a local nor a value defined before it on every path`);
  };

  const node = (n: IRNode, visible: Set<string>, loops: number) => {
    if (!(n.op in ARITY)) {
      problems.push(`${where(n)}: unknown op`);
      return;
    }
    // Names.
    if (n.op === 'input' || n.op === 'assign') {
      if (n.name !== n.target) problems.push(`${where(n)}: named ${n.name} but writes ${n.target}`);
      if (!locals.has(n.target)) problems.push(`${where(n)}: ${n.target} is not a parameter or a local`);
    } else {
      if (names.has(n.name)) problems.push(`${where(n)}: the name ${n.name} is also ${where(names.get(n.name)!)}`);
      else names.set(n.name, n);
      if (locals.has(n.name)) problems.push(`${where(n)}: the name ${n.name} is also a local`);
    }
    if (n.op === 'for_range' && !locals.has(n.target)) problems.push(`${where(n)}: the loop variable ${n.target} is not a local`);
    if (n.op === 'call_function' && !n.target) problems.push(`${where(n)}: calls no target`);
    // Arity and literal arguments.
    const [min, max] = ARITY[n.op];
    if (n.args.length < min || n.args.length > max) problems.push(`${where(n)}: ${n.args.length} argument(s), ${n.op} takes ${min === max ? min : `${min} to ${max}`}`);
    const strArg = (a: Arg | undefined) => !a || (!isRef(a) && a.const.kind === 'str');
    if (n.op === 'raise' && n.args.some((a) => !isRef(a) && a.const.kind !== 'str')) problems.push(`${where(n)}: an argument is not a string`);
    if (n.op === 'assert' && !strArg(n.args[1])) problems.push(`${where(n)}: the message is not a string literal`);
    if (n.op === 'constant' && n.args.length && isRef(n.args[0])) problems.push(`${where(n)}: a constant's argument is a literal`);
    // Regions.
    // A try: its body, one handler per except clause, orelse, finally.
    const want = n.op === 'try' ? ['body', ...(n.handlers ?? []).map(() => 'handler'), 'orelse', 'finally'] : REGIONS[n.op];
    const got = (n.regions ?? []).map((r) => r.name);
    if (want ? got.join() !== want.join() : got.length) problems.push(`${where(n)}: regions [${got.join(', ')}], ${n.op} has [${(want ?? []).join(', ')}]`);
    if ((n.op === 'break' || n.op === 'continue') && !loops) problems.push(`${where(n)}: outside a loop`);
    // Types.
    if (opts.typed && VALUE_OPS.includes(n.op)) {
      if (!n.type) problems.push(`${where(n)}: no type after typecheck`);
      if (n.op === 'call_function' && n.argTypes?.length !== n.args.length) problems.push(`${where(n)}: the types of its arguments are not recorded`);
    }
    // References, in the order the node evaluates them.
    const region = (name: string) => n.regions?.find((r) => r.name === name)?.nodes ?? [];
    if (n.op === 'while' && want && got.join() === want.join()) {
      const test = new Set(visible);
      block(region('test'), test, loops);
      n.args.forEach((a) => checkArg(n, a, test));
      block(region('body'), new Set(test), loops + 1);
      block(region('orelse'), new Set(test), loops);
      for (const v of test) visible.add(v);
      return;
    }
    n.args.forEach((a) => checkArg(n, a, visible));
    if (n.op === 'call_function' || n.op === 'constant') visible.add(n.name);
    for (const r of n.regions ?? []) block(r.nodes, new Set(visible), loops + (n.op === 'for_range' && r.name === 'body' ? 1 : 0));
  };

  const block = (nodes: IRNode[], visible: Set<string>, loops: number) => {
    for (const n of nodes) node(n, visible, loops);
  };
  block(ir.nodes, new Set(), 0);
  return problems;
}

/** Throws (a bug in Kiln, not in the user's code) when the IR is not well formed. */
export function assertLinted(ir: IRFunction, stage: 'trace' | 'typecheck'): void {
  const problems = lintIR(ir, { typed: stage === 'typecheck' });
  if (problems.length) throw new Error(`internal: the IR of ${ir.name} after ${stage} is malformed:\n  ${problems.join('\n  ')}`);
}
