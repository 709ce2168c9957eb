// cpuinfo fixtures → psABI level and the -march=native name, each expectation taken from the research
// tables (/work/shared/research/hardware-cpu.md §5.1 for names, §5.2 for levels; the row is cited per case).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { InputError } from '../diag/errors.ts';
import {
  analyzeCpu,
  clampMarch,
  emitCpuNix,
  formatCpuReport,
  parseClangCpuList,
  parseCpuinfo,
  parseGccMarchList,
  planKernelCpu,
  psabiLevel,
  type CompilerCpus,
} from './index.ts';

const fixture = (name: string): string => new URL(`../../../test/fixtures/cpu/${name}`, import.meta.url).pathname;
const load = (name: string) => parseCpuinfo(readFileSync(fixture(name), 'utf8'), name).value;

interface Case {
  readonly file: string;
  readonly level: number;
  readonly name: string;
  /** The research row the expectation comes from. */
  readonly row: string;
  readonly vendor: string;
  readonly recommended?: string;
}

const cases: readonly Case[] = [
  // §5.1.3 "the -march=native driver itself picks by features: … AVX512F → znver4"; §5.2 "all four satisfied → v4" (this VM)
  { file: 'vm-epyc-zen4.txt', level: 4, name: 'znver4', vendor: 'amd', row: '§0 "Zen 4 (fam 0x19 mod 0x11)", §5.1.3 AVX512F → znver4' },
  // §5.1.2 "0x4e/0x5e/0x8e/0x9e/0xa5/0xa6 skylake"; no AVX-512 → v3
  { file: 'intel-skylake.txt', level: 3, name: 'skylake', vendor: 'intel', row: '§5.1.2 0x5e skylake' },
  // §5.1.2 "0x97/0x9a/0xbf/0xb7/0xaa/0xac alderlake"; hybrid parts have no AVX-512 → v3
  { file: 'intel-alderlake-hybrid.txt', level: 3, name: 'alderlake', vendor: 'intel', row: '§5.1.2 0x97 alderlake' },
  // §5.1.2 "0x8f/0xcf sapphirerapids"; AVX-512 F/BW/CD/DQ/VL → v4
  { file: 'intel-sapphirerapids.txt', level: 4, name: 'sapphirerapids', vendor: 'intel', row: '§5.1.2 0x8f sapphirerapids' },
  // gcc's table (cpuinfo.h get_intel_cpu: 0x17/0x1d Penryn, 0x0f Merom → core2); no POPCNT/SSE4.2 → v1 (§5.2 v2 row)
  { file: 'intel-core2-penryn.txt', level: 1, name: 'core2', vendor: 'intel', row: 'get_intel_cpu 0x17 core2; §5.2 v2 needs popcnt sse4_2' },
  // §5.1.3 "0x17: … ≥0x30 znver2"; driver: "CLWB → znver2"
  { file: 'amd-zen2.txt', level: 3, name: 'znver2', vendor: 'amd', row: '§5.1.3 CLWB → znver2' },
  // §5.1.3 driver: "VAES → znver3" (model 0x21 is outside the table's znver4 ranges)
  { file: 'amd-zen3.txt', level: 3, name: 'znver3', vendor: 'amd', row: '§5.1.3 VAES → znver3' },
  // §5.1.3 "0x19: … 0x60–0xaf znver4"; driver "AVX512F → znver4"
  { file: 'amd-zen4.txt', level: 4, name: 'znver4', vendor: 'amd', row: '§5.1.3 0x61 / AVX512F → znver4' },
  // §5.1.3 "0x1a: ≤0x77 znver5"; driver "AVX512VP2INTERSECT → znver5"
  { file: 'amd-zen5.txt', level: 4, name: 'znver5', vendor: 'amd', row: '§5.1.3 AVX512VP2INTERSECT → znver5' },
  // §5.1 "Hygon (family 0x18) … need explicit handling": gcc has no Hygon vendor case → generic SSSE3 → core2;
  // kfit recommends znver1 (Dhyana is Zen 1; CLZERO → znver1 in the AMD cascade)
  { file: 'hygon-dhyana.txt', level: 3, name: 'core2', vendor: 'hygon', recommended: 'znver1', row: '§5.1 Hygon explicit handling' },
];

for (const c of cases) {
  test(`${c.file}: ${c.row}`, () => {
    const cpu = load(c.file);
    assert.equal(cpu.vendor, c.vendor);
    assert.equal(psabiLevel(cpu.flags).level, c.level);
    const r = analyzeCpu(cpu);
    assert.equal(r.detection.name, c.name, r.detection.basis);
    assert.equal(r.detection.recommended?.name, c.recommended);
    assert.equal(r.march, c.recommended ?? c.name);
  });
}

test('the basis line says what the pick rests on', () => {
  assert.match(analyzeCpu(load('intel-alderlake-hybrid.txt')).detection.basis, /family 0x6 model 0x97: alderlake \(gcc's Intel model table\)/);
  assert.match(analyzeCpu(load('amd-zen4.txt')).detection.basis, /by features: avx512f → znver4/);
});

test('an unknown Intel model falls back to the feature cascade', () => {
  const cpu = { ...load('intel-sapphirerapids.txt'), model: 0xfe };
  const d = analyzeCpu(cpu).detection;
  assert.equal(d.name, 'sapphirerapids');
  assert.match(d.basis, /not in gcc's model table.*tsxldtrk → sapphirerapids/);
  // never a hybrid-core name below an AVX-512 part
  assert.ok(!d.candidates.some((x) => x.name === 'alderlake'));
});

test('processor blocks that differ are reported; the first block is used', () => {
  const text = readFileSync(fixture('intel-skylake.txt'), 'utf8').replace(/(processor\t: 1[\s\S]*?flags\t\t: .*?) avx2 /, '$1 ');
  const cpu = parseCpuinfo(text, 'x').value;
  assert.equal(cpu.processors, 2);
  assert.deepEqual(cpu.differences, [{ processor: '1', missing: ['avx2'], extra: [], modelName: undefined }]);
  assert.ok(cpu.flags.has('avx2'));
  assert.deepEqual(load('intel-alderlake-hybrid.txt').differences, []);
});

test('a non-x86 cpuinfo is refused: only x86_64 is supported', () => {
  assert.throws(
    () => parseCpuinfo(readFileSync(fixture('arm64-not-x86.txt'), 'utf8'), 'arm.txt'),
    (e: unknown) => e instanceof InputError && e.code === 'cpu/not-x86' && /^arm\.txt:1:1: error: .*ARM.*only x86_64 is supported/.test(e.message),
  );
  assert.throws(() => parseCpuinfo('', 'empty'), /empty file\); only x86_64 is supported/);
});

const gcc12 = 'x86-64 x86-64-v2 x86-64-v3 x86-64-v4 core2 nehalem skylake alderlake sapphirerapids znver1 znver2 znver3 btver2';
const compiler = (names: string): CompilerCpus => ({ kind: 'gcc', command: 'gcc', version: 'gcc 12 (test list)', names: new Set(names.split(' ')) });

test('the clamp walks down the cascade, then to the psABI level', () => {
  const zen5 = analyzeCpu(load('amd-zen5.txt'), compiler(gcc12));
  assert.equal(zen5.march, 'znver3');
  assert.deepEqual(zen5.clamp?.steps.map((s) => `${s.from}>${s.to}`), ['znver5>znver4', 'znver4>znver3']);
  // a compiler without any znver: never a bdver name for a Zen part (XOP/FMA4), end at the level
  const noZen = analyzeCpu(load('amd-zen4.txt'), compiler('x86-64 x86-64-v2 x86-64-v3 x86-64-v4 bdver4 amdfam10 k8'));
  assert.equal(noZen.march, 'x86-64-v4');
  assert.equal(clampMarch([], undefined, compiler('x86-64')).name, 'x86-64');
});

test('older compilers: Intel parts fall back the way gcc\'s own cascade would', () => {
  const gcc10 = 'x86-64 x86-64-v2 x86-64-v3 x86-64-v4 core2 nehalem sandybridge haswell broadwell skylake skylake-avx512 cannonlake icelake-client icelake-server cascadelake cooperlake tigerlake';
  assert.equal(analyzeCpu(load('intel-alderlake-hybrid.txt'), compiler(gcc10)).march, 'skylake');
  assert.equal(analyzeCpu(load('intel-sapphirerapids.txt'), compiler(gcc10)).march, 'cooperlake');
  assert.equal(analyzeCpu(load('intel-core2-penryn.txt'), compiler('x86-64 core2')).march, 'core2');
  // a core2 part on a compiler without core2: its level (v1 = x86-64), not a newer name
  assert.equal(analyzeCpu(load('intel-core2-penryn.txt'), compiler('x86-64 x86-64-v2 nehalem')).march, 'x86-64');
  assert.equal(analyzeCpu(load('hygon-dhyana.txt'), compiler('x86-64 x86-64-v2 x86-64-v3 core2')).march, 'x86-64-v3');
});

test('gcc and clang lists are read from their own output format', () => {
  const gccText = '  Known valid arguments for -march= option:\n    i386 core2 znver3 x86-64-v3\n\n  Known valid arguments for -mtune= option:\n    generic znver9\n';
  assert.deepEqual([...parseGccMarchList(gccText)], ['i386', 'core2', 'znver3', 'x86-64-v3']);
  const clangText = 'Available CPUs for this target:\n\n\talderlake\n\tznver4\n\tx86-64-v3\n\nUse -mcpu or -mtune to specify the target\'s processor.\n';
  assert.deepEqual([...parseClangCpuList(clangText)], ['alderlake', 'znver4', 'x86-64-v3']);
  assert.equal(parseGccMarchList('nothing here').size, 0);
});

test('kernel mapping: old family choice, KCFLAGS, X86_NATIVE_CPU, the patched µarch choice', () => {
  const tree = (names: string[], version = '6.12.117') => ({ version, has: (n: string) => names.includes(n) });
  const upstream = ['GENERIC_CPU', 'MCORE2', 'MK8', 'MPSC', 'MATOM'];
  assert.deepEqual(planKernelCpu(tree(upstream), 'core2', 1, true).settings.map((s) => s.symbol), ['MCORE2']);
  const kc = planKernelCpu(tree(upstream), 'znver3', 4, false);
  assert.equal(kc.mode, 'kcflags');
  assert.deepEqual(kc.kcflags, ['-march=znver3', '-mtune=znver3']);
  assert.deepEqual(planKernelCpu(tree(upstream), 'x86-64-v3', 3, false).kcflags, ['-march=x86-64-v3']);
  assert.equal(planKernelCpu(tree(['X86_NATIVE_CPU'], '6.16.0'), 'znver4', 4, true).mode, 'native-option');
  const patched = planKernelCpu(tree(['X86_NATIVE_CPU', 'X86_64_VERSION', 'GENERIC_CPU', 'MZEN4']), 'znver4', 4, true);
  assert.deepEqual(patched.settings, [{ symbol: 'MZEN4', value: 'y', reason: patched.settings[0].reason }]);
  const older = planKernelCpu(tree(['X86_64_VERSION', 'GENERIC_CPU', 'MICELAKE']), 'icelake-client', 4, true);
  assert.deepEqual(older.settings.map((s) => s.symbol), ['MICELAKE']);
  const level = planKernelCpu(tree(['X86_64_VERSION', 'GENERIC_CPU']), 'lujiazui', 4, true);
  assert.deepEqual(level.settings.map((s) => `${s.symbol}=${s.value}`), ['GENERIC_CPU=y', 'X86_64_VERSION=3']);
  assert.ok(kc.notes.some((n) => /-mno-sse.*scalar/.test(n)));
});

test('the Nix text: one KCFLAGS+= word per flag (no spaces), settings through kernelPatches', () => {
  const kc = planKernelCpu({ version: '6.12.117', has: (n) => n === 'GENERIC_CPU' }, 'znver3', 4, false);
  const nix = emitCpuNix(kc);
  assert.match(nix, /pkgs\.linux_6_12\.override \{\n    extraMakeFlags = \[\n      "KCFLAGS\+=-march=znver3"\n      "KCFLAGS\+=-mtune=znver3"\n    \];/);
  assert.doesNotMatch(nix, /"KCFLAGS[^"]* [^"]*"/);
  const native = emitCpuNix(planKernelCpu({ version: '6.16.1', has: (n) => n === 'X86_NATIVE_CPU' }, 'znver4', 4, true));
  assert.match(native, /extraStructuredConfig = \{\n        X86_NATIVE_CPU = lib\.kernel\.yes;/);
  assert.doesNotMatch(native, /extraMakeFlags/);
});

test('the text report names the level, the pick, the clamp and the kernel plan', () => {
  const text = formatCpuReport(analyzeCpu(load('amd-zen4.txt'), compiler(gcc12), { version: '6.1.192', has: (n) => n === 'GENERIC_CPU' }));
  assert.match(text, /psABI level: x86-64-v4/);
  assert.match(text, /znver4 → znver3: gcc 12 \(test list\) does not know -march=znver4/);
  assert.match(text, /make KCFLAGS="-march=znver3 -mtune=znver3"/);
});

test('real compiler output: gcc 12.2 -Q --help=target and clang 14 --print-supported-cpus (saved from Debian 12)', () => {
  const gcc = parseGccMarchList(readFileSync(fixture('gcc-12.2-help-target.txt'), 'utf8'));
  assert.ok(gcc.has('znver3') && gcc.has('x86-64-v4') && gcc.has('sapphirerapids') && gcc.has('native'));
  assert.ok(!gcc.has('znver4') && !gcc.has('raptorlake') && !gcc.has('generic-x') && !gcc.has('i386:'));
  assert.equal(gcc.size, 97); // the -march list only, not the -mtune list that follows it
  const clang = parseClangCpuList(readFileSync(fixture('clang-14-print-supported-cpus.txt'), 'utf8'));
  assert.ok(clang.has('znver3') && clang.has('x86-64-v4') && clang.has('alderlake') && clang.has('sapphirerapids'));
  assert.ok(!clang.has('znver4') && !clang.has('Use') && !clang.has('Available'));
  const zen4 = load('amd-zen4.txt');
  assert.equal(analyzeCpu(zen4, { kind: 'gcc', command: 'gcc', version: 'gcc 12.2', names: gcc }).march, 'znver3');
  assert.equal(analyzeCpu(zen4, { kind: 'clang', command: 'clang', version: 'clang 14', names: clang }).march, 'znver3');
});
