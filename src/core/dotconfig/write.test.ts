// conf_write() and conf_write_defconfig() output on small models.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildModel, Evaluation, escapeStringValue, readDotConfig, writeDotConfig, writeMinConfig } from '../kconfig/index.ts';
import { parseKconfig } from '../kconfig/parse-kconfig.ts';
import { MemorySourceHost } from '../kconfig/source-host.ts';

test('escapeStringValue quotes and escapes " and \\', () => {
  assert.equal(escapeStringValue('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(escapeStringValue(''), '""');
});

test('menus get a comment block and an end line; invisible menus do not; each symbol is written once', () => {
  const kconfig = `mainmenu "T"
config A
	bool "A"
	default y
menu "Shown"
config B
	bool "B"
endmenu
menu "Hidden"
	depends on N
config C
	bool "C"
endmenu
config N
	bool
config A
	bool "A again"
`;
  const m = buildModel(parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: kconfig })).value, { flavor: 'v6.12' }).value;
  const ev = Evaluation.create(m);
  assert.equal(
    writeDotConfig(ev),
    '#\n# Automatically generated file; DO NOT EDIT.\n# T\n#\nCONFIG_A=y\n\n#\n# Shown\n#\n# CONFIG_B is not set\n# end of Shown\n',
  );
  const r = readDotConfig(m, 'CONFIG_B=y\n# CONFIG_A is not set\n', '.config');
  assert.equal(writeMinConfig(Evaluation.create(m, r.assignments)), '# CONFIG_A is not set\nCONFIG_B=y\n');
});
