// The worklist of Evaluation's change propagation.

/** A binary min-heap of unit numbers (the propagation worklist). */
export class MinHeap {
  private readonly items: number[] = [];

  constructor(initial: readonly number[]) {
    for (const x of initial) this.push(x);
  }

  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= x) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }

  /** The smallest item, or -1 when empty. */
  pop(): number {
    const a = this.items;
    if (a.length === 0) return -1;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r] < a[l] ? r : l;
        if (a[c] >= last) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
