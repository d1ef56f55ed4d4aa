/**
 * Union-find over values of any kind (names, IR nodes): classes of values that are the same thing for an analysis
 * (arrays sharing memory in opt/tolerance.ts, definitions reaching the same uses in opt/splitVariables.ts, lists that
 * may be one object in opt/writes.ts). A value never united is its own class.
 */
export class UnionFind<T> {
  private readonly parent = new Map<T, T>();

  /** The representative of `x`'s class. */
  find(x: T): T {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    // Each value on the way now points at the representative.
    for (let y = x; y !== root;) {
      const next = this.parent.get(y)!;
      this.parent.set(y, root);
      y = next;
    }
    return root;
  }

  /** Joins the classes of `a` and `b`; `b`'s representative stays the class's. False when they were one already. */
  union(a: T, b: T): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    this.parent.set(ra, rb);
    return true;
  }
}
