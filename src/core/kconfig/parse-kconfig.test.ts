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

test('transitional is an attribute only when asked for (Linux 6.18+); in 6.1/6.12 it is a word', () => {
  const text = 'config OLD\n\tbool\n\ttransitional\n';
  const newer = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: text }), { transitional: true });
  assert.deepEqual(newer.diagnostics, []);
  const old = newer.value.entries[0];
  assert.deepEqual(old.kind === 'config' && old.attributes.map((a) => a.kind), ['type', 'transitional']);
  const r612 = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: text }));
  assert.equal(r612.diagnostics.length, 1);
  assert.equal(r612.diagnostics[0].message, 'unknown statement "transitional"');
});

test('an InputError made from the diagnostics starts with file:line:col: error:', async () => {
  const { InputError } = await import('../diag/errors.ts');
  const r = parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: 'menu "x"\nconfig\n' }));
  const e = InputError.fromDiagnostics('kconfig/syntax', r.diagnostics);
  assert.equal(e.message.split('\n')[0], "Kconfig:2:7: error: syntax error: expected a symbol name after 'config', found end of line");
  assert.equal(e.diagnostics.length, 2);
});

test('a missing root file is one error, and the value is empty', () => {
  const r = parseKconfig('Kconfig', new MemorySourceHost({}));
  assert.deepEqual(r.value.entries, []);
  assert.deepEqual(r.value.files, []);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].message, "can't find file Kconfig");
  assert.equal(r.diagnostics[0].span, undefined);
});

test('flavor v6.12 takes 6.12 grammar only; v6.1 and the default take 6.1 choices', () => {
  const errors = (text: string, flavor?: 'v6.1' | 'v6.12') =>
    parseKconfig('Kconfig', new MemorySourceHost({ Kconfig: text }), { flavor }).diagnostics.filter((d) => d.severity === 'error').length;
  const choice61 = 'choice NAMED\n\ttristate "c"\n\toptional\nconfig A\n\ttristate "a"\nendchoice\n';
  assert.equal(errors(choice61), 0);
  assert.equal(errors(choice61, 'v6.1'), 0);
  assert.equal(errors(choice61, 'v6.12'), 3); // the name, tristate, optional
  assert.equal(errors('choice\n\tbool\nendchoice\n', 'v6.12'), 1); // 6.12: `bool` in a choice takes a prompt
  // 6.12's lexer ends the root file without an end of line: its last statement needs its newline.
  assert.equal(errors('config A\n\tbool'), 0);
  assert.equal(errors('config A\n\tbool', 'v6.1'), 0);
  assert.equal(errors('config A\n\tbool', 'v6.12'), 1);
  assert.equal(errors('config A\n\tbool\n', 'v6.12'), 0);
});
