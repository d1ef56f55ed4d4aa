/** The JSON shapes printed by resources/python/kiln_frontend.py. */
import type { ParamKind, PyLiteral, Span } from '../ir/ir.ts';

export type { ParamKind };

/** One Python AST node: `_t` is the class name (BinOp, Name, ...), other keys are its fields. */
export interface PyNode {
  _t: string;
  span?: Span;
  [field: string]: any;
}

/** A constant as the frontend evaluates it (defaults, decorator options, module-level lists): defined with the IR, which carries it. */
export type { PyLiteral } from '../ir/ir.ts';

export interface PyParam {
  name: string;
  kind: ParamKind;
  annotation: string | null;
  annotationAst: PyNode | null;
  span: Span;
  hasDefault?: boolean;
  /** The default's source text, place and AST. */
  defaultText?: string;
  defaultSpan?: Span;
  defaultAst?: PyNode;
  /**
   * Its value, when it is a constant the frontend evaluates without running the module (literals, arithmetic on
   * them, module constants, math.pi, sys.maxsize, float('inf')).
   */
  defaultValue?: PyLiteral;
  /** Why it is not such a constant. */
  defaultProblem?: string;
}

/** `*args` / `**kwargs`. */
export interface PyStarParam {
  name: string;
  annotation: string | null;
  span: Span;
}

export interface DecoratorInfo {
  module: string;
  options: Record<string, PyLiteral>;
  problems: string[];
  span: Span;
}

export interface PyFunction {
  name: string;
  line: number;
  span: Span;
  signature: string;
  decorated: boolean;
  decorator: DecoratorInfo | null;
  otherDecorators: string[];
  docstring: string | null;
  isAsync: boolean;
  /** Every named parameter in order: positional-only, positional-or-keyword, keyword-only. */
  params: PyParam[];
  vararg: PyStarParam | null;
  kwarg: PyStarParam | null;
  returns: string | null;
  returnsAst: PyNode | null;
  body?: PyNode[];
  /** A method of a module-level class (its record is named `Class.method`): the class's name. */
  methodOf?: string;
  /** A method's decorators as written (`property`, `staticmethod`, `x.setter`). */
  methodDecorators?: string[];
  /** A classmethod's first parameter (`cls`), removed from `params`: the name of the class in its body. */
  classAlias?: string;
  /** Its defaults read the parameters before them (a generated NamedTuple `_replace(self, *, x=self.x)`): traced in
   *  the function's scope, not the module's. Python source cannot say this; only generated methods do. */
  defaultsSeeParams?: boolean;
  /** Names a generator Kiln writes binds in the function that made it, not in its own frame (`:=` in a generator
   *  expression: ir/generators.ts genexpFunction). Python source cannot say this. */
  ownerNames?: string[];
  /**
   * The name CPython's tracebacks and messages give it when that is not `name`: a recursive generator's step method
   * is the generator (`walk`); '' for a method of no frame of its own (the frame's `__next__`: CPython shows none).
   */
  qualname?: string;
  /**
   * A generator method or @compile generator replaced by one that makes its frames (ir/generator_frames.ts): the
   * generator as written, which a loop over an instance of its class (`__iter__`), or compiled code consuming a call
   * of the entry where it is made (`for x in gen(n)`, `sum(gen(n))`), inlines when it makes no frames itself.
   */
  generator?: PyFunction;
  /** Such a method, or a generator compiled as an entry: the class of the frames it returns. */
  frames?: string;
}

/** A module-level class (types/classes.ts): its methods are function records named `Class.method`. */
export interface PyClass {
  name: string;
  span: Span;
  bases: string[];
  keywords: string[];
  decorators: string[];
  /** Class-level annotated names (`x: float`, `n: int = 0`): a dataclass's fields, an annotated instance field. */
  fields: { name: string; annotation: string; span: Span; value: PyNode | null; valueText: string | null }[];
  /** Class-level assignments (`count = 0`): class attributes. */
  attrs: { name: string; span: Span; value: PyNode; valueText: string }[];
  /** `generated`: a method Kiln wrote for the class (@dataclass's, a NamedTuple's, total_ordering's), not the user. */
  methods: { name: string; decorators: string[]; span: Span; generated?: boolean }[];
  /** Statements of the class body outside the compiled subset. */
  other: { kind: string; span: Span }[];
  /** `@dataclass(...)`'s options (its __init__, __repr__, __eq__ and comparisons are generated methods). */
  dataclass?: Record<string, unknown> | null;
  dataclassFields?: string[];
  /** A typing.NamedTuple class: compiled as a frozen dataclass with order, plus __len__, __getitem__ and __iter__. */
  namedtuple?: boolean;
  dataclassProblems?: { line: number; message: string }[];
  /** Why `@functools.total_ordering` on the class cannot be compiled (the comparisons it derives are generated methods). */
  orderingProblem?: string | null;
  /**
   * The frames of a generator (ir/generator_frames.ts): a recursive one (`walk`) or a method's (`Node.walk`), its
   * name as the program writes it. Not a class to the program's eyes.
   */
  generatorFrame?: string;
  /** Such frames are a generator method's: its name (`walk`), which a call `x.walk(...)` makes frames of. */
  frameMethod?: string;
  /** Such a generator has `return v`: its frames keep v (`__kiln_ret`), which `x = yield from g(...)` reads. */
  frameReturnsValue?: boolean;
  /** Such a generator has `x = yield v`: its return annotation as written (`Generator[int, int, str]` sends ints). */
  frameReceives?: string;
}

export interface PyConstant {
  value: PyNode;
  span: Span;
  assignments: number;
  /** Some function declares it `global` and assigns it: its value changes at run time. */
  writtenByFunctions?: boolean;
  /** A list display of constants (`TABLE = [1, 2, 3]`), evaluated: compiled code keeps it as static data. */
  literal?: PyLiteral;
}

export interface PyModule {
  file: string;
  /** The module's dotted name in its project (`pkg.mod`), set by the module graph (project/graph.ts);
   *  without one, the file's base name. */
  name?: string;
  /** Local name -> dotted origin of every top-level import; the module graph makes relative ones
   *  (`.util.f`, `..g`) absolute. */
  imports: Record<string, string>;
  /** The modules of `from M import *`, in order (relative ones made absolute by the module graph). */
  starImports?: string[];
  /** The line of the import that binds each imported name. */
  importLines?: Record<string, number>;
  constants: Record<string, PyConstant>;
  functions: PyFunction[];
  /** Module-level classes (resources/python/kiln_frontend.py exception_class_record): what `raise`/`except` may name. */
  exceptionClasses?: {
    name: string; bases: (string | null)[]; span: Span; problem: string | null;
    /** The parameter of its `__init__(self, message)`, when it defines one. */
    initParam?: string | null;
    /** Its class attributes (`code = 404`), also module constants `Class.code`. */
    attrs?: { name: string; span: Span }[];
    /** Its instances carry fields (`self.line = line` in its `__init__`, or a base's): it is in `classes` too. */
    fields?: boolean;
  }[];
  /** Module-level classes by name. */
  classes?: Record<string, PyClass>;
  lines: string[];
}

export interface DiscoverResult {
  files: { file: string; imports: Record<string, string>; functions: PyFunction[] }[];
  errors: { file: string; line: number; col: number; message: string }[];
}
