/**
 * The traces of one module's functions, as the pipeline and the module graph keep them for typecheck
 * (ProgramLinks.getIR): a module-level function is traced once, with every def and lambda nested in it.
 *
 * The tracer knows no types, so it reads an iterable it cannot see as a dict or set (`for v in g[u]`, `sum(self.members)`)
 * as a sequence, marking the reads with the iterable's key (IRNode.iterable); and it reads the length of the lists a
 * loop iterates once, before the loop, marking the loop with its key (IRNode.lengthOnce). Where typecheck finds a dict
 * or set there, or the analysis of the typed program (opt/writes.ts lengthChanges) a loop body that may change the
 * length of its list, it asks for the function again with those keys (traceAgain): the new trace reads the iterables
 * with the runtime's iterator (ir/trace.ts containerIterable) and the lengths at every step (loopOverPlan), and
 * the program is typed again. Only a program that has such an iterable or loop is traced and typed twice.
 */
import type { PyModule } from '../frontend/ast.ts';
import type { NameScope } from '../project/scope.ts';
import type { IRFunction, TraceAgain } from './ir.ts';
import { assertLinted } from './lint.ts';
import { traceWithNested } from './trace.ts';

export class ModuleTraces {
  private readonly traced = new Map<string, IRFunction>();
  /** By module-level function: what its trace reads otherwise (the keys of TraceAgain). */
  private readonly again = new Map<string, { containers: Set<string>; lengths: Set<string> }>();

  constructor(private readonly mod: PyModule, private readonly names?: NameScope) {}

  /** The trace of `name`: a module-level function (`f`, `Cls.method`) or a function nested in one (`f.<lambda:3:9>`). */
  get(name: string): IRFunction {
    let ir = this.traced.get(name);
    if (!ir) {
      const outer = this.outerOf(name);
      if (!outer) throw new Error(`internal: no function ${name} in ${this.mod.file}`);
      for (const f of traceWithNested(this.mod, outer, this.names, this.again.get(outer))) {
        if (this.traced.has(f.name)) continue;
        if (process.env.KILN_LINT === '1') assertLinted(f, 'trace');
        this.traced.set(f.name, f);
      }
      ir = this.traced.get(name);
      if (!ir) throw new Error(`internal: no function ${name} in ${this.mod.file}`);
    }
    return ir;
  }

  /**
   * Reads the iterables of `found.containers` as containers and the loops of `found.lengths` with the lengths read at
   * every step in the next trace of the function `ir` is part of (its module-level function, with everything nested
   * in it). True when get() now gives another trace than `ir`: a key its trace did not read so, or `ir` an older trace.
   */
  traceAgain(ir: IRFunction, found: Partial<Record<keyof TraceAgain, Iterable<string>>>): boolean {
    const outer = this.outerOf(ir.name);
    if (!outer) return false;
    let marked = this.again.get(outer);
    if (!marked) this.again.set(outer, (marked = { containers: new Set(), lengths: new Set() }));
    const before = marked.containers.size + marked.lengths.size;
    for (const k of found.containers ?? []) marked.containers.add(k);
    for (const k of found.lengths ?? []) marked.lengths.add(k);
    if (marked.containers.size + marked.lengths.size === before) return this.traced.get(ir.name) !== ir;
    for (const name of [...this.traced.keys()]) if (name === outer || name.startsWith(`${outer}.`)) this.traced.delete(name);
    return true;
  }

  /** The module-level function `name` is or is nested in (methods are `Cls.method`; nested functions add `.inner`). */
  private outerOf(name: string): string | undefined {
    const parts = name.split('.');
    for (let k = parts.length; k > 0; k--) {
      const outer = parts.slice(0, k).join('.');
      if (this.mod.functions.some((f) => f.name === outer)) return outer;
    }
    return undefined;
  }
}
