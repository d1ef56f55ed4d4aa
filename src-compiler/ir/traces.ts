/**
 * The traces of one module's functions, as the pipeline and the module graph keep them for typecheck
 * (ProgramLinks.getIR): a module-level function is traced once, with every def and lambda nested in it.
 *
 * The tracer knows no types, so it reads an iterable it cannot see as a dict or set (`for v in g[u]`, `sum(self.members)`)
 * as a sequence, marking the reads with the iterable's key (IRNode.iterable). Where typecheck finds a dict or set
 * there, it asks for the function again with those keys (readAsContainers): the new trace reads them with the
 * runtime's iterator (ir/trace.ts containerIterable), and typecheck types the program again. Only a program that has
 * such an iterable is traced and typed twice.
 */
import type { PyModule } from '../frontend/ast.ts';
import type { NameScope } from '../project/scope.ts';
import type { IRFunction } from './ir.ts';
import { assertLinted } from './lint.ts';
import { traceWithNested } from './trace.ts';

export class ModuleTraces {
  private readonly traced = new Map<string, IRFunction>();
  /** By module-level function: the keys of the iterables its trace reads as containers. */
  private readonly containers = new Map<string, Set<string>>();

  constructor(private readonly mod: PyModule, private readonly names?: NameScope) {}

  /** The trace of `name`: a module-level function (`f`, `Cls.method`) or a function nested in one (`f.<lambda:3:9>`). */
  get(name: string): IRFunction {
    let ir = this.traced.get(name);
    if (!ir) {
      const outer = this.outerOf(name);
      if (!outer) throw new Error(`internal: no function ${name} in ${this.mod.file}`);
      for (const f of traceWithNested(this.mod, outer, this.names, this.containers.get(outer))) {
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
   * Reads the iterables of `keys` as containers in the next trace of the function `ir` is part of (its module-level
   * function, with everything nested in it). True when get() now gives another trace than `ir`: a key its trace did
   * not read as a container, or `ir` an older trace.
   */
  readAsContainers(ir: IRFunction, keys: Iterable<string>): boolean {
    const outer = this.outerOf(ir.name);
    if (!outer) return false;
    let marked = this.containers.get(outer);
    if (!marked) this.containers.set(outer, (marked = new Set()));
    const before = marked.size;
    for (const k of keys) marked.add(k);
    if (marked.size === before) return this.traced.get(ir.name) !== ir;
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
