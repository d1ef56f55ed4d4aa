/**
 * Exceptions and match: what an except clause reads of the exception it caught (lower/c_exceptions.ts lowers try itself).
 * A caught exception is held as a tuple (kind, str(e), len(e.args)): its kind is the C runtime's (lower/abi.ts
 * EXCEPTION_KINDS), its message a str. The tracer turns `str(e)`, `f"{e}"`, `repr(e)`, `e.args`, `type(e).__name__` and
 * `raise e` into reads of it.
 * A match statement's sequence and mapping patterns check their subject's type with kiln.match_sequence/match_mapping.
 */
import { sameType, T, typeToString, unionOf, type KType } from '../types.ts';
import { call, expr, stmts, type OpDef, type OpDomain, type OpFacts } from './common.ts';
import { classCName } from '../classes.ts';

const HEADERS: OpFacts = { headers: ['kiln_except.h'] };
/**
 * A caught exception: its code, str(e) and len(e.args) (kiln_except.h kr_exc_caught); caught by the clause of an
 * exception class with fields, also the instance it carries (kr_exc_caught_object).
 */
const CAUGHT = T.tuple([T.int, T.str, T.int]);
const isCaught = (t: KType | undefined): t is KType & { kind: 'tuple' } =>
  !!t && t.kind === 'tuple' && sameType(T.tuple(t.items.slice(0, 3)), CAUGHT) && (t.items.length === 3 || (t.items.length === 4 && ['instance', 'union'].includes(t.items[3].kind)));

/**
 * A generator's return value `v` as the argument of the StopIteration its end raises (ir/trace.ts raiseStop): kept
 * when str(v) is exact and is also its repr, or v is a str. Others (an instance, whose __str__ and __repr__ differ) are
 * raised without arguments, as before: e.value still reads v.
 */
export function stopArgument(value: KType): 'str' | 'repr' | undefined {
  const t = value.kind === 'union' ? (value.members.find((m) => m.kind !== 'none') ?? value) : value; // the value once it is not None
  if (t.kind === 'str') return 'str';
  return t.kind === 'scalar' && ['int', 'float', 'bool'].includes(t.name) ? 'repr' : undefined;
}

/** The C class descriptor that marks the StopIteration of one generator object's end (its value of type `t`). */
export function stopDescriptor(name: string, t: KType): string[] {
  return [`static const struct kr_exc_class ${name} = { "StopIteration", KILN_StopIteration, NULL, ${stopArgument(t) === 'repr' ? 1 : 0} };`];
}

const ops: OpDef[] = [
  {
    target: 'kiln.exc_caught', python: 'except ... as e',
    signatures: ['-> (kind, str(e), len(e.args))', 'the class with fields (a constant), whether it may be another (a constant bool) -> (kind, str(e), len(e.args), instance)'],
    facts: { ...HEADERS, constantStrings: [0] },
    resolve(args, consts) {
      if (!args.length) return { result: CAUGHT, argTypes: [], lower: call((_, out) => `kr_exc_caught(&${out}.f0, &${out}.f1, &${out}.f2)`) };
      const [cls, optional] = consts;
      if (args.length > 2 || cls?.kind !== 'str' || (args.length === 2 && optional?.kind !== 'bool')) return 'internal: kiln.exc_caught takes no arguments, or the class of the instance it carries';
      const instance: KType = { kind: 'instance', cls: cls.value };
      const maybe = optional?.kind === 'bool' && optional.value;
      return {
        result: T.tuple([T.int, T.str, T.int, maybe ? unionOf([instance, T.none]) as KType : instance]), argTypes: args,
        lower: call((_, out) => `kr_exc_caught_object(&${out}.f0, &${out}.f1, &${out}.f2, (kr_obj **)&${out}.f3, &${classCName(cls.value)}_type, ${maybe ? 1 : 0})`),
      };
    },
  },
  {
    // The optional last argument: the message the instance a clause keeps holds (its argument: str(e) may be its __str__'s).
    target: 'kiln.exc_repr', python: 'repr(e), str(e.args)', signatures: ['caught exception, as the args tuple (a constant bool)[, its argument] -> str'],
    facts: HEADERS,
    resolve(args, consts) {
      const tuple = consts[1];
      if (args.length < 2 || args.length > 3 || !isCaught(args[0]) || tuple?.kind !== 'bool' || (args[2] && args[2].kind !== 'str')) return 'internal: kiln.exc_repr takes a caught exception, a constant bool and its argument';
      return {
        result: T.str, argTypes: [args[0], T.bool, ...(args[2] ? [T.str] : [])],
        lower: call((a, out) => `kr_exc_repr(${a[0]}.f0, ${a[2] ?? `${a[0]}.f1`}, ${a[0]}.f2, ${tuple.value ? 1 : 0}, ${a[2] ? 1 : 0}, &${out})`),
      };
    },
  },
  {
    target: 'kiln.exc_arg', python: 'e.args[i]', signatures: ['caught exception, int[, its argument] -> str'], facts: HEADERS,
    resolve(args) {
      if (args.length < 2 || args.length > 3 || !isCaught(args[0]) || (args[2] && args[2].kind !== 'str')) return 'internal: kiln.exc_arg takes a caught exception, an index and its argument';
      return {
        result: T.str, argTypes: [args[0], T.int, ...(args[2] ? [T.str] : [])],
        lower: call((a, out) => `kr_exc_arg(${a[0]}.f0, ${a[2] ?? `${a[0]}.f1`}, ${a[0]}.f2, ${a[1]}, ${a[2] ? 1 : 0}, &${out})`),
      };
    },
  },
  {
    target: 'kiln.exc_name', python: 'type(e).__name__', signatures: ['kind -> str'], facts: HEADERS,
    resolve(args) {
      if (args.length !== 1) return 'internal: kiln.exc_name takes the kind';
      return { result: T.str, argTypes: [T.int], lower: call((a, out) => `kr_exc_class_name(${a[0]}, &${out})`) };
    },
  },
  {
    target: 'kiln.exc_isinstance', python: 'isinstance(e, ValueError)', signatures: ['kind, the kinds and classes (a constant) -> bool'],
    facts: { ...HEADERS, constantStrings: [1] },
    resolve(args, consts) {
      const c = consts[1];
      if (args.length !== 2 || c?.kind !== 'str') return 'internal: kiln.exc_isinstance takes the kind and a constant';
      const tests = c.value.split(',').filter(Boolean).map((t) => (t.startsWith('U:') ? `kr_exc_code_is(#, ${JSON.stringify(t.slice(2))})` : `kr_exc_code_kind(#) == KILN_${t.slice(2)}`));
      return { result: T.bool, argTypes: [T.int, T.str], lower: expr((a) => (tests.length ? `(${tests.map((t) => t.replace(/#/g, a[0])).join(' || ')})` : '0')) };
    },
  },
  // A generator's `return v` read through the StopIteration of next(g) (ir/trace.ts raiseStop, caughtStopValue).
  {
    target: 'kiln.stop_message', python: 'StopIteration(v) of return v', signatures: ['str | int | float | bool -> str(v)', 'other -> "" (raised without arguments)'],
    facts: { headers: ['kiln_str.h'] },
    resolve(args) {
      const t = args.length === 1 ? args[0] : undefined;
      if (!t) return 'internal: kiln.stop_message takes the value';
      const made = (c: string) => stmts((a, out, cx) => [`${out} = ${c.replace('#', a[0])};`, `if (!${out}) ${cx.raise('MemoryError', '""')}`]);
      const how = stopArgument(t);
      const lower = how === 'str' ? expr((a) => `(kr_incref(${a[0]}), ${a[0]})`)
        : t.kind === 'scalar' && t.name === 'int' ? made('kr_str_from_i64(#)')
          : t.kind === 'scalar' && t.name === 'float' ? made('kr_str_from_f64(#)')
            : t.kind === 'scalar' && t.name === 'bool' ? made('kr_str_from_bool(#)') : made('kr_str_from_utf8("", 0)');
      return { result: T.str, argTypes: [t], lower };
    },
  },
  {
    target: 'kiln.exc_stop_of', python: 'e.value', signatures: ['code, the value, the descriptor (a constant) -> bool'], facts: { ...HEADERS, constantStrings: [2] },
    resolve(args, consts) {
      const name = consts[2];
      if (args.length !== 3 || name?.kind !== 'str') return 'internal: kiln.exc_stop_of takes a code, the value and a descriptor';
      const value = args[1];
      return {
        result: T.bool, argTypes: args,
        lower: stmts((a, out, cx) => {
          cx.support?.(name.value, () => stopDescriptor(name.value, value));
          return [`${out} = (${a[0]}) == -(int64_t)(intptr_t)&${name.value};`];
        }),
      };
    },
  },
  // with statements (ir/trace.ts withStmt) call the manager's __enter__ and __exit__: an instance of a class of the program
  // calls its methods (typecheck); any other manager is refused here, by its type.
  ...(['__enter__', '__exit__'] as const).map((m): OpDef => ({
    target: `method.${m}`, python: `with m: (m.${m})`, signatures: ['an instance of a class of the program with __enter__ and __exit__'],
    resolve(args) {
      return `a with statement compiles over instances of the program's classes that define __enter__ and __exit__; the manager is ${typeToString(args[0])} here`;
    },
  })),
  // match statements (ir/trace.ts matchStmt): the subject's kind, checked once where a pattern needs it.
  {
    target: 'kiln.match_sequence', python: 'case [a, b]:', signatures: ['list | tuple -> (checked)'], facts: { takesUnrefined: true },
    resolve(args) {
      const [t] = args;
      if (t.kind !== 'list' && t.kind !== 'tuple') return `a sequence pattern matches a list or a tuple; the subject is ${typeToString(t)} here`;
      return { result: T.bool, argTypes: [t], lower: expr(() => '1') };
    },
  },
  {
    target: 'kiln.match_mapping', python: 'case {"k": v}:', signatures: ['dict -> (checked)'], facts: { takesUnrefined: true },
    resolve(args) {
      const [t] = args;
      if (t.kind !== 'dict') return `a mapping pattern matches a dict; the subject is ${typeToString(t)} here`;
      return { result: T.bool, argTypes: [t], lower: expr(() => '1') };
    },
  },
];

export const exceptions: OpDomain = { name: 'exceptions', title: 'Exceptions', ops };
