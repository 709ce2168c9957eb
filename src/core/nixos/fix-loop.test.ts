// The fix loop's edits for a symbol this tree lacks: drop the line, and carry the answer over only to a single
// same-meaning successor; otherwise say in the comment what to set instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KconfigFacts, Diagnosis } from './diagnosis.ts';
import { proposeEdits } from './fix-loop.ts';
import { parseKernelConfig } from './intermediate.ts';
import { mergeSettings } from './merge.ts';
import type { RenameCandidate } from './renames.ts';

const facts = {} as KconfigFacts; // the absent branch reads no engine state
const settings = mergeSettings([]);

function absent(name: string, renames: RenameCandidate[] | undefined, otherLocation?: string): Diagnosis {
  const subject = { severity: 'error', kind: 'unused', name, wanted: 'y', text: `unused option: ${name}` } as const;
  return { name, kind: 'absent', why: '', culprits: [], renames, otherTree: renames ? 'the 6.1 tree' : undefined, otherLocation, subject };
}

function candidate(over: Partial<RenameCandidate>): RenameCandidate {
  return { name: 'NEW', relation: 'renamed', type: 'bool', location: 'x/Kconfig:1', score: 12, evidence: ['same prompt "P"', 'same help text'], sameMeaning: false, ...over };
}

test('a single same-meaning rename gets the old answer; the old line is dropped', () => {
  const answers = parseKernelConfig('RETPOLINE y\n');
  const edits = proposeEdits(absent('RETPOLINE', [candidate({ name: 'MITIGATION_RETPOLINE', sameMeaning: true })], 'arch/x86/Kconfig:2476'), settings, answers, facts);
  assert.deepEqual(edits.map((e) => [e.name, e.value]), [['RETPOLINE', 'unset'], ['MITIGATION_RETPOLINE', 'yes']]);
  assert.match(edits[1].comment, /^the answer y of RETPOLINE, which is MITIGATION_RETPOLINE in this tree \(same prompt "P", same help text\)$/);
  // m of a bool successor is not carried over; an answer the user already gave for the new name is left alone
  const m = proposeEdits(absent('OLD', [candidate({ sameMeaning: true })]), settings, parseKernelConfig('OLD m\n'), facts);
  assert.deepEqual(m.map((e) => e.name), ['OLD']);
  const given = proposeEdits(absent('OLD', [candidate({ sameMeaning: true })]), settings, parseKernelConfig('OLD y\nNEW n\n'), facts);
  assert.deepEqual(given.map((e) => e.name), ['OLD']);
});

test('a rename that may not mean the same, or a choice, is a proposal in the comment only', () => {
  const answers = parseKernelConfig('MEMORY_HOTPLUG_DEFAULT_ONLINE y\nOLD y\n');
  const choice = candidate({ name: 'MHP_DEFAULT_ONLINE_TYPE_*', relation: 'became-choice', type: 'choice', prompt: 'Memory Hotplug Default Online Type', members: ['MHP_A', 'MHP_B'], evidence: ['defined in mm/Kconfig between MEMORY_HOTPLUG and MEMORY_HOTREMOVE in both trees'] });
  const [e] = proposeEdits(absent('MEMORY_HOTPLUG_DEFAULT_ONLINE', [choice]), settings, answers, facts);
  assert.equal(e.value, 'unset');
  assert.match(e.comment, /the choice "Memory Hotplug Default Online Type" corresponds to it \(defined in mm\/Kconfig between MEMORY_HOTPLUG and MEMORY_HOTREMOVE in both trees\): set one of MHP_A, MHP_B = yes instead of MEMORY_HOTPLUG_DEFAULT_ONLINE = y$/);
  const edits = proposeEdits(absent('OLD', [candidate({}), candidate({ name: 'OTHER' })]), settings, answers, facts);
  assert.deepEqual(edits.map((x) => x.name), ['OLD']);
  assert.match(edits[0].comment, /possible counterparts here: NEW, OTHER/);
  // a choice member with the old meaning is set when the old answer was y
  const member = proposeEdits(absent('MEMORY_HOTPLUG_DEFAULT_ONLINE', [{ ...choice, member: 'MHP_B' }]), settings, answers, facts);
  assert.deepEqual(member.map((x) => [x.name, x.value]), [['MEMORY_HOTPLUG_DEFAULT_ONLINE', 'unset'], ['MHP_B', 'yes']]);
});

test('no successor, or not in the other tree either: only the line is dropped, and the comment says which', () => {
  const answers = parseKernelConfig('GONE y\n');
  assert.match(proposeEdits(absent('GONE', [], 'drivers/x/Kconfig:3'), settings, answers, facts)[0].comment, /no successor found \(it is at drivers\/x\/Kconfig:3 in the 6\.1 tree\)/);
  assert.match(proposeEdits(absent('GONE', []), settings, answers, facts)[0].comment, /not in the 6\.1 tree either/);
  assert.equal(proposeEdits(absent('GONE', undefined), settings, answers, facts)[0].comment, 'not in this kernel tree');
});
