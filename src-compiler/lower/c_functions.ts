/**
 * Function values in C. A def or lambda is a compile-time type: its value is its closure's environment (a tuple
 * struct, or nothing), and a call of it is a direct call of the specialisation with the environment's fields as
 * extra arguments, which the C compiler inlines. A value that may be one of several functions at run time (a
 * funcset: a table of functions indexed at run time, a variable given different functions on different paths)
 * is a small struct `{ vt, env }`: `vt` points at a table of code pointers (one per call shape used in the
 * program; a thunk per function that unpacks its environment and calls it), `env` is a union of the possible
 * environments. Calling it is one indirect call.
 */
import type { KType } from '../types/types.ts';
import { T, cType, funcsetName, sameType, tupleStructName, typeToString } from '../types/types.ts';
import type { TypedFunction, TypedProgram } from '../types/typecheck.ts';
import type { BoundArg, Dispatch } from '../types/calls.ts';
import { walkNodes } from '../ir/ir.ts';

type FuncsetType = KType & { kind: 'funcset' };

interface Slot {
  key: string;
  argTypes: KType[];
  result: KType;
  /** Per member (same order as the funcset's members): the callee's C name, whether it recurses, and its binding. */
  members: { cName: string; recursive: boolean; args: BoundArg[]; paramTypes: KType[]; returns: boolean }[];
}

interface Funcset {
  type: FuncsetType;
  name: string;
  slots: Slot[];
}

/** The funcsets a program uses and the call shapes each is called with. */
export class FunctionValues {
  private readonly sets = new Map<string, Funcset>();

  constructor(program: TypedProgram) {
    const byKey = new Map(program.functions.map((f) => [f.key, f]));
    const note = (t: KType | undefined) => {
      if (!t) return;
      if (t.kind === 'funcset') this.setOf(t);
      if (t.kind === 'tuple') t.items.forEach(note);
      if (t.kind === 'func') t.env.forEach(note);
      if (t.kind === 'cell') note(t.item);
      if (t.kind === 'list') note(t.item);
    };
    for (const f of program.functions) {
      [...f.paramTypes, f.returnType, ...Object.values(f.varTypes)].forEach(note);
      walkNodes(f.ir.nodes, (n) => note(n.type));
      for (const [node, d] of f.dispatch) {
        let fsType: KType | undefined;
        walkNodes(f.ir.nodes, (n) => { if (n.name === node) fsType = n.argTypes?.[0]; });
        const fs = this.setOf(fsType as FuncsetType);
        const call = walkNodesFind(f, node);
        this.slotOf(fs, d, call?.type ?? T.none, byKey);
      }
    }
  }

  get any(): boolean {
    return this.sets.size > 0;
  }

  private setOf(t: FuncsetType): Funcset {
    const name = funcsetName(t);
    let s = this.sets.get(name);
    if (!s) {
      s = { type: t, name, slots: [] };
      this.sets.set(name, s);
    }
    return s;
  }

  private slotOf(fs: Funcset, d: Dispatch, result: KType, byKey: Map<string, TypedFunction>): Slot {
    const key = `${d.argTypes.map(typeToString).join(', ')}${d.shape ? ` ${JSON.stringify(d.shape)}` : ''}`;
    let slot = fs.slots.find((s) => s.key === key);
    if (!slot) {
      slot = {
        key, argTypes: d.argTypes, result,
        members: fs.type.members.map((m) => {
          const b = d.members.find((x) => sameType(x.member, m))!.binding;
          const callee = byKey.get(b.callee)!;
          return { cName: callee.cName, recursive: callee.recursive, args: b.args, paramTypes: callee.paramTypes, returns: callee.returnType.kind !== 'none' };
        }),
      };
      fs.slots.push(slot);
    }
    return slot;
  }

  /** The index of the table entry a dispatched call uses. */
  slotIndex(fsType: KType, d: Dispatch): number {
    const fs = this.sets.get(funcsetName(fsType as FuncsetType))!;
    const key = `${d.argTypes.map(typeToString).join(', ')}${d.shape ? ` ${JSON.stringify(d.shape)}` : ''}`;
    return fs.slots.findIndex((s) => s.key === key);
  }

  /** C converting a value of function type `from` (a member) to the funcset `to`. */
  convert(e: string, from: KType, to: KType): string {
    const fs = this.sets.get(funcsetName(to as FuncsetType))!;
    const k = fs.type.members.findIndex((m) => sameType(m, from));
    if (k < 0) throw new Error(`internal: ${typeToString(from)} is not a member of ${typeToString(to)}`);
    const env = (from as KType & { kind: 'func' }).env;
    return `((${fs.name}){ &${fs.name}_vt_m${k}, { ${env.length ? `.m${k} = ${e}` : '0'} } })`;
  }

  /** Forward declarations: each funcset's struct tag (tuples may hold one by value: they come after its definition). */
  forwardDeclarations(): string[] {
    return [...this.sets.values()].flatMap((s) => [`typedef struct ${s.name} ${s.name};`, `struct ${s.name}_vt;`]);
  }

  /** The struct of one funcset: the table pointer and the union of environments. */
  structDefinition(name: string): string {
    const s = this.sets.get(name)!;
    const members = s.type.members.map((m, k) => ((m as KType & { kind: 'func' }).env.length ? `${tupleStructName(T.tuple((m as KType & { kind: 'func' }).env) as KType & { kind: 'tuple' })} m${k};` : '')).filter(Boolean);
    return `struct ${s.name} { const struct ${s.name}_vt *vt; union { ${members.length ? members.join(' ') : 'int8_t none;'} } env; };`;
  }

  /** The named struct types (tuples, funcsets) a funcset's struct holds by value. */
  structDependencies(name: string): KType[] {
    const s = this.sets.get(name)!;
    return s.type.members.filter((m) => (m as KType & { kind: 'func' }).env.length).map((m) => T.tuple((m as KType & { kind: 'func' }).env));
  }

  names(): string[] {
    return [...this.sets.keys()];
  }

  typeNamed(name: string): KType {
    return this.sets.get(name)!.type;
  }

  /** The tables' types (after every struct: a slot's signature may take any of them by value). */
  tableDeclarations(): string[] {
    return [...this.sets.values()].map((s) => {
      const slots = s.slots.map((slot, i) => `int (*s${i})(${this.slotParams(s, slot).join(', ')});`);
      return `struct ${s.name}_vt { ${slots.length ? slots.join(' ') : 'int8_t unused;'} };`;
    });
  }

  private slotParams(s: Funcset, slot: Slot): string[] {
    const params = [`const ${s.name} *self`, ...slot.argTypes.map((t, i) => `${cType(t)} a${i}`)];
    if (slot.result.kind !== 'none') params.push(`${cType(slot.result)} *out`);
    return params;
  }

  /** The thunks (one per function and table entry) and each function's table. Needs the functions' prototypes. */
  thunksAndTables(): string[] {
    const out: string[] = [];
    for (const s of this.sets.values()) {
      s.type.members.forEach((m, k) => {
        s.slots.forEach((slot, i) => {
          const mem = slot.members[k];
          const args = mem.args.map((b, j) => this.thunkArg(b, mem.paramTypes[j], k, s));
          if (mem.returns) args.push('out');
          if (mem.recursive) args.push('0');
          out.push(`static int ${s.name}_m${k}_s${i}(${this.slotParams(s, slot).join(', ')}) { (void)self; return ${mem.cName}(${args.join(', ')}); }`);
        });
        const entries = s.slots.map((_, i) => `${s.name}_m${k}_s${i}`);
        out.push(`static const struct ${s.name}_vt ${s.name}_vt_m${k} = { ${entries.length ? entries.join(', ') : '0'} };`);
        void m;
      });
    }
    return out;
  }

  /** A C argument of a thunk's call: the thunk's own arguments are a0.. (the call's args after the callee). */
  private thunkArg(b: BoundArg, t: KType, k: number, s: Funcset): string {
    if ('env' in b) return `self->env.m${k}.f${b.env}`;
    if ('fromDict' in b) throw new Error('internal: ** of a dict through a table of functions (typecheck refuses it)');
    if ('arg' in b) return `a${b.arg - 1}${b.item !== undefined ? `.f${b.item}` : ''}`;
    const items = 'tuple' in b ? b.tuple : b.kwargs;
    const types = t.kind === 'tuple' ? t.items : t.kind === 'record' ? t.items : [];
    return items.length ? `((${cType(t)}){ ${items.map((x, j) => this.thunkArg(x, types[j], k, s)).join(', ')} })` : '0';
  }
}

function walkNodesFind(f: TypedFunction, name: string) {
  let found: ReturnType<typeof Object> | undefined;
  walkNodes(f.ir.nodes, (n) => { if (n.name === name) found = n; });
  return found as import('../ir/ir.ts').IRNode | undefined;
}
