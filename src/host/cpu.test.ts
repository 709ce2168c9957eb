// The machine side of `kfit hw cpu` against the real gcc of this machine and the two real kernel trees.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCpu, emitCpuNix, parseCpuinfo, planKernelCpu } from '../core/cpu/index.ts';
import { kernelSymbols, readCompilerCpus } from './cpu.ts';
import { nixAvailable, parseNixText } from './nix-cli.ts';

const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
const tree612 = join(cache, 'linux-6.12');
const tree61 = join(cache, 'linux-6.1');
const fixture = (name: string): string => new URL(`../../test/fixtures/cpu/${name}`, import.meta.url).pathname;
const hasGcc = spawnSync('gcc', ['--version']).status === 0;
const x86Host = process.arch === 'x64' && existsSync('/proc/cpuinfo') && /vendor_id/.test(readFileSync('/proc/cpuinfo', 'utf8'));

test('the real gcc: its -march list is read, and a Zen 4 is clamped to what it knows', { skip: !hasGcc && 'no gcc' }, () => {
  const gcc = readCompilerCpus('gcc');
  assert.equal(gcc.kind, 'gcc');
  for (const name of ['x86-64', 'core2', 'skylake', 'znver1', 'native']) assert.ok(gcc.names.has(name), `gcc lists ${name}`);
  const zen4 = parseCpuinfo(readFileSync(fixture('amd-zen4.txt'), 'utf8'), 'zen4').value;
  const r = analyzeCpu(zen4, gcc);
  const major = Number(/(\d+)\.\d+\.\d+\s*$/.exec(gcc.version)?.[1] ?? 0);
  if (gcc.names.has('znver4')) {
    assert.equal(r.march, 'znver4');
  } else {
    // gcc 12.2 (this machine's Debian 12 gcc, research §0) predates znver4
    assert.ok(major <= 12, `gcc ${major} without znver4`);
    assert.equal(r.march, 'znver3');
    assert.deepEqual(r.clamp?.steps.map((s) => `${s.from}>${s.to}`), ['znver4>znver3']);
  }
});

test('this machine: kfit\'s pick clamped to gcc equals what gcc -march=native resolves to', { skip: (!hasGcc || !x86Host) && 'needs gcc on an x86 host' }, () => {
  const gcc = readCompilerCpus('gcc');
  const cpu = parseCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'), '/proc/cpuinfo').value;
  const ours = analyzeCpu(cpu, gcc).march;
  const out = spawnSync('gcc', ['-march=native', '-Q', '--help=target'], { encoding: 'utf8' }).stdout;
  const native = /^\s+-march=\s+(\S+)\s*$/m.exec(out)?.[1];
  assert.ok(native, 'gcc printed its -march= value');
  assert.equal(ours, native);
});

test('KCFLAGS after the kernel\'s flags: -march adds scalar ISA and tuning, the explicit -mno-sse/-mno-avx stay', { skip: !hasGcc && 'no gcc' }, () => {
  const gcc = readCompilerCpus('gcc');
  const march = gcc.names.has('znver3') ? 'znver3' : 'haswell';
  // the order of arch/x86/Makefile (-mno-sse … -mtune=generic for GENERIC_CPU), then KCFLAGS
  const args = ['-mno-sse', '-mno-mmx', '-mno-sse2', '-mno-3dnow', '-mno-avx', '-mtune=generic', `-march=${march}`, `-mtune=${march}`, '-dM', '-E', '-x', 'c', '-'];
  const macros = spawnSync('gcc', args, { input: '', encoding: 'utf8' }).stdout;
  for (const m of ['__BMI2__', '__POPCNT__', '__LZCNT__', '__MOVBE__', `__tune_${march}__`]) assert.match(macros, new RegExp(`#define ${m} 1`));
  for (const m of ['__AVX__', '__AVX2__', '__SSE__', '__SSE2__']) assert.doesNotMatch(macros, new RegExp(`#define ${m} `));
});

for (const [tree, version] of [
  [tree612, '6.12'],
  [tree61, '6.1'],
] as const) {
  test(`kernel mapping on the real ${version} tree: the Processor family choice, no native or µarch options`, { skip: !existsSync(join(tree, 'Kconfig')) && `${tree} not unpacked (setup.sh)` }, () => {
    const symbols = kernelSymbols(tree, 'x86_64');
    assert.ok(symbols.version?.startsWith(`${version}.`), symbols.version);
    for (const s of ['GENERIC_CPU', 'MCORE2', 'MK8', 'MPSC', 'MATOM']) assert.ok(symbols.has(s), `${version} defines ${s}`);
    for (const s of ['X86_NATIVE_CPU', 'X86_64_VERSION', 'MZEN4', 'MSKYLAKE']) assert.ok(!symbols.has(s), `${version} has no ${s}`);
    assert.ok(!symbols.has('CPU_SUP_NOT_A_SYMBOL'));
    const core2 = planKernelCpu(symbols, 'core2', 1, true);
    assert.deepEqual(core2.settings.map((s) => `${s.symbol}=${s.value}`), ['MCORE2=y']);
    const zen = planKernelCpu(symbols, 'znver3', 4, false);
    assert.equal(zen.mode, 'kcflags');
    assert.deepEqual(zen.kcflags, ['-march=znver3', '-mtune=znver3']);
    assert.equal(emitCpuNix(zen).includes(`pkgs.linux_${version.replace('.', '_')}.override`), true);
  });
}

test('every kind of printed Nix parses (nix-instantiate --parse)', { skip: !nixAvailable() && 'no nix-instantiate' }, () => {
  const trees = [
    { version: '6.12.117', names: ['GENERIC_CPU', 'MCORE2'] },
    { version: '6.16.1', names: ['X86_NATIVE_CPU'] },
    { version: '6.16.1', names: ['X86_NATIVE_CPU', 'X86_64_VERSION', 'GENERIC_CPU', 'MZEN4'] },
    { version: '6.16.1', names: ['X86_NATIVE_CPU', 'X86_64_VERSION', 'GENERIC_CPU'] },
  ];
  let n = 0;
  for (const t of trees) {
    for (const march of ['znver4', 'core2', 'x86-64-v3']) {
      const nix = emitCpuNix(planKernelCpu({ version: t.version, has: (s) => t.names.includes(s) }, march, 3, true), { header: ['a "quoted" header'] });
      parseNixText(nix, `${t.version} ${march}`);
      n++;
    }
  }
  assert.equal(n, 12);
  assert.throws(() => parseNixText('{ a = ; }', 'broken'), /broken:1:\d+: error:/);
});
