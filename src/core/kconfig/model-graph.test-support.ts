// Test support: asserts that two KconfigModels are the same object graph (same values, same lists in the same
// order, and shared objects shared the same way; empty lists may be shared), for model-serialize's round trip.
// Plain Errors (core stays free of node: modules).
import type { KconfigModel } from './model.ts';

function fail(path: string, what: string): never {
  throw new Error(`models differ at ${path}: ${what}`);
}

function sameList(x: ArrayLike<unknown>, y: ArrayLike<unknown>, path: string): void {
  if (x.length !== y.length) fail(path, `length ${y.length}, expected ${x.length}`);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) fail(`${path}[${i}]`, `${String(y[i])}, expected ${String(x[i])}`);
}

/** Walks `a` and `b` side by side (iteratively: menu trees are deep) and throws at the first difference. */
export function assertSameModel(a: KconfigModel, b: KconfigModel): void {
  const seen = new Map<object, object>();
  const work: [unknown, unknown, string][] = [[a, b, 'model']];
  const keysOf = (o: object) => Object.keys(o).filter((k) => k !== 'lastChild' && k !== 'created').sort();
  while (work.length > 0) {
    const [x, y, path] = work.pop()!;
    if (x === null || typeof x !== 'object') {
      if (x !== y) fail(path, `${String(y)}, expected ${String(x)}`);
      continue;
    }
    if (y === null || typeof y !== 'object') fail(path, 'object expected');
    // empty lists are values: a deserialized model shares one empty array
    if (Array.isArray(x) && x.length === 0) {
      if (!Array.isArray(y) || y.length !== 0) fail(path, 'empty array expected');
      continue;
    }
    const known = seen.get(x);
    if (known !== undefined) {
      if (known !== y) fail(path, 'shared differently');
      continue;
    }
    seen.set(x, y);
    if (ArrayBuffer.isView(x)) {
      if (!ArrayBuffer.isView(y)) fail(path, 'typed array expected');
      sameList(x as unknown as ArrayLike<number>, y as unknown as ArrayLike<number>, path);
      continue;
    }
    if (x instanceof Map) {
      if (!(y instanceof Map)) fail(path, 'Map expected');
      sameList([...x.keys()], [...y.keys()], `${path}.keys()`);
      for (const [k, v] of x) work.push([v, y.get(k), `${path}.get(${String(k)})`]);
      continue;
    }
    if (Array.isArray(x)) {
      if (!Array.isArray(y)) fail(path, 'array expected');
      if (y.length !== x.length) fail(path, `length ${y.length}, expected ${x.length}`);
      for (let i = x.length - 1; i >= 0; i--) work.push([x[i], y[i], `${path}[${i}]`]);
      continue;
    }
    const kx = keysOf(x);
    sameList(kx, keysOf(y), `${path} fields`);
    for (const k of kx) work.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`]);
  }
}
