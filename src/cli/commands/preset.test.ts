// `kfit preset` end to end: every preset applied to the stock NixOS intermediate config of both kernel trees
// (test/fixtures/nixos/stock-*-defconfig, base defconfig) must be accepted by the simulated generate-config.pl
// with no fix-loop line beyond the ones the stock config itself needs, give the .config the preset means,
// parse as Nix, and evaluate (kfit nix to-config) to the lines it reports; plus bad input on the command line.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import { compilerKnowsMarch } from '../../host/presets.ts';
import { applyPresets, type ApplyReport } from './preset.ts';

const mainTs = new URL('../main.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');
const fixtures = new URL('../../../test/fixtures/nixos/', import.meta.url).pathname;
const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
const work = mkdtempSync(join(tmpdir(), 'kfit-preset-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

function kfit(args: string[]): { status: number; stdout: string; stderr: string } {
  const script = `import(${JSON.stringify(mainTs)}).then((m) => m.main(${JSON.stringify(args)})).then((c) => process.exit(c))`;
  const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, tool)));
}

const KERNELS = ['6.12', '6.1'] as const;
type Kernel = (typeof KERNELS)[number];
const treeOf = (k: Kernel) => join(cache, `linux-${k}`);
const inputOf = (k: Kernel) => join(fixtures, `stock-${k}-defconfig`, 'kernel-config');
const haveTrees = KERNELS.every((k) => existsSync(join(treeOf(k), 'Kconfig')));
const haveNix = onPath('nix-instantiate');
const haveClang = ['clang', 'ld.lld', 'llvm-ar', 'llvm-nm'].every(onPath);

/** The stock config's own fix loop (kfit nixos check --fix) and .config: what every preset run starts from. */
const baselines = new Map<Kernel, { edits: string[]; config: string }>();
function baseline(k: Kernel): { edits: string[]; config: string } {
  const seen = baselines.get(k);
  if (seen) return seen;
  const fixFile = join(work, `stock-${k}-fix.nix`);
  const out = join(work, `stock-${k}.config`);
  const r = kfit(['nixos', 'check', '--kernel-config', inputOf(k), '--src', treeOf(k), '--no-other-src', '--fix', fixFile, '--json']);
  const report = JSON.parse(r.stdout) as { fix: { edits: number } | null };
  assert.ok(report.fix, r.stderr);
  // the fixed stock config's .config: the same run with the fix module's lines is what --out would give after the fix
  const names = [...readFileSync(fixFile, 'utf8').matchAll(/^ {8}("?[A-Z0-9_]+"?) = /gm)].map((m) => m[1].replace(/"/g, ''));
  assert.equal(names.length, report.fix.edits);
  const plain = kfit(['nixos', 'check', '--kernel-config', inputOf(k), '--src', treeOf(k), '--no-other-src', '--no-diagnosis', '--ignore-config-errors', '--out', out, '--json']);
  assert.ok(existsSync(out), plain.stderr);
  const b = { edits: names, config: readFileSync(out, 'utf8') };
  baselines.set(k, b);
  return b;
}

function apply(names: string[], k: Kernel, extra: { march?: string } = {}): { report: ApplyReport; config: string; nix: string; file: string } {
  const file = join(work, `${names.join('+')}-${k}.nix`);
  const configOut = join(work, `${names.join('+')}-${k}.config`);
  const report = applyPresets(names, { src: treeOf(k), arch: 'x86_64', kernelConfig: inputOf(k), base: 'defconfig', out: file, configOut, march: extra.march });
  return { report, config: readFileSync(configOut, 'utf8'), nix: readFileSync(file, 'utf8'), file };
}

/** The preset run needs no fix-loop line the stock config does not need itself (its fallout is in the preset). */
function assertNoOwnFallout(report: ApplyReport, k: Kernel, t: { diagnostic(s: string): void }): void {
  const base = new Set(baseline(k).edits);
  const own = report.fixEdits.filter((e) => !base.has(e.name));
  t.diagnostic(`${report.presets.join('+')} on ${k}: ${report.fixEdits.length} fix-loop edits (stock: ${base.size}), ${own.length} of its own, ${report.runs} runs`);
  assert.deepEqual(own.map((e) => `${e.name} = ${e.nix} (${e.comment})`), []);
  assert.equal(report.accepted, true);
}

/** `kfit nix to-config` of the written module gives each preset line's value, optional flag and priority. */
function assertEvaluates(file: string, report: ApplyReport, k: Kernel): void {
  if (haveNix) {
    const parse = spawnSync('nix-instantiate', ['--parse', file], { encoding: 'utf8' });
    assert.equal(parse.status, 0, parse.stderr);
  } else return;
  const r = kfit(['nix', 'to-config', file, '--kernel-version', k === '6.12' ? '6.12.117' : '6.1.192', '--lib', 'stand-in', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const answers = new Map((JSON.parse(r.stdout) as { answers: { symbol: string; tristate: string | null; optional: boolean; priority: number; sources: string[] }[] }).answers.map((a) => [a.symbol, a]));
  const fixed = new Set(report.fixEdits.map((e) => e.name));
  for (const l of report.lines) {
    if (fixed.has(l.name)) continue;
    const a = answers.get(l.name);
    assert.ok(a, `${l.name} missing from kfit nix to-config`);
    const m = /^(?:lib\.mkForce |lib\.mkOverride (\d+) )?\(?(option )?(yes|no|module|unset)\)?$/.exec(l.nix);
    assert.ok(m, l.nix);
    const tristate = { yes: 'y', no: 'n', module: 'm', unset: null }[m[3] as 'yes'];
    assert.deepEqual([a.tristate, a.optional, a.priority], [tristate, m[2] !== undefined, l.nix.startsWith('lib.mkForce') ? 50 : m[1] ? Number(m[1]) : 100], l.name);
    assert.ok(a.sources.some((s) => s.includes('kfit-presets-')), l.name);
  }
}

const MITIGATION_ON = /^CONFIG_(?!ARCH_CONFIGURES_)(\w*MITIGATION\w*|RETPOLINE|RETHUNK|PAGE_TABLE_ISOLATION|CPU_UNRET_ENTRY|CPU_IBPB_ENTRY|CPU_IBRS_ENTRY|CPU_SRSO|SLS)=y$/m;

for (const k of KERNELS) {
  const skip = haveTrees ? false : `needs the kernel trees in ${cache} (setup.sh)`;

  test(`no-mitigations on stock ${k}: accepted, no fallout of its own, every mitigation option n`, { skip }, (t) => {
    assert.match(baseline(k).config, MITIGATION_ON); // the stock config has them: this check can fail
    const { report, config, nix, file } = apply(['no-mitigations'], k);
    assertNoOwnFallout(report, k, t);
    assert.doesNotMatch(config, MITIGATION_ON);
    assert.match(config, /^# CONFIG_CPU_MITIGATIONS is not set$/m);
    assert.match(nix, /"mitigations=off"/);
    assertEvaluates(file, report, k);
  });

  test(`tiny-boot on stock ${k}: accepted, XZ kernel and modules, no debug info, zstd initrd support`, { skip }, (t) => {
    assert.match(baseline(k).config, /^CONFIG_KERNEL_ZSTD=y$/m);
    const { report, config, nix, file } = apply(['tiny-boot'], k);
    assertNoOwnFallout(report, k, t);
    for (const want of ['KERNEL_XZ=y', 'MODULE_COMPRESS_XZ=y', 'DEBUG_INFO_NONE=y', 'RD_ZSTD=y', 'STRIP_ASM_SYMS=y']) assert.match(config, new RegExp(`^CONFIG_${want}$`, 'm'));
    assert.doesNotMatch(config, /^CONFIG_(DEBUG_INFO|DEBUG_INFO_BTF|KERNEL_ZSTD)=y$/m);
    assert.match(nix, /boot\.initrd\.compressor = "zstd";/);
    assertEvaluates(file, report, k);
  });

  test(`march on stock ${k}: a build setting only, the .config unchanged`, { skip }, (t) => {
    const { report, config, nix } = apply(['march'], k, { march: 'znver3' });
    assertNoOwnFallout(report, k, t);
    assert.equal(report.lines.length, 0);
    assert.match(nix, /pkgs\.linux_6_1[2]?\.override \{\n(?: +#[^\n]*\n)* +extraMakeFlags = \[\n +#[^\n]*\n +"KCFLAGS\+=-march=znver3"\n +#[^\n]*\n +"KCFLAGS\+=-mtune=znver3"\n/);
    // the preset's .config is the fixed stock one: only the fix loop's lines differ from the unfixed stock run
    const base = baseline(k);
    const strip = (c: string) => c.split('\n').filter((l) => !base.edits.some((n) => l.includes(`CONFIG_${n}=`) || l.includes(`CONFIG_${n} `))).join('\n');
    assert.equal(strip(config), strip(base.config));
  });

  test(`clang-thinlto on stock ${k}: with LLVM=1 and the real clang probes, LTO_CLANG_THIN=y is accepted`, { skip: skip || (haveClang ? false : 'needs clang, ld.lld, llvm-ar, llvm-nm (setup.sh)') }, (t) => {
    assert.match(baseline(k).config, /^CONFIG_CC_IS_GCC=y$/m);
    const { report, config, nix, file } = apply(['clang-thinlto'], k);
    assertNoOwnFallout(report, k, t);
    assert.equal(report.llvm, true);
    for (const want of ['CC_IS_CLANG=y', 'LD_IS_LLD=y', 'HAS_LTO_CLANG=y', 'LTO_CLANG_THIN=y', 'LTO_CLANG=y']) assert.match(config, new RegExp(`^CONFIG_${want}$`, 'm'));
    assert.match(config, /^# CONFIG_LTO_NONE is not set$/m);
    assert.match(nix, /stdenv = pkgs\.llvmPackages\.stdenv;/);
    assert.match(nix, /"LLVM=1"/);
    assertEvaluates(file, report, k);
  });

  test(`all four presets together on stock ${k}`, { skip: skip || (haveClang ? false : 'needs clang') }, (t) => {
    const { report, config, file } = apply(['no-mitigations', 'tiny-boot', 'march', 'clang-thinlto'], k, { march: 'x86-64-v3' });
    assertNoOwnFallout(report, k, t);
    assert.doesNotMatch(config, MITIGATION_ON);
    assert.match(config, /^CONFIG_LTO_CLANG_THIN=y$/m);
    assert.match(config, /^CONFIG_KERNEL_XZ=y$/m);
    assertEvaluates(file, report, k);
  });
}

test('CLI: list, show per kernel version (the tree\'s own names), --json', { skip: haveTrees ? false : 'needs the kernel trees' }, () => {
  const list = kfit(['preset', 'list', '--json']);
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as { name: string }[]).map((p) => p.name), ['no-mitigations', 'tiny-boot', 'march', 'clang-thinlto']);
  const s61 = kfit(['preset', 'show', 'no-mitigations', '--kernel', '6.1', '--json']);
  const s612 = kfit(['preset', 'show', 'no-mitigations', '--kernel', '6.12', '--json']);
  const names = (r: { stdout: string }) => (JSON.parse(r.stdout) as { lines: { name: string }[] }).lines.map((l) => l.name);
  assert.ok(names(s61).includes('RETPOLINE') && !names(s61).includes('MITIGATION_RETPOLINE'));
  assert.ok(names(s612).includes('MITIGATION_RETPOLINE') && !names(s612).includes('RETPOLINE'));
  const text = kfit(['preset', 'show', 'tiny-boot', '--kernel', '6.1']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^ {2}MODULE_COMPRESS_NONE = unset {3}\[only when your config sets it\]$/m);
  assert.match(text.stdout, /^NixOS module:$/m);
});

test('CLI: unknown preset, --march missing, a tree without the options: exit 1, one line, nothing written', { skip: haveTrees ? false : 'needs the kernel trees' }, () => {
  const out = join(work, 'bad.nix');
  const unknown = kfit(['preset', 'apply', 'fast', '--src', treeOf('6.12'), '--kernel-config', inputOf('6.12'), '--out', out]);
  assert.equal(unknown.status, 1);
  assert.equal(unknown.stderr.trim(), "kfit: unknown preset 'fast'; known presets: no-mitigations, tiny-boot, march, clang-thinlto (kfit preset list)");
  const noMarch = kfit(['preset', 'apply', 'march', '--src', treeOf('6.12'), '--kernel-config', inputOf('6.12'), '--out', out]);
  assert.equal(noMarch.status, 1);
  assert.match(noMarch.stderr, /^kfit: preset march needs --march VALUE/m);
  const noInput = kfit(['preset', 'apply', 'tiny-boot', '--src', treeOf('6.12'), '--out', out]);
  assert.equal(noInput.status, 1);
  assert.match(noInput.stderr, /give your config as --kernel-config FILE/);
  // a kernel tree without CPU_MITIGATIONS / SPECULATION_MITIGATIONS
  const fake = join(work, 'fake-tree');
  mkdirSync(join(fake, 'arch', 'x86', 'configs'), { recursive: true });
  writeFileSync(join(fake, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION =\n');
  writeFileSync(join(fake, 'arch', 'x86', 'Makefile'), '');
  writeFileSync(join(fake, 'arch', 'x86', 'configs', 'x86_64_defconfig'), 'CONFIG_A=y\n');
  writeFileSync(join(fake, 'Kconfig'), 'mainmenu "Fake"\nconfig A\n\tbool "A"\n');
  writeFileSync(join(work, 'fake-kernel-config'), 'A y\n');
  const show = kfit(['preset', 'show', 'no-mitigations', '--src', fake]);
  assert.equal(show.status, 1);
  assert.match(show.stderr, /^kfit: preset no-mitigations needs one of CPU_MITIGATIONS, SPECULATION_MITIGATIONS, which the kernel tree \S+fake-tree \(6\.12\.0\) does not define$/m);
  const applied = kfit(['preset', 'apply', 'tiny-boot', '--src', fake, '--kernel-config', join(work, 'fake-kernel-config'), '--out', out]);
  assert.equal(applied.status, 1);
  assert.match(applied.stderr, /preset tiny-boot needs KERNEL_XZ, DEBUG_INFO_NONE, MODULE_COMPRESS_XZ, RD_ZSTD/);
  assert.equal(existsSync(out), false);
});

test('nixos check --llvm reads the tree with LLVM=1: LTO_CLANG_THIN y is an error with gcc\'s probes and none with clang\'s', { skip: haveTrees && haveClang ? false : 'needs the 6.12 tree and clang' }, () => {
  const text = join(work, 'lto-kernel-config');
  writeFileSync(text, `${readFileSync(inputOf('6.12'), 'utf8')}LTO_CLANG_THIN y\n`);
  const check = (llvm: boolean) => {
    const r = kfit(['nixos', 'check', '--kernel-config', text, '--src', treeOf('6.12'), '--no-diagnosis', '--json', ...(llvm ? ['--llvm'] : [])]);
    return (JSON.parse(r.stdout) as { messages: { severity: string; name: string }[] }).messages.filter((m) => m.name.startsWith('LTO_')).map((m) => `${m.severity}:${m.name}`);
  };
  assert.deepEqual(check(false), ['error:LTO_CLANG_THIN']);
  assert.deepEqual(check(true), []);
});

test('the local compiler is asked about --march: a misspelt value is a note, a known one is not', { skip: onPath('gcc') ? false : 'needs gcc' }, () => {
  assert.equal(compilerKnowsMarch('znver9', false).known, false);
  assert.equal(compilerKnowsMarch('x86-64-v3', false).known, true);
});

test('a config that rules the preset out (GCOV_KERNEL y: no Clang LTO) is refused after the fix loop: exit 1, why, nothing written', { skip: haveTrees && haveClang ? false : 'needs the 6.12 tree and clang' }, () => {
  const text = join(work, 'gcov-kernel-config');
  writeFileSync(text, `${readFileSync(inputOf('6.12'), 'utf8')}GCOV_KERNEL y\n`);
  const out = join(work, 'gcov.nix');
  const r = kfit(['preset', 'apply', 'clang-thinlto', '--src', treeOf('6.12'), '--kernel-config', text, '--out', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^kfit: the accepted config does not hold what the presets meant \(clang-thinlto: LTO_CLANG_THIN wanted y, got n \(fix loop: lib\.mkForce \(option yes\), hidden by [^;]*; kept as an optional answer\); clang-thinlto: LTO_NONE wanted n, got y\); your config prevents it: nothing written$/m);
  assert.equal(existsSync(out), false);
});

test('--structured input (the unmerged common-config.nix definitions): lines forced over common-config.nix where they differ', { skip: haveTrees ? false : 'needs the 6.12 tree' }, (t) => {
  const file = join(work, 'structured.nix');
  const report = applyPresets(['tiny-boot', 'no-mitigations'], { src: treeOf('6.12'), arch: 'x86_64', structured: join(fixtures, 'stock-6.12-defconfig', 'structured.json'), out: file });
  assertNoOwnFallout(report, '6.12', t);
  const nix = Object.fromEntries(report.lines.map((l) => [l.name, l.nix]));
  assert.equal(nix.KERNEL_ZSTD, 'lib.mkForce unset');
  assert.equal(nix.KERNEL_XZ, 'yes');
  assert.equal(nix.MODULE_COMPRESS_XZ, 'yes'); // common-config.nix agrees
  assert.match(readFileSync(file, 'utf8'), /# \(forced over pkgs\/os-specific\/linux\/kernel\/common-config\.nix, where it is y\)\n +KERNEL_ZSTD = lib\.mkForce unset;/);
  assertEvaluates(file, report, '6.12');
});
