// `kfit why` end to end (the CLI on the real 6.12 tree with Debian's amd64 config, and the NixOS mode on the
// stock fixture), bad input, and the facts against the kernel's own conf: the active selectors and the
// dependencies `why` reports are exactly what conf's help screen (`conf --helpnewconfig`) prints.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readDotConfig } from '../../core/dotconfig/read.ts';
import { Evaluation } from '../../core/kconfig/evaluation.ts';
import { formatSymbolInfo } from '../../core/kconfig/symbol-help.ts';
import { explainWhy, type SymbolWhy } from '../../core/kconfig/why.ts';
import { runConfDirect, readXz } from '../../host/kconfig-oracle.ts';
import { loadKernelTree } from '../../host/nixos-system.ts';

const mainTs = new URL('../main.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');
const cache = process.env.KFIT_CACHE ?? join(homedir(), '.cache', 'kfit');
const tree612 = join(cache, 'linux-6.12');
const debian = '/usr/src/linux-config-6.12/config.amd64_none_amd64.xz';
const present = existsSync(join(tree612, 'Kconfig')) && existsSync(debian);
const stock = new URL('../../../test/fixtures/nixos/stock-6.12-defconfig/', import.meta.url).pathname;

function kfit(args: string[]): { status: number; stdout: string; stderr: string } {
  const script = `import(${JSON.stringify(mainTs)}).then((m) => m.main(${JSON.stringify(args)})).then((c) => process.exit(c))`;
  const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function byName(out: string): Map<string, SymbolWhy & { absent?: string }> {
  const json = JSON.parse(out) as { symbols: (SymbolWhy & { absent?: string })[] };
  return new Map(json.symbols.map((s) => [s.name, s]));
}

test('bad input: no --src, no input, a malformed config: exit 1 with one clear line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfit-why-'));
  try {
    const noSrc = kfit(['why', 'A', '--config', '/nonexistent']);
    assert.equal(noSrc.status, 1);
    assert.equal(noSrc.stderr, 'kfit: give --src DIR (the kernel source tree)\n');
    const depth = kfit(['why', 'A', '--src', dir, '--config', '/nonexistent', '--depth', 'two']);
    assert.equal(depth.status, 1);
    assert.equal(depth.stderr, "kfit: --depth wants a whole number >= 0, got 'two'\n");
    const noInput = kfit(['why', 'A', '--src', dir]);
    assert.equal(noInput.status, 1);
    assert.match(noInput.stderr, /^kfit: give --config FILE/);
    const bad = join(dir, 'bad.config');
    writeFileSync(bad, 'this is not a kernel config\n');
    const malformed = kfit(['why', 'A', '--src', dir, '--config', bad]);
    assert.equal(malformed.status, 1);
    assert.match(malformed.stderr, /bad\.config:1:1: error: no CONFIG_ lines/);
    assert.equal(malformed.stdout, '');
    const missing = kfit(['why', 'A', '--src', dir, '--config', join(dir, 'nope.config')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /nope\.config: cannot read \(no such file\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('why on the 6.12 tree with Debian amd64: a user line, a select, a dependency block, a choice member, an absent name', { skip: !present && 'linux-6.12 or the Debian config not installed' }, () => {
  const names = ['CRYPTO_AES_NI_INTEL', 'CRYPTO_SIMD', 'DRM_PANIC_SCREEN_QR_CODE', 'HZ_250', 'NOT_A_KCONFIG_SYMBOL'];
  const r = kfit(['why', ...names, '--src', tree612, '--config', debian, '--depth', '1', '--json', '--no-other-src']);
  assert.equal(r.status, 0, r.stderr);
  const w = byName(r.stdout);
  const text = readXz(debian).split('\n');
  const lineOf = (l: string) => `${debian}:${text.indexOf(l) + 1}`;
  // arch/x86/crypto/Kconfig: `config CRYPTO_AES_NI_INTEL` / tristate "Ciphers: AES, …" inside `if CRYPTO` … `depends on X86`
  const aes = w.get('CRYPTO_AES_NI_INTEL')!;
  assert.equal(aes.value, 'm');
  assert.deepEqual(aes.definitions, [{ at: 'arch/x86/crypto/Kconfig:18', depends: 'CRYPTO [=y] && !KMSAN [=n] && X86 [=y]' }]);
  assert.deepEqual(aes.location, ['Cryptographic API (CRYPTO [=y])', 'Accelerated Cryptographic Algorithms for CPU (x86)']);
  assert.deepEqual(aes.set, { kind: 'user', value: 'm', at: lineOf('CONFIG_CRYPTO_AES_NI_INTEL=m') });
  // crypto/Kconfig: CRYPTO_SIMD has no prompt; CRYPTO_AES_NI_INTEL `select CRYPTO_SIMD`
  const simd = w.get('CRYPTO_SIMD')!;
  assert.equal(simd.set!.kind, 'select');
  const selectors = simd.set!.kind === 'select' ? simd.set!.by : [];
  assert.ok(selectors.some((s) => s.name === 'CRYPTO_AES_NI_INTEL' && s.value === 'm' && s.term === 'CRYPTO_AES_NI_INTEL [=m] && CRYPTO [=y] && !KMSAN [=n] && X86 [=y]'));
  assert.ok(selectors.every((s) => s.value !== 'n'));
  assert.deepEqual(simd.causes!.map((c) => c.name).sort(), selectors.map((s) => s.name).sort());
  // drivers/gpu/drm/Kconfig: DRM_PANIC_SCREEN_QR_CODE depends on DRM_PANIC && RUST; Debian has DRM_PANIC=n and no Rust
  const qr = w.get('DRM_PANIC_SCREEN_QR_CODE')!;
  assert.equal(qr.value, 'n');
  assert.equal(qr.blocked!.by, 'depends');
  assert.deepEqual(qr.blocked!.parts.map((p) => p.needs), ['DRM_PANIC=m or y', 'RUST=m or y']);
  assert.deepEqual(qr.causes!.map((c) => c.name), ['DRM_PANIC', 'RUST']);
  // kernel/Kconfig.hz: the "Timer frequency" choice; Debian picks HZ_250
  const hz = w.get('HZ_250')!;
  assert.equal(hz.set!.kind, 'choice');
  assert.equal(hz.set!.kind === 'choice' && hz.set!.selected, 'HZ_250');
  assert.match(hz.set!.kind === 'choice' ? hz.set!.how : '', new RegExp(`HZ_250=y is the user's choice \\(${lineOf('CONFIG_HZ_250=y').replace(/[.]/g, '\\.')}\\)`));
  const absent = w.get('NOT_A_KCONFIG_SYMBOL')!;
  assert.equal(absent.present, false);
  assert.match(absent.absent!, /does not exist in this kernel tree/);
});

test('why text output: an indented chain, each symbol once', { skip: !present && 'linux-6.12 or the Debian config not installed' }, () => {
  const r = kfit(['why', 'CONFIG_DRM_PANIC_SCREEN_QR_CODE', 'RUST', '--src', tree612, '--config', debian, '--no-other-src']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^DRM_PANIC_SCREEN_QR_CODE = n \(not written to \.config\) {3}bool "Add a panic screen with a QR code"$/m);
  assert.match(r.stdout, /^ {2}blocked {5}wanted y or m, but depends on HAS_IOMEM \[=y\] && DRM \[=m\] && DRM_PANIC \[=n\] && RUST \[=n\]$/m);
  assert.match(r.stdout, /^ {2}because:\n {4}DRM_PANIC = n/m);
  assert.match(r.stdout, /^ {4}RUST = n /m);
  assert.match(r.stdout, /^RUST: see above$/m);
});

test('why in NixOS mode on the stock 6.12 fixture: DRM_PANIC_SCREEN_QR_CODE is blocked by RUST=n, the answer names its file', { skip: !existsSync(join(tree612, 'Kconfig')) && 'linux-6.12 not installed' }, () => {
  const r = kfit(['why', 'DRM_PANIC_SCREEN_QR_CODE', 'CRYPTO_AES_NI_INTEL', '--src', tree612, '--structured', join(stock, 'structured.json'), '--base', 'defconfig', '--json', '--depth', '1', '--no-other-src']);
  assert.equal(r.status, 0, r.stderr);
  const w = byName(r.stdout);
  const qr = w.get('DRM_PANIC_SCREEN_QR_CODE')!;
  assert.equal(qr.value, 'n');
  assert.match(qr.answer!, /^DRM_PANIC_SCREEN_QR_CODE y, set to y in pkgs\/os-specific\/linux\/kernel\/common-config\.nix$/);
  assert.equal(qr.blocked!.wanted, 'y');
  assert.deepEqual(qr.blocked!.parts.map((p) => p.part), ['RUST [=n]']);
  assert.equal(qr.causes![0].name, 'RUST');
  assert.ok(qr.causes![0].blocked!.parts.some((p) => p.needs === 'RUST_IS_AVAILABLE=y'));
  // no answer for it: autoModules answered m in the first pass
  const aes = w.get('CRYPTO_AES_NI_INTEL')!;
  assert.equal(aes.value, 'm');
  assert.equal(aes.set!.kind, 'user');
  const origin = aes.set!.kind === 'user' ? aes.set!.origin : undefined;
  assert.match(origin!.text, /^generate-config\.pl answered m \[N\/m\/y\/\?\] in pass 1 by autoModules/);
  const text = kfit(['why', 'DRM_PANIC_SCREEN_QR_CODE', '--src', tree612, '--kernel-config', join(stock, 'kernel-config'), '--depth', '0', '--no-other-src']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^ {2}answer {6}DRM_PANIC_SCREEN_QR_CODE y, kernel-config line 168$/m);
  assert.match(text.stdout, /needs RUST=y \(now RUST \[=n\]\)/);
  // the fixture's expected-errors.txt: 5 errors, 2 warnings
  assert.match(text.stdout, /^# generate-config\.pl: 5 error\(s\), 2 warning\(s\), exit 255$/m);
});

// conf's help screen, parsed: per symbol, its active "Selected by [y]/[m]" terms and each definition's "Depends on".
interface HelpFacts {
  selected: string[];
  definitions: string[];
}

function parseHelp(text: string): HelpFacts {
  const selected: string[] = [];
  const definitions: string[] = [];
  let section = '';
  let def: { at: string; dep?: string } | null = null;
  const flush = () => {
    if (def) definitions.push(`${def.at}${def.dep ? ` ${def.dep}` : ''}`);
    def = null;
  };
  for (const line of text.split('\n')) {
    const d = /^Defined at (\S+)$/.exec(line);
    if (d) {
      flush();
      def = { at: d[1] };
      section = 'def';
      continue;
    }
    if (/^(Selects|Implies|Selected by|Implied by)/.test(line)) {
      flush();
      section = line.startsWith('Selected by [y]') || line.startsWith('Selected by [m]') ? 'sel' : 'other';
      continue;
    }
    if (section === 'def' && def && def.dep === undefined && line.startsWith('  Depends on: ')) def.dep = line.slice('  Depends on: '.length);
    else if (section === 'sel' && line.startsWith('  - ')) selected.push(line.slice(4));
  }
  flush();
  return { selected, definitions };
}

function whyFacts(w: SymbolWhy): HelpFacts {
  return { selected: (w.selectedBy ?? []).map((s) => s.term), definitions: (w.definitions ?? []).map((d) => `${d.at}${d.depends ? ` ${d.depends}` : ''}`) };
}

const sorted = (f: HelpFacts): HelpFacts => ({ selected: [...f.selected].sort(), definitions: [...f.definitions].sort() });

test('the selectors and dependencies why reports are those of the help screen (kfit mirror, every selected symbol of 6.12 + Debian amd64)', { skip: !present && 'linux-6.12 or the Debian config not installed' }, () => {
  const { model } = loadKernelTree(tree612, 'x86_64');
  const ev = Evaluation.create(model, readDotConfig(model, readXz(debian), 'debian').assignments);
  const names = [...model.byName.values()].filter((s, i) => s.nodes.length > 0 && (s.revDep !== null || i % 7 === 0)).map((s) => s.name);
  assert.ok(names.length > 2000, `${names.length} symbols`);
  let withSelectors = 0;
  for (const w of explainWhy(ev, names, { depth: 0 })) {
    const help = parseHelp(formatSymbolInfo(ev, model.byName.get(w.name)!));
    assert.deepEqual(sorted(whyFacts(w)), sorted(help), w.name);
    if (help.selected.length > 0) withSelectors++;
  }
  assert.ok(withSelectors > 500, `${withSelectors} symbols with active selectors`);
});

test('the selectors and dependencies why reports are those conf --helpnewconfig prints (real conf, 6.12 + Debian amd64 minus the checked symbols)', { skip: !present && 'linux-6.12 or the Debian config not installed' }, () => {
  const { model } = loadKernelTree(tree612, 'x86_64');
  const full = readXz(debian);
  const ev0 = Evaluation.create(model, readDotConfig(model, full, 'debian').assignments);
  // conf prints the help of a visible, changeable symbol the .config does not set: drop such symbols' lines,
  // preferring ones that are selected (their "Selected by [m]" entries are what is checked)
  const candidates = [...model.byName.values()].filter((s) => (s.type === 'bool' || s.type === 'tristate') && !s.choice && s.prompts.length > 0 && ev0.visibility(s) > ev0.revDepValue(s));
  const selected = candidates.filter((s) => ev0.revDepValue(s) > 0);
  const picked = new Set([...selected.slice(0, 80), ...candidates.filter((_, i) => i % 40 === 0)].map((s) => s.name));
  const input = full
    .split('\n')
    .filter((l) => {
      const m = /^(?:# )?CONFIG_([A-Za-z0-9_]+)[= ]/.exec(l);
      return !(m && picked.has(m[1]));
    })
    .join('\n');
  const conf = runConfDirect({ version: '6.12', arch: 'x86_64', args: ['--helpnewconfig', 'Kconfig'], input });
  assert.equal(conf.status, 0, conf.stderr);
  const blocks = conf.stdout.split('-----\n').filter((b) => /^Symbol: /m.test(b));
  const ev = Evaluation.create(model, readDotConfig(model, input, 'stripped').assignments);
  let checked = 0;
  let withSelectors = 0;
  for (const block of blocks) {
    const name = /^Symbol: (\S+) \[=/m.exec(block)![1];
    const [w] = explainWhy(ev, [name], { depth: 0 });
    assert.ok(w.present, name);
    const help = parseHelp(block);
    assert.deepEqual(sorted(whyFacts(w)), sorted(help), name);
    assert.match(block, new RegExp(`^Symbol: ${name} \\[=${w.value}\\]$`, 'm'));
    checked++;
    if (help.selected.length > 0) withSelectors++;
  }
  assert.ok(checked >= 40, `conf printed ${checked} help screens`);
  assert.ok(withSelectors >= 20, `${withSelectors} with active selectors`);
});
