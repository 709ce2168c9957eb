import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countEnabledOptions, estimateObjects, estimateRemaining, findFirstBuildError, hasModules, isObjectLine } from './build-log.ts';

test('object lines are CC/AS of .o files, modules included; links are not', () => {
  assert.equal(isObjectLine('  CC      kernel/fork.o'), true);
  assert.equal(isObjectLine('  CC [M]  drivers/net/dummy.o'), true);
  assert.equal(isObjectLine('  AS      arch/x86/entry/entry_64.o'), true);
  assert.equal(isObjectLine('  LD      vmlinux.o'), false);
  assert.equal(isObjectLine('  CC      scripts/mod/empty.o extra'), false);
});

test('estimates: previous build wins; ETA from the rate so far', () => {
  assert.deepEqual(estimateObjects(584, 700), { expected: 700, source: 'previous-build' });
  assert.equal(estimateObjects(584, null).source, 'estimate');
  assert.ok(estimateObjects(6000, null).expected > estimateObjects(584, null).expected);
  assert.equal(estimateRemaining(2, 100, 10), null);
  assert.equal(estimateRemaining(50, 100, 25), 25);
});

test('first compile error with file and line, before later make noise', () => {
  const log = [
    '  CC      kernel/fork.o',
    '/src/kernel/fork.c: In function ‘copy_process’:',
    "/src/kernel/fork.c:2101:9: error: expected ';' before ‘}’ token",
    '/src/kernel/fork.c:2200:1: error: second',
    'make[3]: *** [scripts/Makefile.build:229: kernel/fork.o] Error 1',
  ].join('\n');
  const e = findFirstBuildError(log);
  assert.equal(e?.file, '/src/kernel/fork.c');
  assert.equal(e?.line, 2101);
  assert.equal(e?.column, 9);
  assert.match(e?.message ?? '', /expected ';'/);
});

test('without a compiler error, the first make *** line; none at all is null', () => {
  assert.match(findFirstBuildError('x\nmake[1]: *** No rule to make target foo.  Stop.\n')?.message ?? '', /No rule to make target/);
  assert.equal(findFirstBuildError('  CC x.o\n'), null);
});

test('option counts and module detection', () => {
  const cfg = 'CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C="x"\n';
  assert.equal(countEnabledOptions(cfg), 2);
  assert.equal(hasModules(cfg), false);
  assert.equal(hasModules(`${cfg}CONFIG_D=m\n`), true);
});
