import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseKconfig } from './parse-kconfig.ts';
import { MemorySourceHost } from './source-host.ts';

test('parses a config entry with attributes and follows source', () => {
  const host = new MemorySourceHost({
    Kconfig: 'mainmenu "Linux/$(ARCH)"\nsource "a/Kconfig"\n',
    'a/Kconfig': 'config FOO\n\tbool "foo" if BAR\n\tdefault y if !BAZ && (X = "1")\n\tselect Q if R\n\thelp\n\t  Hello\n\t    world\n\nconfig BAR\n\tdef_bool y\n',
  }, { env: { ARCH: 'x86' } });
  const r = parseKconfig('Kconfig', host);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.value.mainmenu, 'Linux/x86');
  assert.deepEqual(r.value.files, ['Kconfig', 'a/Kconfig']);
  assert.deepEqual([...r.value.environment], [['ARCH', 'x86']]);
  const foo = r.value.entries[0];
  assert.equal(foo.kind, 'config');
  if (foo.kind !== 'config') return;
  assert.deepEqual(foo.attributes.map((a) => a.kind), ['type', 'default', 'select', 'help']);
  const help = foo.attributes[3];
  assert.equal(help.kind === 'help' && help.text, 'Hello\n  world\n');
});

test('reports every syntax error with its source chain', () => {
  const host = new MemorySourceHost({
    Kconfig: 'source "b"\nconfig\nfoo bar\n',
    b: 'config X\n\tbool\n\tdefault\n\tdepends on (A\n',
  });
  const r = parseKconfig('Kconfig', host);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 4);
  assert.equal(errors[0].span?.file, 'b');
  assert.equal(errors[0].span?.line, 3);
  assert.equal(errors[0].related[0].message, 'included from Kconfig:1');
  assert.equal(errors[3].message, 'unknown statement "foo"');
});
