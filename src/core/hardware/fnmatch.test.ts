import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnmatch, literalPrefix, normalizeAlias, normalizeModuleName } from './fnmatch.ts';

test('normalizeAlias turns - into _ outside brackets only, and refuses what kmod refuses', () => {
  assert.equal(normalizeAlias('pci:v-d[0-9]x-y'), 'pci:v_d[0-9]x_y');
  assert.equal(normalizeAlias('a]b'), undefined);
  assert.equal(normalizeAlias('a[bc'), undefined);
  assert.equal(normalizeAlias('platform:rtc-cmos'), 'platform:rtc_cmos');
});

test('normalizeModuleName stops at the dot and maps - to _', () => {
  assert.equal(normalizeModuleName('snd-hda-intel.ko.xz'), 'snd_hda_intel');
});

test('fnmatch: *, ?, brackets, negation, ranges, escapes, classes', () => {
  assert.ok(fnmatch('pci:v00008086d*sv*', 'pci:v00008086d00001234sv0000'));
  assert.ok(!fnmatch('pci:v00008086d*sv*', 'pci:v00001AF4d00001234sv0000'));
  assert.ok(fnmatch('a*', 'a/b/c'), '* crosses /');
  assert.ok(fnmatch('?b', '.b'), '? matches a leading dot with flags 0');
  assert.ok(fnmatch('usb:v1234p5678d0[1-3]*', 'usb:v1234p5678d02xx'));
  assert.ok(!fnmatch('usb:v1234p5678d0[1-3]*', 'usb:v1234p5678d04xx'));
  assert.ok(fnmatch('x[!0-9]', 'xa'));
  assert.ok(!fnmatch('x[!0-9]', 'x5'));
  assert.ok(fnmatch('x[^0-9]', 'xa'));
  assert.ok(fnmatch('x[]a]', 'x]'), '] first in a bracket is literal');
  assert.ok(fnmatch('x[a-]', 'x-'), 'trailing - is literal');
  assert.ok(fnmatch('a\\*b', 'a*b'));
  assert.ok(!fnmatch('a\\*b', 'axb'));
  assert.ok(fnmatch('x[[:digit:]]', 'x7'));
  assert.ok(fnmatch('a[b', 'a[b'), 'an unclosed [ is literal');
  assert.ok(!fnmatch('ABC', 'abc'), 'case-sensitive');
  assert.ok(fnmatch('a.b(c)+', 'a.b(c)+'), 'regex metacharacters are literal');
});

test('literalPrefix stops at the first wildcard', () => {
  assert.equal(literalPrefix('acpi*:PNP0501:*'), 'acpi');
  assert.equal(literalPrefix('platform:rtc_cmos'), 'platform:rtc_cmos');
  assert.equal(literalPrefix('usb:v1234p[0-9]'), 'usb:v1234p');
});
