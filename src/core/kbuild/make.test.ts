import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MakeEvaluator } from './make.ts';

function run(text: string, config: Record<string, string>, files: Record<string, string> = {}): MakeEvaluator {
  const all: Record<string, string> = { Makefile: text, ...files };
  const ev = new MakeEvaluator({ readFile: (p) => all[p], listDir: () => undefined }, new Map(Object.entries(config)));
  ev.include('Makefile');
  return ev;
}

function prov(ev: MakeEvaluator, name: string): Record<string, string[]> {
  return Object.fromEntries([...ev.provenance(name)].map(([w, s]) => [w, [...s].sort()]));
}

test('obj-$(CONFIG_X), composites, conditional parts, comments and recipes', () => {
  const ev = run(
    [
      '# a comment',
      'obj-$(CONFIG_A) += a.o   # trailing comment',
      'obj-$(CONFIG_B) += b.o',
      'obj-$(CONFIG_C) += c.o',
      'foo-y := x.o \\',
      '	y.o',
      'foo-$(CONFIG_D) += d.o',
      'obj-y += foo.o',
      '$(obj)/gen.h: $(src)/gen.txt',
      '	obj-y += not-me.o',
    ].join('\n'),
    { A: 'y', B: 'm', D: 'y' },
  );
  assert.deepEqual(prov(ev, 'obj-y'), { 'a.o': ['A'], 'foo.o': [''] });
  assert.deepEqual(prov(ev, 'obj-m'), { 'b.o': ['B'] });
  assert.equal(ev.value('foo-y'), 'x.o y.o d.o');
  assert.deepEqual(prov(ev, 'foo-y'), { 'x.o': [''], 'y.o': [''], 'd.o': ['D'] });
});

test('ifeq/ifneq/ifdef/else, subst gates and list variables with config-dependent names', () => {
  const ev = run(
    [
      'ifeq ($(CONFIG_X),y)',
      'obj-y += in-x.o',
      'else ifdef CONFIG_Y',
      'obj-y += in-y.o',
      'else',
      'obj-y += in-none.o',
      'endif',
      'ifneq ($(CONFIG_Z),)',
      'obj-m += in-z.o',
      'endif',
      'obj-$(subst y,$(CONFIG_L2TP),$(CONFIG_PPPOL2TP)) += l2tp_ppp.o',
      'ib-$(CONFIG_ADDR) := rdma_cm.o',
      'obj-$(CONFIG_IB) += $(ib-y)',
      'obj-$(CONFIG_RAS) += amd/fmpm.o',
      'list = $(patsubst %.c,%.o,one.c two.c)',
      'obj-y += $(filter-out two.o,$(list))',
      'r := $(words a b c)$(firstword p q)$(if ,no,yes)$(sort b a b)',
    ].join('\n'),
    { Y: 'y', Z: 'm', L2TP: 'm', PPPOL2TP: 'y', ADDR: 'y', IB: 'm', RAS: 'm' },
  );
  assert.deepEqual(prov(ev, 'obj-y'), { 'in-y.o': ['Y'], 'one.o': [''] });
  assert.deepEqual(prov(ev, 'obj-m'), { 'in-z.o': ['Z'], 'l2tp_ppp.o': ['L2TP', 'PPPOL2TP'], 'rdma_cm.o': ['ADDR', 'IB'], 'amd/fmpm.o': ['RAS'] });
  assert.equal(ev.value('r'), '3pyesa b');
});

test('include, define, $(eval), $(call) and substitution references', () => {
  const ev = run(
    [
      'include $(srctree)/sub/Makefile.inc',
      'define two',
      'obj-y += defined.o',
      'endef',
      '$(eval $(two))',
      'f = $(1)-$(2)',
      'called := $(call f,a,b)',
      'srcs := a.c b.c',
      'objs := $(srcs:.c=.o)',
      '-include missing.mk',
    ].join('\n'),
    { INC: 'y' },
    { 'sub/Makefile.inc': 'obj-$(CONFIG_INC) += inc.o\n' },
  );
  assert.deepEqual(prov(ev, 'obj-y'), { 'inc.o': ['INC'], 'defined.o': [''] });
  assert.equal(ev.value('called'), 'a-b');
  assert.equal(ev.value('objs'), 'a.o b.o');
  assert.deepEqual(ev.problems, []);
});

test('problems are data: a missing include and an unclosed conditional', () => {
  const ev = run('include nowhere.mk\nifdef CONFIG_A\nobj-y += a.o\n', { A: 'y' });
  assert.deepEqual(ev.problems.map((p) => `${p.file}:${p.line}: ${p.message}`), [
    'Makefile:1: cannot read included file nowhere.mk',
    'Makefile:2: "if" not closed by "endif" before the end of the file',
  ]);
});
