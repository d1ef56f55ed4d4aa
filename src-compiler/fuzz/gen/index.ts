/**
 * The feature modules and the shape of one generated program. A feature is a module next to the others
 * (scalars.ts, lists.ts; strings, dicts, classes, exceptions and generators later), registered here once.
 * Program `index` of `seed` is drawn from its own random stream, so it can be regenerated alone.
 */
import { programRng } from '../prng.ts';
import type { FuncDef, Param, Program, Ty } from '../ast.ts';
import { annotationOf, Gen, type Feature, type GenOptions, type HelperSig } from './core.ts';
import { constantValue, recursiveHelper, scalarHelper, scalars } from './scalars.ts';
import { lists } from './lists.ts';
import { strings } from './strings.ts';
import { dicts } from './dicts.ts';

export const FEATURES: Feature[] = [scalars, lists, strings, dicts];

export const DEFAULT_MIXED_RATE = 0.3;

/** The features named (comma-separated or a list); scalars are always in, the others build on them. */
export function resolveFeatures(names: string[]): Feature[] {
  const unknown = names.filter((n) => !FEATURES.some((f) => f.name === n));
  if (unknown.length) throw new Error(`unknown fuzz feature${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${FEATURES.map((f) => f.name).join(', ')})`);
  return FEATURES.filter((f) => f.name === 'scalars' || names.includes(f.name));
}

export function generateProgram(seed: number, index: number, featureNames: string[], opts: GenOptions = {}): Program {
  const rng = programRng(seed, index);
  const features = resolveFeatures(featureNames);
  const mixed = rng.chance(opts.mixedRate ?? DEFAULT_MIXED_RATE);
  const name = `p${index}`;
  const g = new Gen(rng, features, mixed, name);
  // Module constants, read by the functions (Kiln computes them where they are read).
  const constants: Program['constants'] = [];
  const nConstants = rng.weighted<number>([[0, 6], [1, 2], [2, 1], [3, 0.5]]);
  for (let k = 0; k < nConstants; k++) {
    const ty = rng.chance(0.6) ? 'int' : 'float';
    const c = { name: `${name}_k${k}`, value: constantValue(g, ty) };
    constants.push(c);
    g.constants.push({ name: c.name, ty, readonly: true });
  }
  const helpers: FuncDef[] = [];
  const add = (h: { def: FuncDef; sig: HelperSig }) => {
    helpers.push(h.def);
    g.helpers.push(h.sig);
  };
  const nHelpers = rng.weighted<number>([[0, 4], [1, 3], [2, 1.5]]);
  for (let k = 0; k < nHelpers; k++) add(scalarHelper(g, `${name}_h${k}`));
  if (rng.chance(0.15)) add(recursiveHelper(g, `${name}_r`));

  const paramTypes = features.flatMap((f) => f.paramTypes);
  const nParams = rng.weighted<number>([[1, 3], [2, 4], [3, 2]]);
  const params: Param[] = Array.from({ length: nParams }, (_, i) => {
    const ty = rng.weighted(paramTypes);
    return { name: 'abc'[i], ty, annotation: annotationOf(ty) };
  });
  const ret = returnType(g, params);
  g.current = name;
  const body = g.functionBody(params, ret, rng.int(3, 10));
  const entry: FuncDef = { name, params, returns: rng.chance(0.7) ? annotationOf(ret) : undefined, body };
  const usedFeatures = features.filter((f) => g.used.has(f.name) || params.some((p) => f.paramTypes.some(([t]) => annotationOf(t) === p.annotation)));
  return {
    name, seed, index, features: usedFeatures.map((f) => f.name), constants, helpers, entry,
    imports: [...new Set(usedFeatures.flatMap((f) => f.imports ?? []))],
  };
}

function returnType(g: Gen, params: Param[]): Ty {
  const r = g.rng;
  const seqParams = params.filter((p) => typeof p.ty === 'object' && !('tuple' in p.ty));
  const options: [Ty, number][] = [['int', 4], ['float', 4], ['bool', 1.5], [{ tuple: ['int', 'float'] }, 0.4], [{ tuple: ['float', 'bool', 'int'] }, 0.2]];
  // A sequence-typed program sometimes returns a list or an array.
  for (const p of seqParams) options.push([p.ty, 0.8]);
  for (const f of g.features) options.push(...(f.returnTypes ?? []));
  if (g.mixed) options.push(['num', 2]);
  return r.weighted(options);
}
