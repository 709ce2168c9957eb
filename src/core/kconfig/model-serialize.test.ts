import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildModel } from './model-build.ts';
import { assertSameModel } from './model-graph.test-support.ts';
import { deserializeModel, serializeModel } from './model-serialize.ts';
import { parseKconfig } from './parse-kconfig.ts';
import { MemorySourceHost } from './source-host.ts';
import { Evaluation } from './evaluation.ts';
import { readDotConfig } from '../dotconfig/read.ts';
import { writeDotConfig } from '../dotconfig/write.ts';
import type { KconfigFlavor } from './model.ts';
import { exprPrograms } from './expr-program.ts';

const KCONFIG = `mainmenu "Test $(ARCH)"
config MODULES
\tbool "modules"
\tmodules
\tdefault y
menu "Drivers"
\tvisible if MODULES
config A
\ttristate "A"
\tdefault m
\tselect B if C
\thelp
\t  Some help text.
config B
\ttristate
config C
\tbool "C" if A
\tdepends on A
\timply D
config D
\ttristate "D"
config N
\tint "N"
\trange 1 10
\tdefault 5
config S
\tstring "S"
\tdefault "x"
comment "a comment"
\tdepends on !C
endmenu
choice
\tprompt "pick"
\tdefault P2
config P1
\tbool "P1"
config P2
\tbool "P2"
\tdepends on A = y || N > 3
endchoice
if C
config E
\tbool "E"
\tdefault y
endif
menuconfig M
\tbool "M"
config M1
\tbool "M1"
\tdepends on M
`;

function build(flavor: KconfigFlavor) {
  const host = new MemorySourceHost({ Kconfig: KCONFIG }, { env: { ARCH: 'x86' } });
  const parsed = parseKconfig('Kconfig', host, { flavor });
  assert.deepStrictEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), []);
  return buildModel(parsed.value, { flavor }).value;
}

for (const flavor of ['v6.12', 'v6.1'] as const) {
  test(`a model read back from its image is the same graph (${flavor})`, () => {
    const model = build(flavor);
    const image = serializeModel(model);
    const back = deserializeModel({ strings: [...image.strings], ints: image.ints.slice() });
    assertSameModel(back, model);
    // and it evaluates the same
    const config = 'CONFIG_A=y\nCONFIG_C=y\nCONFIG_N=7\n';
    const a = writeDotConfig(Evaluation.create(model, readDotConfig(model, config, '.config').assignments));
    const b = writeDotConfig(Evaluation.create(back, readDotConfig(back, config, '.config').assignments));
    assert.equal(b, a);
    assert.match(a, /CONFIG_E=y/);
    // the compiled expressions came along, comparisons pointing into the new graph
    const programs = exprPrograms(back).image();
    assert.deepStrictEqual(programs.code, exprPrograms(model).image().code);
    assert.ok(programs.compares.length > 0 && programs.compares.every((e) => back.symbols[e.sym!.id] === e.sym));
  });
}

test('an image without indexes builds them on first use', () => {
  const model = build('v6.12');
  const back = deserializeModel(serializeModel(model, { indexes: false }));
  assert.deepStrictEqual(back.dependents, model.dependents);
  assert.deepStrictEqual(Array.from(back.units.unitOf), Array.from(model.units.unitOf));
});

test('the comparison notices a difference', () => {
  const model = build('v6.12');
  const image = serializeModel(model);
  const strings = image.strings.map((s) => (s.startsWith('Some help text') ? 'Other help.' : s));
  assert.notDeepStrictEqual(strings, image.strings);
  assert.throws(() => assertSameModel(deserializeModel({ strings, ints: image.ints }), model));
});

test('a damaged image is refused, not misread', () => {
  const image = serializeModel(build('v6.12'));
  assert.throws(() => deserializeModel({ strings: image.strings, ints: image.ints.subarray(0, image.ints.length - 3) }));
  const wrong = image.ints.slice();
  wrong[0] ^= 1;
  assert.throws(() => deserializeModel({ strings: image.strings, ints: wrong }), /format/);
});
