// explainWhy() on small Kconfig trees: one test per source kind (user line, default, select, imply, choice)
// and per limit kind (depends on, prompt visibility, range, MODULES=n), blockers, absent names, depth, repeats.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readDotConfig } from '../dotconfig/read.ts';
import { Evaluation } from './evaluation.ts';
import { buildModel } from './model-build.ts';
import type { KconfigFlavor } from './model.ts';
import { parseKconfig } from './parse-kconfig.ts';
import { MemorySourceHost } from './source-host.ts';
import { explainWhy, type SymbolWhy } from './why.ts';

function evaluate(kconfig: string, config = '', flavor: KconfigFlavor = 'v6.12'): Evaluation {
  const parsed = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: kconfig }), { flavor });
  assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), []);
  const model = buildModel(parsed.value, { flavor }).value;
  return Evaluation.create(model, readDotConfig(model, config, '.config').assignments);
}

function why(kconfig: string, config: string, name: string, depth = 3): SymbolWhy {
  return explainWhy(evaluate(kconfig, config), [name], { depth })[0];
}

const MODULES = 'config MODULES\n\tbool "modules"\n\tmodules\n\tdefault y\n';

test('a user line: the .config file:line, the definition, the menu path', () => {
  const w = why('menu "Top"\nconfig A\n\tbool "A prompt"\nendmenu\n', 'CONFIG_A=y\n', 'A');
  assert.equal(w.value, 'y');
  assert.equal(w.prompt, 'A prompt');
  assert.deepEqual(w.definitions, [{ at: 'Kconfig:2' }]);
  assert.deepEqual(w.location, ['Top']);
  assert.deepEqual(w.set, { kind: 'user', value: 'y', at: '.config:1' });
});

test('a default with its condition and the condition value', () => {
  const w = why('config C\n\tbool "C"\nconfig A\n\tbool\n\tdefault y if C\n', 'CONFIG_C=y\n', 'A');
  assert.equal(w.value, 'y');
  assert.deepEqual(w.set, { kind: 'default', at: 'Kconfig:5', expr: 'y', condition: 'C [=y]', conditionValue: 'y' });
  assert.ok(w.limits!.some((l) => l.kind === 'no-prompt'));
});

test('a default that gives n is named (explain() names no source then)', () => {
  const w = why('config C\n\tbool "C"\nconfig A\n\tbool\n\tdefault C\n', '', 'A');
  assert.equal(w.value, 'n');
  assert.deepEqual(w.set, { kind: 'default', at: 'Kconfig:5', expr: 'C [=n]' });
});

test('select by X with X\'s value, the select line and its if condition; the selector is explained in turn', () => {
  const k = `${MODULES}config COND\n\tbool "cond"\nconfig X\n\ttristate "X"\n\tselect T if COND\nconfig T\n\ttristate\n`;
  const w = why(k, 'CONFIG_COND=y\nCONFIG_X=m\n', 'T');
  assert.equal(w.value, 'm');
  assert.equal(w.set!.kind, 'select');
  const by = w.set!.kind === 'select' ? w.set!.by : [];
  assert.deepEqual(by, [{ name: 'X', value: 'm', term: 'X [=m] && COND [=y]', termValue: 'm', at: 'Kconfig:9', condition: 'COND [=y]' }]);
  assert.deepEqual(w.selectedBy, by);
  assert.deepEqual(w.causes!.map((c) => [c.name, c.set!.kind]), [['X', 'user']]);
});

test('an inactive select is not listed; an active select next to a user value is "also"', () => {
  const k = 'config X\n\tbool "X"\n\tselect T\nconfig Y\n\tbool "Y"\n\tselect T\nconfig T\n\tbool "T"\n';
  const w = why(k, 'CONFIG_X=y\nCONFIG_T=y\n', 'T');
  assert.deepEqual(w.selectedBy!.map((s) => s.name), ['X']);
  // the user value is visible, so explain() names it first; the select holds the value all the same
  assert.equal(w.set!.kind, 'user');
  assert.deepEqual(w.also!.map((s) => s.kind), ['select']);
});

test('imply by X', () => {
  const w = why('config X\n\tbool "X"\n\timply T\nconfig T\n\tbool "T"\n', 'CONFIG_X=y\n', 'T');
  assert.equal(w.value, 'y');
  assert.equal(w.set!.kind, 'imply');
  assert.deepEqual(w.impliedBy!.map((s) => `${s.name}=${s.value}@${s.at}`), ['X=y@Kconfig:3']);
});

test('a choice member: which member the choice selected and how (user line, default)', () => {
  const k = 'choice\n\tprompt "Pick"\n\tdefault B\nconfig A\n\tbool "A"\nconfig B\n\tbool "B"\nendchoice\n';
  const byDefault = why(k, '', 'A');
  assert.equal(byDefault.value, 'n');
  assert.equal(byDefault.set!.kind, 'choice');
  assert.equal(byDefault.set!.kind === 'choice' && byDefault.set!.selected, 'B');
  assert.match(byDefault.set!.kind === 'choice' ? byDefault.set!.how : '', /the choice's default \(Kconfig:3\)/);
  const byUser = why(k, 'CONFIG_A=y\n', 'A');
  assert.equal(byUser.value, 'y');
  assert.match(byUser.set!.kind === 'choice' ? byUser.set!.how : '', /A=y is the user's choice \(\.config:1\)/);
  assert.equal(byUser.blocked, undefined);
});

test('blocked by depends on: the value of every part, the parts that are n, what they need; blockers explained', () => {
  const k = 'config D1\n\tbool "D1"\nconfig D2\n\tbool "D2"\n\tdefault y\nconfig E\n\tbool "E"\n\tdefault y\nconfig A\n\tbool "A"\n\tdepends on D1 && D2 && !E\n';
  const w = why(k, 'CONFIG_A=y\n', 'A');
  assert.equal(w.value, 'n');
  assert.deepEqual(w.limits![0], { kind: 'depends', expr: 'D1 [=n] && D2 [=y] && !E [=y]', value: 'n' });
  assert.equal(w.blocked!.by, 'depends');
  assert.deepEqual(w.blocked!.parts.map((p) => p.needs), ['D1=y', 'E=n']);
  assert.deepEqual(w.causes!.map((c) => c.name), ['D1', 'E']);
  assert.match(w.causes![1].set!.kind === 'default' ? w.causes![1].set!.at : '', /Kconfig:8/);
});

test('blocked by the prompt\'s visibility (prompt … if)', () => {
  const w = why('config V\n\tbool "V"\nconfig A\n\tbool "A" if V\n', 'CONFIG_A=y\n', 'A');
  assert.equal(w.value, 'n');
  assert.equal(w.blocked!.by, 'visibility');
  assert.deepEqual(w.blocked!.parts.map((p) => p.part), ['V [=n]']);
  assert.ok(w.limits!.some((l) => l.kind === 'visibility' && l.value === 'n'));
});

test('a user y capped to m by a dependency is blocked (wanted y)', () => {
  const k = `${MODULES}config M\n\ttristate "M"\nconfig A\n\ttristate "A"\n\tdepends on M\n`;
  const w = why(k, 'CONFIG_M=m\nCONFIG_A=y\n', 'A');
  assert.equal(w.value, 'm');
  assert.equal(w.blocked!.wanted, 'y');
  assert.deepEqual(w.blocked!.parts.map((p) => p.needs), ['M=y']);
});

test('range and MODULES=n limits', () => {
  const ranged = why('config N\n\tint "N"\n\trange 1 10\n\tdefault 5\n', 'CONFIG_N=50\n', 'N');
  assert.equal(ranged.value, '10'); // sym_validate_range() clamps 50 to the upper bound
  assert.ok(ranged.limits!.some((l) => l.kind === 'range' && l.low === '1' && l.high === '10'));
  const k = 'config MODULES\n\tbool "modules"\n\tmodules\nconfig T\n\ttristate "T"\n';
  const nomod = why(k, 'CONFIG_T=m\n', 'T');
  assert.equal(nomod.value, 'y');
  assert.ok(nomod.limits!.some((l) => l.kind === 'modules' && l.modules === 'MODULES [=n]'));
});

test('an absent name is an answer, not an error; a symbol is explained once; depth stops the chain', () => {
  const k = 'config A\n\tbool "A"\n\tselect B\nconfig B\n\tbool\n\tselect C\nconfig C\n\tbool\n';
  const ev = evaluate(k, 'CONFIG_A=y\n');
  const [absent, c, b] = explainWhy(ev, ['NOPE', 'C', 'B'], { depth: 3 });
  assert.deepEqual(absent, { name: 'NOPE', present: false });
  assert.deepEqual(c.causes!.map((x) => x.name), ['B']);
  assert.deepEqual(c.causes![0].causes!.map((x) => x.name), ['A']);
  assert.deepEqual(b, { name: 'B', present: true, repeated: true });
  const shallow = explainWhy(ev, ['C'], { depth: 1 })[0];
  assert.equal(shallow.causes![0].causes, undefined);
});

test('6.1 flavor: a tristate choice member', () => {
  const k = `${MODULES}choice\n\tprompt "Pick"\n\ttristate\nconfig A\n\ttristate "A"\nconfig B\n\ttristate "B"\nendchoice\n`;
  const ev = evaluate(k, 'CONFIG_A=m\nCONFIG_B=m\n', 'v6.1');
  const [a] = explainWhy(ev, ['A']);
  assert.equal(a.value, 'm');
  assert.equal(a.type, 'tristate');
});

test('a value wanted lower than a select holds it: blocked by the selectors, each needing n', () => {
  const k = `${MODULES}config X\n\ttristate "X"\n\tselect T\nconfig Y\n\ttristate "Y"\n\tselect T\nconfig T\n\ttristate "T"\n`;
  const w = why(k, 'CONFIG_X=y\nCONFIG_Y=m\nCONFIG_T=n\n', 'T');
  assert.equal(w.value, 'y');
  assert.equal(w.blocked!.by, 'selected');
  assert.equal(w.blocked!.wanted, 'n');
  assert.deepEqual(w.blocked!.parts.map((p) => p.needs), ['X=n', 'Y=n']);
  assert.deepEqual(w.blocked!.parts.map((p) => p.part), ['X [=y]', 'Y [=m]']);
});
