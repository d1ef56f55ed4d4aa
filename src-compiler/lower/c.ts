/**
 * Lowering: typed IR and the passes' plan (opt/) become readable C. Each exported function is `kiln_<name>`, a
 * thin wrapper over a static `kf_<name>` (so nothing collides with libc's `fma`). Every statement carries a
 * comment with the Python line it came from; fallible operations propagate Python exceptions through KILN_TRY.
 * The emitter decides nothing about the program: what to check, what to version, what to run as two lanes or
 * as one deferred test is the plan's; this module writes it as C.
 */
import path from 'node:path';
import type { Arg, ConstValue, IRNode } from '../ir/ir.ts';
import { isRef, walkNodes as walk } from '../ir/ir.ts';
import { canConvertInto, convert, convertValue, lookupConstant, truthExpr, type CallCheck, type Resolved } from '../types/ops/index.ts';
import { type TypedFunction, type TypedProgram, type VirtualCase } from '../types/typecheck.ts';
import { towerParams } from '../types/tower.ts';
import { classDefinitions, classForwardDeclarations, usedClasses } from './c_classes.ts';
import { handleApi, handleClasses, handleProblem, instanceAbiDefinitions, instanceAbiHeaderLines, methodSpecs } from './c_abi_instances.ts';
import { T, cType, funcsetName, isNicheOptional, isValueInstance, sameType, setValueClasses, tupleStructName, tupleTypesIn, typeToString, unionStructDecl, unionStructName, unionTagDefines, type KType } from '../types/types.ts';
import { constType } from '../types/const_type.ts';
import type { BoundArg, DictKwargs } from '../types/calls.ts';
import type { PyLiteral } from '../frontend/ast.ts';
import { FunctionValues } from './c_functions.ts';
import { planProgram, type FunctionPlan, type ProgramPlan } from '../opt/index.ts';
import { hasJ, opNodes, type AffineExpr, type HoistCheck } from '../opt/loopVersioning.ts';
import type { DeferredRun } from '../opt/deferral.ts';
import type { PureKey } from '../opt/pureKeys.ts';
import type { FusedNode } from '../opt/fusion.ts';
import { fusedElementwise, itemRefsC, type FusedKernelTree } from '../types/ops/common_arrays.ts';
import type { ElementwiseKernel } from '../types/ops/common.ts';
import { FunctionTypes, callCheck, constantStep, factsOf, nodeKeys, resolvedOf } from '../opt/typed.ts';
import {
  abiHeaderLines, abiPrototype, abiTupleDeclarations, unionAbiHeaderLines, cIdent, pythonSignature, errorAccessorDeclarations, errorAccessorDefinitions,
  bigArgsPrototype, errorKindC, instanceClassOf, exceptionAncestors, exceptionMessage, exportSymbol,
  memoryDeclarations, memoryDefinitions, stringAbiHeaderLines, complexAbiHeaderLines, usesComplex, containerAbiHeaderLines, flatContainersOf,
  isArrayDict, isWeightTree,
  type CObject, type CUnit, type ExportedFunction, type HandleApi,
} from './abi.ts';
import { containerAbiHelpers, containerApiDefinitions } from './c_abi_containers.ts';
import { exportWrapper, featureHeaders, usesArrays, usesObjects, usesStrings } from './c_export.ts';
import { listsAsArrays } from '../opt/arrayLike.ts';
import {
  bigArgsEntry, bigResultDeclarations, bigResultDefinitions, bigTwin, bigTwinProblem, overflowNote, takesBigArgs, twinBodies, twinBody, twinMemoDecls,
  twinMemoTable, twinName, twinPrototypes,
} from './c_bigint.ts';
import { Literals, floatLiteral } from './literals.ts';
import { cStringOf } from '../types/ops/common_strings.ts';
import { randomSeedDeclaration, randomSeedDefinition } from './random.ts';
import { containerDecls, containerTypesIn, type InstanceKinds } from './dicts.ts';
import { EXCEPTION_MESSAGE, classCName, hashRule, keyMethodCall } from '../types/classes.ts';
import { cacheControlName } from '../types/ops/caches.ts';
import { cacheControlPrototypes, cacheControls, cacheCountDecls, countedCaches, floatLeaves, memoTableName, memoWrapper, tableOf } from './c_memo.ts';
import { memoTable } from '../types/memo.ts';
import { dropC, emptyC, forgetC, instanceClass, listFreeC, materialize, releaseC, retainC } from './ownership.ts';
import { holdsReferences, type Lifetimes } from '../opt/lifetimes.ts';
import type { SplitLoop } from '../opt/splitLoops.ts';
import { isRebindSite } from '../opt/appendLoops.ts';
import { storedArg } from '../opt/listFrees.ts';
import { ownsReferences } from '../types/types.ts';
import { FRAME_ITEM } from '../ir/generators.ts';
import { lowerTry, needsSavedException, userExceptionClass, Unwinding, type TryHost } from './c_exceptions.ts';
import { stopArgument, stopDescriptor } from '../types/ops/exceptions.ts';

export function cLiteral(c: ConstValue, want?: KType): string {
  const t = want ?? constType(c) ?? T.int;
  switch (c.kind) {
    case 'int': {
      const v = BigInt(c.value);
      if (t.kind === 'scalar' && (t.name === 'float' || t.name === 'float64')) return `${c.value}.0`;
      if (t.kind === 'scalar' && t.name === 'float32') return `${c.value}.0f`;
      if (v === -(2n ** 63n)) return '(-INT64_C(9223372036854775807) - 1)';
      return `INT64_C(${c.value})`;
    }
    case 'float': return floatLiteral(c.hex);
    case 'bool': return c.value ? 'true' : 'false';
    case 'none': return '0';
    case 'class': return '0';
    case 'str': case 'bytes': throw new Error('internal: a str or bytes literal is an object of the unit (Literals)');
    case 'tuple': throw new Error('internal: a tuple constant is a resolver\'s view, never a C literal');
  }
}

/**
 * The C of a typed program, as the plan of its passes (by default: the passes KILN_PASSES leaves on) says.
 * `sourceLines`: the Python lines of the program's file, or of each file a function comes from (a program
 * that spans modules).
 */
export function lowerToC(
  program: TypedProgram, sourceLines: string[] | ((file: string) => string[]), plan: ProgramPlan = planProgram(program), o: { objects?: boolean } = {},
): CUnit {
  setValueClasses(plan.valueClasses); // the plan's value structs (opt/valueStructs.ts), also for a plan made earlier
  const moduleId = program.module.replace(/[^A-Za-z0-9_]/g, '_');
  const headerName = `kiln_${moduleId}.h`;
  const sourceName = `kiln_${moduleId}.c`;
  const file = path.basename(program.file);
  const linesOf = typeof sourceLines === 'function' ? sourceLines : () => sourceLines;
  const fileOf = (f: TypedFunction) => path.basename(f.ir.file || program.file);

  // Tuple structs used anywhere (parameters, results, temporaries), innermost first.
  const tuples: KType[] = [];
  for (const f of program.functions) {
    for (const t of [...f.paramTypes, f.returnType, ...Object.values(f.varTypes)]) tupleTypesIn(t, tuples);
    walk(f.ir.nodes, (n) => n.type && tupleTypesIn(n.type, tuples));
    for (const r of f.resolved.values()) for (const t of r.temps ?? []) tupleTypesIn(t, tuples);
    const memo = memoTable(f);
    if (memo) tupleTypesIn(memo.key, tuples);
  }
  // The fields of the program's classes (a field's union or tuple struct, where no function names that type).
  for (const c of program.classes ?? []) for (const f of c.fields) if (f.type) tupleTypesIn(f.type, tuples);
  const unions = tuples.some((t) => t.kind === 'union') || program.functions.some((f) => [...f.paramTypes, f.returnType, ...Object.values(f.varTypes)].some((t) => t.kind === 'union'));
  const tupleDecl = (t: KType) => {
    if (t.kind === 'union') return unionStructDecl(t);
    if (t.kind !== 'tuple') return '';
    // A complex item is kiln_complex, the ABI's name of the runtime's kr_complex (kiln_math.h): the header can declare it.
    return `typedef struct { ${t.items.map((it, i) => `${it.kind === 'complex' ? 'kiln_complex' : cType(it)} f${i};`).join(' ')} } ${tupleStructName(t)};`;
  };
  const fv = new FunctionValues(program);
  // The header declares the tuples and unions a C caller can see (numbers, tuples and arrays); the source the others
  // (tuples that hold lists or objects, closures' environments, funcsets: compiled code's own values).
  const plain = (t: KType): boolean => t.kind === 'scalar' || t.kind === 'array' || t.kind === 'complex' || ((t.kind === 'tuple' || t.kind === 'record') && t.items.every(plain))
    || (t.kind === 'union' && t.members.every((m) => m.kind === 'none' || plain(m)));
  const headerTuples = tuples.filter(plain);
  const tupleDecls = headerTuples.map(tupleDecl);
  const sourceTuples = tuples.filter((t) => !plain(t));
  const sourceDecls = fv.any ? typeDeclarations(sourceTuples, fv, tupleDecl, new Set(headerTuples.map(structName))) : sourceTuples.map(tupleDecl);
  // Dict and set types: the runtime's instantiations for them (lower/dicts.ts).
  const containers: KType[] = [];
  for (const f of program.functions) {
    for (const t of [...f.paramTypes, f.returnType, ...Object.values(f.varTypes)]) containerTypesIn(t, containers);
    walk(f.ir.nodes, (n) => n.type && containerTypesIn(n.type, containers));
    containerTypesIn(memoTable(f), containers);
  }

  const effects = plan.effects;
  const symbols = new Set<string>();
  // The program's exception classes a call may raise (the exported packages define them).
  const exceptionClasses: Record<string, string> = {};
  for (const f of program.functions) walk(f.ir.nodes, (n) => { if (n.op === 'raise') Object.assign(exceptionClasses, n.userExceptions ?? {}); });
  // Every exported C function: each entry, then its specialisations for other accepted argument types (types/tower.ts).
  const exportedFns: TypedFunction[] = [...program.entries, ...program.entries.flatMap((f) => f.variants ?? [])];
  const classByName = new Map((program.classes ?? []).map((c) => [c.qualified, c]));
  const classOf = (q: string) => classByName.get(q);
  /** A generator's frames returned (ir/generator_frames.ts) read as Python's `Iterator[item]`. */
  const iteratorText = (t: KType): string | undefined => {
    const info = classOf(instanceClassOf(t) ?? '');
    const item = info?.generatorFrame ? info.fields.find((x) => x.name === FRAME_ITEM)?.type : undefined;
    return info?.generatorFrame ? `Iterator[${item ? typeToString(item) : 'None'}]` : undefined;
  };
  const exportOf = (f: TypedFunction, symbolBase = f.name.replace(/\./g, '_'), code = (f as { code?: string }).code): ExportedFunction => {
    const written = f.ir.params.map((_p, i) => !!effects[f.key]?.written[i]);
    const otherKind = listsAsArrays(f, written);
    const params: ExportedFunction['params'] = f.ir.params.map((p, i) => ({
      name: p.name, type: f.paramTypes[i],
      ...(f.paramTypes[i].kind === 'array' || f.paramTypes[i].kind === 'list' || isArrayDict(f.paramTypes[i]) || isWeightTree(f.paramTypes[i]) ? { written: written[i] } : {}),
      ...(otherKind[i] ? { otherKind: true } : {}),
      ...(p.kind === 'posonly' || p.kind === 'kwonly' ? { kind: p.kind } : {}),
      ...(p.defaultValue !== undefined ? { default: p.defaultValue } : {}),
      ...(f.paramLiterals?.[i] ? { literal: f.paramLiterals[i] } : {}),
    }));
    return {
      name: f.name, module: f.ir.module, file: f.ir.file, symbol: uniqueSymbol(exportSymbol(`${symbolBase}${code ? `__${code}` : ''}`), symbols),
      params, returnType: f.returnType, line: f.ir.span.line, tolerance: plan.tolerance[f.key],
      ...(plan.libcTolerance[f.key] && plan.libcTolerance[f.key].kind !== 'exact' ? { libcTolerance: plan.libcTolerance[f.key] } : {}),
      signature: pythonSignature(f.ir.name, params, f.returnType).replace(/ -> .*$/, (r) => (iteratorText(f.returnType) ? ` -> ${iteratorText(f.returnType)}` : r)),
      ...(code ? { code } : {}),
      ...(f.skippedVariants ? { skipped: f.skippedVariants } : {}),
      ...(f.listedSignatures ? { listed: true } : {}),
      ...(f.boolAliases ? { boolAliases: f.boolAliases } : {}),
      ...(Object.keys(exceptionClasses).length ? { exceptionClasses } : {}),
    };
  };
  const exports: ExportedFunction[] = exportedFns.map((f) => exportOf(f));
  // Classes whose instances the exports take or return: a handle API each (lower/c_abi_instances.ts), and their methods
  // that compiled code made one specialisation of, exported as kiln_<Class>__<method> (the packages' classes call them).
  // Exception classes with fields an error may carry out of a call (their instances cross when their fields can).
  const carried = (program.classes ?? []).filter((c) => exceptionClasses[c.name] !== undefined && c.fields.some((f) => f.name === EXCEPTION_MESSAGE)
    && !handleProblem(c.qualified, classOf));
  const handles = handleClasses(exports, classOf, carried.map((c) => c.qualified));
  const methods = methodSpecs(handles.filter((h) => !carried.includes(h)), program.functions);
  const methodsOf = new Map<string, NonNullable<HandleApi['methods']>>();
  for (const m of methods) {
    const e = exportOf(m.f, `${m.info.name}__${m.method}`, m.code);
    exportedFns.push(m.f);
    exports.push(e);
    const described = {
      name: m.method, symbol: e.symbol, prototype: abiPrototype(e), signature: e.signature, params: e.params, returnType: e.returnType,
      ...(m.code !== undefined ? { code: m.code, at: m.at } : {}),
    };
    methodsOf.set(m.info.qualified, [...(methodsOf.get(m.info.qualified) ?? []), described]);
  }
  const methodFns = new Set(methods.map((m) => m.f));
  for (const [i, e] of exports.entries()) {
    const own = methodFns.has(exportedFns[i]) ? [] : handleClasses([e], classOf);
    if (own.length) e.handles = own.map((c) => handleApi(c, methodsOf.get(c.qualified)));
    if (carried.length) e.exceptionHandles = carried.map((c) => handleApi(c));
  }
  const arrays = usesArrays(program);
  // Units whose code holds references (str, bytes, ...): the string runtime, and wrappers that bracket each call.
  const objects = usesObjects(program);
  const strings = usesStrings(program);
  // Exported functions of ints that get a big-int twin (lower/c_bigint.ts), the int specialisations of the numeric tower
  // included (fma(2**40, 2**40, 1) runs kiln_fma__iii, whose overflow falls back on its twin): in a unit of one object only.
  const twinProblems = new Map(o.objects ? [] : exportedFns.filter((f) => !methodFns.has(f)).map((f) => [f, bigTwinProblem(f, program)]));
  const twins = new Set([...twinProblems].filter(([, p]) => !p).map(([f]) => f));
  exports.forEach((e, i) => {
    if (!twins.has(exportedFns[i])) return;
    e.bigResults = true;
    // Ints past 64 bits as arguments too, through <symbol>_big (lower/c_bigint.ts), for a function of ints and bools.
    if (takesBigArgs(exportedFns[i])) e.bigArgs = true;
  });
  // The unit's exports are the entries (their big-int twins marked above); each holds its specialisations (the exported package dispatches to them).
  const unitExports = program.entries.map((f, i) => {
    const variants = exports.slice(program.entries.length).filter((_e, k) => exportedFns[program.entries.length + k].name === f.name);
    // Parameters annotated float or int pick by their arguments' exact types, also with no specialisation built.
    return towerParams(f.paramTypes).length ? { ...exports[i], variants } : exports[i];
  });

  const usesRandom = featureHeaders(program).includes('kiln_random.h');
  const guard = `KILN_${moduleId.toUpperCase()}_H`;
  const header = [
    `/* Generated by Kiln from ${file}. Do not edit: change the Python and rebuild. */`,
    `#ifndef ${guard}`,
    `#define ${guard}`,
    '#include <stdint.h>',
    '#include <stdbool.h>',
    '#ifdef __cplusplus',
    'extern "C" {',
    '#endif',
    '',
    '/*',
    ' * Calling convention: every function returns 0 on success and writes its result to *out',
    ' * (functions that return None have no out parameter). When the Python code would raise, it',
    ' * returns the exception kind (nonzero) and leaves *out unchanged; kiln_error_type() and',
    ' * kiln_error_message() then name the exception as Python would, and kiln_error_frame_*()',
    ' * give the Python lines it passed through, innermost first. int is int64_t (OverflowError',
    ' * past 64 bits), float is double, bool is bool; NumPy scalars are their C types.',
    ' */',
    ...(arrays ? abiHeaderLines({
      nestedLists: exports.some((e) => [...e.params.map((p) => p.type), e.returnType].some(nestedList)),
      tupleBuffers: exports.some((e) => e.returnType.kind === 'tuple' && e.returnType.items.some((x) => x.kind !== 'scalar')),
    }) : []),
    ...(unions ? [...unionAbiHeaderLines(), ...unionTagDefines()] : []),
    ...(strings ? stringAbiHeaderLines() : []),
    ...(exports.some(usesComplex) ? complexAbiHeaderLines() : []),
    ...tupleDecls, // before the containers: a dict's tuple keys are the header's tuple structs
    ...containerAbiHeaderLines(flatContainersOf(exports)),
    ...abiTupleDeclarations(exports.map((e) => e.returnType)),
    ...instanceAbiHeaderLines(handles),
    '',
    ...exports.flatMap((e) => [`/* ${e.name === e.signature.slice(0, e.signature.indexOf('(')) ? '' : `${e.module}.`}${e.signature}  (${path.basename(e.file ?? file)}:${e.line})${defaultsNote(e)}${e.listed ? '\n   Its specialisations (the kiln_..__<code> symbols of this name) are those @compile(signatures=[...]) lists.' : ''} */`, `${abiPrototype(e)};`,
      // Ints of any size: each int argument as Python's hex() text ("0x1f", "-0x1f"); results as above (KILN_BIG_RESULT).
      ...(e.bigArgs ? [`${bigArgsPrototype(e)}; /* the same call with ints of any size, each as Python's hex() text */`] : [])]),
    '',
    ...errorAccessorDeclarations(),
    ...(usesRandom ? randomSeedDeclaration() : []),
    ...(twins.size ? bigResultDeclarations() : []),
    ...(arrays || strings ? memoryDeclarations({ strings }) : []),
    '',
    '#ifdef __cplusplus',
    '}',
    '#endif',
    `#endif /* ${guard} */`,
    '',
  ].join('\n');

  const out: string[] = [];
  const lineMap: CUnit['lineMap'] = [];
  out.push(`/* Generated by Kiln from ${file}. Do not edit: change the Python and rebuild. */`);
  // The runtime headers the program's C includes: every object of a project's library includes them, the runtime's
  // object too, so that it defines all of their shared state (KR_STATE). kiln_dict.h before kiln_str.h: the string
  // runtime then takes over the name kr_repr_f64 (kiln_dict.h's own text form is used by its kinds).
  const includes = [
    '#include "kiln_runtime.h"', ...(twins.size ? ['#include "kiln_bigint.h" /* the big-int twins (docs/design/numbers.md) */'] : []), ...(containers.length || featureHeaders(program).includes('kiln_collections.h') ? ['#include "kiln_collections.h" /* dicts, sets, Counter (kiln_dict.h; docs/design/dicts.md) */'] : []),
    ...(strings ? ['#include "kiln_str.h" /* str and bytes (docs/design/strings.md) */'] : []),
    ...featureHeaders(program).filter((h) => h !== 'kiln_collections.h').map((h) => `#include "${h}"`),
  ];
  out.push(...includes, `#include "${headerName}"`, '');
  // A function's prototype. `linkage`: static in a one-object library; KILN_HIDDEN (one symbol, invisible outside the
  // library) for a function that another object calls.
  const sig = (f: TypedFunction, cName = f.cName, linkage = 'static ') => {
    const params = f.ir.params.map((_p, i) => `${cType(f.paramTypes[i])} ${i === 0 && fillsValueStruct(f) ? '*' : ''}${paramCName(f, i)}`);
    if (f.returnType.kind !== 'none') params.push(`${cType(f.returnType)} *kiln_ret`);
    if (f.recursive) params.push('int kiln_depth');
    return `${cName === f.cName ? linkage : 'static KILN_ALWAYS_INLINE '}int ${cName}(${params.join(', ') || 'void'})`;
  };
  // Dicts and sets of instances (lower/dicts.ts instanceKindDecl): the methods their kinds call, which typecheck
  // compiled as calls named keyMethodCall(role, class) of the functions that use such containers.
  const instanceKinds = (linkage: (f: TypedFunction) => string = () => 'static '): InstanceKinds => {
    const byKey = new Map(program.functions.map((f) => [f.key, f]));
    const classOf = new Map((program.classes ?? []).map((c) => [c.qualified, c]));
    return {
      rule: (cls) => { const c = classOf.get(cls); return c ? hashRule(c) : 'identity'; },
      method: (role, cls) => {
        const key = program.functions.map((f) => f.calls.get(keyMethodCall(role, cls))).find(Boolean);
        const f = key ? byKey.get(key) : undefined;
        if (!f) return undefined;
        return {
          proto: `${sig(f, f.cName, linkage(f))};`, result: f.returnType,
          call: (args, out) => `${f.cName}(${[...args, ...(f.returnType.kind === 'none' ? [] : [out]), ...(f.recursive ? ['0'] : [])].join(', ')})`,
        };
      },
    };
  };
  // Compiled classes (lower/c_classes.ts): their pointer types first, their structs once the tuple structs are declared.
  const classes = usedClasses(program);
  if (classes.length) out.push(...classForwardDeclarations(classes), '');
  if (sourceDecls.length) out.push(...sourceDecls, '');
  out.push(...containerDecls(containers, instanceKinds(), new Set(plan.dictLists)), ...containerAbiHelpers(flatContainersOf(exports)));
  out.push(...classDefinitions(classes, undefined, new Set(plan.listFields)));
  // The bodies first: the literals they use are declared before them, at file scope, and an op may ask for a
  // definition at file level (cx.support), emitted before them.
  const literals = new Literals();
  const unrolled = program.functions.filter((f) => plan.unrolled.includes(f.key));
  const support = new Map<string, string[]>();
  const bodies: { f: TypedFunction; cName: string; body: Line[] }[] = [];
  for (const f of program.functions) {
    const twice = unrolled.includes(f);
    const copies: [string, string][] = twice ? [[f.cName, `${f.cName}_r`], [`${f.cName}_r`, f.cName]] : [[f.cName, f.cName]];
    for (const [cName, selfCall] of copies) {
      bodies.push({ f, cName, body: new FunctionLowering(f, program, plan.functions[f.key], linesOf(f.ir.file), literals, selfCall, fv, support).lower() });
    }
  }
  // The exported wrappers too (a Literal parameter's values are literals).
  const wrappers = exports.map((e, i) => {
    const f = exportedFns[i];
    const args = e.params.map((p) => cIdent(p.name));
    if (e.returnType.kind !== 'none') args.push('out');
    if (f.recursive) args.push('0');
    // A str or list parameter (a twin's int(text), a list[int]): the wrapper that makes the str or list runs the twin too.
    if (twins.has(f) && f.paramTypes.some((t) => t.kind === 'str' || t.kind === 'list')) return exportWrapper(e, f, { arrays, objects }, literals, twinName(f));
    // No twin: an int64 overflow says why (the reason of bigTwinProblem).
    const problem = twinProblems.get(f);
    const note = problem ? overflowNote(f, problem) : undefined;
    if (twins.has(f)) {
      // An int overflow of the int64 path runs the call again on the big-int twin (nothing observable happened).
      // Both runs are one compiled call: kr_call_enter/kr_call_exit around them in a unit with objects, the call's heap
      // released after them in a unit with arrays (as lower/c_export.ts's wrappers do).
      return [
        '  int kb_rc = 0;',
        ...(objects ? ['  kr_export_enter();'] : []),
        `  if (${f.cName}(${args.join(', ')})) {`,
        '    if (!KR_AT_INT_LIMIT()) kb_rc = kr_err.kind;',
        `    else { kb_rc = ${twinName(f)}(${args.join(', ')}); kb_rc = kb_rc == 1 ? KILN_BIG_RESULT : kb_rc ? kr_err.kind : 0; }`,
        '  }',
        ...(arrays ? ['  kr_heap_release();'] : []),
        ...(objects ? ['  kr_export_exit(kb_rc);'] : []),
        '  return kb_rc;',
      ];
    }
    if (arrays || objects) return exportWrapper(e, f, { arrays, objects }, literals, undefined, note);
    if (note) return [`  int kb_rc = ${f.cName}(${args.join(', ')}) ? kr_err.kind : 0;`, `  if (kb_rc && KR_AT_INT_LIMIT()) kr_err.message = ${note};`, '  return kb_rc;'];
    return [`  return ${f.cName}(${args.join(', ')}) ? kr_err.kind : 0;`];
  });
  const used = literals.usedIn([...bodies.flatMap((b) => b.body.map((l) => l.text)), ...[...support.values()].flat(), ...wrappers.flat()].join('\n'));
  if (used.length) out.push('/* str and bytes literals: static, immortal objects */', ...used, '');

  // Prototypes first, so helpers and recursion need no particular order (sig, above).
  for (const f of program.functions) out.push(`${sig(f)};`);
  for (const f of unrolled) out.push(`${sig(f, `${f.cName}_r`)};`);
  for (const f of program.functions) if (memoTable(f)) out.push(`${sig(f, uncachedName(f))};`);
  const counted = countedCaches(program.functions);
  for (const q of counted) out.push(...cacheCountDecls(cacheControlName(q), 'static '));
  out.push('');
  if (fv.any) out.push(...fv.thunksAndTables(), '');

  for (const lines of support.values()) out.push(...lines, '');
  for (const { f, cName, body } of bodies) {
    out.push(`/* ${f.key}  (${fileOf(f)}:${f.ir.span.line})${cName === f.cName ? '' : ': its second copy (see unrollRecursion)'} */`);
    out.push(`${sig(f, memoTable(f) ? uncachedName(f) : cName)} {`);
    for (const l of body) {
      if (l.py) lineMap.push({ cLine: out.length + 1, pyLine: l.py, function: f.name, node: l.node });
      out.push(l.text);
    }
    out.push('}', '', ...memoOf(f, sig(f), counted));
  }

  const twinTables = new Map<string, string[]>();
  if (twins.size) {
    const bodies = twinBodies(twins, program);
    out.push(...bigResultDefinitions(), ...twinMemoDecls(bodies), ...twinPrototypes(bodies), '', ...bodies.flatMap((g) => [...twinBody(g, program, twins.has(g), counted), '']));
    for (const g of bodies) {
      const t = twinMemoTable(g);
      if (t) twinTables.set(g.ir.qualifiedName, [...(twinTables.get(g.ir.qualifiedName) ?? []), t]);
    }
  }
  for (const q of counted) out.push(...cacheControls(cacheControlName(q), memoTablesOf(program, q), twinTables.get(q) ?? [], 'static '), '');
  for (const [i, e] of exports.entries()) {
    if (!twins.has(exportedFns[i])) continue;
    out.push(...bigTwin(exportedFns[i], e.params.map((p) => cIdent(p.name))), '');
    if (e.bigArgs) out.push(...bigTwin(exportedFns[i], e.params.map((p) => cIdent(p.name)), true), '');
  }
  for (const [i, e] of exports.entries()) {
    out.push(`KILN_EXPORT ${abiPrototype(e)} {`, ...wrappers[i], '}', '');
    if (e.bigArgs) out.push(...bigArgsEntry(e, exportedFns[i], { arrays, objects }), '');
  }
  out.push(...instanceAbiDefinitions(handles), ...containerApiDefinitions(flatContainersOf(exports)));
  out.push(...errorAccessorDefinitions(), ...(usesRandom ? randomSeedDefinition() : []), ...(arrays || strings ? memoryDefinitions({ strings }) : []), '');
  const frameFiles = Object.fromEntries(program.functions.map((f) => [f.name, f.ir.file || program.file]));
  const unit: CUnit = { sourceName, headerName, source: out.join('\n'), header, exports: unitExports, lineMap, frameFiles };
  if (!o.objects) return unit;

  // ---- the same program as one object per Python module (a project's library; README "Incremental builds") ----
  const moduleOf = (f: TypedFunction) => f.ir.module ?? program.module;
  const byKey = new Map(program.functions.map((f) => [f.key, f]));
  const calleesOf = (f: TypedFunction) => [...new Set(f.calls.values())].map((k) => byKey.get(k)).filter((g): g is TypedFunction => !!g);
  // A function called from another module's object is one hidden symbol; the rest stay static (and inlinable).
  // With function values (funcsets), every object has its own copy of the thunks and tables, which call any member:
  // then every function is one hidden symbol, declared in every object.
  const everyFunction = fv.any;
  const shared = new Set<TypedFunction>(everyFunction ? program.functions : []);
  for (const f of program.functions) for (const g of calleesOf(f)) if (moduleOf(g) !== moduleOf(f)) shared.add(g);
  const linkage = (f: TypedFunction) => (shared.has(f) ? 'KILN_HIDDEN ' : 'static ');
  const bodyOf = (cName: string) => bodies.find((b) => b.cName === cName)!.body;
  // The file-level definitions ops asked for (cx.support) that a text uses, with those they use in turn (a key
  // sort's kr_purekey_X is called as kr_sort_purekey_X: its name is looked for without the kr_ prefix).
  const supportFor = (text: string): string[][] => {
    const picked = new Set<string>();
    let seen = text;
    for (let grew = true; grew;) {
      grew = false;
      for (const [name, lines] of support) {
        if (picked.has(name) || !seen.includes(name.replace(/^kr_/, ''))) continue;
        picked.add(name);
        seen += `\n${lines.join('\n')}`;
        grew = true;
      }
    }
    return [...support].filter(([name]) => picked.has(name)).map(([, lines]) => lines);
  };
  const modules = [...new Set(program.functions.map(moduleOf))];
  const parts: CObject[] = [{
    sourceName: `kiln_${moduleId}_runtime.c`,
    source: [
      `/* Generated by Kiln: the runtime's shared state and the error accessors of the library ${program.module} (one of its objects). */`,
      '#define KILN_SHARED_STATE', '#define KILN_RUNTIME_STATE', ...includes, '',
      ...errorAccessorDefinitions(), ...(usesRandom ? randomSeedDefinition() : []), ...(arrays || strings ? memoryDefinitions({ strings }) : []), '',
    ].join('\n'),
  }];
  for (const m of modules) {
    const own = program.functions.filter((f) => moduleOf(f) === m);
    const external = everyFunction ? program.functions.filter((g) => moduleOf(g) !== m) : [...new Set(own.flatMap(calleesOf).filter((g) => moduleOf(g) !== m))];
    // The tuple structs its prototypes and bodies use, in the program's order (innermost first).
    const used: KType[] = [];
    for (const f of own) {
      for (const t of [...f.paramTypes, f.returnType, ...Object.values(f.varTypes)]) tupleTypesIn(t, used);
      walk(f.ir.nodes, (n) => n.type && tupleTypesIn(n.type, used));
      for (const r of f.resolved.values()) for (const t of r.temps ?? []) tupleTypesIn(t, used);
    }
    for (const g of external) for (const t of [...g.paramTypes, g.returnType]) tupleTypesIn(t, used);
    for (const c of classes) for (const f of c.fields) if (f.type) tupleTypesIn(f.type, used);
    // Every object instantiates every dict and set of the library (containerDecls below): their tuple keys and values too.
    for (const c of containers) for (const t of c.kind === 'dict' ? [c.key, c.value] : c.kind === 'set' || c.kind === 'deque' ? [c.item] : []) tupleTypesIn(t, used);
    const usedDecls = new Set(used.map(tupleDecl));
    const definitions = own.flatMap((f) => (unrolled.includes(f) ? [f.cName, `${f.cName}_r`] : [f.cName]).flatMap((cName) => [
      `/* ${f.key}  (${fileOf(f)}:${f.ir.span.line})${cName === f.cName ? '' : ': its second copy (see unrollRecursion)'} */`,
      `${memoTable(f) ? sig(f, uncachedName(f)) : sig(f, cName, linkage(f))} {`, ...bodyOf(cName).map((l) => l.text), '}', '',
      ...memoOf(f, sig(f, f.cName, linkage(f)), counted),
    ]));
    // The counts and controls of a counted cache live in its module's object (a cache no call reached: the first object's).
    const home = (q: string) => program.functions.find((f) => f.ir.qualifiedName === q && memoTable(f));
    const ownCounts = [...counted].filter((q) => (home(q) ? moduleOf(home(q)!) : modules[0]) === m);
    const exported = exports.flatMap((e, i) => (moduleOf(exportedFns[i]) === m ? [`KILN_EXPORT ${abiPrototype(e)} {`, ...wrappers[i], '}', ''] : []));
    const supportDefs = supportFor([...definitions, ...exported].join('\n'));
    const literalDecls = literals.usedIn([...definitions, ...exported, ...supportDefs.flat()].join('\n'));
    const text = [
      `/* Generated by Kiln from ${path.basename(own[0].ir.file || program.file)}: module ${m}, one object of the library ${program.module} (${sourceName} is the whole program). */`,
      '#define KILN_SHARED_STATE', ...includes,
      ...(arrays ? abiHeaderLines() : []),
      ...(unions ? [...unionAbiHeaderLines(), ...unionTagDefines()] : []),
      ...(strings ? stringAbiHeaderLines() : []),
      ...instanceAbiHeaderLines(handles),
      ...classForwardDeclarations(classes),
      ...(everyFunction ? [...tupleDecls, ...sourceDecls] : tuples.map(tupleDecl).filter((d) => d && usedDecls.has(d))),
      ...containerAbiHeaderLines(flatContainersOf(exports)), // after the tuples: a dict's tuple keys
      '',
      ...containerDecls(containers, instanceKinds(linkage), new Set(plan.dictLists)), ...containerAbiHelpers(flatContainersOf(exports)),
      // Every class's struct; its type object in the object of its module (the first object when its module has none).
      ...classDefinitions(classes, (c) => ((modules.includes(c.module) ? c.module : modules[0]) === m ? 'define' : 'declare'), new Set(plan.listFields)),
      ...(literalDecls.length ? ['/* str and bytes literals: static, immortal objects */', ...literalDecls, ''] : []),
      ...external.map((g) => `${sig(g, g.cName, 'KILN_HIDDEN ')};`),
      ...own.map((f) => `${sig(f, f.cName, linkage(f))};`),
      ...own.filter((f) => unrolled.includes(f)).map((f) => `${sig(f, `${f.cName}_r`)};`),
      ...own.filter((f) => memoTable(f)).map((f) => `${sig(f, uncachedName(f))};`),
      ...[...counted].flatMap((q) => (ownCounts.includes(q) ? cacheCountDecls(cacheControlName(q), 'KILN_HIDDEN ') : cacheControlPrototypes(cacheControlName(q)))),
      '',
      ...(everyFunction ? [...fv.thunksAndTables(), ''] : []),
      ...supportDefs.flatMap((lines) => [...lines, '']),
      ...definitions,
      ...ownCounts.flatMap((q) => [...cacheControls(cacheControlName(q), memoTablesOf(program, q), [], 'KILN_HIDDEN '), '']),
      ...exported,
      // The handle APIs of the classes this object defines the type objects of.
      ...instanceAbiDefinitions(handles.filter((c) => (modules.includes(c.module) ? c.module : modules[0]) === m)),
      // The dict and set structs' accessors: once, in the first module's object (each object declares the structs).
      ...(m === modules[0] ? containerApiDefinitions(flatContainersOf(exports)) : []),
    ];
    parts.push({ sourceName: `kiln_${moduleId}.${m}.c`, source: text.join('\n') });
  }
  return { ...unit, objects: parts };
}

/** The C name of a cached function's body (lower/c_memo.ts: the function's own name is its memo table's). */
const uncachedName = (f: TypedFunction) => `${f.cName}__uncached`;

/** The memo tables of a cached Python function's specialisations (by qualified name). */
const memoTablesOf = (program: TypedProgram, qualified: string): string[] =>
  program.functions.filter((f) => f.ir.qualifiedName === qualified && memoTable(f)).map((f) => memoTableName(f.cName));

/** The memo wrapper of a cached function (`signature`: its prototype), or nothing; `counted`: functions whose counts are read. */
function memoOf(f: TypedFunction, signature: string, counted: ReadonlySet<string>): string[] {
  const table = memoTable(f);
  if (!table) return [];
  const params = f.ir.params.map((_p, i) => paramCName(f, i));
  return [...memoWrapper({
    name: f.cName, body: uncachedName(f), table: tableOf(table), maxsize: f.ir.cache!.maxsize, signature, params,
    // CPython 3.11 counts the cache's C wrapper as a call too: a cached recursion reaches the limit at half the depth.
    bodyArgs: [...params, 'kiln_ret', ...(f.recursive ? ['kiln_depth + 1'] : [])], ret: 'kiln_ret',
    floats: floatLeaves(table.key, 'kiln_key'),
    ...(counted.has(f.ir.qualifiedName) ? { counts: { prefix: cacheControlName(f.ir.qualifiedName), name: f.ir.qualname ?? f.ir.name } } : {}),
  }), ''];
}

/** A symbol not given yet in this library: `kiln_a_b_f` for both `a_b.f` and `a.b_f` would be one; the second is numbered. */
function uniqueSymbol(symbol: string, taken: Set<string>): string {
  let s = symbol;
  for (let k = 2; taken.has(s); k++) s = `${symbol}_${k}`;
  taken.add(s);
  return s;
}

/** The header's note on an exported function's defaults and keyword-only parameters: C passes every argument. */
function defaultsNote(e: ExportedFunction): string {
  const d = e.params.filter((p) => p.default !== undefined);
  const kw = e.params.filter((p) => p.kind === 'kwonly');
  if (!d.length && !kw.length) return '';
  return `\n   C callers pass every parameter, in this order${kw.length ? ` (keyword-only ones too: ${kw.map((p) => p.name).join(', ')})` : ''}; the defaults (${d.map((p) => p.name).join(', ') || 'none'}) are filled in by the Python package and the JS module.`;
}

/** A funcset, or a tuple holding one: a function stored there is converted (c_functions.ts). */
const holdsFuncset = (t: KType): boolean => t.kind === 'funcset' || (t.kind === 'tuple' && t.items.some(holdsFuncset));

/** A store from `from` into `to` that a union, None or a tuple takes part in: valueAs converts it (no references). */
const holdsUnionOrNone = (from: KType, to: KType): boolean => [from, to].some((t) => t.kind === 'union' || t.kind === 'none' || t.kind === 'tuple');

interface Line {
  text: string;
  py?: number;
  node?: string;
}

/**
 * A derived class's instance kept or returned where its base's is (`s = Rect(...) if wide else Blob(...)`, or a
 * `Task | None` result): the same pointer, as the base's struct.
 */
const asBase = (e: string, from: KType, to: KType): string =>
  from.kind === 'instance' && instanceClass(to) !== undefined && cType(from) !== cType(to) ? `((${cType(to)})${e})`
    // A tuple whose numbers widen item by item (`(0.0, '')` where the function returns tuple[np.float64, str]): the same references.
    : from.kind === 'tuple' && to.kind === 'tuple' && cType(from) !== cType(to) && canConvertInto(from, to) ? convertValue(e, from, to) : e;

/** Lowers one function as its plan says. */
class FunctionLowering {
  private lines: Line[] = [];
  private indent = 1;
  private lastLine = 0;
  private tempCount = 0;
  private extraDecls: string[] = [];
  private loopLabels: string[] = [];
  private labelCount = 0;
  private deferCount = 0;
  private readonly fnName: string;
  private readonly types: FunctionTypes;
  private readonly keys: Map<IRNode, string>;
  private readonly byKey = new Map<string, IRNode>();
  private readonly byName = new Map<string, IRNode>();
  private readonly flagged: Set<string>;
  private readonly folded: Set<string>;
  private readonly nonNegative: Set<string>;
  private readonly tailSums: Set<string>;
  private readonly counters: Set<string>;
  /** Index nodes of trunc-index sites: position 0 is in bounds once the site's test passed. */
  private readonly truncIndexed = new Set<string>();
  /** While lowering the unchecked copy of a versioned loop: its plan. */
  private unchecked?: { loop: string; checks: HoistCheck[]; noOverflow: Set<string> };
  /** References the function owns (opt/lifetimes.ts); when it owns any, every exit goes through `kiln_out`. */
  private readonly life: Lifetimes;
  private readonly cleanup: boolean;
  private readonly ownedParams: Set<string>;
  private readonly temps: Set<string>;
  private readonly clearBefore: Set<string>;
  /** Field reads whose value is borrowed (opt/lifetimes.ts): no reference taken. */
  private readonly borrowed: Set<string>;
  /** Locals that only hold borrowed references (opt/lifetimes.ts): assigned as pointers, never counted. */
  private readonly borrowedLocals: Set<string>;
  /** Field writes whose old value a local took over (opt/lifetimes.ts takeovers), and the locals waiting for theirs. */
  private readonly takenOver: Set<string>;
  /** Field writes that free the list the field held (opt/listFields.ts). */
  private readonly listStores: Set<string>;
  /** Stores into a dict that owns its lists (opt/dictLists.ts). */
  private readonly dictStores: Set<string>;
  private readonly pendingTakeovers: string[] = [];
  /** Owned temporaries of argument conversions (a character made a str for an op), released after the op. */
  private afterOp: string[] = [];
  /** While lowering an op whose value is not used (its rebindsArg0 assignment is skipped). */
  private rebound = false;
  /** The `self` of a value class's __init__ (fillsValueStruct): a pointer to the struct its caller made. */
  private readonly filled: string | undefined;
  /** Strings (C names) known here to hold one byte per character (a versioned `for c in s` loop). */
  private readonly latin1 = new Set<string>();
  /** Str variables (C names) whose `+=` goes through a kr_sb builder here (opt/appendLoops.ts), to the builder's C name. */
  private readonly appendBuilders = new Map<string, string>();

  /** `selfCall`: the C function a direct self-call goes to (the other copy when the recursion is unrolled). */
  constructor(
    private f: TypedFunction, private program: TypedProgram, private plan: FunctionPlan, private src: string[],
    private literals: Literals, private selfCall = f.cName, private fv?: FunctionValues, private support?: Map<string, string[]>,
  ) {
    this.fnName = JSON.stringify(f.ir.qualname ?? f.name);
    this.filled = fillsValueStruct(f) ? f.ir.params[0].name : undefined;
    this.types = new FunctionTypes(f);
    this.keys = nodeKeys(f.ir.nodes);
    for (const [n, k] of this.keys) this.byKey.set(k, n);
    for (const n of this.keys.keys()) this.byName.set(n.name, n);
    this.flagged = new Set(plan.definite.flagged);
    this.folded = new Set(plan.fusion.folded);
    this.nonNegative = new Set(plan.nonNegative);
    this.tailSums = new Set(plan.tailSums);
    this.counters = new Set(plan.whileCounters);
    for (const site of Object.values(plan.truncIndex)) site.index.forEach((m) => this.truncIndexed.add(m));
    for (const site of Object.values(plan.pureKeys ?? {})) this.pureKeyLoops.add(site.loop);
    this.life = plan.lifetimes;
    // A finally clause that keeps an exception in flight holds a copy of its message, freed on exit (c_exceptions.ts).
    this.cleanup = holdsReferences(this.life) || needsSavedException(f.ir.nodes);
    this.ownedParams = new Set([...this.life.ownedParams, ...this.life.consumedParams]);
    this.temps = new Set(this.life.temps);
    this.clearBefore = new Set(this.life.clearBefore);
    this.borrowed = new Set(this.life.borrowed);
    this.borrowedLocals = new Set(this.life.borrowedLocals);
    this.takenOver = new Set(Object.values(this.life.takeovers));
    this.listStores = new Set(plan.listStores);
    this.dictStores = new Set(plan.dictStores);
    // A variable a returned closure shares by reference outlives this call of the function: it lives in a cell.
    if (holdsCell(f.returnType)) {
      walk(f.ir.nodes, (n) => {
        if (n.target !== 'kiln.make_closure') return;
        n.args.forEach((a, i) => {
          const env = (n.type as KType & { kind: 'func' } | undefined)?.env;
          if (env?.[i]?.kind === 'cell' && isRef(a) && f.varTypes[a.ref] && f.varTypes[a.ref].kind !== 'cell') this.heapCells.add(a.ref);
        });
      });
    }
  }

  /** Loops that compute the keys of a pure-key sort (not emitted: opt/pureKeys.ts). */
  private readonly pureKeyLoops = new Set<string>();
  /** A variable that returned closures share: its storage is a cell (kiln_arrays.h kr_cell_new). */
  private readonly heapCells = new Set<string>();

  /** The C of a local variable (in a cell: through its pointer; the struct a value class's __init__ fills: through its pointer). */
  private local(v: string): string {
    if (this.heapCells.has(v)) return `(*kiln_cell_${cIdent(v)})`;
    return this.filled === v ? `(*${cIdent(v)})` : cIdent(v);
  }

  lower(): Line[] {
    const f = this.f;
    const decls: string[] = [];
    const params = new Set(f.ir.params.map((p) => p.name));
    for (const [v, t] of Object.entries(f.varTypes)) {
      if (this.heapCells.has(v)) {
        decls.push(`  ${cType(t)} *kiln_cell_${cIdent(v)} = NULL;`);
        continue;
      }
      if (params.has(v)) continue;
      decls.push(`  ${cType(t)} ${cIdent(v)} = ${ownsReferences(t) ? emptyC(t) : zero(t)};`);
    }
    // A parameter assigned a value of another type (`a: float` then `a = 1`): a local of the union, from the argument.
    f.ir.params.forEach((p, i) => {
      if (paramCName(f, i) !== cIdent(p.name)) decls.push(`  ${cType(f.varTypes[p.name])} ${cIdent(p.name)} = ${convertValue(paramCName(f, i), f.paramTypes[i], f.varTypes[p.name])};`);
    });
    for (const v of this.plan.definite.flagged) decls.push(`  bool ${cIdent(v)}_bound = 0;`);
    walk(f.ir.nodes, (n) => {
      if (n.op === 'call_function' && n.type && n.type.kind !== 'none') decls.push(`  ${cType(n.type)} ${cIdent(n.name)}${this.temps.has(n.name) ? ` = ${emptyC(n.type)}` : ''};`);
      if (n.op === 'constant' && n.type) decls.push(`  ${cType(n.type)} ${cIdent(n.name)};`);
    });
    if (this.cleanup) {
      decls.push('  int kiln_rc = -1; /* 0 once a return is reached; every exit goes through kiln_out, which drops what the function owns */');
      // A parameter the function assigns is its own reference (so `s += t` never extends the caller's string).
      // (A consumed parameter's reference is the caller's: opt/consumedParams.ts.)
      f.ir.params.forEach((p, i) => { if (this.life.ownedParams.includes(p.name)) decls.push(...retainC(f.paramTypes[i], cIdent(p.name)).map((l) => `  ${l}`)); });
    }
    if (this.tailSums.size) {
      decls.push('  int64_t kiln_acc = 0, kiln_carry = 0;');
      this.lines.push({ text: 'kiln_tail:;' });
    }
    if (f.recursive) {
      this.emit(`if (KILN_UNLIKELY(kiln_depth > KILN_RECURSION_LIMIT)) ${this.failWith(`kr_raise(KILN_RecursionError, "maximum recursion depth exceeded")`, f.ir.span.line)}`);
    }
    for (const v of this.heapCells) {
      const t = cType(f.varTypes[v]);
      this.emit(`kiln_cell_${cIdent(v)} = (${t} *)kr_cell_new(sizeof(${t})); if (KILN_UNLIKELY(!kiln_cell_${cIdent(v)})) ${this.failWith('', f.ir.span.line)}`);
      if (params.has(v)) this.emit(`*kiln_cell_${cIdent(v)} = ${cIdent(v)};`);
    }
    this.block(f.ir.nodes);
    // Slots the emitter made itself (conversion temporaries, kept exceptions' messages) are the cleanup's to drop.
    if (this.ownedTemps.length || this.savedMessages.length) for (const line of this.directLines) line.text = line.text.replace(/\S.*$/, this.exitC());
    if (this.cleanup) this.lines.push(...this.epilogue().map((text) => ({ text })));
    return [...decls.map((text) => ({ text })), ...this.extraDecls.map((text) => ({ text })), ...this.lines];
  }

  // ---- owned references: failures, exits and the cleanup label -------------------------------------------

  /**
   * The statement that makes the function fail after `raising` (a C expression that sets the error, or '' when
   * it is set already), recording the Python line: a plain `return` when the function owns nothing, else a jump
   * to the cleanup label.
   */
  private failWith(raising: string, line: number): string {
    const to = this.unwinding.error();
    if (!this.cleanup && !to.jump && !to.before) return `return ${raising ? `${raising}, ` : ''}${this.frameC(line)};`;
    const frame = this.fnName === '""' ? '' : `${this.frameC(line)}; `;
    // A local between a field read and the write it takes the field's reference from (opt/lifetimes.ts takeovers):
    // the field keeps its reference, so the local counts one of its own before the cleanup drops it.
    const undo = this.pendingTakeovers.map((v) => `${retainC(this.f.varTypes[v], cIdent(v)).join(' ')} `).join('');
    return `{ ${raising ? `${raising}; ` : ''}${frame}${undo}${to.before}${to.jump ?? (this.cleanup ? 'goto kiln_out;' : 'return -1;')} }`;
  }

  /** Records the traceback frame of this function at `line` (-1): none for a function CPython shows no frame of (ast.ts qualname ''). */
  private frameC(line: number): string {
    return this.fnName === '""' ? '-1' : `kr_frame(${this.fnName}, ${line})`;
  }

  /** A statement that propagates the error of a fallible C expression (0 or -1). */
  private tryC(expr: string, line: number): string {
    if (!this.cleanup && !this.unwinding.active && this.fnName !== '""') return `KILN_TRY(${expr}, ${this.fnName}, ${line});`;
    return `if (KILN_UNLIKELY((${expr}) != 0)) ${this.failWith('', line)}`;
  }

  // ---- try statements (lower/c_exceptions.ts) -------------------------------------------------------------

  /** Where errors, returns, breaks and continues go inside try statements. */
  private readonly unwinding = new Unwinding();
  /** Slots of exceptions kept across finally clauses: their messages are freed on exit. */
  private readonly savedMessages: string[] = [];

  private tryHost(): TryHost {
    return {
      unwinding: this.unwinding,
      id: () => this.labelCount++,
      declare: (d) => { this.extraDecls.push(d); },
      emit: (text, node) => this.emit(text, node),
      nested: (fn) => this.nested(fn),
      block: (nodes) => this.block(nodes),
      loops: () => this.loopLabels.length,
      propagate: () => {
        const to = this.unwinding.error();
        return `${to.before}${to.jump ?? (this.cleanup ? 'goto kiln_out;' : 'return -1;')}`;
      },
      resume: (way) => (way === 'return' ? this.returnJump() : this.loopJump(way)),
      dropResult: () => (ownsReferences(this.f.returnType) ? dropC(this.f.returnType, '(*kiln_ret)').join(' ') : ''),
      savedException: (id) => {
        const kind = `kiln_saved_kind${id}`, message = `kiln_saved_message${id}`;
        this.extraDecls.push(`  int64_t ${kind} = 0;`, `  char *${message} = NULL;`);
        this.savedMessages.push(message);
        return { kind, message };
      },
    };
  }

  /** A return whose value is written: through the finally clauses around it, then the function's exit. */
  private returnJump(): string {
    return this.unwinding.ret() ?? this.exitC();
  }

  /** A break or continue of the innermost loop: through the finally clauses inside it. */
  private loopJump(way: 'break' | 'continue'): string {
    const through = this.unwinding.loopExit(way, this.loopLabels.length);
    if (through) return through;
    if (way === 'continue') return 'continue;';
    const label = this.loopLabels[this.loopLabels.length - 1];
    return label ? `goto ${label};` : 'break;';
  }

  /** The normal exit (after *kiln_ret is written). */
  private exitC(): string {
    return this.cleanup ? 'kiln_rc = 0; goto kiln_out;' : 'return 0;';
  }

  /** The cleanup label: every exit, normal or error, drops the references the function owns. */
  private epilogue(): string[] {
    const f = this.f;
    const lines = ['kiln_out:'];
    const drop = (t: KType, name: string) => lines.push(...dropC(t, name).map((l) => `  ${l}`));
    f.ir.params.forEach((p, i) => { if (this.ownedParams.has(p.name)) drop(f.paramTypes[i], cIdent(p.name)); });
    for (const v of this.life.ownedLocals) lines.push(...this.releaseValue(f.varTypes[v], v).map((l) => `  ${l}`));
    walk(f.ir.nodes, (n) => { if (this.temps.has(n.name)) lines.push(...this.releaseValue(n.type!, n.name).map((l) => `  ${l}`)); });
    for (const t of this.ownedTemps) drop(t.type, t.name);
    for (const m of this.savedMessages) lines.push(`  kr_exc_forget(&${m});`);
    lines.push('  return kiln_rc;');
    return lines;
  }

  /** opt/directReturns.ts: the lines of the returns that do not go through the cleanup. */
  private readonly directLines: Line[] = [];

  /** What the cleanup emits for one owned slot (a parameter, a local or a node value). */
  private dropSlot(v: string): string[] {
    const i = this.f.ir.params.findIndex((p) => p.name === v);
    if (i >= 0) return dropC(this.f.paramTypes[i], cIdent(v));
    return this.releaseValue(this.f.varTypes[v] ?? this.byName.get(v)!.type!, v);
  }

  /** Conversion temporaries that own references (declared in extraDecls), dropped on exit too. */
  private ownedTemps: { name: string; type: KType }[] = [];

  /** The C value `a` stored as type `to` (a character that escapes becomes a str): a new reference in `target`. */
  private storeValue(a: Arg, to: KType, target: string, node: IRNode, moved: boolean) {
    const from = this.typeOf(a);
    const src = this.argC(a);
    const make = materialize(src, from, to, 'kiln_new');
    if (make) {
      this.emit(`{ ${cType(to)} kiln_new; ${this.tryC(make, node.span.line)} ${dropC(to, target).join(' ')} ${target} = kiln_new; }`, node);
      return;
    }
    const value = asBase(src, from, to);
    if (moved) {
      // The value's last use: its reference is taken over, its slot emptied.
      this.emit([...dropC(to, target), `${target} = ${value};`, ...forgetC(to, src)].join(' '), node);
      return;
    }
    this.emit([...retainC(to, src), ...dropC(to, target), `${target} = ${value};`].join(' '), node);
  }

  private emit(text: string, node?: IRNode) {
    const py = node?.span.line;
    if (py && py !== this.lastLine && this.src[py - 1] !== undefined) {
      this.lines.push({ text: `${'  '.repeat(this.indent)}/* line ${py}: ${this.src[py - 1].trim().replace(/\*\//g, '* /')} */`, py, node: node?.name });
      this.lastLine = py;
    }
    this.lines.push({ text: '  '.repeat(this.indent) + text, py, node: node?.name });
  }

  private temp(t: KType): string {
    const name = `kiln_t${this.tempCount++}`;
    if (ownsReferences(t)) {
      this.extraDecls.push(`  ${cType(t)} ${name} = ${emptyC(t)};`);
      this.ownedTemps.push({ name, type: t });
    } else this.extraDecls.push(`  ${cType(t)} ${name};`);
    return name;
  }

  private typeOf(a: Arg): KType {
    return this.types.of(a);
  }

  private argC(a: Arg): string {
    if (isRef(a)) return this.local(a.ref);
    if (a.const.kind === 'str') return this.literals.str(a.const.value);
    if (a.const.kind === 'bytes') return this.literals.bytes(a.const.hex);
    return cLiteral(a.const);
  }

  /** An argument stored where a value of type `to` is kept (a variable, the result): a union boxes or retags it. */
  private valueAs(a: Arg, to: KType | undefined, self = this.argC(a)): string {
    const from = this.typeOf(a);
    // A function kept where a funcset is (a variable given different functions), also inside a tuple.
    if (to && holdsFuncset(to)) return this.convertC(this.argC(a), from, to);
    // Kiln's one-variable rules (a float in an np.float64 variable) need no C; unions, None and tuples of them do.
    const plain = (t: KType) => t.kind !== 'union' && t.kind !== 'none' && t.kind !== 'tuple';
    if (from.kind === 'none' && to?.kind === 'none') return '0'; // None has no storage (a value of an operation that raised has no C name)
    if (!to || sameType(from, to) || (plain(from) && plain(to))) return this.argC(a);
    // Tuples whose items differ only in what typecheck unified (a list still of unknown items, `[]`, kept where a
    // list of floats is): the same C, item by item.
    if (!canConvertInto(from, to) && from.kind === 'tuple' && to.kind === 'tuple' && from.items.length === to.items.length) return this.convertC(this.argC(a), from, to);
    // A value that is never produced (after an operation that always raises): the C only has to compile.
    if (!canConvertInto(from, to)) return self;
    return convertValue(this.argC(a), from, to);
  }

  /**
   * `target = ` the argument as valueAs converts it; a fixed tuple kept where a tuple[T, ...] is (typecheck's
   * unifyTypes) is a new list of its items (the call's heap keeps it), whose allocation may fail, so it is tried.
   */
  private storeAs(target: string, a: Arg, to: KType | undefined, node: IRNode, self?: string): string {
    const from = this.typeOf(a);
    if (from.kind === 'tuple' && to?.kind === 'list' && to.tuple) {
      const et = cType(to.item), e = this.argC(a);
      const items = from.items.length ? from.items.map((_, i) => `${e}.f${i}`).join(', ') : '0';
      return this.tryC(`((${target} = kr_list_of(${from.items.length}, sizeof(${et}), (${et}[]){ ${items} }, ${itemRefsC(to.item) ?? '0'})) ? 0 : -1)`, node.span.line);
    }
    return `${target} = ${this.valueAs(a, to, self)};`;
  }

  /** The loop counter `c` stored in the loop variable (boxed where the variable is a union: `i = None` before the loop). */
  private loopVar(n: IRNode, c: string): string {
    const t = this.f.varTypes[n.target];
    return t && t.kind === 'union' ? convertValue(c, T.int, t) : c;
  }

  private try(call: string, node: IRNode) {
    this.emit(this.tryC(call, node.span.line), node);
  }

  /** raise kind(message) (kind() when undefined); a message '' is one argument all the same (len(e.args) is 1). */
  private raiseC(kind: string, message: string | undefined): string {
    return `kr_raise(${errorKindC(kind)}, ${JSON.stringify(exceptionMessage(kind, message))})${message === '' ? ', kr_raise_nargs(1)' : ''}`;
  }

  /** A node list: tail-sum sites, trunc-index sites and deferred runs as planned, every other node alone. */
  private block(nodes: IRNode[]) {
    const runs = this.unchecked ? this.plan.deferral.unchecked[this.unchecked.loop] ?? {} : this.plan.deferral.runs;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const split = this.plan.splitLoops[n.name];
      if (split) {
        const site = nodes.slice(i, i + 4);
        this.appendLoop(site[3], () => this.splitLoop(split, site));
        for (const m of site) this.releaseAfter(m);
        i += 3; // the assignment that held the list, its len() and the loop are part of the site
        continue;
      }
      const update = this.plan.dictUpdates?.[n.name];
      if (update && !runs[this.keys.get(nodes[i + 1])!]) {
        this.dictUpdate(n, nodes[i + 1], nodes[i + 2]);
        i += 2; // the op and the store are part of the site
        continue;
      }
      if (this.tailSums.has(n.name)) {
        this.tailSum(n, nodes[i + 1]);
        i += 2; // the add and the output are part of the site
        continue;
      }
      if (this.plan.truncIndex[n.name]) {
        this.truncIndex(n, nodes[i + 1]);
        this.releaseAfter(nodes[i]);
        continue;
      }
      // `s += t` rebinding s itself, then `s = <its value>`: the op alone (the variable already holds the value).
      const next = nodes[i + 1];
      if (isRebindSite(this.f, n, next, this.life, this.flagged, this.keys)) {
        this.rebound = true;
        this.node(n);
        this.rebound = false;
        this.releaseAfter(n);
        this.releaseAfter(next);
        i++;
        continue;
      }
      const run = runs[this.keys.get(n)!];
      if (run) {
        this.emitDeferred(nodes.slice(i, i + run.nodes.length), run);
        for (const m of nodes.slice(i, i + run.nodes.length)) this.releaseAfter(m);
        i += run.nodes.length - 1;
        continue;
      }
      this.node(n);
      this.releaseAfter(n);
    }
  }

  /**
   * `for w in s.split()` over the split iterator (opt/splitLoops.ts): each iteration takes the next piece into the
   * loop's item value (a new reference, dropped as any value is), until there is none; no list is made.
   */
  private splitLoop(site: SplitLoop, [split, , , loop]: IRNode[]) {
    this.checkUnbound(split);
    const id = this.labelCount++;
    const item = this.byName.get(site.item)!;
    const v = cIdent(item.name), src = this.argC(site.source);
    // When the body starts by storing the piece in a str variable (`for w in ...`), the iterator may write the next
    // piece into the string that variable holds, if nothing else holds it (kr_str_piece): no allocation per word.
    const store = loop.regions![0].nodes[1];
    const reuse = store?.op === 'assign' && isRef(store.args[0]) && store.args[0].ref === item.name
      && this.life.moves[this.keys.get(store)!] === item.name && this.f.varTypes[store.target]?.kind === 'str'
      ? this.local(store.target) : 'NULL';
    const next = site.sep
      ? `kr_str_split_next(${src}, ${this.argC(site.sep)}, &kiln_pos${id}, &${v}, ${reuse})`
      : `kr_str_split_ws_next(${src}, &kiln_pos${id}, &${v}, ${reuse})`;
    this.emit(`{ /* the words one at a time: no list */`, loop);
    this.nested(() => {
      this.emit(`int64_t kiln_pos${id} = 0;`);
      this.emit('for (;;) {');
      this.nested(() => {
        this.emit(releaseC(T.str, v).join(' '));
        this.emit(`int kiln_more${id} = ${next};`);
        this.emit(`if (KILN_UNLIKELY(kiln_more${id} < 0)) ${this.failWith('', split.span.line)}`);
        this.emit(`if (!kiln_more${id}) break;`);
        this.releaseAfter(item);
        this.loopLabels.push('');
        this.block(loop.regions![0].nodes.slice(1));
        this.loopLabels.pop();
      });
      this.emit('}');
    });
    this.emit('}');
  }

  /**
   * `d[k] = d.get(k, 0) + 1`, `d[k] += v` (opt/dictUpdates.ts): one lookup; a present key's value is read and
   * written through the entry's pointer, a missing key's comes from the lookup's missing path and is stored as the
   * store node does.
   */
  private dictUpdate(get: IRNode, op: IRNode, set: IRNode) {
    this.checkUnbound(get);
    const id = this.labelCount++;
    const rg = this.f.resolved.get(get.name)!, rs = this.f.resolved.get(set.name)!;
    const at = (n: IRNode, r: Resolved, i: number) => (this.convertArg(n.args[i], r.argTypes[i]) as { expr: string }).expr;
    const slot = `kiln_slot${id}`, err = `kiln_se${id}`;
    this.emit(`{ int ${err}; ${cType(rg.result)} *${slot} = ${rg.inPlace!.find(get.args.map((_, i) => at(get, rg, i)), err)};`, get);
    this.nested(() => {
      this.emit(`if (KILN_UNLIKELY(!${slot} && ${err})) ${this.failWith('', get.span.line)}`, get);
      this.emit(`if (${slot}) ${cIdent(get.name)} = *${slot};`, get);
      this.emit(`else ${rg.inPlace!.missing(get.args.map((_, i) => at(get, rg, i)), cIdent(get.name), (call) => this.tryC(call, get.span.line))}`, get);
      this.releaseAfter(get);
      this.node(op);
      this.releaseAfter(op);
      this.emit(`if (${slot}) *${slot} = ${at(set, rs, set.args.length - 1)};`, set);
      this.emit('else {', set);
      this.nested(() => this.node(set));
      this.emit('}', set);
    });
    this.emit('}', set);
    this.releaseAfter(set);
  }

  /** Drops the values whose last use was `n` (opt/lifetimes.ts). */
  private releaseAfter(n: IRNode) {
    // A takeover whose write was in the branch just emitted: the path that skipped it counts the local's reference.
    for (const v of this.life.countAfter[this.keys.get(n)!] ?? []) this.emit(retainC(this.f.varTypes[v], cIdent(v)).join(' '));
    const names = this.life.releaseAfter[this.keys.get(n)!];
    if (!names) return;
    for (const v of names) {
      const m = this.byName.get(v);
      if (m?.type) this.emit(this.releaseValue(m.type, v).join(' '));
    }
  }

  /** Statements that drop what value `v` (a node or a local) of type `t` holds and empty its slot: a list it owns alone is freed. */
  private releaseValue(t: KType, v: string): string[] {
    const depth = this.plan.listFrees[v];
    return depth !== undefined && t.kind === 'list' ? listFreeC(cIdent(v), depth) : releaseC(t, cIdent(v));
  }

  /**
   * `return X + f(args)`: add X to the accumulator, rebind the parameters and loop (one frame deeper, so the
   * recursion limit still counts it). The accumulator keeps the exact sum as int64 plus a count of wraps, so
   * the final result is exact whenever it fits in 64 bits (the recursive form raised OverflowError whenever
   * any partial sum did not fit, where CPython gives the right answer).
   */
  private tailSum(call: IRNode, add: IRNode) {
    this.checkUnbound(call);
    this.checkUnbound(add);
    const x = add.args[0];
    this.emit(`kr_acc_add_i64(&kiln_acc, &kiln_carry, ${this.argC(x)});`, add);
    const temps = call.args.map((a, i) => {
      const t = this.temp(this.f.paramTypes[i]);
      this.emit(`${t} = ${this.argC(a)};`, call);
      return t;
    });
    this.f.ir.params.forEach((p, i) => this.emit(`${cIdent(p.name)} = ${temps[i]};`, call));
    this.emit('kiln_depth++;', call);
    this.emit('goto kiln_tail;', call);
  }

  private checkUnbound(n: IRNode) {
    for (const v of this.plan.definite.checks[this.keys.get(n)!] ?? []) {
      // A split variable's part (opt/splitVariables.ts) raises with the Python name.
      const local = this.f.ir.renamed?.[v] ?? v;
      const pyName = this.f.ir.pythonNames?.[local] ?? local; // an inlined generator's variable: its own name
      this.emit(`if (KILN_UNLIKELY(!${cIdent(v)}_bound)) ${this.failWith(`kr_raise_unbound(${JSON.stringify(pyName)})`, n.span.line)}`, n);
    }
  }

  private node(n: IRNode) {
    this.checkUnbound(n);
    switch (n.op) {
      case 'input':
        return;
      case 'constant': {
        if (n.type?.kind === 'dtype') {
          this.emit(`${cIdent(n.name)} = 0; /* dtype ${n.type.name} */`, n);
          return;
        }
        if (n.type?.kind === 'builtin') {
          this.emit(`${cIdent(n.name)} = 0; /* ${n.target} */`, n);
          return;
        }
        const c = n.args.length && !isRef(n.args[0]) ? this.argC(n.args[0]) : lookupConstant(n.target)!.c;
        this.emit(`${cIdent(n.name)} = ${c};`, n);
        return;
      }
      case 'assign': {
        const to = this.f.varTypes[n.target];
        const from = this.typeOf(n.args[0]);
        const moved = isRef(n.args[0]) ? n.args[0].ref : undefined;
        if (this.borrowedLocals.has(n.target)) {
          // A local that only holds borrowed references (opt/lifetimes.ts borrowedLocals): the pointer, no count.
          this.emit(`${this.local(n.target)} = ${from.kind === 'none' ? 'NULL' : asBase(this.argC(n.args[0]), from, to)};`, n);
        } else if (to && this.plan.listFrees[n.target] !== undefined && moved !== undefined && to.kind === 'list') {
          // A list the variable owns alone (opt/listFrees.ts): the old one is freed, the new one moved in from its maker.
          this.emit([...this.releaseValue(to, n.target), this.storeAs(this.local(n.target), n.args[0], to, n), `${cIdent(moved)} = NULL;`].join(' '), n);
        } else if (to && !ownsReferences(to) && holdsUnionOrNone(from, to)) {
          this.emit(this.storeAs(this.local(n.target), n.args[0], to, n, cIdent(n.target)), n);
        } else if (to && (ownsReferences(to) || (from.kind === 'char' && to.kind === 'str'))) {
          // A variable owns its reference: the new value's is taken (or taken over at its last use), the old dropped.
          this.storeValue(n.args[0], to, this.local(n.target), n, this.life.moves[this.keys.get(n)!] !== undefined);
          if (this.life.takeovers[this.keys.get(n)!]) this.pendingTakeovers.push(n.target);
        } else this.emit(this.storeAs(this.local(n.target), n.args[0], to, n), n);
        if (this.flagged.has(n.target)) this.emit(`${cIdent(n.target)}_bound = 1;`, n);
        return;
      }
      case 'call_function':
        return this.call(n);
      case 'output': {
        if (this.tailSums.size) {
          this.emit(`kr_acc_add_i64(&kiln_acc, &kiln_carry, ${this.argC(n.args[0])});`, n);
          this.emit(`if (KILN_UNLIKELY(kiln_carry != 0)) ${this.failWith('kr_raise(KILN_OverflowError, kr_int_overflow_msg)', n.span.line)}`, n);
          this.emit('*kiln_ret = kiln_acc;', n);
          this.emit('return 0;', n);
          return;
        }
        if (this.f.returnType.kind !== 'none') {
          if (n.args.length) this.returnValue(n);
          else if (canConvertInto(T.none, this.f.returnType)) this.emit(`*kiln_ret = ${convertValue('0', T.none, this.f.returnType)};`, n);
        }
        // Nothing the function owns holds a reference here (opt/directReturns.ts): no cleanup to run.
        const direct = this.plan.directReturns?.[this.keys.get(n)!];
        if (direct && !this.unwinding.active) {
          this.emit([...direct.flatMap((v) => this.dropSlot(v)), 'return 0;'].join(' '), n);
          this.directLines.push(this.lines[this.lines.length - 1]);
        } else this.emit(this.returnJump(), n);
        return;
      }
      case 'if': {
        const [thenR, elseR] = n.regions!;
        this.emit(`if (${truthExpr(this.argC(n.args[0]), this.typeOf(n.args[0]))}) {`, n);
        this.nested(() => this.block(thenR.nodes));
        if (elseR.nodes.length) {
          this.emit('} else {');
          this.nested(() => this.block(elseR.nodes));
        }
        this.emit('}');
        return;
      }
      case 'for_range':
        if (this.pureKeyLoops.has(n.name)) {
          this.emit('/* the keys are computed in the comparisons of the sort below (opt/pureKeys.ts) */', n);
          return;
        }
        return this.appendLoop(n, () => this.forRange(n));
      case 'while':
        return this.appendLoop(n, () => this.whileLoop(n));
      case 'break': case 'continue':
        this.emit(this.loopJump(n.op), n);
        return;
      case 'try':
        lowerTry(this.tryHost(), n);
        return;
      case 'raise': {
        if (n.target === 'kiln.reraise') {
          // A caught exception raised again (bare `raise`, `raise e`): its kind and message as they were caught.
          const e = this.argC(n.args[0]);
          const t = this.typeOf(n.args[0]);
          const carried = t.kind === 'tuple' && t.items.length === 4 ? `, kr_set_object((kr_obj *)${e}.f3)` : '';
          this.emit(this.failWith(`kr_raise_caught(${e}.f0, ${e}.f1, ${e}.f2)${carried}`, n.span.line), n);
          return;
        }
        // A class of the program is raised as its built-in kind, then marked with its class descriptor.
        const define = (name: string, lines: string[]) => { if (this.support && !this.support.has(name)) this.support.set(name, lines); };
        if (n.stopOf) {
          // The end of a generator that returned v: StopIteration(v) (str(v), or no argument), marked as that generator's.
          const t = this.typeOf(n.args[1]);
          define(n.stopOf, stopDescriptor(n.stopOf, t));
          const raising = stopArgument(t) ? `kr_raise_str(KILN_StopIteration, ${this.argC(n.args[0])}, 0)` : 'kr_raise(KILN_StopIteration, "")';
          this.emit(this.failWith(`${raising}, kr_set_class(&${n.stopOf})`, n.span.line), n);
          return;
        }
        const user = n.userExceptions ? userExceptionClass(n.target, n.userExceptions, define, n.exceptionText) : undefined;
        const kind = user?.kind ?? n.target;
        if (user && n.exceptionObject) {
          // An exception class with fields: raised with its message (a str field), and carrying its instance.
          const [message, obj] = n.args.map((a) => this.argC(a));
          const raising = `kr_raise_str(${errorKindC(kind)}, ${message}, ${exceptionAncestors(kind).includes('KeyError') ? 1 : 0})`;
          this.emit(this.failWith(`${raising}, kr_set_class(&${user.descriptor}), kr_set_object((kr_obj *)${obj})`, n.span.line), n);
          return;
        }
        const literal = n.args.length === 1 && !isRef(n.args[0]) && n.args[0].const.kind === 'str' ? n.args[0].const.value : undefined;
        const raising = n.args.length > 1
          // Several str arguments: str(e) is the repr of their tuple (kiln_except.h kr_raise_args).
          ? `kr_raise_args(${errorKindC(kind)}, ${n.args.length}, (const kr_str *const []){ ${n.args.map((a) => this.argC(a)).join(', ')} })`
          : n.args.length && literal === undefined
            // A message computed at run time (a str value); KeyError's text is the repr of its argument.
            ? `kr_raise_str(${errorKindC(kind)}, ${this.argC(n.args[0])}, ${exceptionAncestors(kind).includes('KeyError') ? 1 : 0})`
            : this.raiseC(kind, literal);
        this.emit(this.failWith(user ? `${raising}, kr_set_class(&${user.descriptor})` : raising, n.span.line), n);
        return;
      }
      case 'assert': {
        const msg = n.args[1] && !isRef(n.args[1]) && n.args[1].const.kind === 'str' ? n.args[1].const.value : undefined;
        this.emit(`if (KILN_UNLIKELY(!${truthExpr(this.argC(n.args[0]), this.typeOf(n.args[0]))})) {`, n);
        this.nested(() => this.emit(this.failWith(this.raiseC('AssertionError', msg), n.span.line), n));
        this.emit('}');
        return;
      }
    }
  }

  /** `return v`: *kiln_ret gets a new reference (taken over from a value at its last use, or from an owned local). */
  private returnValue(n: IRNode) {
    this.returnValueOf(n);
    // A list the function owns alone goes to the caller (opt/listFrees.ts): its slot no longer holds it.
    const a = n.args[0];
    if (isRef(a) && this.plan.listFrees[a.ref] !== undefined) this.emit(`${cIdent(a.ref)} = NULL;`, n);
  }

  private returnValueOf(n: IRNode) {
    const rt = this.f.returnType;
    const a = n.args[0];
    if (!ownsReferences(rt) && holdsUnionOrNone(this.typeOf(a), rt)) {
      this.emit(this.storeAs('*kiln_ret', a, rt, n, '*kiln_ret'), n);
      return;
    }
    const src = this.argC(a);
    const make = materialize(src, this.typeOf(a), rt, '*kiln_ret');
    if (make) {
      this.emit(this.tryC(make, n.span.line), n);
      return;
    }
    if (!ownsReferences(rt)) {
      this.emit(this.storeAs('*kiln_ret', a, rt, n), n);
      return;
    }
    const ref = isRef(a) ? a.ref : undefined;
    // A local or parameter returned through a narrowing of it (opt/consumedParams.ts sinks): its slot gives the reference.
    const from = this.life.moves[this.keys.get(n)!];
    const owned = ref !== undefined && (from !== undefined || this.life.ownedLocals.includes(ref) || this.ownedParams.has(ref));
    const value = asBase(src, this.typeOf(a), rt);
    if (owned) this.emit([`*kiln_ret = ${value};`, ...forgetC(rt, from !== undefined && from !== ref ? cIdent(from) : src)].join(' '), n);
    else this.emit([`*kiln_ret = ${value};`, ...retainC(rt, src)].join(' '), n);
  }

  private nested(fn: () => void) {
    this.indent++;
    fn();
    this.indent--;
  }

  /** An int `+`/`-` that cannot overflow here: a while counter, or an index sum of the unchecked copy of a versioned loop. */
  private noOverflow(n: IRNode): boolean {
    return this.counters.has(n.name) || !!this.unchecked?.noOverflow.has(n.name);
  }

  /** Index positions of a getitem/setitem that are in bounds here (the versioned loop's test, or a trunc-index site's). */
  private inBounds(n: IRNode): Set<number> | undefined {
    const dims = new Set<number>((this.unchecked?.checks ?? []).filter((c) => c.node === n.name).map((c) => c.dim));
    if (this.truncIndexed.has(n.name)) dims.add(0);
    return dims.size ? dims : undefined;
  }

  /** C converting `e` of type `from` to the type that holds it (typecheck's unifyTypes): a funcset, a tuple of unified items. */
  private convertC(e: string, from: KType, to: KType): string {
    if (sameType(from, to)) return e;
    if (to.kind === 'funcset' && from.kind === 'func') return this.fv!.convert(e, from, to);
    if (to.kind === 'tuple' && from.kind === 'tuple' && from.items.length === to.items.length && cType(from) !== cType(to)) {
      return `((${cType(to)}){ ${to.items.map((it, i) => this.convertC(`${e}.f${i}`, from.items[i], it)).join(', ')} })`;
    }
    return e;
  }

  /**
   * `f(x, **d)` of a dict[str, V]: opens a C block holding pointers to the values of the parameters d fills
   * (kw_<slot>, borrowed from d; NULL for a key d lacks whose parameter has a default), set by kr_dict_bind_kwargs
   * (kiln_str.h) with CPython's TypeErrors; the caller closes the block after the call.
   */
  private bindDictKwargs(n: IRNode, dk: DictKwargs) {
    const how = { dict: 'KR_KW_FROM_DICT', dictOrDefault: 'KR_KW_FROM_DICT_OR_DEFAULT', positional: 'KR_KW_POSITIONAL', keyword: 'KR_KW_KEYWORD', posonly: 'KR_KW_POSONLY', default: 'KR_KW_DEFAULT' };
    const str = (x: string) => cStringOf([...new TextEncoder().encode(x)]);
    const params = dk.params.map((p, k) => `{ ${str(p.name)}, ${how[p.how]}, ${p.kwonly ? 1 : 0}, ${k} }`);
    this.emit(`{ static const kr_kwparam kw_params[${params.length}] = { ${params.join(', ')} }; void *kw_v[${params.length}] = { 0 };`, n);
    this.try(`kr_dict_bind_kwargs(${this.argC(n.args[dk.arg])}, ${str(dk.qualname)}, ${str(dk.dotted)}, kw_params, ${params.length}, kw_v)`, n);
  }

  /** A C argument of a call bound to a compiled function (types/calls.ts BoundArg); `t`: the callee's parameter type. */
  private boundArg(n: IRNode, b: BoundArg, t: KType): string {
    if ('env' in b) return `${this.argC(n.args[0])}.f${b.env}`;
    if ('fromDict' in b) return b.orDefault ? `(kw_v[${b.slot}] ? *(${cType(t)} *)kw_v[${b.slot}] : ${this.argC(b.orDefault)})` : `(*(${cType(t)} *)kw_v[${b.slot}])`;
    if ('arg' in b) return `${this.argC(n.args[b.arg])}${b.item !== undefined ? `.f${b.item}` : ''}`;
    const items = 'tuple' in b ? b.tuple : b.kwargs;
    const types = t.kind === 'tuple' || t.kind === 'record' ? t.items : [];
    return items.length ? `((${cType(t)}){ ${items.map((x, j) => this.boundArg(n, x, types[j])).join(', ')} })` : '0';
  }

  /** A method dispatched on the instance's class (types/classes.ts): a test of its kr_type per implementation. */
  private virtualCall(n: IRNode, cases: VirtualCase[]) {
    const self = this.argC(n.args[0]);
    this.emit(`{ const kr_type *kt = ((kr_obj *)(${self}))->type;`, n);
    cases.forEach((c, k) => {
      const callee = this.program.functions.find((x) => x.key === c.callee)!;
      const args = c.binding.args.map((b, i) => (i === 0 ? `((${cType(callee.paramTypes[0])})(${self}))` : this.boundArg(n, b, callee.paramTypes[i])));
      const test = c.classes.map((q) => `kt == &${classCName(q)}_type`).join(' || ');
      this.emit(k === cases.length - 1 ? (k ? '} else {' : '{') : `${k ? '} else ' : ''}if (${test}) {`, n);
      this.indent++;
      this.callInto(n, callee, args);
      this.indent--;
    });
    this.emit('} }', n);
  }

  /**
   * A call of a compiled function whose result becomes node n's value. The callee writes its result into a slot of
   * the call's own (`kv_r`), copied to n's variable on success: n's variable never has its address taken, so the C
   * compiler keeps it in a register and knows it is empty where the cleanup drops it on paths that released it. A
   * result of a derived class (or never None) where the call's type is their join is a pointer cast.
   */
  private callInto(n: IRNode, callee: TypedFunction, given: string[]) {
    const name = callee === this.f ? this.selfCall : callee.cName;
    const depth = callee.recursive ? [this.f.recursive ? 'kiln_depth + 1' : '0'] : [];
    const rt = callee.returnType;
    // Parameters the callee consumes (opt/consumedParams.ts): a slot's reference given over (the slot emptied before
    // the call, which drops it on every exit), or a new one counted.
    const passes = Object.entries(this.life.passes[this.keys.get(n)!]?.[callee.key] ?? {});
    const args = [...given];
    if (passes.length) {
      this.emit('{', n);
      for (const [k, slot] of passes) {
        const t = callee.paramTypes[+k];
        this.emit([`${cType(t)} kv_c${k} = ${given[+k]};`, ...(slot === null ? retainC(t, `kv_c${k}`) : forgetC(t, cIdent(slot)))].join(' '), n);
        args[+k] = `kv_c${k}`;
      }
    }
    if (rt.kind === 'none') {
      this.try(`${name}(${[...args, ...depth].join(', ')})`, n);
      if (passes.length) this.emit('}', n);
      return;
    }
    const cast = cType(rt) !== cType(n.type!) ? `(${cType(n.type!)})` : '';
    this.emit(`{ ${cType(rt)} kv_r = ${ownsReferences(rt) ? emptyC(rt) : zero(rt)};`, n);
    this.try(`${name}(${[...args, '&kv_r', ...depth].join(', ')})`, n);
    // A result the callee's argument keeps (opt/lifetimes.ts heldResults), borrowed here: its count is given back at
    // once (when the call is inlined, the C compiler folds it with the callee's).
    const giveBack = this.borrowed.has(n.name) ? ` ${isNicheOptional(rt) ? 'kr_unref_held' : 'kr_unref_held_some'}(kv_r);` : '';
    this.emit(`${cIdent(n.name)} = ${cast}kv_r;${giveBack} }${passes.length ? ' }' : ''}`, n);
  }

  private call(n: IRNode) {
    // A value defined in a loop may still hold the previous iteration's (a `continue` skipped its release).
    if (this.clearBefore.has(n.name)) this.emit(this.releaseValue(n.type!, n.name).join(' '), n);
    this.callValue(n);
    // Conversion temporaries that own references (a character made a str for this op) go right after it.
    for (const t of this.afterOp.splice(0)) this.emit(releaseC(T.str, t).join(' '), n);
  }

  private callValue(n: IRNode) {
    const calleeKey = this.f.calls.get(n.name);
    const virtual = this.f.virtuals?.get(n.name);
    if (virtual) return this.virtualCall(n, virtual);
    if (calleeKey) {
      const callee = this.program.functions.find((x) => x.key === calleeKey)!;
      const binding = this.f.bindings.get(n.name);
      if (binding?.dictKwargs) this.bindDictKwargs(n, binding.dictKwargs);
      const args = binding ? binding.args.map((b, k) => this.boundArg(n, b, callee.paramTypes[k])) : n.args.map((a) => this.argC(a));
      if (fillsValueStruct(callee)) args[0] = `&${args[0]}`; // the struct just made, filled in place
      this.callInto(n, callee, args);
      if (binding?.dictKwargs) this.emit('}', n);
      return;
    }
    if (n.target === 'kiln.make_closure') return this.makeClosure(n);
    const pure = this.plan.pureKeys?.[n.name];
    if (pure) return this.pureKeySort(n, pure);
    if (n.target === 'kiln.static_list') {
      this.emit(`${cIdent(n.name)} = &${this.staticList(n.literal!, n.type!)};`, n);
      return;
    }
    const dispatch = this.f.dispatch.get(n.name);
    if (dispatch) {
      const fs = this.typeOf(n.args[0]);
      const slot = this.fv!.slotIndex(fs, dispatch);
      const callee = this.argC(n.args[0]);
      const args = [`&${callee}`, ...n.args.slice(1).map((a) => this.argC(a))];
      if (n.type && n.type.kind !== 'none') args.push(`&${cIdent(n.name)}`);
      this.try(`${callee}.vt->s${slot}(${args.join(', ')})`, n);
      return;
    }
    const valueCall = this.f.valueCalls.get(n.name);
    if (valueCall) return this.op(n, valueCall, n.args.slice(1));
    // Element-wise chains (opt/fusion.ts): the folded nodes are computed inside their root's loop.
    if (this.folded.has(n.name)) return;
    const fused = this.plan.fusion.roots[n.name];
    if (fused) {
      this.fusedLoop(n, fused);
      return;
    }
    this.opCall(n, this.f.resolved.get(n.name)!);
  }

  /** A call of a registry op, as its lowering says (also each step of a fused tree in a dispatched unit). */
  private opCall(n: IRNode, r: Resolved) {
    this.op(n, r, n.args);
  }

  /**
   * A module-level list of constants as static data (read-only: opt/writes.ts refuses writes to module state), and
   * the name of its kr_list header; the items of a list of lists are the headers of static inner lists.
   */
  private staticList(lit: PyLiteral, t: KType): string {
    const items = (lit as { items: PyLiteral[] }).items;
    const item = (t as KType & { kind: 'list' }).item;
    const key = `${typeToString(t)} ${JSON.stringify(lit)}`;
    let h = 2166136261;
    for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    const name = `kiln_static_${h.toString(36)}`;
    if (this.support && !this.support.has(name)) {
      const values = items.map((x) => (item.kind === 'list' ? `&${this.staticList(x, item)}` : literalC(x, item)));
      const et = item.kind === 'list' ? 'kr_list *' : item.kind === 'none' ? 'int64_t' : cType(item);
      this.support.set(name, [
        ...(items.length ? [`static ${et} ${name}_data[${items.length}] = { ${values.join(', ')} };`] : []),
        `static kr_list ${name} = { ${items.length}, ${items.length}, ${items.length ? `${name}_data` : 'NULL'} }; /* module-level list (static, never written) */`,
      ]);
    }
    return name;
  }

  /**
   * sorted(xs, key=f) with a pure key (opt/pureKeys.ts): the items sorted alone by kiln_arrays.h's KILN_SORT_WITH,
   * each comparison computing both keys with a direct call of f (or f's C expression), which the C compiler
   * inlines: `-a < -b` for key=lambda v: -v.
   */
  private pureKeySort(n: IRNode, pk: PureKey) {
    const items = this.typeOf(n.args[0]) as KType & { kind: 'list' };
    const it = cType(items.item);
    const reverse = !isRef(n.args[2]) && n.args[2].const.kind === 'bool' && n.args[2].const.value;
    let keyType: KType;
    let keyBody: string;
    let name: string;
    if ('spec' in pk.key) {
      const g = this.program.functions.find((x) => x.key === (pk.key as { spec: string }).spec)!;
      keyType = g.returnType;
      keyBody = `${cType(keyType)} k; (void)${g.cName}(x, &k); return k;`;
      name = `kr_purekey_${g.cName}`;
    } else {
      const r = this.f.valueCalls.get(pk.key.valueCall)!;
      const conv = convert('x', items.item, r.argTypes[0] ?? items.item);
      keyType = r.result;
      keyBody = `return ${r.lower.kind === 'expr' ? r.lower.emit(['expr' in conv ? conv.expr : 'x']) : 'x'};`;
      name = `kr_purekey_${this.f.cName}_${cIdent(n.name)}`;
    }
    const less = keyType.kind === 'scalar' ? '(a < b)' : undefined;
    if (!less) throw new Error('internal: a pure key that is not a number');
    if (this.support && !this.support.has(name)) {
      this.support.set(name, [
        // The item type by one name: KILN_SORT_WITH declares `T *a, *b`, which a pointer type (kr_str *) would break.
        `typedef ${it} ${name}_item;`,
        `static inline ${cType(keyType)} ${name}_key(${it} x) { ${keyBody} }`,
        `static inline int ${name}_less(${it} x, ${it} y) { ${cType(keyType)} a = ${name}_key(x), b = ${name}_key(y); return ${less}; }`,
        `#define ${name.toUpperCase()}_LESS(x, y) ${name}_less(x, y)`,
        `KILN_SORT_WITH(${name.replace(/^kr_/, '')}, ${name}_item, ${name.toUpperCase()}_LESS)`,
      ]);
    }
    const items_ = this.argC(n.args[0]);
    this.try(`kr_sort_${name.replace(/^kr_/, '')}((${it} *)${items_}->data, ${items_}->len, ${reverse ? 1 : 0})`, n);
    this.emit(`${cIdent(n.name)} = ${items_};`, n);
  }

  /** A def or lambda's value: its environment (cells: the variable's address), or nothing. */
  private makeClosure(n: IRNode) {
    const t = n.type as KType & { kind: 'func' };
    if (!t.env.length) {
      this.emit(`${cIdent(n.name)} = 0; /* ${n.closure!.fn} */`, n);
      return;
    }
    const fields = n.args.map((a, i) => (t.env[i].kind === 'cell' && this.typeOf(a).kind !== 'cell' ? `&${this.argC(a)}` : this.argC(a)));
    // The closure's value is a new reference to each object its environment holds (the values it captured are borrowed).
    this.emit([`${cIdent(n.name)} = ((${cType(t)}){ ${fields.join(', ')} }); /* ${n.closure!.fn} */`, ...retainC(t, cIdent(n.name))].join(' '), n);
  }

  /** A call of a registry op (its resolution `r`) on `opArgs`. */
  private op(n: IRNode, r: Resolved, opArgs: Arg[]) {
    if (this.noOverflow(n)) {
      this.emit(`${cIdent(n.name)} = ${this.argC(n.args[0])} ${r.facts?.affine === 'add' ? '+' : '-'} ${this.argC(n.args[1])};`, n);
      return;
    }
    const args = opArgs.map((a, i) => {
      const conv = this.convertArg(a, r.argTypes[i]);
      if ('expr' in conv) return conv.expr;
      const t = this.temp(conv.to);
      this.try(conv.call(t), n);
      if (ownsReferences(conv.to)) this.afterOp.push(t);
      return t;
    });
    const name = cIdent(n.name);
    const unchecked = opArgs === n.args ? this.droppedCheck(n) : undefined;
    if (unchecked) {
      this.emit(`${name} = ${unchecked.value(args)};`, n);
      return;
    }
    switch (r.lower.kind) {
      case 'expr':
        this.emit(`${name} = ${r.lower.emit(args)};`, n);
        return;
      case 'call':
        this.try(r.lower.emit(args, name), n);
        this.afterListStore(n, name, args);
        return;
      case 'stmts': {
        const lines = r.lower.emit(args, name, this.stmtsContext(n));
        for (const l of lines) this.emit(l, n);
        // A field write that took its value's reference over (opt/lifetimes.ts `moves`): the slot no longer owns it.
        const moved = n.target === 'kiln.setattr' ? this.life.moves[this.keys.get(n)!] : undefined;
        if (moved !== undefined) this.emit(`${cIdent(moved)} = NULL;`, n);
        this.afterListStore(n, name, args);
        if (this.takenOver.has(this.keys.get(n)!)) this.pendingTakeovers.length = 0; // the local owns the field's old reference now
        return;
      }
      case 'none':
        return;
    }
  }

  /**
   * After a store of a new list into a field or a dict that owns its lists (opt/listFields.ts, opt/dictLists.ts; `out`,
   * `args`: the C of its value and arguments): a list variable moved in is the holder's now (its slot is emptied), and
   * the default of a `d.setdefault(k, [])` that found the key is nobody's (freed).
   */
  private afterListStore(n: IRNode, out: string, args: string[]): void {
    const at = this.listStores.has(n.name) ? 2 : this.dictStores.has(n.name) ? storedArg(this.f, n) : undefined;
    const list = at === undefined ? undefined : n.args[at];
    if (!list || !isRef(list)) return;
    if (this.dictStores.has(n.name) && factsOf(this.f, n).dictValues === 'add') this.emit(`if (${out} != ${args[at!]}) kr_list_free(${args[at!]}, 0);`, n);
    if (this.plan.listFrees[list.ref] !== undefined) this.emit(`${cIdent(list.ref)} = NULL;`, n);
  }

  /** What a `stmts` lowering of node `n` emits its errors and checks with. */
  private stmtsContext(n: IRNode) {
    const line = n.span.line;
    return {
      try: (e: string) => this.tryC(e, line),
      raise: (kind: string, message: string) => this.failWith(`kr_raise(${errorKindC(kind)}, ${message})`, line),
      propagate: () => this.failWith('', line),
      rebound: this.rebound,
      borrowed: this.borrowed.has(n.name),
      moved: n.target === 'kiln.setattr' && this.life.moves[this.keys.get(n)!] !== undefined,
      takenOver: n.target === 'kiln.setattr' && this.takenOver.has(this.keys.get(n)!),
      freesOldList: this.listStores.has(n.name),
      latin1: this.latin1,
      appendBuilders: this.appendBuilders,
      boundscheck: this.f.boundscheck !== false,
      inBounds: this.inBounds(n),
      convertValue: (e: string, from: KType, to: KType) => (to.kind === 'funcset' && from.kind === 'func' ? this.fv!.convert(e, from, to) : e),
      support: (name: string, lines: () => string[]) => { if (this.support && !this.support.has(name)) this.support.set(name, lines()); },
    };
  }

  /** The root of a fused element-wise tree: one loop over the tree's leaves (types/ops/common_arrays.ts, fusedElementwise). */
  private fusedLoop(n: IRNode, root: FusedNode) {
    const byName = new Map<string, IRNode>();
    walk(this.f.ir.nodes, (m) => { if (m.op === 'call_function') byName.set(m.name, m); });
    const leafC: string[] = [], leafTypes: KType[] = [];
    const build = (t: FusedNode): FusedKernelTree => {
      const node = byName.get(t.name)!;
      const r = this.f.resolved.get(t.name)!;
      const kernel = (r.lower as { elementwise: ElementwiseKernel }).elementwise;
      return {
        kernel,
        // Arguments past the kernel's operands are options the call left at their defaults (dtype=None, ...).
        operands: t.operands.slice(0, kernel.operands.length).map((sub, i) => {
          if (sub) return { tree: build(sub) };
          const conv = this.convertArg(node.args[i], r.argTypes[i]);
          let c: string;
          if ('expr' in conv) c = conv.expr;
          else { c = this.temp(conv.to); this.try(conv.call(c), n); }
          leafC.push(c);
          leafTypes.push(kernel.operands[i]);
          return { leaf: leafC.length - 1 };
        }),
      };
    };
    const tree = build(root);
    // A unit whose vector math is dispatched (exported x86-64 libraries) runs a chain with a vector-math step as the
    // separate loops: each step is one dispatched call over its array (AVX-512), where the fused loop would call the
    // one-value form per element. Either way the same bits.
    const dispatched: FusedNode[] = [];
    const post = (t: FusedNode) => { for (const o of t.operands) if (o) post(o); dispatched.push(t); };
    post(root);
    const hasVmath = dispatched.some((t) => (this.f.resolved.get(t.name)!.lower as { elementwise: ElementwiseKernel }).elementwise.array);
    if (hasVmath) this.emit('#if !KR_VMATH_DISPATCH', n);
    this.emitFused(n, tree, leafC, leafTypes);
    if (!hasVmath) return;
    this.emit('#else', n);
    for (const t of dispatched) this.opCall(byName.get(t.name)!, this.f.resolved.get(t.name)!);
    this.emit('#endif', n);
  }

  private emitFused(n: IRNode, tree: FusedKernelTree, leafC: string[], leafTypes: KType[]) {
    const cx = this.stmtsContext(n);
    for (const l of fusedElementwise(tree, leafTypes)(leafC, cIdent(n.name), cx)) this.emit(l, n);
  }

  /** A check `arg < 0.0` (math.sqrt's domain) on a value that is never negative (opt/signs.ts): lowered as its plain value. */
  private droppedCheck(n: IRNode): CallCheck | undefined {
    const check = callCheck(resolvedOf(this.f, n));
    const a = check && n.args[check.arg];
    return check?.kind === 'negative' && !!a && isRef(a) && this.nonNegative.has(a.ref) ? check : undefined;
  }

  /** An argument converted to the type the op takes: an expression, or a call that may raise. */
  private convertArg(a: Arg, want: KType | undefined): { expr: string } | { call: (out: string) => string; to: KType } {
    const from = this.typeOf(a);
    const to = want ?? from;
    // A literal converted at compile time when the conversion is exact (3 -> 3.0).
    if (!isRef(a) && to.kind === 'scalar' && a.const.kind === 'int' && ['float', 'float64'].includes(to.name)) {
      const v = BigInt(a.const.value);
      if (v >= -(2n ** 53n) && v <= 2n ** 53n) return { expr: `${a.const.value}.0` };
    }
    const conv = convert(this.argC(a), from, to);
    return 'expr' in conv ? conv : { call: conv.call, to };
  }

  /** A trunc-index site (opt/truncIndex.ts): int() of a float indexing a 1-D array, with one unsigned test. */
  private truncIndex(n: IRNode, next: IRNode) {
    this.checkUnbound(n);
    const r = this.f.resolved.get(n.name)!;
    const check = callCheck(r)!;
    const c = this.convertArg(n.args[0], r.argTypes[0]) as { expr: string };
    const name = cIdent(n.name);
    const len = `${this.argC(next.args[0])}.shape[0]`;
    this.emit(`${name} = ${check.value([c.expr])};`, n);
    // The checks write a temporary: taking the address of the value itself would keep it in memory.
    this.emit(`if (KILN_UNLIKELY((uint64_t)${name} >= (uint64_t)${len})) { int64_t kiln_k; ${this.tryC(r.lower.kind === 'call' ? r.lower.emit([c.expr], 'kiln_k') : '', n.span.line)} ${this.tryC(`kr_array_index(kiln_k, ${len}, 0, &kiln_k)`, next.span.line)} ${name} = kiln_k; }`, n);
  }

  /** A deferred run (opt/deferral.ts): its checks OR their tests into one flag, tested once at the end. */
  private emitDeferred(nodes: IRNode[], run: DeferredRun) {
    if (nodes.some((m, i) => this.keys.get(m) !== run.nodes[i])) throw new Error(`internal: the deferred run at ${run.nodes[0]} does not match the IR`);
    const flag = `kiln_zf${this.deferCount++}`;
    this.extraDecls.push(`  uint32_t ${flag};`);
    this.emit(`${flag} = 0;`, nodes[0]);
    const bits = new Map(run.checks.map((c) => [c.node, c]));
    const checks: { n: IRNode; recheck: string; test: string; bit?: number }[] = [];
    for (const n of nodes) {
      const planned = bits.get(this.keys.get(n)!);
      if (!planned) {
        this.node(n);
        continue;
      }
      const r = this.f.resolved.get(n.name)!;
      const check = callCheck(r)!;
      const args = n.args.map((a, i) => (this.convertArg(a, r.argTypes[i]) as { expr: string }).expr);
      // The failing test, and the same call with arguments that fail it (it raises the op's own exception).
      const test = `${args[check.arg]} ${check.kind === 'zero' ? '== 0.0' : '< 0.0'}`;
      const failing = args.map((_, i) => (i !== check.arg ? '1.0' : check.kind === 'zero' ? '0.0' : '-1.0'));
      const recheck = r.lower.kind === 'call' ? r.lower.emit(failing, 'kiln_x') : '';
      this.emit(`${cIdent(n.name)} = ${check.value(args)}; ${flag} |= (uint32_t)(${test})${planned.bit ? ` << ${planned.bit}` : ''};`, n);
      checks.push({ n, recheck, test, bit: planned.bit });
    }
    this.emit(`if (KILN_UNLIKELY(${flag})) {`);
    this.nested(() => {
      this.emit('double kiln_x;');
      for (const c of checks) {
        const failed = c.bit ? `${flag} & (UINT32_C(1) << ${c.bit})` : c.test;
        this.emit(`if (${failed}) ${this.tryC(c.recheck, c.n.span.line)}`);
      }
    });
    this.emit('}');
  }

  /**
   * Two lanes (opt/twoLanes.ts): `for i in range(a, b): P; while T: W; S` with two iterations side by side.
   * The second lane's locals live in `kiln_l<id>_*` and are brought into scope under their own names in a block
   * around each of its steps; the last lane's values are copied back, so the loop leaves its locals as CPython
   * does. Both whiles step together while both tests pass; then the first finishes alone and runs S, then the
   * second. An odd last iteration runs the plain body.
   */
  private twoLanes(n: IRNode, id: number, start: string, stop: string) {
    const lanes = this.plan.lanes[n.name];
    const body = n.regions![0].nodes;
    const w = this.byKey.get(lanes.while)!;
    const at = body.indexOf(w);
    const [pre, post] = [body.slice(0, at), body.slice(at + 1)];
    const [test, wbody] = w.regions!;
    const lane = lanes.lane;
    const temps: IRNode[] = [];
    walk(body, (m) => { if ((m.op === 'call_function' || m.op === 'constant') && m.type && m.type.kind !== 'none') temps.push(m); });
    const v = cIdent(n.target);
    const state = (x: string) => `kiln_l${id}_${cIdent(x)}`;
    for (const x of [n.target, ...lane]) this.extraDecls.push(`  ${cType(this.f.varTypes[x])} ${state(x)} = ${zero(this.f.varTypes[x])};`);
    const second = (emit: () => void) => {
      this.emit('{');
      this.nested(() => {
        for (const x of [n.target, ...lane]) this.emit(`${cType(this.f.varTypes[x])} ${cIdent(x)} = ${state(x)};`);
        for (const t of temps) this.emit(`${cType(t.type!)} ${cIdent(t.name)};`);
        emit();
        for (const x of [n.target, ...lane]) this.emit(`${state(x)} = ${cIdent(x)};`);
      });
      this.emit('}');
    };
    const cond = () => truthExpr(this.argC(w.args[0]), this.typeOf(w.args[0]));
    const i = `kiln_i${id}`, e = `kiln_stop${id}`, ga = `kiln_ga${id}`, gb = `kiln_gb${id}`;
    this.emit(`{`, n);
    this.nested(() => {
      this.emit(`int64_t ${i} = ${start}, ${e} = ${stop};`);
      this.emit(`for (; ${i} < ${e} && ${i} < ${e} - 1; ${i} += 2) {`);
      this.nested(() => {
        this.emit(`bool ${ga}, ${gb};`);
        this.emit(`${v} = ${this.loopVar(n, i)};`);
        this.block(pre);
        second(() => { this.emit(`${v} = ${this.loopVar(n, `${i} + 1`)};`); this.block(pre); });
        this.emit('for (;;) {', w);
        this.nested(() => {
          this.block(test.nodes);
          this.emit(`${ga} = ${cond()};`);
          second(() => { this.block(test.nodes); this.emit(`${gb} = ${cond()};`); });
          this.emit(`if (!${ga} || !${gb}) break;`);
          this.block(wbody.nodes);
          second(() => this.block(wbody.nodes));
        });
        this.emit('}');
        const finish = () => {
          this.emit('for (;;) {');
          this.nested(() => {
            this.block(wbody.nodes);
            this.block(test.nodes);
            this.emit(`if (!${cond()}) break;`);
          });
          this.emit('}');
        };
        // The first lane finishes and runs S before the second finishes: if S raises, CPython never reached the
        // second iteration (which might not even end).
        this.emit(`if (${ga}) {`);
        this.nested(finish);
        this.emit('}');
        this.block(post);
        second(() => {
          this.emit(`if (${gb}) {`);
          this.nested(finish);
          this.emit('}');
          this.block(post);
        });
        for (const x of [n.target, ...lane]) this.emit(`${cIdent(x)} = ${state(x)};`);
      });
      this.emit('}');
      this.emit(`for (; ${i} < ${e}; ${i}++) {`);
      this.nested(() => {
        this.emit(`${v} = ${this.loopVar(n, i)};`);
        this.block(body);
      });
      this.emit('}');
    });
    this.emit('}');
  }

  /**
   * A loop whose only use of some str variables is `s += t` (opt/appendLoops.ts): a kr_sb builder per variable
   * (kiln_str.h) is opened before the loop and closed after it, and the appends go through it. The variable's
   * length is stale while the builder is open, so the C of the loop must not name the variable elsewhere: if it
   * does (a path of the emitter that did not take the append as the op alone), the loop is emitted again without
   * builders.
   */
  private appendLoop(n: IRNode, emitLoop: () => void) {
    const vars = (this.plan.appendLoops[n.name] ?? []).map((v) => this.local(v)).filter((v) => !this.appendBuilders.has(v));
    if (!vars.length) return emitLoop();
    const start = this.lines.length, lastLine = this.lastLine;
    const builders = vars.map((v) => [v, `kiln_sb${this.labelCount++}`] as const);
    this.emit(`{ ${builders.map(([v, b]) => `kr_sb ${b} = kr_sb_open(${v});`).join(' ')}`, n);
    const first = this.lines.length;
    this.nested(() => {
      for (const [v, b] of builders) this.appendBuilders.set(v, b);
      emitLoop();
      for (const [v] of builders) this.appendBuilders.delete(v);
    });
    const named = (v: string) => new RegExp(`(?<![\\w.>])${v.replace(/[^\w]/g, '\\$&')}(?!\\w)`);
    const stray = builders.some(([v, b]) => this.lines.slice(first).some((l) => named(v).test(
      l.text.replace(/\/\*.*?\*\//g, '').replaceAll(`(&${b}, &${v},`, ''))));
    if (stray) {
      this.lines.length = start;
      this.lastLine = lastLine;
      return emitLoop();
    }
    this.nested(() => this.emit(builders.map(([v, b]) => `kr_sb_close(${b}, ${v});`).join(' ')));
    this.emit('}');
  }

  /**
   * `for c in s` over a str: when the string holds one byte per character (kind 1: ASCII and Latin-1 text, the
   * common case), a copy of the loop reads its units directly (LowerContext.latin1) instead of testing the kind
   * for each character; other strings run the plain loop.
   */
  private forRange(n: IRNode) {
    const { tested, known } = this.latin1Candidates(n);
    const strs = tested.filter((v) => !this.latin1.has(v));
    const literals = known.filter((v) => !this.latin1.has(v));
    const latin1Loop = () => {
      for (const v of [...strs, ...literals]) this.latin1.add(v);
      this.forRangeLoop(n);
      for (const v of [...strs, ...literals]) this.latin1.delete(v);
    };
    if (!strs.length) return literals.length ? latin1Loop() : this.forRangeLoop(n);
    this.emit(`if (${strs.map((v) => `${v}->kind == 1`).join(' && ')}) { /* one byte per character: units are read directly */`, n);
    this.nested(latin1Loop);
    this.emit('} else {');
    this.nested(() => this.forRangeLoop(n));
    this.emit('}');
  }

  /**
   * The strings a loop reads characters of (`for c in s`, `s[i]`), when the loop body never rebinds them (C names):
   * `tested`, variables set before the loop, whose kind a test before it reads; `known`, str constants the body
   * loads (a module-level `DIGITS`), one byte per character by their value (no test: they are set inside the loop,
   * so a test before it would read them unset).
   */
  private latin1Candidates(n: IRNode): { tested: string[]; known: string[] } {
    const read = new Set<string>();
    const assigned = new Set<string>();
    // A value (not a variable) defined inside the loop changes each iteration: only locals and values from before it,
    // and constants whose text is known here.
    const inside = new Set<string>();
    const latin1Constants = new Set<string>();
    walk(n.regions![0].nodes, (m) => {
      if (m.op === 'assign') return void assigned.add(m.target);
      inside.add(m.name);
      if (m.op === 'call_function' && (m.target === 'kiln.iter_item' || m.target === '_operator.getitem') && m.type?.kind === 'char'
          && m.argTypes?.[0]?.kind === 'str' && isRef(m.args[0])) read.add(m.args[0].ref);
      const c = m.op === 'constant' && m.args.length && !isRef(m.args[0]) ? m.args[0].const : undefined;
      if (c?.kind === 'str' && [...c.value].every((ch) => ch.codePointAt(0)! < 256)) latin1Constants.add(m.name);
    });
    const candidates = [...read].filter((v) => !assigned.has(v));
    return {
      tested: candidates.filter((v) => !inside.has(v)).map(cIdent),
      known: candidates.filter((v) => latin1Constants.has(v)).map(cIdent),
    };
  }

  private forRangeLoop(n: IRNode) {
    const [body, orelse] = n.regions!;
    const id = this.labelCount++;
    const v = this.local(n.target);
    const [start, stop, step] = n.args.map((a) => {
      const t = this.typeOf(a);
      const c = this.argC(a);
      return t.kind === 'scalar' && t.name === 'int' ? c : `((int64_t)(${c}))`;
    });
    const label = orelse.nodes.length ? `kiln_for${id}_break` : '';
    this.loopLabels.push(label);
    const flag = this.flagged.has(n.target) ? ` ${v}_bound = 1;` : '';
    const stepConst = constantStep(n);
    const versioned = this.plan.versioned[n.name];
    if (versioned) {
      // Loop versioning: when a test before the loop proves every listed index in bounds for every
      // iteration, a copy of the loop without those checks runs; otherwise the checked loop runs, and
      // raises IndexError at the same iteration CPython would.
      const first = `kiln_b${id}`, last = `(kiln_e${id} - 1)`;
      this.emit(`{`, n);
      this.nested(() => {
        this.emit(`int64_t kiln_b${id} = ${start}, kiln_e${id} = ${stop};`);
        const conds = [...new Set(versioned.flatMap((c) => this.inBoundsTest(c, first, last)))];
        this.emit(`if (kiln_b${id} >= kiln_e${id} || (${conds.join(' && ')})) {`);
        this.nested(() => {
          this.unchecked = { loop: n.name, checks: versioned, noOverflow: new Set(versioned.flatMap((c) => opNodes(c.expr))) };
          this.emit(`for (int64_t kiln_i${id} = kiln_b${id}; kiln_i${id} < kiln_e${id}; kiln_i${id}++) {`);
          this.nested(() => {
            this.emit(`${v} = ${this.loopVar(n, `kiln_i${id}`)};${flag}`);
            this.block(body.nodes);
          });
          this.emit('}');
          this.unchecked = undefined;
        });
        this.emit('} else {');
        this.nested(() => {
          this.emit(`for (int64_t kiln_i${id} = kiln_b${id}; kiln_i${id} < kiln_e${id}; kiln_i${id}++) {`);
          this.nested(() => {
            this.emit(`${v} = ${this.loopVar(n, `kiln_i${id}`)};${flag}`);
            this.block(body.nodes);
          });
          this.emit('}');
        });
        this.emit('}');
      });
      this.emit('}');
    } else if (this.plan.lanes[n.name]) {
      this.twoLanes(n, id, start, stop);
    } else if (stepConst === 1n) {
      this.emit(`for (int64_t kiln_i${id} = ${start}, kiln_stop${id} = ${stop}; kiln_i${id} < kiln_stop${id}; kiln_i${id}++) {`, n);
      this.nested(() => {
        this.emit(`${v} = ${this.loopVar(n, `kiln_i${id}`)};${flag}`);
        this.block(body.nodes);
      });
      this.emit('}');
    } else {
      if (stepConst === 0n || stepConst === undefined) {
        this.emit(`if (KILN_UNLIKELY(${step} == 0)) ${this.failWith('kr_raise(KILN_ValueError, "range() arg 3 must not be zero")', n.span.line)}`, n);
      }
      this.emit(`{`, n);
      this.nested(() => {
        this.emit(`int64_t kiln_start${id} = ${start}, kiln_stop${id} = ${stop}, kiln_step${id} = ${step};`);
        this.emit(`uint64_t kiln_n${id} = kiln_step${id} > 0`);
        this.emit(`  ? (kiln_start${id} < kiln_stop${id} ? ((uint64_t)kiln_stop${id} - (uint64_t)kiln_start${id} - 1) / (uint64_t)kiln_step${id} + 1 : 0)`);
        this.emit(`  : (kiln_start${id} > kiln_stop${id} ? ((uint64_t)kiln_start${id} - (uint64_t)kiln_stop${id} - 1) / (0 - (uint64_t)kiln_step${id}) + 1 : 0);`);
        this.emit(`uint64_t kiln_v${id} = (uint64_t)kiln_start${id};`);
        this.emit(`for (uint64_t kiln_k${id} = 0; kiln_k${id} < kiln_n${id}; kiln_k${id}++, kiln_v${id} += (uint64_t)kiln_step${id}) {`);
        this.nested(() => {
          this.emit(`${v} = ${this.loopVar(n, `(int64_t)kiln_v${id}`)};${flag}`);
          this.block(body.nodes);
        });
        this.emit('}');
      });
      this.emit('}');
    }
    this.loopLabels.pop();
    if (orelse.nodes.length) {
      this.block(orelse.nodes);
      this.emit(`${label}:;`);
    }
  }

  /** A C condition: the check's index is in bounds (and computed without overflow) for j = first and j = last. */
  private inBoundsTest(c: HoistCheck, first: string, last: string): string[] {
    const conds: string[] = [];
    const value = (e: AffineExpr, jv: string): string => {
      if (e.kind === 'j') return jv;
      if (e.kind === 'inv') return this.argC(e.arg);
      const x = value(e.a, jv);
      const y = value(e.b, jv);
      const t = this.temp(T.int);
      conds.push(`!__builtin_${e.op}_overflow(${x}, ${y}, &${t})`);
      return t;
    };
    const n = `${cIdent(c.array)}.shape[${c.dim}]`;
    if (hasJ(c.expr)) {
      const lo = value(c.expr, first);
      const hi = value(c.expr, last);
      conds.push(`${lo} >= 0`, `${hi} < ${n}`);
    } else {
      const v = value(c.expr, first);
      conds.push(`${v} >= 0`, `${v} < ${n}`);
    }
    return conds;
  }

  private whileLoop(n: IRNode) {
    const [test, body, orelse] = n.regions!;
    const id = this.labelCount++;
    const label = orelse.nodes.length ? `kiln_while${id}_break` : '';
    this.emit('for (;;) {', n);
    this.loopLabels.push(label);
    this.nested(() => {
      this.block(test.nodes);
      const cond = truthExpr(this.argC(n.args[0]), this.typeOf(n.args[0]));
      if (label) this.emit(`if (!${cond}) goto kiln_while${id}_else;`, n);
      else this.emit(`if (!${cond}) break;`, n);
      this.block(body.nodes);
    });
    this.loopLabels.pop();
    this.emit('}');
    if (label) {
      this.emit(`kiln_while${id}_else:;`);
      this.block(orelse.nodes);
      this.emit(`${label}:;`);
    }
  }
}

/** The C literal of a constant item of a static list. */
function literalC(x: PyLiteral, t: KType): string {
  if (typeof x === 'boolean') return x ? 'true' : 'false';
  const v = x as { _t: string; dec?: string; hex?: string; repr?: string };
  if (v._t === 'int') return cLiteral({ kind: 'int', value: v.dec! }, t);
  if (v._t === 'float') return cLiteral({ kind: 'float', hex: v.hex!, repr: v.repr! }, t);
  throw new Error(`internal: ${JSON.stringify(x)} in a static list`);
}

/** A list of lists (or a tuple holding one): the unit's header declares the ABI's nested list structs. */
const nestedList = (t: KType): boolean => (t.kind === 'list' && t.item.kind === 'list') || (t.kind === 'tuple' && t.items.some(nestedList));

/** A type that holds a cell (a closure sharing a variable by reference). */
function holdsCell(t: KType): boolean {
  if (t.kind === 'cell') return true;
  if (t.kind === 'func') return t.env.some(holdsCell);
  if (t.kind === 'funcset' || t.kind === 'tuple' || t.kind === 'record') return (t.kind === 'funcset' ? t.members : t.items).some(holdsCell);
  return false;
}

/** The C name of parameter i: itself, or `<name>_arg` when the Python parameter is a local of a wider (union) type. */
function paramCName(f: TypedFunction, i: number): string {
  const p = f.ir.params[i];
  const local = f.varTypes[p.name];
  return local && (local.kind === 'union') && !sameType(local, f.paramTypes[i]) ? `${cIdent(p.name)}_arg` : cIdent(p.name);
}

/**
 * An `__init__` of a value class (opt/valueStructs.ts): it fills the struct its caller just made, so its `self` is
 * a pointer to it (its other methods take the struct by value).
 */
function fillsValueStruct(f: TypedFunction): boolean {
  return f.ir.name.endsWith('.__init__') && isValueInstance(f.paramTypes[0]);
}

function zero(t: KType): string {
  if (isValueInstance(t)) return '{0}';
  if (t.kind === 'union' && !(isNicheOptional(t) && !t.members.some((m) => m.kind === 'array'))) return `{0}`;
  if ((t.kind === 'tuple' && t.items.length) || t.kind === 'array' || t.kind === 'slice' || t.kind === 'range' || t.kind === 'complex' || t.kind === 'funcset' || (t.kind === 'func' && t.env.length) || (t.kind === 'record' && t.items.length)) return `{0}`;
  return '0';
}

/**
 * The struct declarations of a program with funcsets: tuples and funcsets in the order C needs (a struct after
 * every struct it holds by value), then the funcsets' tables.
 */
/** The C struct name of a by-value compound: a tuple (or a closure's environment), a union, a funcset. */
function structName(t: KType): string {
  return t.kind === 'funcset' ? funcsetName(t) : t.kind === 'union' ? unionStructName(t) : tupleStructName(t as KType & { kind: 'tuple' });
}

function typeDeclarations(tuples: KType[], fv: FunctionValues, tupleDecl: (t: KType) => string, declared: Set<string>): string[] {
  const out: string[] = [...fv.forwardDeclarations()];
  const done = new Set<string>(declared);
  const byValue = (t: KType): KType[] => {
    if (t.kind === 'tuple') return [t];
    if (t.kind === 'func' && t.env.length) return [T.tuple(t.env)];
    if (t.kind === 'record' && t.items.length) return [T.tuple(t.items)];
    if (t.kind === 'funcset') return [t];
    return [];
  };
  const visit = (t: KType) => {
    const name = structName(t);
    if (done.has(name)) return;
    done.add(name);
    if (t.kind === 'union') out.push(tupleDecl(t));
    else if (t.kind === 'tuple') {
      for (const it of t.items) byValue(it).forEach(visit);
      out.push(tupleDecl(t));
    } else {
      fv.structDependencies(name).forEach(visit);
      out.push(fv.structDefinition(name));
    }
  };
  for (const t of tuples) visit(t);
  for (const name of fv.names()) visit(fv.typeNamed(name));
  out.push(...fv.tableDeclarations());
  return out;
}
