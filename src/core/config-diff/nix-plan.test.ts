import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emitKernelPatch } from '../nix/index.ts';
import { buildMenuOutline, parseConfigValues, planNixChanges, priorityAgainst, type ConfigValues, type EvaluationOutcome } from './index.ts';

const tree: Record<string, string> = {
  Kconfig: [
    'menu "Device Drivers"',
    'menuconfig SOUND', '\ttristate "Sound"', 'if SOUND', 'config SND', '\ttristate "ALSA"', 'endif',
    'config A', '\ttristate "A"', '\tselect HELPER',
    'config HELPER', '\ttristate "helper"',
    'config PROMPTLESS', '\tbool', '\tdefault y if A',
    'config NEWCHILD', '\tbool "child"',
    'config NR', '\tint "number"',
    'endmenu', '',
  ].join('\n'),
};
const outline = buildMenuOutline((p) => tree[p], 'x86');
const cfg = (text: string): ConfigValues => parseConfigValues(text.replace(/;/g, '\n'), 't').value;
const item = (tristate: 'y' | 'm' | 'n' | null, freeform: string | null = null, optional = false) => ({ tristate, freeform, optional });

test('priorityAgainst: mkForce only against a plain NixOS definition with another answer', () => {
  assert.equal(priorityAgainst(undefined, { kind: 'no' }), 100);
  assert.equal(priorityAgainst({ item: item('y'), priority: 100 }, { kind: 'no' }), 50);
  assert.equal(priorityAgainst({ item: item('n'), priority: 100 }, { kind: 'no' }), 100);
  assert.equal(priorityAgainst({ item: item('y'), priority: 1000 }, { kind: 'no' }), 100);
  assert.equal(priorityAgainst({ item: item('y', null, true), priority: 100 }, { kind: 'unset' }), 50);
  assert.equal(priorityAgainst({ item: item('y'), priority: 100 }, { kind: 'freeform', value: '16' }), 100, 'a freeform wins over a tristate anyway');
  assert.equal(priorityAgainst({ item: item(null, '384'), priority: 100 }, { kind: 'freeform', value: '16' }), 50);
  assert.equal(priorityAgainst({ item: item('y'), priority: 50 }, { kind: 'no' }), 49);
});

test('without an evaluator: vanished and promptless symbols are left out, everything else is written', () => {
  const plan = planNixChanges(cfg('CONFIG_SOUND=y;CONFIG_SND=m;CONFIG_A=m;CONFIG_HELPER=m'), cfg('# CONFIG_SOUND is not set;CONFIG_A=y;CONFIG_HELPER=y;CONFIG_PROMPTLESS=y;CONFIG_NR=3;CONFIG_GONE=y'), { outline });
  assert.deepEqual(plan.entries.map((e) => e.symbol).sort(), ['A', 'HELPER', 'NR', 'SOUND']);
  assert.deepEqual(plan.omitted.map((o) => `${o.symbol}:${o.reason}`).sort(), ['GONE:unknown', 'PROMPTLESS:no-prompt', 'SND:vanished']);
  assert.equal(plan.entries.find((e) => e.symbol === 'SOUND')?.comment, 'Device Drivers: Sound');
});

test('with an evaluator: selected and appeared symbols are left out when the check reproduces them, put back when not', () => {
  const oldValues = cfg('CONFIG_A=m;CONFIG_HELPER=m');
  const newValues = cfg('CONFIG_A=y;CONFIG_HELPER=y;CONFIG_NEWCHILD=y;CONFIG_NR=3');
  // A fake Kconfig: A=y forces HELPER=y; NEWCHILD defaults to n; NR to 1.
  const seen: string[][] = [];
  const evaluate = (answers: ConfigValues): ConfigValues => {
    seen.push([...answers.keys()].sort());
    const a = answers.get('A') ?? 'm';
    return new Map([['A', a], ['HELPER', a === 'y' ? 'y' : answers.get('HELPER') ?? 'm'], ['NEWCHILD', answers.get('NEWCHILD') ?? 'n'], ['NR', answers.get('NR') ?? '1']]);
  };
  const plan = planNixChanges(oldValues, newValues, { outline, evaluate });
  assert.deepEqual(plan.entries.map((e) => e.symbol).sort(), ['A', 'NEWCHILD', 'NR']);
  assert.deepEqual(plan.omitted.map((o) => `${o.symbol}:${o.reason}`), ['HELPER:selected']);
  assert.deepEqual(seen, [['A'], ['A', 'NEWCHILD', 'NR']]);
  assert.deepEqual(plan.unreproduced, []);
  assert.equal(plan.rounds, 2);
});

test('with an evaluator: drift, NixOS-flagged fallout and impossible answers', () => {
  const oldValues = cfg('CONFIG_A=m;CONFIG_SOUND=y;CONFIG_SND=m;CONFIG_HELPER=m');
  const newValues = cfg('CONFIG_A=y;# CONFIG_SOUND is not set;CONFIG_HELPER=m');
  const evaluate = (answers: ConfigValues): EvaluationOutcome => {
    const values = new Map([['A', answers.get('A') ?? 'm'], ['HELPER', answers.get('HELPER') ?? 'y'], ['SOUND', answers.get('SOUND') ?? 'y']]);
    return { values, flagged: answers.has('SND') ? [] : ['SND'], impossible: answers.has('A') ? ['A'] : [] };
  };
  const plan = planNixChanges(oldValues, newValues, { outline, evaluate });
  const by = new Map(plan.entries.map((e) => [e.symbol, e.value.kind]));
  assert.equal(by.get('HELPER'), 'module', 'unchanged but no longer implied: written');
  assert.equal(by.get('SND'), 'unset', 'flagged by NixOS: unset');
  assert.equal(by.has('A'), false);
  assert.equal(plan.omitted.find((o) => o.symbol === 'A')?.reason, 'impossible');
  assert.deepEqual(plan.unreproduced.map((u) => u.symbol), ['A']);
  assert.deepEqual(plan.added.map((a) => a.symbol).sort(), ['HELPER', 'SND']);
});

test('the plan forces exactly what NixOS would conflict with and leaves out what NixOS already sets', () => {
  const oldValues = cfg('CONFIG_SCSI=y;CONFIG_SOUND=y;CONFIG_SND=m;CONFIG_HZ=250;CONFIG_B=y');
  const newValues = cfg('# CONFIG_SCSI is not set;# CONFIG_SOUND is not set;CONFIG_HZ=1000;# CONFIG_B is not set');
  const nixos = new Map([
    ['SCSI', { item: item('y'), priority: 100 }],
    ['SND', { item: item('m'), priority: 100 }],
    ['HZ', { item: item(null, '1000'), priority: 100 }],
    ['B', { item: item('y'), priority: 1000 }],
  ]);
  const plan = planNixChanges(oldValues, newValues, { nixos });
  const text = emitKernelPatch({ name: 't', entries: plan.entries });
  assert.match(text, /\n {4}B = no;\n/);
  assert.match(text, /\n {4}SCSI = lib\.mkForce no;\n/);
  assert.match(text, /\n {4}SND = lib\.mkForce unset;\n/);
  assert.match(text, /\n {4}SOUND = no;\n/);
  assert.doesNotMatch(text, /HZ/);
  assert.equal(plan.omitted.find((o) => o.symbol === 'HZ')?.reason, 'nixos-same');
});
