/**
 * Functions as values: lambdas, nested defs (closures), module functions and library functions passed around,
 * and the cells a closure shares a variable through. Making a closure and calling a function value are typed by
 * typecheck (each def and lambda is its own type, a call of one is bound and specialised like a direct call:
 * types/calls.ts) and lowered by lower/c.ts and lower/c_functions.ts; their entries here are what `kiln ops`
 * and the README list. Reading and writing a cell are plain ops.
 */
import { typeToString } from '../types.ts';
import { expr, stmts, type OpDef, type OpDomain } from './common.ts';

const byTypecheck = (what: string) => () => `internal: ${what} is typed by typecheck, not resolved here`;

const ops: OpDef[] = [
  {
    target: 'kiln.make_closure', python: 'lambda x: ..., def inner(...): ... (nested), a def as a value',
    signatures: [
      'each def and lambda is its own compile-time type: a helper taking a function is specialised per function, and the call inside is direct (inlined by the C compiler)',
      'a closure holds the variables it reads by value, or a cell (the variable itself) when it is assigned after the def or through `nonlocal`',
      'defaults of a nested def are evaluated where the def runs, as in Python',
    ],
    resolve: byTypecheck('making a closure'),
  },
  {
    target: 'kiln.call', python: 'f(args) where f is a function value',
    signatures: [
      'a def, lambda or closure: its arguments bound at compile time (defaults, keywords, *args, **kwargs), CPython\'s TypeError for a wrong call reported at compile time',
      'a library function as a value (key=abs, map(float, xs), math.sqrt)',
      'a value that is one of several functions at run time (a table of functions indexed at run time, a variable given different functions on different paths): one indirect call through { code pointers, environment }',
    ],
    resolve: byTypecheck('a call of a function value'),
  },
  {
    target: 'kiln.cell_get', python: 'x (captured by reference)', signatures: ['cell[T] -> T'],
    resolve([c]) {
      // A captured variable a closure holds by value after all (a key lambda of sorted/min/max: ir/trace.ts closure).
      if (c && c.kind !== 'cell') return { result: c, argTypes: [c], lower: expr((a) => a[0]) };
      if (c?.kind !== 'cell') return `internal: cell_get of ${c ? typeToString(c) : 'nothing'}`;
      // Not an `expr` lowering: another call may assign the variable, so the read must stay where it is.
      return { result: c.item, argTypes: [c], lower: stmts((a, out) => [`${out} = *${a[0]};`]) };
    },
  },
  {
    target: 'kiln.cell_set', python: 'nonlocal x; x = v', signatures: ['cell[T], T -> None'],
    resolve([c, v]) {
      if (c?.kind !== 'cell') return `internal: cell_set of ${c ? typeToString(c) : 'nothing'}`;
      if (typeToString(v) !== typeToString(c.item)) {
        return `variable changes type: the enclosing function's variable is ${typeToString(c.item)} and this assigns ${typeToString(v)}; convert the value (float(...), int(...))`;
      }
      return { result: { kind: 'none' }, argTypes: [c, v], lower: stmts((a) => [`*${a[0]} = ${a[1]};`]) };
    },
  },
];

export const functions: OpDomain = { name: 'functions', title: 'Functions as values', ops };
