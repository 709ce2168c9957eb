// Test support: asserts that two KconfigModels are the same object graph (same values, same lists in the same
// order, and shared objects shared the same way; empty lists may be shared), for model-serialize's round trip.
import { strict as assert } from 'node:assert';
import type { KconfigModel } from './model.ts';

/** Walks `a` and `b` side by side (iteratively: menu trees are deep) and fails at the first difference. */
export function assertSameModel(a: KconfigModel, b: KconfigModel): void {
  const seen = new Map<object, object>();
  const work: [unknown, unknown, string][] = [[a, b, 'model']];
  const keysOf = (o: object) => Object.keys(o).sort();
  while (work.length > 0) {
    const [x, y, path] = work.pop()!;
    if (x === null || typeof x !== 'object') {
      assert.strictEqual(y, x, path);
      continue;
    }
    assert.ok(y !== null && typeof y === 'object', `${path}: object expected`);
    // empty lists are values: a deserialized model shares one empty array
    if (Array.isArray(x) && x.length === 0) {
      assert.ok(Array.isArray(y) && y.length === 0, `${path}: empty array expected`);
      continue;
    }
    const known = seen.get(x);
    if (known !== undefined) {
      assert.ok(known === y, `${path}: shared differently`);
      continue;
    }
    seen.set(x, y);
    if (ArrayBuffer.isView(x)) {
      assert.deepStrictEqual(Array.from(y as unknown as ArrayLike<number>), Array.from(x as unknown as ArrayLike<number>), path);
      continue;
    }
    if (x instanceof Map) {
      assert.ok(y instanceof Map, `${path}: Map expected`);
      assert.deepStrictEqual([...y.keys()], [...x.keys()], `${path}: keys`);
      for (const [k, v] of x) work.push([v, y.get(k), `${path}.get(${String(k)})`]);
      continue;
    }
    if (Array.isArray(x)) {
      assert.ok(Array.isArray(y), `${path}: array expected`);
      assert.strictEqual(y.length, x.length, `${path}.length`);
      for (let i = x.length - 1; i >= 0; i--) work.push([x[i], y[i], `${path}[${i}]`]);
      continue;
    }
    const kx = keysOf(x).filter((k) => k !== 'lastChild' && k !== 'created');
    const ky = keysOf(y).filter((k) => k !== 'lastChild' && k !== 'created');
    assert.deepStrictEqual(ky, kx, `${path}: fields`);
    for (const k of kx) work.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`]);
  }
}
