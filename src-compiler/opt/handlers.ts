/**
 * Handler regions (try/except/finally, lower/c_exceptions.ts): an error raised in a try body jumps to its except
 * clauses, which then see every assignment the body made before the error, in program order. Passes that move an
 * error check after later work (deferral: one test at the end of a run), or that run iterations or calls side by
 * side (twoLanes, tailSum), are exact only when an error leaves the function; they keep off a function that catches.
 */
import { walkNodes, type IRNode } from '../ir/ir.ts';

/** Whether the function has a try statement. */
export function catches(nodes: IRNode[]): boolean {
  let found = false;
  walkNodes(nodes, (n) => { if (n.op === 'try') found = true; });
  return found;
}
