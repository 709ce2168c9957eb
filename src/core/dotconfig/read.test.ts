// conf_read_simple() behaviour on a small model: values, escapes, and the warnings with line numbers.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildModel, findSymbol, formatConfWarning, readDotConfig, type KconfigFlavor } from '../kconfig/index.ts';
import { parseKconfig } from '../kconfig/parse-kconfig.ts';
import { MemorySourceHost } from '../kconfig/source-host.ts';

const kconfig = `
config B
	bool "B"
config T
	tristate "T"
config S
	string "S"
config I
	int "I"
config H
	hex "H"
`;

function model(flavor: KconfigFlavor) {
  return buildModel(parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: kconfig })).value, { flavor }).value;
}

test('values: bools by first letter, tristate m, strings unescaped, numbers validated', () => {
  const m = model('v6.12');
  const text = 'CONFIG_B=yes\nCONFIG_T=m\nCONFIG_S="a\\"b\\\\c"\nCONFIG_I=-12\nCONFIG_H=ff\n';
  const r = readDotConfig(m, text, '.config');
  assert.deepEqual(r.diagnostics, []);
  const get = (n: string) => r.assignments.get(findSymbol(m, n)!);
  assert.equal(get('B')?.tri, 2);
  assert.equal(get('T')?.tri, 1);
  assert.equal(get('S')?.str, 'a"b\\c');
  assert.equal(get('I')?.str, '-12');
  assert.equal(get('H')?.str, 'ff');
  assert.equal(get('B')?.span?.line, 1);
});

test('warnings: invalid values, unexpected data, overrides, unknown names (when asked), bad strings', () => {
  const m = model('v6.12');
  const text = 'CONFIG_B=m\nhello\nCONFIG_T=y\nCONFIG_T=n\nCONFIG_NOPE=y\nCONFIG_S="open\nCONFIG_I=012\n\n# CONFIG_B is not set\n';
  const r = readDotConfig(m, text, 'x.config', { warnUnknown: true });
  assert.deepEqual(r.diagnostics.map(formatConfWarning), [
    "x.config:1:warning: symbol value 'm' invalid for B",
    'x.config:2:warning: unexpected data: hello',
    'x.config:4:warning: override: reassigning to symbol T',
    'x.config:5:warning: unknown symbol: NOPE',
    'x.config:6:warning: invalid string found',
    "x.config:7:warning: symbol value '012' invalid for I",
  ]);
  assert.deepEqual(r.unknown, ['NOPE']);
  assert.equal(r.assignments.get(findSymbol(m, 'B')!)?.tri, 0);
});

test('6.1 ignores lines without = silently and reads CRLF endings', () => {
  const m = model('v6.1');
  const r = readDotConfig(m, 'CONFIG_B\r\nCONFIG_T=y\r\n', '.config');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.assignments.get(findSymbol(m, 'T')!)?.tri, 2);
});
