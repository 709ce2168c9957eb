import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emitKernelPatch, formatKernelValue, nixAttrName, quoteNixString } from './index.ts';

test('quoteNixString escapes backslash, quote, ${ and control characters', () => {
  assert.equal(quoteNixString('a"b\\c${d}$e\n'), '"a\\"b\\\\c\\${d}$e\\n"');
  assert.equal(quoteNixString(''), '""');
});

test('nixAttrName quotes names that are not identifiers', () => {
  assert.equal(nixAttrName('SND'), 'SND');
  assert.equal(nixAttrName('9P_FS'), '"9P_FS"');
  assert.equal(nixAttrName('8139TOO_PIO'), '"8139TOO_PIO"');
});

test('formatKernelValue writes priorities and option the way people do', () => {
  assert.equal(formatKernelValue({ symbol: 'X', value: { kind: 'no' }, priority: 50 }), 'lib.mkForce no');
  assert.equal(formatKernelValue({ symbol: 'X', value: { kind: 'freeform', value: '16' }, priority: 50 }), 'lib.mkForce (freeform "16")');
  assert.equal(formatKernelValue({ symbol: 'X', value: { kind: 'yes' } }), 'yes');
  assert.equal(formatKernelValue({ symbol: 'X', value: { kind: 'module' }, optional: true }), 'option module');
  assert.equal(formatKernelValue({ symbol: 'X', value: { kind: 'module' }, optional: true, priority: 50 }), 'lib.mkForce (option module)');
  assert.equal(formatKernelValue({ symbol: 'X', value: { kind: 'unset' }, priority: 1000 }), 'lib.mkDefault unset');
  assert.equal(formatKernelValue({ symbol: 'X', value: { kind: 'yes' }, priority: 49 }), 'lib.mkOverride 49 yes');
});

test('emitKernelPatch sorts keys in Nix order and writes one commented line per symbol', () => {
  const text = emitKernelPatch({
    name: 'kfit "edit"',
    header: ['Written by kfit'],
    entries: [
      { symbol: 'SOUND', value: { kind: 'no' }, priority: 50, comment: 'Device Drivers > Sound card support' },
      { symbol: '9P_FS', value: { kind: 'module' }, comment: 'File systems > Network File Systems > Plan 9\nResource Sharing' },
      { symbol: 'CMDLINE', value: { kind: 'freeform', value: 'quiet "x" ${y}' } },
    ],
  });
  assert.equal(
    text,
    [
      '# Written by kfit',
      '{ lib, ... }:',
      '{',
      '  name = "kfit \\"edit\\"";',
      '  patch = null;',
      '  structuredExtraConfig = with lib.kernel; {',
      '    "9P_FS" = module; # File systems > Network File Systems > Plan 9 Resource Sharing',
      '    CMDLINE = freeform "quiet \\"x\\" \\${y}";',
      '    SOUND = lib.mkForce no; # Device Drivers > Sound card support',
      '  };',
      '}',
      '',
    ].join('\n'),
  );
});

test('emitKernelPatch writes an empty set as { }', () => {
  assert.match(emitKernelPatch({ name: 'x', entries: [] }), /structuredExtraConfig = with lib\.kernel; \{ \};/);
});

test('emitKernelPatch refuses a duplicate symbol', () => {
  assert.throws(() => emitKernelPatch({ name: 'x', entries: [{ symbol: 'A', value: { kind: 'yes' } }, { symbol: 'A', value: { kind: 'no' } }] }));
});
