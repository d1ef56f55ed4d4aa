/** "Supported Python", generated from the op registry (the single source of truth) for the README and the studio. */
import { CONSTANTS, DOMAINS, OPS } from '../types/ops/index.ts';

export const LANGUAGE_CONSTRUCTS = [
  'Parameters annotated `int` (64-bit in, OverflowError past 64 bits; an exported function whose values are all int and bool gives CPython\'s unbounded answer, see "Unbounded int"), `float` (C double), `bool`, `tuple[...]` of those, and NumPy scalar types `np.float32`, `np.float64`, `np.int8`..`np.int64`, `np.uint8`..`np.uint64`; the return annotation is optional (the type is inferred).',
  'Arguments of the types Python accepts at those annotations (PEP 484\'s numeric tower): an `int` or a `bool` where `float` is annotated, a `bool` where `int` is; each combination of ints and floats is its own compiled specialisation (`kiln_fma__iii`), picked by the exact types of each call, so `fma(3, -1, 2)` returns the int `-1` as CPython does; a bool runs the int one where its C is the same, else TypeError (at most 4 per function; `@compile(signatures=[(int, int), (float, int)])` lists them instead; see "Arguments of other number types"); a list of ints where `list[float]` (or `list[int] | list[float]`, or `list[T]` with `T = TypeVar("T", int, float)`) is annotated runs its `list[int]` specialisation, picked by the items\' exact types (see "Lists of ints where lists of floats are annotated").',
  '`str` and `bytes` parameters, results, locals and module-level constants; `Literal["a", "b"]` parameters (a str checked on entry: ValueError for another value); lists and tuples of str, also as parameters and results (`list[str]` in-out, `str | None`: NULL for None). Code points, not bytes: `len`, indexing, slicing with any step, iteration. f-strings with the whole format-spec mini-language, `str.format`, `%`. `raise E(message)` with a str message.',
  '`complex` parameters and results of exported functions (`kiln_complex { re, im }` in C, `complex` in the Python package, `[re, im]` in the JS module, `1+2j` on `kiln run`; see "Random numbers, math and complex numbers"); also dict values (`dict[str, complex]`) and items of lists of lists (`list[list[complex]]`), in compiled code and across the boundary.',
  '`if`/`elif`/`else`, conditional expressions, `for` over `range()` with 1 to 3 arguments (with `else`), `while` (with `else`), `break`, `continue`, early `return`, `pass`.',
  '`and`/`or` (short-circuit, returning an operand as Python does), `not`, chained comparisons (`a < b <= c`).',
  'Assignment, augmented assignment, tuple packing/unpacking and multiple assignment (`a, b = b, a + b`), `:=`, tuple returns.',
  '`assert` (AssertionError, optional literal message), `raise` of a built-in exception or of an exception class of the module with no argument, a str message or several str arguments (`raise ValueError("bad", name)`: str(e) is the tuple\'s repr, as CPython).',
  '`try`/`except T`/`except (A, B) as e`/bare `except`/`else`/`finally`, nested and in loops (`break`, `continue`, `return` pass through `finally`), matching by CPython\'s class hierarchy (`except ArithmeticError` catches the ZeroDivisionError of `//`); bare `raise`, `raise e`, `raise X from e`; `str(e)`, `repr(e)`, `f"{e}"`, `f"{e!r}"`, `e.args[i]` (a str; a KeyError\'s key itself), `len(e.args)`, `str(e.args)`, `type(e).__name__`, `isinstance(e, ...)`. Exception classes of the module: `class ParseError(ValueError):` with a docstring, `pass`, constant class attributes (`status = 404`, read as `e.status` or `ParseError.status`), an `__init__(self, msg)` that calls `super().__init__(msg)`, or one that also assigns fields (`self.line = line`, read as `e.line` in `except ParseError as e`), and methods: its own `__str__` is str(e), `f"{e}"` and the message the caller sees, `__repr__` and other methods are called on `e` in a clause naming the class; they reach the caller as classes of the exported package with the same names and bases.',
  '`match` with literal, capture, wildcard, OR (`|`), `as`, guard, value (`Color.RED`), `None`/`True`/`False`, sequence (a list or tuple subject, `*rest`), mapping (a dict subject) `int()`/`float()`/`bool()` class patterns (`case int(n):`) and class patterns of the module\'s classes (`case Point(0, y=y):`, positional through `__match_args__` or a dataclass\'s fields); other class patterns are refused.',
  '`with` over instances of the module\'s classes (`__enter__`/`__exit__` in CPython\'s order on every way out; a true `__exit__` suppresses) and `@contextlib.contextmanager` generators with one `yield`; `with open(...)` (compiled code does no file I/O: pass the text in) and `with` over a `threading` lock (take it in Python around the call) are refused with that hint.',
  'Classes of the module (see "Classes"): fields, methods, dunders, `@dataclass`, `@functools.total_ordering`, `@property`, inheritance, `__iter__`/`__next__`; `enum.Enum`/`IntEnum` members and `typing.NamedTuple` / `collections.namedtuple(\'P\', \'x y\', defaults=...)` records (`_replace`, `_asdict`, `_fields`). Instances as dict keys and set items through their `__hash__` and `__eq__` (a frozen dataclass or a NamedTuple hashes as the tuple of its fields, a class without either by identity, one with `__eq__` and no `__hash__` is unhashable: TypeError), `hash(obj)`; enum members in lists, as dict keys and set items.',
  'Module-level constants (`N = 64`, or expressions of constants), `import math`, `import math as m`, `from math import sqrt`; '
    + 'the same from the project\'s own modules and packages (`import utils`, `from .shapes import area`; see Projects).',
  'Calls to other functions of the same module or of another module of the project, undecorated or decorated with `@compile`, '
    + '`@functools.cache` or `@functools.lru_cache(...)` (a memo table keyed on the arguments, LRU-bounded as CPython\'s; another decorator on a helper is refused), specialised by the argument types '
    + '(as Python would run them); recursion (depth limit 1000, RecursionError).',
  '`heapq`, `bisect`, `itertools` and `functools`, compiled from Kiln\'s own Python source of them, `merge`, `groupby`, `zip_longest`, `cycle`, `tee` and `cmp_to_key` included; the iterators are lazy as CPython\'s (`chain`, `dropwhile`, `pairwise`, `zip_longest`, `merge`, `accumulate`, `takewhile`, `starmap`, `islice`, and `groupby` whose groups are live iterators: a loop that stops early runs no key, predicate or input item CPython does not), and a one-shot iterator stored and read again (a second `list(it)`, `next(it)`, a loop that stopped) continues or is exhausted as in CPython (see "heapq, bisect, itertools, functools").',
  'Reading a local that may be unbound raises UnboundLocalError, as in CPython.',
  // ---- values whose type depends on the path, None (types.ts unions, types/narrowing.ts, opt/splitVariables.ts)
  'Values whose type depends on the path: an `int` on one path and a `float` (or `None`) on another, in a variable, a result, a conditional expression, `min`/`max` of mixed numbers, `a ** b` with an exponent that may be negative; a variable is split where its assignments never meet, and is a tagged union only where they do (see below).',
  '`None` as a value: `x is None`, `x is not None`, `x == None`, `if x:`, parameters and results annotated `Optional[T]`, `T | None` or `Union[...]`, variables that start as `None`, functions that return `None` on some paths; these tests, `isinstance(x, int)` and `type(x) is float` narrow the variable where they hold.',
  'NumPy array parameters annotated without a rank (`npt.NDArray[np.float64]`): the rank is inferred from the code (see "Arrays and lists").',
  'A list where a NumPy array is annotated, and an array where a list is, in the exported Python package: converted at the boundary (`np.asarray`, `.tolist()`) where only NumPy functions and `len()` read the parameter, a TypeError elsewhere, since CPython would run the body on the other kind (`a * 2` repeats a list; see "Lists where arrays are annotated, and arrays where lists are").',
  'Dicts of constant str keys whose values differ in type (`{"w": matrix, "b": vector}`, model weights nested as picoGPT keeps them: `params["blocks"][i]["attn"]["c_attn"]["w"]`) are typed per key inside compiled code: read by constant keys, `in`, `len`, `get`, `f(**p)`; never written or looped over (refused with a hint). An exported function takes them, and lists of them, laid out by `@compile(ndim={"p": {"w": 2, "b": 1}})` (`"blocks": [{...}]`), read-only (see docs/design/abi-values.md "Weights laid out by ndim=").',
  'NumPy complex128 array parameters and results (`npt.NDArray[np.complex128]`; `kiln_array_complex128` of `kiln_complex` items in C, a complex128 array in the Python package, a list of complex literals on `kiln run`; the JS module leaves such functions out) and the operations of the "NumPy complex128 arrays" table; any other operation on one is refused at its line.',
  'A `dict[str, NDArray]` parameter of an exported function (and dicts of them, `dict[str, dict[str, NDArray]]`; one dtype, the rank from `@compile(ndim={"p": 2})`): read-only, the caller\'s arrays passed without a copy; a function that may change such a dict or write into its arrays is refused (see docs/design/abi-values.md "Dicts of NumPy arrays").',
  // ---- generators (ir/generators.ts)
  'Generator functions of the module (`yield`, `yield from` another generator or a sequence, `return` in a generator) consumed by `for` (with `break`, `continue`, `else`), comprehensions, `sum`/`any`/`all`/`min`/`max`/`sorted`/`list`, `enumerate` and `zip`; stored in a variable or passed to another generator and read once (inlined where they are consumed), or read with `next(g)`/`next(g, default)`, `g.send(v)` (the value of `x = yield v`; CPython\'s TypeError for a first send that is not None), `g.close()` and several loops (a state machine; StopIteration as CPython); `it = iter(xs)` and `next(it)`; `it = map(f, xs)` (filter, zip, enumerate, an itertools result) read item by item or more than once; `zip()` of a generator with later generator calls; recursive generators (`yield from walk(node.left)` inside `walk`, `for p in perms(rest)`, generators that call each other, `n = yield from count(t.left)` of one that returns a value: a heap frame per call, exceptions raised inside propagate through the chain with CPython\'s traceback); generator expressions, lazy where they are consumed (`for`, `any`/`all`, `next(genexp[, default])`, `x in genexp`, `zip`, `enumerate`, `map`/`filter`, `sum`/`min`/`max`: no list, and a consumer that stops early computes no later item) (see "Generators").',
];

export function supportedPythonMarkdown(): string {
  const lines: string[] = [];
  lines.push('Language:', '');
  for (const c of LANGUAGE_CONSTRUCTS) lines.push(`- ${c}`);
  lines.push('');
  for (const d of DOMAINS) {
    if (!d.ops.length) continue;
    lines.push(`${d.title}:`, '', '| Python | Kiln target | Types | Notes |', '| --- | --- | --- | --- |');
    for (const o of OPS.filter((x) => x.domain === d.name)) {
      lines.push(`| \`${o.python}\` | \`${o.target}\` | ${o.signatures.join('; ').replace(/\|/g, '\\|')} | ${(o.notes ?? '').replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  const values = CONSTANTS.filter((c) => c.type.kind !== 'dtype');
  lines.push(`Constants: ${values.map((c) => `\`${c.target}\``).join(', ')}.`);
  return lines.join('\n');
}

export const README_BEGIN = '<!-- supported-python:begin (generated by `npx kiln ops --markdown`; do not edit by hand) -->';
export const README_END = '<!-- supported-python:end -->';

export function replaceReadmeSection(readme: string): string {
  const a = readme.indexOf(README_BEGIN);
  const b = readme.indexOf(README_END);
  if (a < 0 || b < 0) throw new Error('README has no supported-python markers');
  return `${readme.slice(0, a + README_BEGIN.length)}\n${supportedPythonMarkdown()}\n${readme.slice(b)}`;
}
