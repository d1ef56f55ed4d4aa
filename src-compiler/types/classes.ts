/**
 * User-defined classes (issue 15): what the compiler knows of each module-level class, and how its instances are
 * laid out. An instance is a `kr_obj` (resources/c/kiln_object.h) followed by a bit set of the fields assigned so
 * far (reads of a field that may be missing test it: CPython's AttributeError) and one C field per Python field,
 * unboxed where its type allows. Field types are learnt as typecheck runs, from what every method assigns
 * (`self.x = ...`, joined as a variable's assignments are: `None` then a `Node` gives `Node | None`); a class-level
 * annotation (`x: float`) orders the fields but does not convert (CPython keeps an int assigned to a float field).
 *
 * Methods are module-level helpers named `Class.method` (the frontend emits them so): a call on an instance of a
 * known class is a direct C call of the method's specialisation, which the C compiler may inline.
 *
 * The table is set for the program typecheck is typing (setClassTable); the ops of types/ops/classes.ts read it.
 */
import type { PyClass, PyFunction, PyModule, PyNode } from '../frontend/ast.ts';
import type { Span } from '../ir/ir.ts';
import { joinTypes, sameType, setInstanceHierarchy, setValueClasses, typeToString, type KType } from './types.ts';
import { moduleNameOf } from '../project/scope.ts';

export interface ClassField {
  name: string;
  /** Learnt from what is assigned to it; undefined while nothing assigned to it has been typed. */
  type?: KType;
  /** Its bit in the instance's set of assigned fields. */
  bit: number;
  /** The class-level annotation (`x: int | None`), when the class body has one: it orders fields, never converts. */
  annotation?: string;
  /** The annotation of the `__init__` parameter assigned to it as it is (`self.x = x` with `x: float`). */
  initAnnotation?: string;
}

export interface ClassInfo {
  /** `module.Vec` */
  qualified: string;
  name: string;
  module: string;
  file: string;
  span: Span;
  fields: ClassField[];
  /** Method name -> the qualified name of its function (`module.Vec.dot`). */
  methods: Map<string, string>;
  /** Why instances of it are not compiled yet (a base class, a decorator...): reported where one is made. */
  problems: string[];
  /** `@property` getters (and their `@x.setter`s): attribute name -> qualified functions. */
  properties: Map<string, { get: string; set?: string }>;
  /** Methods called without an instance: `@staticmethod`, and `@classmethod` (whose `cls` is the class itself). */
  unbound: Set<string>;
  /** `@dataclass(frozen=True)`: fields are assigned by `__init__` only (FrozenInstanceError elsewhere). */
  frozen: boolean;
  /** A `@dataclass`: whether it generates `__eq__` (by fields) and `__repr__` (`Vec(x=1.0, y=2.0)`). */
  dataclass?: { eq: boolean; repr: boolean };
  /** The methods Kiln wrote for it (@dataclass's `__eq__`, a NamedTuple's...), its own and its bases'. */
  generated: Set<string>;
  /** A typing.NamedTuple class: its fields in order (`p[0]` and `x, y = p` read them as a tuple's items). */
  namedtuple?: string[];
  /** The base class (single inheritance, a class of the same module) and the classes derived directly from it. */
  base?: ClassInfo;
  subclasses: ClassInfo[];
  /** Fields its `__init__` assigns before `self` is used otherwise: every instance has them (no test on reads). */
  always: Set<string>;
  /** Class attributes (`DIM = 2` in the body, its own and its bases'): constants, read as `Class.DIM` or `self.DIM` in a method. */
  classAttrs: Set<string>;
  /** Its metaclass is abc.ABCMeta (it or a base derives from `ABC`): `@abstractmethod`s not overridden forbid instances. */
  abc: boolean;
  /** Such a class's abstract methods no class up to it overrides, sorted as CPython names them: making one raises TypeError. */
  abstract: string[];
  /** The program makes instances of it (a method call dispatches only over such classes). */
  instantiated?: boolean;
  /** The frames of a generator (ir/generator_frames.ts), its name as written: its fields (all `__kiln_...`) are not attributes. */
  generatorFrame?: string;
  /** Such frames' generator has `x = yield v`: its return annotation (types/annotations.ts generatorSendType). */
  frameReceives?: string;
}

/** What a name as the module writes it stands for (`ABC` of `from abc import ABC`, `abc.ABC` of `import abc`: `abc.ABC`). */
function origin(mod: PyModule, written: string): string {
  const dot = written.indexOf('.');
  const head = dot < 0 ? written : written.slice(0, dot);
  return Object.hasOwn(mod.imports, head) ? mod.imports[head] + (dot < 0 ? '' : written.slice(dot)) : written;
}

/** `@abstractmethod` (abc's): a plain method to the compiled code; it only matters to instantiating an ABC (ClassInfo.abstract). */
const isAbstractMethod = (mod: PyModule, decorators: string[]) => decorators.length === 1 && origin(mod, decorators[0]) === 'abc.abstractmethod';

/** `metaclass=ABCMeta`: what deriving from abc.ABC gives. */
const isAbcMeta = (mod: PyModule, keyword: string) => /^metaclass=/.test(keyword) && origin(mod, keyword.slice('metaclass='.length)) === 'abc.ABCMeta';

/** Constructs of a class body or declaration not compiled yet: what they are and the nearest supported way. */
function unsupportedParts(cls: PyClass, mod: PyModule): { span: Span; construct: string; message: string; hint: string }[] {
  const out: { span: Span; construct: string; message: string; hint: string }[] = [];
  const at = cls.span;
  const keywords = cls.keywords.filter((k) => !isAbcMeta(mod, k));
  if (keywords.length) out.push({ span: at, construct: 'class keywords', message: `class ${cls.name}: keyword arguments of a class (${keywords.join(', ')}) are outside the compiled subset`, hint: 'remove them' });
  if (cls.decorators.length) out.push({ span: at, construct: 'class decorator', message: `@${cls.decorators[0]} on class ${cls.name} is not compiled yet`, hint: 'write __init__ (and __repr__, __eq__) by hand, or use @dataclass' });
  if (cls.orderingProblem) out.push({ span: at, construct: 'class decorator', message: cls.orderingProblem, hint: 'define __lt__ (and __eq__) in the class itself, or write the four comparisons' });
  for (const p of cls.dataclassProblems ?? []) out.push({ span: { ...at, line: p.line }, construct: 'dataclass field', message: p.message, hint: 'use default= or default_factory=' });
  const dc = cls.dataclass;
  if (dc) {
    for (const [k, v] of Object.entries(dc)) {
      const known = ['init', 'repr', 'eq', 'order', 'frozen', 'unsafe_hash'].includes(k);
      if (!known || typeof v !== 'boolean') out.push({ span: at, construct: '@dataclass option', message: `@dataclass(${k}=${String(v)}) is not compiled yet`, hint: 'use init, repr, eq, order, frozen or unsafe_hash with True or False' });
    }
    if (dc.order === true && dc.eq !== true) out.push({ span: at, construct: '@dataclass option', message: 'ValueError: eq must be true if order is true', hint: 'remove eq=False' });
  }
  for (const o of cls.other) out.push({ span: o.span, construct: `${o.kind} in a class body`, message: `a ${o.kind} statement in the body of class ${cls.name} is outside the compiled subset`, hint: 'define methods and class-level annotations only' });
  for (const m of cls.methods) {
    const ok = m.decorators.length === 0 || isAbstractMethod(mod, m.decorators) || (m.decorators.length === 1 && (['property', 'staticmethod', 'classmethod'].includes(m.decorators[0]) || m.decorators[0] === `${m.name.replace(/__setter$/, '')}.setter`));
    if (!ok) out.push({ span: m.span, construct: 'method decorator', message: `@${m.decorators.join(', @')} on ${cls.name}.${m.name} is not compiled yet`, hint: 'use @property, @x.setter, @staticmethod, @classmethod or @abstractmethod, or a plain method' });
  }
  return out;
}

/**
 * The field of an exception class with fields (docs/design/exceptions.md) that holds its message: what its `__init__`
 * gives `super().__init__(message)` of a built-in base (ir/trace.ts superCall), raised as str(e).
 */
export const EXCEPTION_MESSAGE = '__kiln_message';
/** The class every exception class with fields of a module derives from (ClassTable.exceptionRoot). */
export const EXCEPTION_ROOT = 'BaseException';

/** A base class named like a built-in exception (ValueError, MyError...): user exception classes are compiled apart (docs/design/exceptions.md). */
export const isExceptionBase = (name: string) => /(Error|Exception|Warning)$/.test(name);

const isSelfAttr = (n: PyNode | undefined, self: string): n is PyNode => !!n && n._t === 'Attribute' && n.value?._t === 'Name' && n.value.id === self;

/** Every node of an AST value, depth first. */
function* nodesOf(v: unknown): Generator<PyNode> {
  if (Array.isArray(v)) { for (const x of v) yield* nodesOf(x); return; }
  if (!v || typeof v !== 'object') return;
  const n = v as PyNode;
  if (typeof n._t === 'string') yield n;
  for (const [k, x] of Object.entries(n)) if (k !== 'span' && k !== '_t' && x && typeof x === 'object') yield* nodesOf(x);
}

const mentions = (v: unknown, name: string): boolean => {
  for (const n of nodesOf(v)) if (n._t === 'Name' && n.id === name) return true;
  return false;
};

/**
 * What a function's source says, worked out once per function (a build types its program many times over, and
 * each time makes the class table anew: pipeline.ts); the parsed source never changes.
 */
function memoOf<T>(of: (fn: PyFunction) => T): (fn: PyFunction) => T {
  const memo = new WeakMap<PyFunction, T>();
  return (fn) => {
    if (!memo.has(fn)) memo.set(fn, of(fn));
    return memo.get(fn)!;
  };
}

/** Field names a method assigns (`self.x = ...`, `self.x += ...`, `self.x: T = ...`), in order. */
const assignedFields = memoOf((fn: PyFunction): readonly string[] => {
  const self = fn.params[0]?.name;
  if (!self) return [];
  const out: string[] = [];
  for (const n of nodesOf(fn.body ?? [])) {
    const targets: PyNode[] = n._t === 'Assign' ? n.targets : n._t === 'AugAssign' || n._t === 'AnnAssign' ? [n.target] : [];
    for (const t of targets) {
      for (const x of nodesOf([t])) if (isSelfAttr(x, self) && !out.includes(x.attr)) out.push(x.attr);
    }
  }
  return out;
});

/** Field -> the annotation of the `__init__` parameter a top-level `self.f = p` assigns it (p not rebound before). */
function initAnnotations(init: PyFunction): Map<string, string> {
  const out = new Map<string, string>();
  const self = init.params[0]?.name;
  const annotated = new Map(init.params.slice(1).flatMap((p) => (p.annotation ? [[p.name, p.annotation] as const] : [])));
  for (const s of init.body ?? []) {
    if (s._t === 'Assign' && s.targets.length === 1 && isSelfAttr(s.targets[0], self!) && s.value?._t === 'Name' && annotated.has(s.value.id) && !out.has(s.targets[0].attr)) {
      out.set(s.targets[0].attr, annotated.get(s.value.id)!);
    }
    // A parameter assigned anew no longer holds what its annotation says.
    for (const n of nodesOf([s])) if (n._t === 'Name' && n.ctx?._t === 'Store') annotated.delete(n.id);
  }
  return out;
}

/**
 * The names of the classes of `mods` that a call in some function's source names (`Vec(...)`, `geometry.Vec(...)`;
 * a classmethod's own class, which its `cls(...)` makes), compiled or not; undefined when a function's source is
 * not at hand (then any class may be made).
 */
export function classesCalled(mods: PyModule[]): Set<string> | undefined {
  const names = new Set(mods.flatMap((m) => Object.keys(m.classes ?? {})));
  const called = new Set<string>();
  for (const m of mods) {
    for (const fn of m.functions) {
      // The methods Kiln writes (a NamedTuple's _replace, _make) make their class only when the user calls them.
      const own = fn.methodOf ? m.classes?.[fn.methodOf]?.methods.find((x) => `${fn.methodOf}.${x.name}` === fn.name) : undefined;
      if (own?.generated) continue;
      if (!fn.body) return undefined;
      if (fn.classAlias && fn.methodOf) called.add(fn.methodOf);
      for (const callee of calleeNames(fn)) if (names.has(callee)) called.add(callee);
    }
  }
  return called;
}

/** The names a function's calls call (`f(...)`, `x.f(...)`: f), in order. */
const calleeNames = memoOf((fn: PyFunction): readonly string[] => {
  const out: string[] = [];
  for (const n of nodesOf(fn.body ?? [])) {
    const callee = n._t === 'Call' ? (n.func?._t === 'Name' ? n.func.id : n.func?._t === 'Attribute' ? n.func.attr : undefined) : undefined;
    if (typeof callee === 'string') out.push(callee);
  }
  return out;
});

/** The fields `__init__` assigns before `self` is used in any other way (so every instance has them); a first
 * `super().__init__(...)` assigns the base's. */
function alwaysAssigned(init: PyFunction, baseAlways?: Set<string>): Set<string> {
  const out = new Set<string>();
  const self = init.params[0]?.name;
  if (!self) return out;
  for (const s of init.body ?? []) {
    const v = s._t === 'Expr' ? s.value : undefined;
    const superInit = v?._t === 'Call' && v.func?._t === 'Attribute' && v.func.attr === '__init__' && v.func.value?._t === 'Call'
      && v.func.value.func?._t === 'Name' && v.func.value.func.id === 'super' && !v.func.value.args.length;
    if (superInit && baseAlways && !mentions(v.args, self) && !mentions(v.keywords, self)) { for (const f of baseAlways) out.add(f); continue; }
    const simple = (s._t === 'Assign' && s.targets.length === 1 && isSelfAttr(s.targets[0], self)) || (s._t === 'AnnAssign' && s.value && isSelfAttr(s.target, self));
    if (simple && !mentions(s.value, self)) { out.add((s._t === 'Assign' ? s.targets[0] : s.target).attr); continue; }
    if (s._t === 'Return' || (mentions(s, self) && !onlyAssignedFields(s, self, out))) break;
  }
  return out;
}

/**
 * Whether statement s uses `self` only to read and write fields already assigned (`for t in tasks: t.link =
 * self.head; self.head = t`) and cannot return: nothing else can reach `self` yet, so no code it runs can read a
 * field `__init__` assigns after it.
 */
function onlyAssignedFields(s: PyNode, self: string, assigned: ReadonlySet<string>): boolean {
  let names = 0, fields = 0;
  for (const n of nodesOf([s])) {
    if (n._t === 'Return' || n._t === 'Delete' || n._t === 'Lambda' || n._t === 'FunctionDef') return false;
    if (n._t === 'Name' && n.id === self) names++;
    if (isSelfAttr(n, self) && assigned.has(n.attr)) fields++;
  }
  return names === fields;
}

export class ClassTable {
  readonly classes = new Map<string, ClassInfo>();
  /** Grows when a field's type is learnt or widened: typecheck then runs another round. */
  version = 0;
  /** The last round of typecheck: a field no assignment has reached is missing (AttributeError where read). */
  final = false;
  constructor(mods: PyModule[]) {
    for (const mod of mods) {
      const module = moduleNameOf(mod);
      const all = mod.classes ?? {};
      // A base class first: a subclass's instance starts with its base's fields (same order, same C layout).
      const build = (cls: PyClass, seen: Set<string>): ClassInfo | undefined => {
        const q = `${module}.${cls.name}`;
        if (this.classes.has(q)) return this.classes.get(q);
        if (seen.has(cls.name)) return undefined;
        seen.add(cls.name);
        const problems = unsupportedParts(cls, mod).map((p) => `${p.message} (line ${p.span.line}); ${p.hint}`);
        const bases = cls.bases.filter((b) => !['object', 'ABC', 'abc.ABC'].includes(b));
        let base: ClassInfo | undefined;
        if (bases.length > 1) problems.push(`class ${cls.name}(${cls.bases.join(', ')}): multiple inheritance is not compiled (line ${cls.span.line}); keep one base class`);
        // An exception class whose instances carry fields, derived from a built-in exception (or from an exception
        // class of the module without fields): its base is the module's BaseException (the message field).
        const hasFields = !!mod.exceptionClasses?.some((c) => c.name === cls.name && c.fields);
        if (bases.length === 1 && !Object.hasOwn(all, bases[0]) && hasFields) base = exceptionRoot;
        else if (bases.length === 1) {
          const b = Object.hasOwn(all, bases[0]) ? all[bases[0]] : undefined;
          base = b && build(b, seen);
          if (!base) problems.push(`class ${cls.name}(${bases[0]}): ${b ? 'its base class does not compile' : `the base class ${bases[0]} is not a class of this module`} (line ${cls.span.line}); derive from a class defined in this module${isExceptionBase(bases[0]) ? ' (user exception classes are not compiled yet)' : ''}`);
          else if (base.problems.length) problems.push(`its base class ${base.name} is not compiled: ${base.problems[0]}`);
        }
        const methods = new Map<string, string>(base?.methods);
        for (const m of cls.methods) methods.set(m.name, `${module}.${cls.name}.${m.name}`);
        const fns = mod.functions.filter((f) => f.methodOf === cls.name);
        const init = fns.find((f) => f.name === `${cls.name}.__init__`);
        const always = init ? alwaysAssigned(init, base?.always) : new Set(base?.always);
        const inherited = base ? base.fields : [];
        const names: string[] = cls.fields.map((f) => f.name).filter((n) => !inherited.some((f) => f.name === n));
        for (const f of [...(init ? [init] : []), ...fns.filter((f) => f !== init)]) {
          for (const a of assignedFields(f)) if (!names.includes(a) && !inherited.some((x) => x.name === a)) names.push(a);
        }
        // Annotations do not decide a field's type (CPython keeps what is assigned: an int in a field annotated float).
        // A base's fields are shared objects: what a subclass assigns to them is learnt for the base too.
        const annotationOf = (name: string) => cls.fields.find((f) => f.name === name)?.annotation;
        const fromInit = init ? initAnnotations(init) : new Map<string, string>();
        const fields: ClassField[] = [
          ...inherited, ...names.map((name, k) => ({
            name, bit: inherited.length + k, ...(annotationOf(name) ? { annotation: annotationOf(name) } : {}),
            ...(fromInit.has(name) ? { initAnnotation: fromInit.get(name) } : {}),
          })),
        ];
        if (fields.length > 64) problems.push(`class ${cls.name} has ${fields.length} fields: more than 64 are not compiled yet; group fields into smaller objects`);
        for (const d of cls.fields) {
          if (d.value && !cls.dataclass) problems.push(`the class-level default ${cls.name}.${d.name} = ${d.valueText} (line ${d.span.line}) is not compiled yet; assign the default in __init__`);
        }
        const properties = new Map<string, { get: string; set?: string }>(base?.properties);
        const unbound = new Set<string>(base?.unbound);
        for (const m of cls.methods) {
          const mq = `${module}.${cls.name}.${m.name}`;
          if (m.decorators[0] === 'property') properties.set(m.name, { ...properties.get(m.name), get: mq });
          if (m.decorators[0]?.endsWith('.setter')) {
            const p = m.name.replace(/__setter$/, '');
            properties.set(p, { ...properties.get(p)!, set: mq });
          }
          if (m.decorators[0] === 'staticmethod' || m.decorators[0] === 'classmethod') unbound.add(m.name);
          else unbound.delete(m.name);
        }
        for (const [p, v] of properties) {
          methods.delete(p);
          methods.delete(`${p}__setter`);
          if (!v.get) problems.push(`the setter of ${cls.name}.${p} has no @property getter`);
        }
        // Methods Kiln wrote: the base's unless this class defines its own, and this class's.
        const own = (name: string) => cls.methods.some((x) => x.name === name);
        const generated = new Set([...base?.generated ?? []].filter((m) => !own(m)));
        for (const m of cls.methods) if (m.generated) generated.add(m.name);
        // ABCMeta's rule: this class's abstract methods, and its bases' that no name of this class's body replaces.
        const abc = !!base?.abc || cls.bases.some((b) => origin(mod, b) === 'abc.ABC') || cls.keywords.some((k) => isAbcMeta(mod, k));
        const replaced = (name: string) => cls.methods.some((m) => m.name === name) || cls.attrs.some((a) => a.name === name)
          || cls.fields.some((f) => f.name === name && f.value);
        const declared = cls.methods.filter((m) => isAbstractMethod(mod, m.decorators)).map((m) => m.name);
        const abstract = !abc ? [] : [...declared, ...(base?.abstract ?? []).filter((m) => !replaced(m))].sort();
        const info: ClassInfo = {
          qualified: q, name: cls.name, module, file: mod.file, span: cls.span, fields, methods, problems, abc, abstract,
          properties, unbound, generated, frozen: cls.dataclass?.frozen === true || !!base?.frozen, base, subclasses: [], always,
          generatorFrame: cls.generatorFrame, ...(cls.frameReceives !== undefined ? { frameReceives: cls.frameReceives } : {}),
          ...(cls.namedtuple ? { namedtuple: cls.dataclassFields ?? [] } : {}),
          ...(cls.dataclass ? { dataclass: { eq: cls.dataclass.eq !== false, repr: cls.dataclass.repr !== false } } : {}),
          classAttrs: new Set([...(base?.classAttrs ?? []), ...cls.attrs.map((a) => a.name)]),
        };
        base?.subclasses.push(info);
        this.classes.set(q, info);
        return info;
      };
      const exceptionRoot = this.exceptionRoot(mod, module);
      for (const cls of Object.values(all)) build(cls, new Set());
    }
    // A field is always there for a static type only if it is for every class derived from it.
    const effective = new Map<ClassInfo, Set<string>>();
    for (const c of this.classes.values()) effective.set(c, new Set([...c.always].filter((f) => this.subtree(c).every((d) => d.always.has(f)))));
    for (const [c, a] of effective) c.always = a;
  }

  /**
   * The base of a module's exception classes with fields (docs/design/exceptions.md), when it has some: a class of no
   * source, `BaseException`, whose one field is the message (EXCEPTION_MESSAGE). An except clause that may catch
   * several of them keeps the instance as one of it.
   */
  private exceptionRoot(mod: PyModule, module: string): ClassInfo | undefined {
    const first = mod.exceptionClasses?.find((c) => c.fields);
    if (!first) return undefined;
    const info: ClassInfo = {
      qualified: `${module}.${EXCEPTION_ROOT}`, name: EXCEPTION_ROOT, module, file: mod.file, span: first.span,
      fields: [{ name: EXCEPTION_MESSAGE, bit: 0 }], methods: new Map(), problems: [], properties: new Map(), unbound: new Set(), generated: new Set(),
      frozen: false, subclasses: [], always: new Set([EXCEPTION_MESSAGE]), classAttrs: new Set(), abc: false, abstract: [],
    };
    this.classes.set(info.qualified, info);
    return info;
  }

  /** `sub` is `cls` or a class derived from it. */
  isSubclass(sub: ClassInfo, cls: ClassInfo): boolean {
    for (let c: ClassInfo | undefined = sub; c; c = c.base) if (c === cls) return true;
    return false;
  }

  /** `cls` and every class derived from it. */
  subtree(cls: ClassInfo): ClassInfo[] {
    return [cls, ...cls.subclasses.flatMap((c) => this.subtree(c))];
  }

  /** The nearest class both derive from (undefined: none). */
  commonBase(a: ClassInfo, b: ClassInfo): ClassInfo | undefined {
    for (let c: ClassInfo | undefined = a; c; c = c.base) if (this.isSubclass(b, c)) return c;
    return undefined;
  }

  get(qualified: string): ClassInfo | undefined {
    return this.classes.get(qualified);
  }

  /** The class of an instance (or of an `instance | None`), if `t` is one. */
  instanceOf(t: KType | undefined): ClassInfo | undefined {
    const inst = t?.kind === 'instance' ? t : t?.kind === 'union' ? t.members.find((m) => m.kind === 'instance') : undefined;
    return inst?.kind === 'instance' ? this.classes.get(inst.cls) : undefined;
  }

  /** A field assigned outside the class's methods (`p.z = 5`): added when typecheck first meets the assignment. */
  addField(info: ClassInfo, name: string): ClassField | undefined {
    if (info.base || info.subclasses.length) return undefined; // the layout of a hierarchy is fixed
    const f: ClassField = { name, bit: info.fields.length };
    info.fields.push(f);
    this.version++;
    return f;
  }

  /** A field's type learnt from an assignment of `t`: the join of what it held (a string: they cannot be joined). */
  learn(info: ClassInfo, field: ClassField, t: KType): string | undefined {
    if (!field.type) {
      field.type = t;
      this.version++;
      return undefined;
    }
    if (sameType(field.type, t)) return undefined;
    // An empty list, dict or set (`[]`, `{}`) and one whose types are known: the known one.
    // Also a dict whose values are such (`dict[str, set[?]]` until `self.d.setdefault(k, set()).add(x)` teaches set[int]).
    const unrefined = (x: KType): boolean => (x.kind === 'list' && x.item.kind === 'none') || (x.kind === 'dict' && (x.key.kind === 'none' || unrefined(x.value)))
      || (x.kind === 'set' && x.item.kind === 'none');
    // Either one not refined yet: what each knows (`dict[?, ?]` and `dict[str, set[?]]`, then `dict[str, set[int]]`).
    const merge = (a: KType, b: KType): KType | undefined => {
      if (a.kind === 'none') return b;
      if (b.kind === 'none' || sameType(a, b)) return a;
      if (a.kind === 'dict' && b.kind === 'dict') {
        const k = merge(a.key, b.key), v = merge(a.value, b.value);
        return k && v ? { kind: 'dict', key: k, value: v } : undefined;
      }
      if ((a.kind === 'set' && b.kind === 'set') || (a.kind === 'list' && b.kind === 'list')) {
        const i = merge(a.item, b.item);
        return i ? { ...a, item: i } : undefined;
      }
      return undefined;
    };
    const merged = (unrefined(t) || unrefined(field.type)) && t.kind === field.type.kind ? merge(field.type, t) : undefined;
    if (merged) {
      if (!sameType(merged, field.type)) {
        field.type = merged;
        this.version++;
      }
      return undefined;
    }
    // A list of one class's instances and a list of another's: a list of their nearest common base.
    const cur = field.type;
    if (cur.kind === 'list' && t.kind === 'list' && cur.item.kind === 'instance' && t.item.kind === 'instance') {
      const a = this.get(cur.item.cls), b = this.get(t.item.cls);
      const base = a && b ? this.commonBase(a, b) : undefined;
      if (base) {
        if (base !== a) {
          field.type = { kind: 'list', item: { kind: 'instance', cls: base.qualified } };
          this.version++;
        }
        return undefined;
      }
    }
    const j = joinTypes(field.type, t);
    if (typeof j === 'string') return `field '${field.name}' of ${info.name} holds ${typeToString(field.type)} and ${typeToString(t)}: ${j}`;
    if (!sameType(j, field.type)) {
      field.type = j;
      this.version++;
    }
    return undefined;
  }
}

/** The C name of a class's type object, struct and functions: `kc_geometry_Vec`. */
export const classCName = (qualified: string): string => `kc_${qualified.replace(/[^A-Za-z0-9]+/g, '_')}`;

let current: ClassTable | undefined;

/** The class table of the program being typed (typecheck sets it first). */
export function setClassTable(t: ClassTable | undefined): void {
  current = t;
  setValueClasses([]); // instances are objects while the program is typed; its plan decides which become values
  // Where instances of two classes meet (a variable, a list, a field), the value is an instance of their nearest
  // common base (types.ts unionOf); and a derived instance converts to its base (a cast: the base's fields are a prefix).
  setInstanceHierarchy(t && {
    join: (a, b) => {
      const x = t.get(a), y = t.get(b);
      return x && y ? t.commonBase(x, y)?.qualified : undefined;
    },
    isSubclass: (a, b) => {
      const x = t.get(a), y = t.get(b);
      return !!x && !!y && t.isSubclass(x, y);
    },
  });
}
export function classTable(): ClassTable | undefined {
  return current;
}
export function classInfo(qualified: string): ClassInfo | undefined {
  return current?.get(qualified);
}

// ---- operators and protocols: the dunder method a Python operation calls on an instance -----------------------

const BINARY: Record<string, string> = {
  add: 'add', sub: 'sub', mul: 'mul', truediv: 'truediv', floordiv: 'floordiv', mod: 'mod', pow: 'pow', matmul: 'matmul',
  and_: 'and', or_: 'or', xor: 'xor', lshift: 'lshift', rshift: 'rshift',
};
const INPLACE: Record<string, string> = Object.fromEntries(Object.entries(BINARY).map(([op, d]) => [`i${op.replace(/_$/, '')}`, d]));
const REFLECTED_COMPARE: Record<string, string> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };
const UNARY: Record<string, string> = {
  '_operator.neg': '__neg__', '_operator.pos': '__pos__', '_operator.invert': '__invert__', 'builtins.abs': '__abs__',
  'builtins.len': '__len__', 'builtins.hash': '__hash__', 'builtins.int': '__int__', 'builtins.float': '__float__',
  'builtins.repr': '__repr__', 'builtins.str': '__str__', 'builtins.bool': '__bool__', '_operator.not_': '__bool__',
};
const SYMBOL: Record<string, string> = {
  add: '+', sub: '-', mul: '*', truediv: '/', floordiv: '//', mod: '%', pow: '** or pow()', matmul: '@', and: '&', or: '|', xor: '^', lshift: '<<', rshift: '>>',
  eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=',
};

/**
 * How an operation on instances becomes a call of a method (CPython's data model): `a + b` is `A.__add__(a, b)`,
 * else `B.__radd__(b, a)` (`swap`); `a += b` tries `__iadd__` first; `a != b` without `__ne__` is `not a.__eq__(b)`
 * (`negate`); `str(x)` without `__str__` is `__repr__`; `hash(x)` is `__hash__`'s int with -1 made -2 (`hash`).
 * A string: CPython's TypeError for this operation.
 * Undefined: the operation does not involve an instance (the op registry has it).
 */
export type DunderCall = { method: string; swap?: boolean; negate?: boolean; hash?: boolean };
export function dunderCall(table: ClassTable, target: string, args: KType[]): DunderCall | string | undefined {
  const cls = args.map((t) => (t.kind === 'instance' ? table.get(t.cls) : undefined));
  if (!cls.some(Boolean)) return undefined;
  const has = (i: number, m: string) => cls[i]?.methods.get(m);
  const op = target.startsWith('_operator.') ? target.slice('_operator.'.length) : '';
  const typeName = (t: KType) => (t.kind === 'instance' ? typeToString(t) : t.kind === 'scalar' ? t.name : t.kind === 'none' ? 'NoneType' : typeToString(t));
  if (UNARY[target] && args.length === 1) {
    const d = UNARY[target];
    if (d === '__hash__' && cls[0]) {
      // hash(obj): the nearest __hash__, or none (a class defining __eq__ without it), or object's (an address).
      const rule = hashRule(cls[0]);
      if (rule === 'unhashable') return `unhashable type: '${cls[0].name}'`;
      if (rule === 'identity') return `not compiled: hash() of a ${cls[0].name} (no __hash__ nor __eq__) is derived from its address in CPython; define __hash__`;
      return { method: rule.method, hash: true };
    }
    const m = has(0, d) ?? (d === '__str__' ? has(0, '__repr__') : undefined);
    if (m && target === '_operator.not_') return { method: m, negate: true };
    if (m) return { method: m };
    if (target === '_operator.not_') return undefined; // identity's truth: always true (typecheck calls __len__ where there is one)
    if (d === '__str__' || d === '__repr__') return undefined; // object's default repr names an address: not compiled
    if (d === '__bool__') return undefined;
    if (d === '__len__' && has(0, '__iter__')) return `not compiled yet: len() of a ${cls[0]!.name} (CPython: TypeError: object of type '${cls[0]!.name}' has no len()), or a loop over a ${cls[0]!.name} where the source does not say its class; loop over ${cls[0]!.name}(...) itself, self in its methods, a parameter annotated ${cls[0]!.name} or a local assigned only ${cls[0]!.name}(...)`;
    if (d === '__len__') return `object of type '${cls[0]!.name}' has no len()`;
    if (d === '__int__' || d === '__float__') return `${d === '__int__' ? 'int' : 'float'}() argument must be a string or a real number, not '${cls[0]!.name}'`;
    return `bad operand type for ${d === '__neg__' ? 'unary -' : d === '__pos__' ? 'unary +' : d === '__invert__' ? 'unary ~' : 'abs()'}: '${cls[0]!.name}'`;
  }
  if (args.length !== 2 && !(op === 'setitem' && args.length === 3)) return undefined;
  if (op === 'getitem' || op === 'setitem' || op === 'delitem') {
    const m = has(0, `__${op}__`);
    if (m) return { method: m };
    return cls[0] ? `'${cls[0].name}' object ${op === 'getitem' ? 'is not subscriptable' : 'does not support item assignment'}` : undefined;
  }
  if (op === 'contains') {
    // `x in c` is operator.contains(c, x): c's __contains__.
    const m = has(0, '__contains__');
    if (m) return { method: m };
    if (has(0, '__iter__')) return `not compiled yet: \`in\` through ${cls[0]!.name}.__iter__; define __contains__`;
    return cls[0] ? `argument of type '${cls[0].name}' is not iterable` : undefined;
  }
  const binary = BINARY[op] ?? INPLACE[op];
  if (binary) {
    if (INPLACE[op] && has(0, `__i${binary}__`)) return { method: has(0, `__i${binary}__`)! };
    if (has(0, `__${binary}__`)) return { method: has(0, `__${binary}__`)! };
    if (has(1, `__r${binary}__`)) return { method: has(1, `__r${binary}__`)!, swap: true };
    return `unsupported operand type(s) for ${SYMBOL[binary]}${INPLACE[op] ? '=' : ''}: '${typeName(args[0])}' and '${typeName(args[1])}'`;
  }
  const reflected = REFLECTED_COMPARE[op];
  if (reflected) {
    if (has(0, `__${op}__`)) return { method: has(0, `__${op}__`)! };
    if (has(1, `__${reflected}__`)) return { method: has(1, `__${reflected}__`)!, swap: true };
    if (op === 'ne' && has(0, '__eq__')) return { method: has(0, '__eq__')!, negate: true };
    if (op === 'ne' && has(1, '__eq__')) return { method: has(1, '__eq__')!, swap: true, negate: true };
    if (op === 'eq' || op === 'ne') return undefined; // identity (object's default), in types/ops/classes.ts
    return `'${SYMBOL[op]}' not supported between instances of '${typeName(args[0])}' and '${typeName(args[1])}'`;
  }
  return undefined;
}

// ---- hashing: instances as dict keys and set items ---------------------------------------------------------------

/**
 * How CPython hashes an instance of this class: the nearest `__hash__` up the bases, where a class whose own body
 * defines `__eq__` without `__hash__` sets `__hash__ = None` (unhashable; a non-frozen `@dataclass` with eq is such a
 * class, a frozen one gets a generated `__hash__` from the frontend); no `__hash__` nor `__eq__` anywhere: object's,
 * by identity.
 */
export type HashRule = { method: string } | 'identity' | 'unhashable';
export function hashRule(info: ClassInfo): HashRule {
  for (let c: ClassInfo | undefined = info; c; c = c.base) {
    const own = (m: string) => c!.methods.get(m)?.startsWith(`${c!.qualified}.`);
    if (own('__hash__')) return { method: c.methods.get('__hash__')! };
    if (own('__eq__')) return 'unhashable';
  }
  return 'identity';
}

/** The name under which a function's `calls` reach the method a dict or set kind of instances calls (lower/dicts.ts). */
export const keyMethodCall = (role: string, cls: string): string => `#kind_${role}:${cls}`;
